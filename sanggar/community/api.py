"""Community API for the mobile apps: groups (list, detail, join, leave, members), the home feed (cursor) and group
feeds, posts with polls, comments (one level of replies), reactions, votes, saves, reports and the moderation queue;
profiles by username with follow; the leaderboard and the caller's points. A member outside a private or hidden group
gets 403 (private) or 404 (hidden) for everything in it."""

from django.db.models import Sum
from django.urls import reverse
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from sanggar.access.policy import access_check
from sanggar.accounts.constants import PROVINCES
from sanggar.api.auth import jwt_auth
from sanggar.api.idempotency import idempotent
from sanggar.api.schemas import ErrorOut
from sanggar.chat.stickers import sticker_payload
from sanggar.core.exceptions import NotAllowed, NotFound, ServiceError
from sanggar.core.request_context import client_ip

from . import achievements, engagement, event_posts, gamification, scheduled, selectors, services, stories
from .constants import PAGE_SIZE, BadgePeriod, PostStatus, Visibility
from .linkpreview import video_embed
from .media import media_link, photo_link, preview_image_link
from .models import Comment, GroupInvitation, PointEntry, Post, Profile, Report, ScheduledPost
from .schemas import (
    AchievementsOut,
    CommunityGroupDetailOut,
    CommunityGroupPageOut,
    FeedIn,
    FollowOut,
    GroupFileOut,
    GroupFilePageOut,
    GroupImagesOut,
    GroupPermissionsIn,
    GroupPermissionsOut,
    GroupPostsIn,
    InvitationOut,
    InvitationPageOut,
    InviteIn,
    JoinOut,
    LeaderboardOut,
    LeaderIn,
    LinkPreviewIn,
    LinkPreviewRequestOut,
    ModerationIn,
    PageIn,
    PointsOut,
    PostCommentIn,
    PostCommentOut,
    PostCommentPageOut,
    PostCursorPageOut,
    PostEditIn,
    PostIn,
    PostOut,
    PostPageOut,
    ProfileOut,
    QueueOut,
    ReactionIn,
    ReactionOut,
    ReportActionIn,
    ReportIn,
    ReportOut,
    SavedOut,
    ScheduledPostIn,
    ScheduledPostOut,
    ScheduledPostPageOut,
    ScheduledPostUpdateIn,
    StoryListOut,
    StoryOut,
    StoryViewOut,
    UserPageOut,
    VoteIn,
)
from .sidebar import events_of_posts
from .views import group_file_response

router = Router(tags=["komunitas"])
API_ORDER = 76
# the issue-13 additions (post history, profile extras, block, sidebars, gamification settings, statistics; groups:
# features, mentor groups and proposals, member moderation, group statistics)
API_ROUTERS = [
    router,
    "sanggar.community.api_social.router",
    "sanggar.community.api_groups.router",
    "sanggar.community.api_challenges.router",
]

_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def _page(qs, page: int, size: int = PAGE_SIZE):
    count = qs.count()
    start = (page - 1) * size
    rows = list(qs[start : start + size]) if start < count else []
    return count, (page + 1 if start + size < count else None), rows


def _author(user) -> dict:
    try:
        profile = user.community_profile
    except Profile.DoesNotExist:
        profile = None
    return {"id": user.pk, "name": user.full_name, "username": profile.username if profile else None}


def _post(request, post) -> dict:
    return {
        "id": post.pk,
        "group": post.group.slug,
        "author": _author(post.author),
        "body": post.body,
        "image_url": (
            request.build_absolute_uri(photo_link(user=request.auth, post=post, session_bound=False))
            if post.image
            else None
        ),
        "link_url": post.link_url,
        "body_html": post.body_html,
        "video_url": post.video_url,
        "video_embed_url": (video_embed(post.video_url) or ("", ""))[1] if post.video_url else "",
        "link_preview": (
            {
                "url": post.link_preview.url,
                "status": post.link_preview.status,
                "title": post.link_preview.title,
                "description": post.link_preview.description,
                "site_name": post.link_preview.site_name,
                "image_url": (
                    request.build_absolute_uri(preview_image_link(user=request.auth, post=post, session_bound=False))
                    if post.link_preview.image
                    else None
                ),
            }
            if post.link_preview_id
            else None
        ),
        "document_url": (
            request.build_absolute_uri(reverse("community:post_document", args=[post.pk])) if post.document else None
        ),
        "is_pinned": post.is_pinned,
        "is_announcement": post.is_announcement,
        "status": post.status,
        "comments_enabled": post.comments_enabled,
        "comment_count": post.comment_count,
        "reaction_count": post.reaction_count,
        "reactions": getattr(post, "reaction_counts", {}),
        "my_reaction": getattr(post, "my_reaction", ""),
        "is_saved": getattr(post, "is_saved", False),
        "poll": [{"id": o.pk, "text": o.text, "votes": o.vote_count} for o in getattr(post, "options", [])],
        "my_vote": getattr(post, "my_vote", None),
        "created_at": post.created_at,
        "background": post.background,
        "location": _location(post),
        "media_kind": post.media_kind,
        "media_type": post.media_type,
        "media_url": (
            request.build_absolute_uri(media_link(user=request.auth, post=post, session_bound=False))
            if post.media
            else None
        ),
        "sticker": sticker_payload(post.sticker if post.sticker_id else None, request),
    }


def _location(row) -> dict | None:
    if not row.location_name:
        return None
    return {"name": row.location_name, "city": row.location_city, "province": row.location_province}


def _posts(request, rows) -> list[dict]:
    rows = selectors.annotate_viewer(rows, request.auth)
    events = events_of_posts([p.pk for p in rows])  # event posts: the event each announces (one query)
    return [{**_post(request, p), "event": events.get(p.pk)} for p in rows]


def _group(request, slug: str, *, member: bool = False):
    """The group and the policy's decision; 404 for a hidden group (or none) the caller is not in, 403 for a
    private one when `member` is needed or the posts are asked for."""
    group = selectors.group_by_slug(slug)
    if group is None:
        raise NotFound("Grup tidak ditemukan.")
    decision = access_check(user=request.auth, resource=group.resource)
    if not decision.allowed and group.visibility == Visibility.HIDDEN:
        raise NotFound("Grup tidak ditemukan.")
    if member and not services.can_read(request.auth, group, decision):
        raise NotAllowed(decision.message or "Anda bukan anggota grup ini.", code=decision.reason or "forbidden")
    return group, decision


def _post_obj(request, post_id: int) -> Post:
    post = (
        Post.objects.select_related("group__resource", "author", "author__community_profile").filter(pk=post_id).first()
    )
    if post is None or post.status != PostStatus.PUBLISHED:
        raise NotFound("Postingan tidak ditemukan.")
    if not services.can_read(request.auth, post.group):
        if post.group.visibility == Visibility.HIDDEN:
            raise NotFound("Postingan tidak ditemukan.")
        raise NotAllowed("Gabung ke grup ini untuk melihat postingannya.")
    return post


# --- groups --------------------------------------------------------------------------------------------------------


def _images(request, group) -> dict:
    return {
        "cover_url": request.build_absolute_uri(group.cover.url) if group.cover else None,
        "avatar_url": request.build_absolute_uri(group.avatar.url) if group.avatar else None,
    }


@router.post(
    "/groups/{slug}/images",
    response={200: GroupImagesOut, **_ERRORS},
    auth=jwt_auth,
    summary="Unggah sampul / avatar grup (pemilik / admin grup)",
    description="multipart/form-data: `cover` dan/atau `avatar` (PNG, JPEG, WebP; dicek dari isinya, disimpan ulang "
    "sebagai JPEG), `remove_cover=1` / `remove_avatar=1` untuk menghapus.",
)
@idempotent
def group_images(
    request,
    slug: str,
    cover: File[UploadedFile] = None,
    avatar: File[UploadedFile] = None,
    remove_cover: Form[bool] = False,
    remove_avatar: Form[bool] = False,
):
    group, _decision = _group(request, slug, member=True)
    group = services.group_images_set(
        actor=request.auth,
        group=group,
        cover=cover,
        avatar=avatar,
        remove_cover=remove_cover,
        remove_avatar=remove_avatar,
    )
    return _images(request, group)


@router.get("/groups", response={200: CommunityGroupPageOut, **_ERRORS}, auth=jwt_auth, summary="Daftar grup")
def groups(request, filters: Query[PageIn]):
    rows = selectors.groups_with_access(request.auth)
    start = (filters.page - 1) * PAGE_SIZE
    chunk = rows[start : start + PAGE_SIZE]
    members = [g for g, member in chunk if member]
    premium = bool(members) and services.is_premium(request.auth)
    postable = {g.pk for g in services.postable_groups(request.auth, members, premium=premium)} if members else set()
    return {
        "count": len(rows),
        "next_page": filters.page + 1 if start + PAGE_SIZE < len(rows) else None,
        "results": [
            {
                "slug": g.slug,
                "name": g.name,
                "visibility": g.visibility,
                "is_member": m,
                "description": g.description,
                **_images(request, g),
                "can_post": g.pk in postable,
            }
            for g, m in chunk
        ],
    }


@router.get("/groups/{slug}", response={200: CommunityGroupDetailOut, **_ERRORS}, auth=jwt_auth, summary="Detail grup")
def group_detail(request, slug: str):
    group, decision = _group(request, slug)
    row = services.member_row(request.auth, group)
    allowed = services.allowed_permissions(request.auth, group, row=row, decision=decision)
    moderator = "moderate" in allowed
    return {
        "slug": group.slug,
        "name": group.name,
        "visibility": group.visibility,
        "is_member": decision.allowed,
        "description": group.description,
        **_images(request, group),
        "rules": group.rules,
        "status": group.status,
        "can_post": services.may_post(allowed, premium=moderator or services.is_premium(request.auth)),
        "role": (row.role if row and row.status == "active" else "member") if decision.allowed else "",
        "my_permissions": allowed,
        "can_manage": services.can_manage(request.auth, group),
        "can_moderate": moderator,
        "member_status": row.status if row else "",
        "message": "" if decision.allowed else str(decision.message),
        "action_url": "" if decision.allowed else str(decision.action_url),
    }


@router.post(
    "/groups/{slug}/join", response={200: JoinOut, **_ERRORS}, auth=jwt_auth, summary="Gabung / minta bergabung"
)
@idempotent
def group_join(request, slug: str):
    group, _decision = _group(request, slug)
    row = services.group_join(user=request.auth, group=group)
    return {"status": row.status}


@router.post("/groups/{slug}/leave", response={200: JoinOut, **_ERRORS}, auth=jwt_auth, summary="Keluar grup")
@idempotent
def group_leave(request, slug: str):
    group, _decision = _group(request, slug)
    services.group_leave(user=request.auth, group=group)
    return {"status": "left"}


@router.get(
    "/groups/{slug}/permissions",
    response={200: GroupPermissionsOut, **_ERRORS},
    auth=jwt_auth,
    summary="Hak akses per peran di grup",
)
def group_permissions(request, slug: str):
    group, _decision = _group(request, slug, member=True)
    return {"permissions": services.permissions_of(group)}


def _file(request, item) -> dict:
    token = services.group_file_token(request.auth, item)
    return {
        "id": item.pk,
        "title": item.title,
        "original_name": item.original_name,
        "extension": item.extension,
        "size": item.size,
        "uploader": item.uploader.full_name if item.uploader else "",
        "created_at": item.created_at,
        "download_url": request.build_absolute_uri(f"/api/v1/group-files/{token}"),
    }


@router.get("/groups/{slug}/files", response={200: GroupFilePageOut, **_ERRORS}, auth=jwt_auth, summary="Berkas grup")
def group_files(request, slug: str, filters: Query[PageIn]):
    group, decision = _group(request, slug)
    if not decision.allowed:
        raise NotAllowed("Berkas grup hanya untuk anggota.", code="not_member")
    count, next_page, rows = _page(selectors.group_files(group), filters.page)
    return {"count": count, "next_page": next_page, "results": [_file(request, f) for f in rows]}


@router.post(
    "/groups/{slug}/files",
    response={201: GroupFileOut, **_ERRORS},
    auth=jwt_auth,
    summary="Unggah berkas grup",
    description="multipart/form-data: `file` (PDF, Office, ZIP, EPUB, MP3, MP4, gambar; jenis dicek dari isinya, "
    "maksimal COMMUNITY_GROUP_FILE_MAX_BYTES) dan `title` opsional. Hanya peran yang diizinkan mengunggah.",
)
@idempotent
def group_file_upload(request, slug: str, file: File[UploadedFile], title: Form[str] = ""):
    group, _decision = _group(request, slug)
    item = services.group_file_upload(user=request.auth, group=group, upload=file, title=title, ip=client_ip(request))
    return Status(201, _file(request, item))


@router.get(
    "/group-files/{token}",
    response={200: None, **_ERRORS},
    auth=jwt_auth,
    summary="Unduh berkas grup (link bertanda tangan)",
)
def group_file_download(request, token: str):
    return group_file_response(services.group_file_open(user=request.auth, token=token[:500]))


@router.put(
    "/groups/{slug}/permissions",
    response={200: GroupPermissionsOut, **_ERRORS},
    auth=jwt_auth,
    summary="Ubah hak akses per peran (pemilik / admin grup)",
)
@idempotent
def group_permissions_update(request, slug: str, payload: GroupPermissionsIn):
    group, _decision = _group(request, slug, member=True)
    group = services.group_permissions_update(actor=request.auth, group=group, permissions=payload.permissions)
    return {"permissions": services.permissions_of(group)}


@router.get("/groups/{slug}/members", response={200: UserPageOut, **_ERRORS}, auth=jwt_auth, summary="Anggota grup")
def group_members(request, slug: str, filters: Query[PageIn]):
    group, _decision = _group(request, slug, member=True)
    count, next_page, rows = _page(selectors.group_members(group), filters.page, 50)
    return {"count": count, "next_page": next_page, "results": [_author(m.user) for m in rows]}


def _invitation(inv) -> dict:
    return {
        "id": inv.pk,
        "group": inv.group.slug,
        "group_name": inv.group.name,
        "invited_by": inv.invited_by.full_name if inv.invited_by else "",
        "status": inv.status,
        "created_at": inv.created_at.isoformat(),
    }


@router.post(
    "/groups/{slug}/invitations",
    response={200: InvitationOut, **_ERRORS},
    auth=jwt_auth,
    summary="Undang member ke grup",
)
@idempotent
def group_invite(request, slug: str, payload: InviteIn):
    group, _decision = _group(request, slug)
    profile = selectors.profile_by_username(payload.user.strip().lstrip("@").lower())
    if profile is None:
        raise NotFound("Member tidak ditemukan.")
    inv = services.invitation_create(actor=request.auth, group=group, invitee=profile.user, ip=client_ip(request))
    return _invitation(inv)


@router.get(
    "/me/invitations", response={200: InvitationPageOut, **_ERRORS}, auth=jwt_auth, summary="Undangan grup saya"
)
def my_invitations(request, filters: Query[PageIn]):
    count, next_page, rows = _page(selectors.invitations_for(request.auth), filters.page)
    return {"count": count, "next_page": next_page, "results": [_invitation(i) for i in rows]}


def _respond(request, invitation_id: int, accept: bool) -> dict:
    inv = GroupInvitation.objects.filter(pk=invitation_id, invitee=request.auth).first()
    if inv is None:
        raise NotFound("Undangan tidak ditemukan.")
    return _invitation(services.invitation_respond(user=request.auth, invitation=inv, accept=accept))


@router.post(
    "/invitations/{invitation_id}/accept",
    response={200: InvitationOut, **_ERRORS},
    auth=jwt_auth,
    summary="Terima undangan grup",
)
@idempotent
def invitation_accept(request, invitation_id: int):
    return _respond(request, invitation_id, True)


@router.post(
    "/invitations/{invitation_id}/decline",
    response={200: InvitationOut, **_ERRORS},
    auth=jwt_auth,
    summary="Tolak undangan grup",
)
@idempotent
def invitation_decline(request, invitation_id: int):
    return _respond(request, invitation_id, False)


# --- feeds and posts -----------------------------------------------------------------------------------------------


def _by_province(qs, province: str):
    if not province:
        return qs
    if province not in PROVINCES:
        raise ServiceError("Provinsi tidak dikenal.", errors={"province": ["Pilih provinsi dari daftar."]})
    return qs.filter(location_province=province)


@router.get("/feed", response={200: PostCursorPageOut, **_ERRORS}, auth=jwt_auth, summary="Feed komunitas")
def feed(request, filters: Query[FeedIn]):
    qs = _by_province(selectors.home_feed(request.auth).order_by("-id"), filters.province)
    if filters.cursor:
        qs = qs.filter(id__lt=filters.cursor)
    else:  # the feed opened in the app: the day's visit point, as the feed page gives it
        services.daily_visit(user=request.auth)
    rows = list(qs[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return {"next_cursor": rows[-1].pk if more else None, "results": _posts(request, rows)}


@router.get("/groups/{slug}/posts", response={200: PostPageOut, **_ERRORS}, auth=jwt_auth, summary="Postingan grup")
def group_posts(request, slug: str, filters: Query[GroupPostsIn]):
    group, _decision = _group(request, slug, member=True)
    count, next_page, rows = _page(_by_province(selectors.group_feed(group), filters.province), filters.page)
    return {"count": count, "next_page": next_page, "results": _posts(request, rows)}


POST_FIELDS = (
    "body",
    "link_url",
    "poll",
    "is_announcement",
    "body_html",
    "video_url",
    "background",
    "location_name",
    "location_city",
    "location_province",
)


def _post_payload(payload) -> dict:
    """The post fields of a JSON payload, as `post_create` / `scheduled_post_create` take them."""
    return {name: getattr(payload, name) for name in POST_FIELDS}


@router.post("/groups/{slug}/posts", response={201: PostOut, **_ERRORS}, auth=jwt_auth, summary="Buat postingan")
@idempotent
def post_create(request, slug: str, payload: PostIn):
    group, _decision = _group(request, slug)
    if payload.event is not None and payload.sticker is not None:
        raise ServiceError(
            "Stiker tidak bisa digabung dengan postingan acara.", errors={"sticker": ["Hapus stiker atau acara."]}
        )
    if payload.event is not None:
        post = event_posts.event_post_from_composer(
            actor=request.auth,
            group=group,
            event=payload.event.dict(),
            body=payload.body_html or payload.body,
            poll=payload.poll,
            link_url=payload.link_url,
            video_url=payload.video_url,
            background=payload.background,
            location_name=payload.location_name,
        )
        return Status(201, _fresh_post(request, post))
    post = services.post_create(
        user=request.auth,
        group=group,
        ip=client_ip(request),
        sticker=payload.sticker,
        **_post_payload(payload),
    )
    return Status(201, _fresh_post(request, post))


@router.post(
    "/link-previews",
    response={200: LinkPreviewRequestOut, **_ERRORS},
    auth=jwt_auth,
    summary="Pratinjau tautan",
    description="Pratinjau tautan untuk composer sebelum memposting. Diambil sekali di server (tanpa alamat privat, "
    "dengan batas waktu dan ukuran) di latar belakang: selama `status` = `pending`, kirim lagi sebentar lagi. "
    "Dibatasi per pengguna dan alamat (`COMMUNITY_PREVIEW_RATE_LIMIT`). Gambar pratinjau tampil di postingan.",
)
@idempotent
def link_preview_create(request, payload: LinkPreviewIn):
    preview = services.link_preview_request(user=request.auth, url=payload.url, ip=client_ip(request))
    return {
        "url": preview.url,
        "status": preview.status,
        "title": preview.title,
        "description": preview.description,
        "site_name": preview.site_name,
    }


def _fresh_post(request, post) -> dict:
    post = (
        Post.objects.select_related("group", "author", "link_preview", "sticker")
        .prefetch_related("poll_options")
        .get(pk=post.pk)
    )
    return _posts(request, [post])[0]


@router.post(
    "/groups/{slug}/posts/upload",
    response={201: PostOut, **_ERRORS},
    auth=jwt_auth,
    summary="Buat postingan dengan berkas",
    description="Multipart: `body` dan berkas opsional `image` (PNG/JPEG/WebP), `document` (PDF/Office) dan `media` "
    "(audio MP3/M4A/OGG/WAV atau video MP4/WebM; jenis diperiksa dari isi berkas, ukuran maksimal "
    "`COMMUNITY_AUDIO_MAX_BYTES` / `COMMUNITY_VIDEO_MAX_BYTES`), plus `location_name`, `location_city`, "
    "`location_province`.",
)
@idempotent
def post_create_upload(
    request,
    slug: str,
    body: Form[str] = "",
    location_name: Form[str] = "",
    location_city: Form[str] = "",
    location_province: Form[str] = "",
    image: File[UploadedFile] = None,
    document: File[UploadedFile] = None,
    media: File[UploadedFile] = None,
):
    group, _decision = _group(request, slug)
    post = services.post_create(
        user=request.auth,
        group=group,
        body=body,
        image=image,
        document=document,
        media=media,
        location_name=location_name,
        location_city=location_city,
        location_province=location_province,
        ip=client_ip(request),
    )
    return Status(201, _fresh_post(request, post))


# --- scheduled posts -----------------------------------------------------------------------------------------------


def _scheduled(row) -> dict:
    return {
        "id": row.pk,
        "group": row.group.slug,
        "status": row.status,
        "scheduled_at": row.scheduled_at,
        "body": row.body,
        "background": row.background,
        "location": _location(row),
        "post_id": row.post_id,
        "error": row.error,
    }


def _scheduled_row(request, row_id: int) -> ScheduledPost:
    row = ScheduledPost.objects.select_related("group").filter(pk=row_id, author=request.auth).first()
    if row is None:
        raise NotFound("Postingan terjadwal tidak ditemukan.")
    return row


@router.post(
    "/groups/{slug}/scheduled-posts",
    response={201: ScheduledPostOut, **_ERRORS},
    auth=jwt_auth,
    summary="Jadwalkan postingan",
    description="Seperti membuat postingan, dengan `scheduled_at` di masa depan. Postingan tidak terlihat siapa pun "
    "selain penulis sampai waktunya; lalu terbit dalam satu menit dan anggota diberi tahu seperti biasa.",
)
@idempotent
def scheduled_create(request, slug: str, payload: ScheduledPostIn):
    group, _decision = _group(request, slug)
    if payload.event is not None:
        raise ServiceError(
            "Postingan acara tidak bisa dijadwalkan; buat acaranya sekarang dengan waktu mulai di masa depan.",
            errors={"event": ["Tidak untuk postingan terjadwal."]},
        )
    row = scheduled.scheduled_post_create(
        user=request.auth,
        group=group,
        scheduled_at=payload.scheduled_at,
        ip=client_ip(request),
        **_post_payload(payload),
    )
    return Status(201, _scheduled(row))


@router.get(
    "/me/scheduled-posts", response={200: ScheduledPostPageOut, **_ERRORS}, auth=jwt_auth, summary="Postingan terjadwal"
)
def scheduled_list(request, filters: Query[PageIn]):
    count, next_page, rows = _page(scheduled.scheduled_for(request.auth), filters.page)
    return {"count": count, "next_page": next_page, "results": [_scheduled(r) for r in rows]}


@router.patch(
    "/scheduled-posts/{row_id}",
    response={200: ScheduledPostOut, **_ERRORS},
    auth=jwt_auth,
    summary="Ubah postingan terjadwal",
)
@idempotent
def scheduled_update(request, row_id: int, payload: ScheduledPostUpdateIn):
    row = scheduled.scheduled_post_update(
        actor=request.auth, row=_scheduled_row(request, row_id), body=payload.body, scheduled_at=payload.scheduled_at
    )
    return _scheduled(row)


@router.delete(
    "/scheduled-posts/{row_id}", response={204: None, **_ERRORS}, auth=jwt_auth, summary="Batalkan postingan terjadwal"
)
def scheduled_delete(request, row_id: int):
    scheduled.scheduled_post_cancel(actor=request.auth, row=_scheduled_row(request, row_id))
    return Status(204, None)


# --- stories -------------------------------------------------------------------------------------------------------


def _story(request, story) -> dict:
    own = story.author_id == request.auth.pk
    return {
        "id": story.pk,
        "author": _author(story.author),
        "group": story.group.slug if story.group_id else None,
        "kind": story.kind,
        "text": story.text,
        "background": story.background,
        "image_url": (
            request.build_absolute_uri(stories.photo_link(user=request.auth, story=story, session_bound=False))
            if story.image
            else None
        ),
        "seen": own or bool(getattr(story, "seen", False)),
        "view_count": story.view_count if own else None,
        "created_at": story.created_at,
        "expires_at": story.expires_at,
    }


@router.get("/stories", response={200: StoryListOut, **_ERRORS}, auth=jwt_auth, summary="Story aktif")
def story_list(request):
    rows = list(stories.stories_visible(request.auth)[: stories.STORY_BAR_LIMIT])
    return {"results": [_story(request, s) for s in rows]}


@router.post(
    "/stories",
    response={201: StoryOut, **_ERRORS},
    auth=jwt_auth,
    summary="Buat story",
    description="Multipart: `image` (PNG/JPEG/WebP, opsional) dan/atau `text` (maks. 300), `background` untuk story "
    "teks, `group` (slug grup tempat Anda anggota; kosong = untuk pengikut). Terlihat 24 jam.",
)
@idempotent
def story_create(
    request,
    text: Form[str] = "",
    background: Form[str] = "",
    group: Form[str] = "",
    image: File[UploadedFile] = None,
):
    target = None
    if group:
        target, _decision = _group(request, group[:80], member=True)
    story = stories.story_create(
        user=request.auth, image=image, text=text, background=background, group=target, ip=client_ip(request)
    )
    return Status(201, _story(request, stories.story_get(request.auth, story.pk)))


@router.post(
    "/stories/{story_id}/view", response={200: StoryViewOut, **_ERRORS}, auth=jwt_auth, summary="Tandai story dilihat"
)
@idempotent
def story_view(request, story_id: int):
    story = stories.story_get(request.auth, story_id)
    return {"seen": True, "first_view": stories.story_view(user=request.auth, story=story)}


@router.delete("/stories/{story_id}", response={204: None, **_ERRORS}, auth=jwt_auth, summary="Hapus story")
def story_delete(request, story_id: int):
    stories.story_delete(actor=request.auth, story=stories.story_get(request.auth, story_id))
    return Status(204, None)


@router.get("/posts/{post_id}", response={200: PostOut, **_ERRORS}, auth=jwt_auth, summary="Detail postingan")
def post_detail(request, post_id: int):
    post = _post_obj(request, post_id)
    return _posts(request, [post])[0]


@router.delete("/posts/{post_id}", response={204: None, **_ERRORS}, auth=jwt_auth, summary="Hapus postingan")
def post_delete(request, post_id: int):
    services.post_remove(actor=request.auth, post=_post_obj(request, post_id))
    return Status(204, None)


@router.patch(
    "/posts/{post_id}",
    response={200: PostOut, **_ERRORS},
    auth=jwt_auth,
    summary="Sunting postingan",
    description="Penulis dalam `COMMUNITY_POST_EDIT_MINUTES` menit setelah posting; moderator grup kapan saja. Teks "
    "sebelumnya disimpan di riwayat suntingan.",
)
@idempotent
def post_edit(request, post_id: int, payload: PostEditIn):
    post = engagement.post_edit(
        actor=request.auth, post=api_social_post(request, post_id), body=payload.body, body_html=payload.body_html
    )
    return _posts(request, [post])[0]


def _comment(c, request=None) -> dict:
    return {
        "id": c.pk,
        "author": _author(c.author),
        "body": c.body,
        "parent": c.parent_id,
        "created_at": c.created_at,
        "sticker": sticker_payload(c.sticker if c.sticker_id else None, request),
    }


@router.get(
    "/posts/{post_id}/comments", response={200: PostCommentPageOut, **_ERRORS}, auth=jwt_auth, summary="Komentar"
)
def comments(request, post_id: int, filters: Query[PageIn]):
    post = _post_obj(request, post_id)
    count, next_page, rows = _page(selectors.post_comments(post), filters.page, 30)
    return {
        "count": count,
        "next_page": next_page,
        "results": [
            {**_comment(c, request), "replies": [_comment(r, request) for r in c.visible_replies]} for c in rows
        ],
    }


@router.post(
    "/posts/{post_id}/comments", response={201: PostCommentOut, **_ERRORS}, auth=jwt_auth, summary="Tulis komentar"
)
@idempotent
def comment_create(request, post_id: int, payload: PostCommentIn):
    post = _post_obj(request, post_id)
    parent = None
    if payload.parent is not None:
        parent = Comment.objects.filter(pk=payload.parent, post=post).first()
        if parent is None:
            raise NotFound("Komentar yang dibalas tidak ditemukan.")
    comment = services.comment_create(
        user=request.auth, post=post, body=payload.body, parent=parent, ip=client_ip(request), sticker=payload.sticker
    )
    return Status(201, _comment(comment, request))


@router.post("/posts/{post_id}/reactions", response={200: ReactionOut, **_ERRORS}, auth=jwt_auth, summary="Beri reaksi")
@idempotent
def react(request, post_id: int, payload: ReactionIn):
    post = _post_obj(request, post_id)
    comment = None
    if payload.comment is not None:
        comment = Comment.objects.filter(pk=payload.comment, post=post).first()
        if comment is None:
            raise NotFound("Komentar tidak ditemukan.")
    reaction = services.reaction_set(
        user=request.auth, post=post, comment=comment, type=payload.type, ip=client_ip(request)
    )
    post = selectors.annotate_viewer([post], request.auth)[0]
    return {"type": reaction.type, "reactions": post.reaction_counts}


@router.delete(
    "/posts/{post_id}/reactions", response={200: ReactionOut, **_ERRORS}, auth=jwt_auth, summary="Hapus reaksi"
)
def unreact(request, post_id: int):
    post = _post_obj(request, post_id)
    services.reaction_unset(user=request.auth, post=post)
    post = selectors.annotate_viewer([post], request.auth)[0]
    return {"type": "", "reactions": post.reaction_counts}


@router.post("/posts/{post_id}/vote", response={200: PostOut, **_ERRORS}, auth=jwt_auth, summary="Pilih di polling")
@idempotent
def vote(request, post_id: int, payload: VoteIn):
    post = _post_obj(request, post_id)
    services.poll_vote(user=request.auth, post=post, option_id=payload.option)
    return _posts(request, [Post.objects.select_related("group", "author").get(pk=post.pk)])[0]


@router.post(
    "/posts/{post_id}/save", response={200: SavedOut, **_ERRORS}, auth=jwt_auth, summary="Simpan / batal simpan"
)
@idempotent
def save(request, post_id: int):
    return {"saved": services.post_save_toggle(user=request.auth, post=_post_obj(request, post_id))}


@router.get("/me/saved", response={200: PostPageOut, **_ERRORS}, auth=jwt_auth, summary="Postingan tersimpan")
def saved(request, filters: Query[PageIn]):
    count, next_page, rows = _page(selectors.saved_posts(request.auth), filters.page)
    return {"count": count, "next_page": next_page, "results": _posts(request, rows)}


# --- reports and moderation ----------------------------------------------------------------------------------------


@router.post("/reports", response={201: ReportOut, **_ERRORS}, auth=jwt_auth, summary="Laporkan konten atau member")
@idempotent
def report(request, payload: ReportIn):
    row = services.report_create(
        user=request.auth,
        kind=payload.kind,
        target_id=payload.id,
        reason=payload.reason,
        category=payload.category,
        ip=client_ip(request),
    )
    return Status(201, {"id": row.pk, "status": row.status})


def _moderated_ids(request):
    if request.auth.has_role("admin"):
        return None
    ids = selectors.moderated_group_ids(request.auth)
    if not ids:
        raise NotAllowed("Hanya admin dan moderator grup yang dapat membuka antrean moderasi.")
    return ids


@router.get("/moderation/queue", response={200: QueueOut, **_ERRORS}, auth=jwt_auth, summary="Antrean moderasi")
def queue(request):
    ids = _moderated_ids(request)
    posts = list(selectors.pending_posts(ids).prefetch_related("poll_options")[:50])
    return {
        "pending_posts": _posts(request, posts),
        "reports": [{"id": r.pk, "status": r.status} for r in selectors.open_reports(ids)[:50]],
        "join_requests": [_author(m.user) for m in selectors.pending_requests(ids)[:50]],
    }


@router.post(
    "/moderation/posts/{post_id}", response={200: PostOut, **_ERRORS}, auth=jwt_auth, summary="Setujui / tolak"
)
@idempotent
def moderate_post(request, post_id: int, payload: ModerationIn):
    post = Post.objects.select_related("group", "author").filter(pk=post_id).first()
    if post is None:
        raise NotFound("Postingan tidak ditemukan.")
    post = services.post_moderate(
        actor=request.auth, post=post, approve=payload.decision == "approve", note=payload.note
    )
    return _posts(request, [post])[0]


@router.post(
    "/moderation/reports/{report_id}", response={200: ReportOut, **_ERRORS}, auth=jwt_auth, summary="Tangani laporan"
)
@idempotent
def moderate_report(request, report_id: int, payload: ReportActionIn):
    report = Report.objects.select_related("group", "post", "comment", "target_user").filter(pk=report_id).first()
    if report is None:
        raise NotFound("Laporan tidak ditemukan.")
    report = services.report_handle(actor=request.auth, report=report, action=payload.action, note=payload.note)
    return {"id": report.pk, "status": report.status}


# --- profiles, follow, leaderboard, points ------------------------------------------------------------------------


def _profile(request, username: str):
    profile = selectors.profile_by_username(username)
    if profile is None:
        raise NotFound("Member tidak ditemukan.")
    return profile


@router.get("/users/{username}", response={200: ProfileOut, **_ERRORS}, auth=jwt_auth, summary="Profil member")
def user_profile(request, username: str):
    profile = _profile(request, username)
    person = profile.user
    followers, following = selectors.follow_counts(person)
    points = services.points_total(person.pk)
    return {
        "id": person.pk,
        "username": profile.username,
        "name": person.full_name,
        "headline": profile.headline,
        "bio": person.bio,
        "city": person.city,
        "province": person.province,
        "website": profile.website,
        "avatar_url": request.build_absolute_uri(person.avatar.url) if person.avatar else None,
        "followers": followers,
        "following": following,
        "is_following": person.follower_rows.filter(follower=request.auth).exists(),
        "points": points,
        "level": services.level_for(points),
        "badges": list(person.badges.values_list("badge__name", flat=True)),
        "badge_items": selectors.badge_items(person.pk, request),
        "level_name": gamification.level_name(points),
        "cover_url": request.build_absolute_uri(profile.cover.url) if profile.cover else None,
        "social_links": dict(profile.social_links or {}),
        "online": person.pk in engagement.online_ids([person.pk]),
    }


@router.post("/users/{username}/follow", response={200: FollowOut, **_ERRORS}, auth=jwt_auth, summary="Ikuti member")
@idempotent
def follow(request, username: str):
    services.follow(user=request.auth, target=_profile(request, username).user, ip=client_ip(request))
    return {"following": True}


@router.delete(
    "/users/{username}/follow", response={200: FollowOut, **_ERRORS}, auth=jwt_auth, summary="Berhenti mengikuti"
)
def unfollow(request, username: str):
    services.unfollow(user=request.auth, target=_profile(request, username).user)
    return {"following": False}


@router.get("/users/{username}/followers", response={200: UserPageOut, **_ERRORS}, auth=jwt_auth, summary="Pengikut")
def followers(request, username: str, filters: Query[PageIn]):
    count, next_page, rows = _page(
        selectors.followers(_profile(request, username).user).order_by("pk"), filters.page, 50
    )
    return {"count": count, "next_page": next_page, "results": [_author(u) for u in rows]}


@router.get("/users/{username}/following", response={200: UserPageOut, **_ERRORS}, auth=jwt_auth, summary="Mengikuti")
def following(request, username: str, filters: Query[PageIn]):
    count, next_page, rows = _page(
        selectors.following(_profile(request, username).user).order_by("pk"), filters.page, 50
    )
    return {"count": count, "next_page": next_page, "results": [_author(u) for u in rows]}


@router.get("/leaderboard", response={200: LeaderboardOut, **_ERRORS}, auth=jwt_auth, summary="Peringkat komunitas")
def leaderboard(request, filters: Query[LeaderIn]):
    group = None
    if filters.group:
        group, _decision = _group(request, filters.group, member=True)
    rows = selectors.leaderboard(filters.period, group=group, limit=50)
    return {
        "period": filters.period,
        "results": [{"rank": r["rank"], "user": _author(r["user"]), "points": r["points"]} for r in rows],
    }


@router.get("/me/points", response={200: PointsOut, **_ERRORS}, auth=jwt_auth, summary="Poin saya")
def my_points(request):
    user = request.auth
    total = services.points_total(user.pk)

    def since(period):
        start = selectors.period_start(period)
        return PointEntry.objects.filter(user=user, created_at__gte=start).aggregate(s=Sum("points"))["s"] or 0

    return {
        "total": total,
        "level": services.level_for(total),
        "week": since("week"),
        "month": since("month"),
        "badges": list(user.badges.values_list("badge__name", flat=True)),
        "badge_items": selectors.badge_items(user.pk, request),
        "recent": list(PointEntry.objects.filter(user=user).values("action", "points", "created_at")[:20]),
    }


def _badge_fields(request, badge) -> dict:
    return {
        "slug": badge.slug,
        "name": badge.name,
        "description": badge.description,
        "icon": badge.icon_name,
        "image_url": request.build_absolute_uri(badge.image.url) if badge.image else None,
        "weekly": badge.period == BadgePeriod.WEEKLY,
    }


@router.get("/me/achievements", response={200: AchievementsOut, **_ERRORS}, auth=jwt_auth, summary="Pencapaian saya")
def my_achievements(request, filters: Query[PageIn]):
    """The caller's own level and progress, points, weekly rank, badges earned and still to earn (with progress),
    challenges joined, quizzes taken and one page of the points history."""
    data = achievements.achievements_of(request.auth)
    count, next_page, rows = _page(achievements.ledger(request.auth), filters.page)
    return {
        **data["points"],
        "weekly_rank": data["rank"],
        "level": data["level"],
        "earned": [
            {**_badge_fields(request, e["badge"]), "times": e["times"], "awarded_at": e["awarded_at"]}
            for e in data["earned"]
        ],
        "pending": [
            {
                **_badge_fields(request, p["badge"]),
                "criteria": p["badge"].criteria,
                "current": p["current"],
                "target": p["target"],
                "unit": str(p.get("unit", "")),
            }
            for p in data["pending"]
        ],
        "challenges": [
            {
                "id": c["challenge"].pk,
                "title": c["challenge"].title,
                "group": c["challenge"].group.name,
                "closed": c["closed"],
                "completed": c["completed"],
                "rank": c["rank"],
                "count": c["count"],
                "ends_at": c["challenge"].ends_at,
            }
            for c in data["challenges"]
        ],
        "quizzes": [
            {
                "id": a.quiz.pk,
                "title": a.quiz.title,
                "group": a.quiz.group.name,
                "correct": a.correct,
                "total": a.total,
                "points": a.points,
                "submitted_at": a.submitted_at,
            }
            for a in data["quizzes"]
        ],
        "ledger_count": count,
        "ledger_next_page": next_page,
        "ledger": [
            {
                "action": e.action,
                "label": e.get_action_display(),
                "points": e.points,
                "group": e.group.name if e.group else None,
                "note": e.note,
                "created_at": e.created_at,
            }
            for e in rows
        ],
    }


def api_social_post(request, post_id: int) -> Post:
    """The post when the caller may see it: published and readable, or (pending) their own or one they moderate."""
    post = Post.objects.select_related("group__resource", "author", "author__community_profile").filter(pk=post_id)
    post = post.first()
    if post is None or not services.can_read(request.auth, post.group):
        raise NotFound("Postingan tidak ditemukan.")
    mine_or_moderated = post.author_id == request.auth.pk or services.can_moderate(request.auth, post.group)
    if post.status != PostStatus.PUBLISHED and not (mine_or_moderated and post.status == PostStatus.PENDING):
        raise NotFound("Postingan tidak ditemukan.")
    return post
