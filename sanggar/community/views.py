"""Community pages: the home feed, the group directory and group pages (feed, about and rules, members, leaderboard),
post permalinks with comments, reactions, polls, saves and reports, moderation queues, profiles with follow, the member
directory and the leaderboard; the admin's group pages. Access is asked of the policy on the server for every page."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sanggar.access.policy import access_check
from sanggar.accounts.constants import PROVINCES
from sanggar.accounts.models import User
from sanggar.chat import policy as chat_policy
from sanggar.core.exceptions import NotFound, ServiceError
from sanggar.core.files import private_file_response
from sanggar.core.listing import paginate
from sanggar.core.permissions import login_required, role_required
from sanggar.core.request_context import client_ip
from sanggar.core.roles import Role
from sanggar.learning.video import RangeNotSatisfiable, parse_range, read_chunks

from . import engagement, event_posts, gamification, media, scheduled, selectors, services, stories, views_challenges
from .constants import (
    BADGE_ICONS,
    MATRIX_ROLES,
    PAGE_SIZE,
    QUOTE_BACKGROUNDS,
    SOCIAL_NETWORKS,
    BadgeCriteria,
    BadgePeriod,
    GroupPermission,
    KeywordAction,
    MemberRole,
    PointAction,
    ReportCategory,
    Visibility,
)
from .features import FEATURES, features_of
from .models import (
    Badge,
    Comment,
    Group,
    GroupFile,
    GroupInvitation,
    GroupMember,
    KeywordRule,
    Level,
    MemberOfWeek,
    PointEntry,
    Post,
    Report,
    ScheduledPost,
)
from .sidebar import group_events_for, upcoming_for


def _fail(request, exc: ServiceError):
    messages.error(request, exc.message)


def _back(request, fallback):
    target = request.POST.get("next") or ""
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(fallback)


def _group_or_404(request, slug):
    """The group, if the user may at least know it exists (hidden groups are 404 to outsiders)."""
    group = selectors.group_by_slug(slug)
    if group is None:
        raise Http404
    decision = access_check(user=request.user, resource=group.resource)
    if not decision.allowed and group.visibility == Visibility.HIDDEN:
        raise Http404
    return group, decision


def _post_or_404(request, pk) -> Post:
    post = Post.objects.select_related("group__resource", "author").filter(pk=pk).first()
    if post is None or post.status != "published" or not services.can_read(request.user, post.group):
        if post is not None and post.author_id == request.user.pk and post.status == "pending":
            return post
        raise Http404
    return post


def _page_posts(request, qs):
    page = paginate(request, qs, per_page=PAGE_SIZE)
    posts = selectors.annotate_viewer(list(page.object_list), request.user)
    return page, posts


COMMON = {
    "quote_backgrounds": [(key, label, classes) for key, (label, classes) in QUOTE_BACKGROUNDS.items()],
    "provinces": PROVINCES,
}


def _province(request) -> str:
    """The `?provinsi=` filter: one of the project's provinces, else none."""
    value = request.GET.get("provinsi", "")
    return value if value in PROVINCES else ""


def _cursor(request, name: str) -> int | None:
    raw = request.GET.get(name, "")
    return int(raw) if raw.isdigit() and len(raw) < 18 else None


@login_required
@require_GET
def feed(request):
    """The home feed: cursor pages (`?sebelum=<post id>`, loaded by infinite scroll with HTMX) and, for the live
    feed, the posts newer than the newest shown (`?setelah=<post id>`, polled every few seconds)."""
    groups = selectors.groups_with_access(request.user)
    mine = [g for g, member in groups if member]
    qs = selectors.home_feed(request.user, group_ids=[g.pk for g in mine]).order_by("-id")
    province = _province(request)
    if province:
        qs = qs.filter(location_province=province)
    after, before = _cursor(request, "setelah"), _cursor(request, "sebelum")
    if request.htmx and after is not None:
        posts = list(qs.filter(id__gt=after)[:PAGE_SIZE])
        selectors.annotate_viewer(posts, request.user)
        return render(
            request, "community/_feed_new.html", {**COMMON, "posts": posts, "newest": posts[0].pk if posts else after}
        )
    if before is not None:
        qs = qs.filter(id__lt=before)
    posts = list(qs[: PAGE_SIZE + 1])
    next_before = posts[PAGE_SIZE - 1].pk if len(posts) > PAGE_SIZE else None
    posts = selectors.annotate_viewer(posts[:PAGE_SIZE], request.user)
    ctx = {**COMMON, "posts": posts, "next_before": next_before, "province": province}
    if request.htmx:
        return render(request, "community/_feed_page.html", ctx)
    services.daily_visit(user=request.user)
    services.profile_ensure(request.user)
    premium = services.is_premium(request.user)  # asked once: it is one query, and the groups are many
    postable = services.postable_groups(request.user, mine, premium=premium)
    ctx.update(
        newest=posts[0].pk if posts else 0,
        my_groups=mine,
        postable_groups=postable,
        leaders=engagement.leaders_cached(limit=5),
        upcoming=upcoming_for(request.user),
        my_courses=engagement.my_courses(request.user),
        online_members=engagement.online_members(request.user),
        popular_mentors=engagement.popular_mentors(),
        member_of_week=engagement.member_of_week(),
        story_bar=stories.story_bar(request.user, group_ids=[g.pk for g in mine]),
        can_story=premium,
        scheduled_count=scheduled.scheduled_for(request.user).filter(status="scheduled").count(),
    )
    return render(request, "community/feed.html", ctx)


@login_required
@require_GET
def groups(request):
    page = paginate(request, selectors.groups_with_access(request.user), per_page=PAGE_SIZE)
    return render(request, "community/groups.html", {"rows": page.object_list, "page_obj": page})


@login_required
@require_GET
def group(request, slug):
    group, decision = _group_or_404(request, slug)
    readable = services.can_read(request.user, group, decision)
    row = services.member_row(request.user, group)
    allowed = services.allowed_permissions(request.user, group, row=row, decision=decision)
    tab = request.GET.get("tab") or "feed"
    ctx = {
        **COMMON,
        "group": group,
        "decision": decision,
        "is_member": decision.allowed,
        "readable": readable,
        "row": row,
        "group_source": services.group_source(group),
        "tab": tab,
        "can_moderate": "moderate" in allowed,
        "can_invite": "invite" in allowed,
        "can_manage": services.can_manage(request.user, group),
        "can_post": services.may_post(allowed, premium=services.is_premium(request.user)),
        "can_upload": "upload" in allowed,
        "can_chat": "chat" in allowed,
        "can_event": "event" in allowed and features_of(group)["event"],
    }
    ctx["composer_event"] = ctx["can_event"] and event_posts.event_posts_available()
    course = selectors.group_course(group) if readable else None
    ctx["group_course"] = course
    if not readable and tab not in ("tentang",):
        ctx["tab"] = "tentang"
    elif tab == "anggota":
        page = paginate(request, selectors.group_members(group), per_page=30)
        ctx.update(page_obj=page, members=page.object_list)
    elif tab == "peringkat":
        period = request.GET.get("periode") if request.GET.get("periode") in ("week", "month", "all") else "week"
        ctx.update(leaders=selectors.leaderboard(period, group=group), period=period)
    elif tab == "pengumuman":
        page, posts = _page_posts(
            request,
            selectors.group_feed(group).filter(is_announcement=True)
            | selectors.group_feed(group).filter(is_pinned=True),
        )
        ctx.update(page_obj=page, posts=posts)
    elif tab == "feed":
        qs = selectors.group_feed(group)
        province = _province(request)
        if province:
            qs = qs.filter(location_province=province)
        page, posts = _page_posts(request, qs)
        ctx.update(page_obj=page, posts=posts, province=province)
    elif tab == "berkas":
        if not decision.allowed:
            ctx["files_locked"] = True
        else:
            page = paginate(request, selectors.group_files(group), per_page=PAGE_SIZE)
            files = list(page.object_list)
            for item in files:
                item.link = reverse("community:file_serve", args=[services.group_file_token(request.user, item)])
            ctx.update(page_obj=page, files=files, file_max_mb=settings.COMMUNITY_GROUP_FILE_MAX_BYTES // 2**20)
    elif tab == "progres" and course is not None:
        see_all = selectors.course_progress_viewer_all(request.user, group, course, moderator="moderate" in allowed)
        members = selectors.group_members(group)
        if not see_all:
            members = members.filter(user=request.user)
        page = paginate(request, members, per_page=30)
        ctx.update(
            page_obj=page,
            progress_rows=selectors.course_progress_rows(course, page.object_list),
            progress_all=see_all,
        )
    elif tab == "tantangan":
        ctx.update(views_challenges.tab_context(request, group, staff="challenge" in allowed))
    elif tab == "kursus":
        courses, products = selectors.group_courses_and_products(group)
        ctx.update(courses=courses, products=products)
    elif tab == "acara":
        number = request.GET.get("hal") or "1"
        number = int(number) if number.isdigit() and len(number) < 6 and int(number) > 0 else 1
        rows = group_events_for(group, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE + 1)
        ctx.update(
            events=rows[:PAGE_SIZE], events_page=number, events_next=number + 1 if len(rows) > PAGE_SIZE else None
        )
    return render(request, "community/group.html", ctx)


@login_required
@require_POST
def group_file_upload(request, slug):
    group, _decision = _group_or_404(request, slug)
    try:
        services.group_file_upload(
            user=request.user,
            group=group,
            upload=request.FILES.get("file"),
            title=request.POST.get("title", ""),
            ip=client_ip(request),
        )
        messages.success(request, _("Berkas diunggah."))
    except ServiceError as exc:
        _fail(request, exc)
    return redirect(f"{reverse('community:group', args=[group.slug])}?tab=berkas")


@login_required
@require_POST
def group_file_remove(request, pk):
    item = get_object_or_404(GroupFile.objects.select_related("group__resource"), pk=pk)
    _group_or_404(request, item.group.slug)
    try:
        services.group_file_remove(actor=request.user, item=item)
        messages.success(request, _("Berkas dihapus."))
    except ServiceError as exc:
        _fail(request, exc)
    return redirect(f"{reverse('community:group', args=[item.group.slug])}?tab=berkas")


@login_required
@require_GET
def file_serve(request, token):
    """A group file through its signed link: only for the member it was made for, still in the group."""
    try:
        item = services.group_file_open(user=request.user, token=token)
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        return render(request, "community/file_refused.html", {"message": exc.message}, status=403)
    return group_file_response(item)


def group_file_response(item: GroupFile):
    """The file as a private download (the page and the API, after `services.group_file_open` passed)."""
    response = private_file_response(item.file, filename=item.original_name or f"berkas.{item.extension}")
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def group_join(request, slug):
    group, _decision = _group_or_404(request, slug)
    try:
        row = services.group_join(user=request.user, group=group)
    except ServiceError as exc:
        _fail(request, exc)
    else:
        if row.status == "pending":
            messages.success(request, _("Permintaan bergabung terkirim. Moderator akan meninjaunya."))
        else:
            messages.success(request, _("Anda sudah bergabung ke grup %(g)s.") % {"g": group.name})
    return redirect("community:group", slug=group.slug)


@login_required
@require_POST
def group_leave(request, slug):
    group, _decision = _group_or_404(request, slug)
    try:
        services.group_leave(user=request.user, group=group)
        messages.success(request, _("Anda keluar dari grup."))
    except ServiceError as exc:
        _fail(request, exc)
    return redirect("community:group", slug=group.slug)


@login_required
@require_POST
def group_notify(request, slug):
    group, decision = _group_or_404(request, slug)
    if not decision.allowed:
        raise PermissionDenied
    try:
        row = services.group_notify_toggle(user=request.user, group=group, on=request.POST.get("on") == "1")
        messages.success(
            request, _("Anda mengikuti notifikasi grup.") if row.notify_posts else _("Anda berhenti mengikuti grup.")
        )
    except ServiceError as exc:
        _fail(request, exc)
    return redirect("community:group", slug=group.slug)


@login_required
@require_POST
def group_invite(request, slug):
    group, _decision = _group_or_404(request, slug)
    username = (request.POST.get("username") or "").strip().lstrip("@").lower()[:30].replace("\x00", "")
    profile = selectors.profile_by_username(username) if username else None
    try:
        if profile is None:
            raise ServiceError(_("Username @%(u)s tidak ditemukan.") % {"u": username or "-"})
        services.invitation_create(actor=request.user, group=group, invitee=profile.user, ip=client_ip(request))
        messages.success(request, _("Undangan terkirim ke %(n)s.") % {"n": profile.user.full_name})
    except ServiceError as exc:
        _fail(request, exc)
    return redirect(f"{reverse('community:group', args=[group.slug])}?tab=anggota")


@login_required
@require_POST
def group_chat(request, slug):
    """Opens the group chat (a member) or, with `action=on|off`, switches it (a moderator)."""
    group, decision = _group_or_404(request, slug)
    action = request.POST.get("action")
    try:
        if action in ("on", "off"):
            services.group_chat_set(actor=request.user, group=group, enabled=action == "on")
            messages.success(
                request, _("Obrolan grup dinyalakan.") if group.chat_enabled else _("Obrolan grup dimatikan.")
            )
            return redirect("community:group", slug=group.slug)
        conversation = services.group_chat_open(user=request.user, group=group)
    except ServiceError as exc:
        _fail(request, exc)
        return redirect("community:group", slug=group.slug)
    return redirect("chat:conversation", pk=conversation.pk)


@login_required
def group_settings(request, slug):
    """The group's permissions matrix: which roles may post, comment, upload, create events, use the group chat,
    invite and moderate. Its owner and admins (and site admins) edit it; the owner may always do everything."""
    group, _decision = _group_or_404(request, slug)
    if not services.can_manage(request.user, group):
        raise PermissionDenied
    if request.method == "POST":
        try:
            if request.POST.get("action") == "images":
                services.group_images_set(
                    actor=request.user,
                    group=group,
                    cover=request.FILES.get("cover"),
                    avatar=request.FILES.get("avatar"),
                    remove_cover=request.POST.get("remove_cover") == "1",
                    remove_avatar=request.POST.get("remove_avatar") == "1",
                )
                messages.success(request, _("Sampul dan avatar grup disimpan."))
            else:
                matrix = {p: request.POST.getlist(f"perm_{p}") for p in GroupPermission.values}
                services.group_permissions_update(actor=request.user, group=group, permissions=matrix)
                messages.success(request, _("Hak akses grup disimpan."))
            return redirect("community:group_settings", slug=group.slug)
        except ServiceError as exc:
            _fail(request, exc)
    matrix = services.permissions_of(group)
    roles = [(v, label) for v, label in MemberRole.choices if v in MATRIX_ROLES]
    rows = [
        (value, label, [(r, r in matrix[value]) for r, _label in roles]) for value, label in GroupPermission.choices
    ]
    return render(
        request,
        "community/group_settings.html",
        {
            "group": group,
            "roles": roles,
            "rows": rows,
            "max_mb": max(1, settings.COMMUNITY_GROUP_IMAGE_MAX_BYTES // (1024 * 1024)),
            "feature_rows": [(k, label, on) for (k, label), on in zip(FEATURES, features_of(group).values())],
        },
    )


@login_required
@require_GET
def invitations(request):
    page = paginate(request, selectors.invitations_for(request.user), per_page=PAGE_SIZE)
    return render(request, "community/invitations.html", {"page_obj": page, "invitations": page.object_list})


@login_required
@require_POST
def invitation_respond(request, pk, answer):
    invitation = get_object_or_404(GroupInvitation, pk=pk, invitee=request.user)
    accept = answer == "terima"
    try:
        services.invitation_respond(user=request.user, invitation=invitation, accept=accept)
    except ServiceError as exc:
        _fail(request, exc)
        return redirect("community:invitations")
    if accept:
        messages.success(request, _("Selamat bergabung di grup %(g)s.") % {"g": invitation.group.name})
        return redirect("community:group", slug=invitation.group.slug)
    messages.success(request, _("Undangan ditolak."))
    return redirect("community:invitations")


def _post_fields(request) -> dict:
    return {
        "body": request.POST.get("body", ""),
        "image": request.FILES.get("image"),
        "link_url": request.POST.get("link_url", ""),
        "poll": [o for o in request.POST.getlist("poll") if o.strip()],
        "is_announcement": request.POST.get("is_announcement") == "1",
        "body_html": request.POST.get("body_html") or None,
        "video_url": request.POST.get("video_url", ""),
        "document": request.FILES.get("document"),
        "background": request.POST.get("background", ""),
        "location_name": request.POST.get("location_name", ""),
        "location_city": request.POST.get("location_city", ""),
        "location_province": request.POST.get("location_province", ""),
        "media": request.FILES.get("media"),
    }


def _event_post_create(request, group, when: str):
    """The composer's "event" option: a real event of the group (events app) and the post announcing it."""
    fields = _post_fields(request)
    capacity = (request.POST.get("event_capacity") or "").strip()
    post = event_posts.event_post_from_composer(
        actor=request.user,
        group=group,
        event={
            "title": request.POST.get("event_title", ""),
            "starts_at": request.POST.get("event_starts_at", ""),
            "location_kind": request.POST.get("event_location_kind", ""),
            "meeting_url": request.POST.get("event_meeting_url", ""),
            "meeting_provider": request.POST.get("event_meeting_provider", ""),
            "meeting_passcode": request.POST.get("event_meeting_passcode", ""),
            "address": request.POST.get("event_address", ""),
            "capacity": int(capacity) if capacity.isdigit() and len(capacity) < 7 else (capacity or None),
        },
        body=fields["body_html"] or fields["body"],
        cover=request.FILES.get("event_cover"),
        **{name: fields[name] for name in EVENT_POST_EXCLUSIVE},
        scheduled_at=when,
    )
    if post.status == "pending":
        messages.info(request, _("Acara dibuat; postingannya menunggu persetujuan moderator."))
    else:
        messages.success(request, _("Acara dibuat dan diumumkan di feed grup."))
    return _back(request, f"/komunitas/grup/{group.slug}")


# what a post with the "event" option cannot carry as well (refused, never dropped)
EVENT_POST_EXCLUSIVE = ("poll", "image", "document", "media", "link_url", "video_url", "background", "location_name")


@login_required
@require_POST
def post_create(request, slug):
    """A new post, or (with `scheduled_at`) a post scheduled for later."""
    group, decision = _group_or_404(request, slug)
    when = (request.POST.get("scheduled_at") or "").strip()
    try:
        if request.POST.get("sticker") and (when or request.POST.get("event_on") == "1"):
            raise ServiceError(_("Stiker tidak bisa digabung dengan postingan terjadwal atau postingan acara."))
        if request.POST.get("event_on") == "1":
            return _event_post_create(request, group, when)
        if when:
            row = scheduled.scheduled_post_create(
                user=request.user, group=group, scheduled_at=when, ip=client_ip(request), **_post_fields(request)
            )
            messages.success(
                request,
                _("Postingan dijadwalkan terbit %(t)s WIB.")
                % {"t": timezone.localtime(row.scheduled_at).strftime("%d-%m-%Y %H:%M")},
            )
            return redirect("community:scheduled")
        post = services.post_create(
            user=request.user,
            group=group,
            ip=client_ip(request),
            sticker=request.POST.get("sticker") or None,
            **_post_fields(request),
        )
    except ServiceError as exc:
        _fail(request, exc)
    else:
        if post.status == "pending":
            messages.info(request, _("Postingan Anda menunggu persetujuan moderator."))
        else:
            messages.success(request, _("Postingan terbit."))
    return _back(request, f"/komunitas/grup/{group.slug}")


@login_required
@require_GET
def post_document(request, pk):
    """A post's document, to whoever may read the post (checked on every download). Never a public URL."""
    post = _post_or_404(request, pk)
    if not post.document or not post.document.storage.exists(post.document.name):
        raise Http404
    response = FileResponse(post.document.open("rb"), as_attachment=True, filename=post.document_name or "dokumen")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_GET
def post(request, pk):
    post = _post_or_404(request, pk)
    selectors.annotate_viewer([post], request.user)
    page = paginate(request, selectors.post_comments(post), per_page=30)
    comments = selectors.annotate_comments(list(page.object_list), request.user)
    decision = access_check(user=request.user, resource=post.group.resource)  # one decision and one row for both
    allowed = services.allowed_permissions(
        request.user, post.group, row=services.member_row(request.user, post.group), decision=decision
    )
    return render(
        request,
        "community/post.html",
        {
            **COMMON,
            "post": post,
            "last_comment_id": selectors.last_comment_id(post),
            "page_obj": page,
            "comments": comments,
            "can_moderate": "moderate" in allowed,
            "can_edit": engagement.can_edit(request.user, post, moderator="moderate" in allowed),
            "is_member": decision.allowed,
            "categories": ReportCategory.choices,
        },
    )


@login_required
@require_GET
def comments_since(request, pk):
    """The comments of a post newer than `?setelah=<comment id>` (oldest first, at most one page), as fragments the
    post page inserts live (on a websocket event, or polled when the socket is down). Same access as the post."""
    post = _post_or_404(request, pk)
    after = _cursor(request, "setelah") or 0
    comments = selectors.annotate_comments(selectors.comments_after(post, after), request.user)
    return render(
        request,
        "community/_comments_new.html",
        {
            **COMMON,
            "post": post,
            "comments": comments,
            "can_moderate": services.can_moderate(request.user, post.group),
            "is_member": services.is_member(request.user, post.group),
        },
    )


def _post_action(request, pk, func, ok):
    post = _post_or_404(request, pk)
    try:
        func(post)
        if ok:
            messages.success(request, ok)
    except ServiceError as exc:
        _fail(request, exc)
    return _back(request, f"/komunitas/post/{post.pk}")


@login_required
@require_POST
def comment_create(request, pk):
    parent_id = request.POST.get("parent") or ""
    parent = Comment.objects.filter(pk=int(parent_id)).first() if parent_id.isdigit() else None
    return _post_action(
        request,
        pk,
        lambda p: services.comment_create(
            user=request.user,
            post=p,
            body=request.POST.get("body", ""),
            parent=parent,
            ip=client_ip(request),
            sticker=request.POST.get("sticker") or None,
        ),
        _("Komentar terkirim."),
    )


@login_required
@require_POST
def react(request, pk):
    kind = request.POST.get("type", "")
    comment_id = request.POST.get("comment") or ""

    def run(p):
        comment = Comment.objects.filter(pk=int(comment_id), post=p).first() if comment_id.isdigit() else None
        if comment_id and comment is None:
            raise ServiceError(_("Komentar tidak ditemukan."))
        services.reaction_toggle(user=request.user, post=p, type=kind, comment=comment, ip=client_ip(request))

    return _post_action(request, pk, run, "")


@login_required
@require_POST
def vote(request, pk):
    option = request.POST.get("option") or ""
    return _post_action(
        request,
        pk,
        lambda p: services.poll_vote(user=request.user, post=p, option_id=int(option) if option.isdigit() else option),
        _("Pilihan Anda tercatat."),
    )


@login_required
@require_POST
def save(request, pk):
    return _post_action(request, pk, lambda p: services.post_save_toggle(user=request.user, post=p), "")


@login_required
@require_POST
def report(request, pk):
    comment_id = request.POST.get("comment") or ""
    kind, target = ("comment", int(comment_id)) if comment_id.isdigit() else ("post", pk)
    return _post_action(
        request,
        pk,
        lambda p: services.report_create(
            user=request.user,
            kind=kind,
            target_id=target,
            reason=request.POST.get("reason", ""),
            category=request.POST.get("category") or "other",
            ip=client_ip(request),
        ),
        _("Laporan terkirim. Terima kasih telah menjaga komunitas."),
    )


@login_required
@require_POST
def pin(request, pk):
    return _post_action(
        request, pk, lambda p: services.post_pin(actor=request.user, post=p, pinned=not p.is_pinned), _("Disimpan.")
    )


@login_required
@require_POST
def comments_toggle(request, pk):
    return _post_action(
        request,
        pk,
        lambda p: services.post_comments_toggle(actor=request.user, post=p, enabled=not p.comments_enabled),
        _("Pengaturan komentar disimpan."),
    )


@login_required
@require_POST
def post_remove(request, pk):
    post = _post_or_404(request, pk)
    try:
        services.post_remove(actor=request.user, post=post)
        messages.success(request, _("Postingan dihapus."))
    except ServiceError as exc:
        _fail(request, exc)
        return redirect("community:post", pk=post.pk)
    return redirect("community:group", slug=post.group.slug)


@login_required
@require_POST
def comment_remove(request, pk):
    comment = get_object_or_404(Comment.objects.select_related("post__group"), pk=pk)
    _post_or_404(request, comment.post_id)
    try:
        services.comment_remove(actor=request.user, comment=comment)
        messages.success(request, _("Komentar dihapus."))
    except ServiceError as exc:
        _fail(request, exc)
    return redirect("community:post", pk=comment.post_id)


@login_required
@require_GET
def saved(request):
    page, posts = _page_posts(request, selectors.saved_posts(request.user))
    return render(request, "community/saved.html", {**COMMON, "page_obj": page, "posts": posts})


# --- moderation -------------------------------------------------------------------------------------------------


def _moderated_ids(request):
    """None (all groups) for admins; the groups the user moderates otherwise (403 when none)."""
    if request.user.has_role(Role.ADMIN):
        return None
    ids = selectors.moderated_group_ids(request.user)
    if not ids:
        raise PermissionDenied
    return ids


def _queue(request, ids, group=None):
    return render(
        request,
        "community/moderation.html",
        {
            "group": group,
            "pending_posts": list(selectors.pending_posts(ids)[:50]),
            "requests": list(selectors.pending_requests(ids)[:50]),
            "reports": list(selectors.open_reports(ids)[:50]),
            "restricted": list(selectors.restricted_members(ids)[:50]),
            "roles": MemberRole.choices,
        },
    )


@login_required
@require_GET
def moderation(request):
    return _queue(request, _moderated_ids(request))


@login_required
@require_GET
def group_moderation(request, slug):
    group, _decision = _group_or_404(request, slug)
    if not services.can_moderate(request.user, group):
        raise PermissionDenied
    return _queue(request, [group.pk], group)


@login_required
@require_POST
def moderate_post(request, pk):
    post = get_object_or_404(Post.objects.select_related("group"), pk=pk)
    try:
        services.post_moderate(
            actor=request.user,
            post=post,
            approve=request.POST.get("decision") == "approve",
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("Keputusan moderasi disimpan."))
    except ServiceError as exc:
        _fail(request, exc)
    return _back(request, "/komunitas/moderasi")


@login_required
@require_POST
def moderate_report(request, pk):
    report = get_object_or_404(Report.objects.select_related("group", "post", "comment", "target_user"), pk=pk)
    try:
        services.report_handle(
            actor=request.user, report=report, action=request.POST.get("action", ""), note=request.POST.get("note", "")
        )
        messages.success(request, _("Laporan ditangani."))
    except ServiceError as exc:
        _fail(request, exc)
    return _back(request, "/komunitas/moderasi")


@login_required
@require_POST
def moderate_member(request, pk):
    member = get_object_or_404(GroupMember.objects.select_related("group", "user"), pk=pk)
    action = request.POST.get("action", "")
    try:
        if action == "approve":
            services.member_approve(actor=request.user, member=member)
        elif action == "decline":
            services.member_decline(actor=request.user, member=member)
        elif action == "unban":
            services.member_unban(actor=request.user, member=member)
        elif action == "ban":
            services.member_ban(actor=request.user, group=member.group, user=member.user)
        elif action == "mute":
            services.member_mute(actor=request.user, group=member.group, user=member.user, hours=24)
        elif action == "role":
            services.member_set_role(actor=request.user, member=member, role=request.POST.get("role", ""))
        else:
            raise ServiceError(_("Tindakan tidak dikenal."))
        messages.success(request, _("Perubahan anggota disimpan."))
    except ServiceError as exc:
        _fail(request, exc)
    return _back(request, f"/komunitas/grup/{member.group.slug}/moderasi")


# --- profiles, follow, directory, leaderboard -------------------------------------------------------------------


@login_required
@require_GET
def profile(request, username):
    profile = selectors.profile_by_username(username)
    if profile is None:
        raise Http404
    person = profile.user
    readable = selectors.readable_group_ids(request.user)
    posts = list(selectors.posts_qs().filter(author=person, group_id__in=readable).order_by("-created_at")[:10])
    followers, following = selectors.follow_counts(person)
    points = services.points_total(person.pk)
    return render(
        request,
        "community/profile.html",
        {
            "profile": profile,
            "person": person,
            "posts": posts,
            "followers": followers,
            "following": following,
            "is_following": person.follower_rows.filter(follower=request.user).exists(),
            "points": points,
            "level": services.level_for(points),
            "level_name": gamification.level_name(points),
            "is_online": person.pk in engagement.online_ids([person.pk]),
            "social_links": engagement.social_links_of(profile),
            "has_blocked": engagement.has_blocked(request.user, person),
            # "Kirim pesan": shown when the chat rules let the viewer open or start a conversation with this person
            "can_message": person.pk != request.user.pk and chat_policy.entry(request.user, person)[1].allowed,
            "categories": ReportCategory.choices,
            "badges": list(person.badges.select_related("badge")),
            "groups": [
                g for g, member in selectors.groups_with_access(person) if member and g.visibility == Visibility.PUBLIC
            ][:10],
        },
    )


@login_required
@require_POST
def follow_toggle(request, username):
    profile = selectors.profile_by_username(username)
    if profile is None:
        raise Http404
    try:
        if request.POST.get("unfollow") == "1":
            services.unfollow(user=request.user, target=profile.user)
            messages.success(request, _("Berhenti mengikuti."))
        else:
            services.follow(user=request.user, target=profile.user, ip=client_ip(request))
            messages.success(request, _("Anda mengikuti %(n)s.") % {"n": profile.user.full_name})
    except ServiceError as exc:
        _fail(request, exc)
    return redirect("community:profile", username=profile.username)


@login_required
def my_profile(request):
    profile = services.profile_ensure(request.user)
    if request.method == "POST":
        try:
            services.profile_update(
                user=request.user,
                data={
                    "username": request.POST.get("username", ""),
                    "headline": request.POST.get("headline", ""),
                    "website": request.POST.get("website", ""),
                    "show_in_directory": request.POST.get("show_in_directory") == "1",
                },
            )
            messages.success(request, _("Profil komunitas disimpan."))
            return redirect("community:my_profile")
        except ServiceError as exc:
            _fail(request, exc)
    return render(
        request,
        "community/my_profile.html",
        {
            "profile": profile,
            "values": request.POST or None,
            "social_fields": [
                (key, label, (profile.social_links or {}).get(key, "")) for key, (label, _d) in SOCIAL_NETWORKS.items()
            ],
        },
    )


@login_required
@require_GET
def leaderboard(request):
    period = request.GET.get("periode") if request.GET.get("periode") in ("week", "month", "all") else "week"
    points = services.points_total(request.user.pk)
    return render(
        request,
        "community/leaderboard.html",
        {
            "leaders": selectors.leaderboard(period, limit=50),
            "period": period,
            "points": points,
            "level": services.level_for(points),
            "badges": Badge.objects.all(),
        },
    )


# --- admin: gamification (badges, awards, points adjustments through the ledger) -----------------------------------


def _person(value: str):
    """A member by @username or email (what an admin types)."""
    value = (value or "").strip().replace("\x00", "")[:254]
    if not value:
        return None
    if "@" in value[1:]:
        return User.objects.filter(email__iexact=value, is_active=True).first()
    profile = selectors.profile_by_username(value.lstrip("@").lower())
    return profile.user if profile is not None and profile.user.is_active else None


def _small_int(raw):
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 10 else (raw or None)


@role_required(Role.ADMIN)
def admin_gamification(request):
    tabs = ("lencana", "poin", "aturan", "level", "member-minggu", "tantangan", "kuis")
    tab = request.GET.get("tab") if request.GET.get("tab") in tabs else "lencana"
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "badge":
                badge = Badge.objects.filter(pk=request.POST.get("badge_id") or 0).first()
                raw = (request.POST.get("points_required") or "").strip()
                badge = services.badge_save(
                    actor=request.user,
                    badge=badge,
                    data={
                        "name": request.POST.get("name", ""),
                        "slug": request.POST.get("slug", ""),
                        "description": request.POST.get("description", ""),
                        "points_required": int(raw) if raw.isdigit() and len(raw) < 10 else (raw or None),
                        "icon": request.POST.get("icon", ""),
                        "criteria": request.POST.get("criteria", ""),
                        "period": request.POST.get("period", ""),
                        "threshold": _small_int(request.POST.get("threshold")),
                        "is_active": request.POST.get("is_active") == "1",
                    },
                )
                if request.FILES.get("image") is not None or request.POST.get("remove_image") == "1":
                    services.badge_image_set(
                        actor=request.user,
                        badge=badge,
                        image=request.FILES.get("image"),
                        remove=request.POST.get("remove_image") == "1",
                    )
                messages.success(request, _("Lencana disimpan."))
            elif action in ("award", "revoke"):
                person = _person(request.POST.get("member", ""))
                badge = Badge.objects.filter(pk=request.POST.get("badge_id") or 0).first()
                if person is None or badge is None:
                    raise ServiceError(_("Member atau lencana tidak ditemukan."))
                if action == "award":
                    services.badge_award(actor=request.user, user=person, badge=badge)
                    messages.success(request, _("Lencana diberikan ke %(n)s.") % {"n": person.full_name})
                else:
                    services.badge_revoke(actor=request.user, user=person, badge=badge)
                    messages.success(request, _("Lencana dicabut dari %(n)s.") % {"n": person.full_name})
            elif action == "points":
                tab = "poin"
                person = _person(request.POST.get("member", ""))
                if person is None:
                    raise ServiceError(_("Member tidak ditemukan."))
                raw = (request.POST.get("points") or "").strip()
                points = int(raw) if raw.lstrip("-").isdigit() and len(raw) < 9 else raw
                services.points_adjust(
                    actor=request.user, user=person, points=points, note=request.POST.get("note", "")
                )
                messages.success(request, _("Poin %(n)s disesuaikan.") % {"n": person.full_name})
            elif action in GAMIFICATION_SETTINGS_ACTIONS:
                tab = _gamification_settings_post(request, action)
            else:
                raise ServiceError(_("Aksi tidak dikenal."))
        except ServiceError as exc:
            _fail(request, exc)
        return redirect(f"{reverse('community:admin_gamification')}?tab={tab}")
    badges = Badge.objects.annotate(holders_count=Count("holders")).order_by("points_required", "name")
    page = paginate(
        request,
        PointEntry.objects.filter(action="admin").select_related("user").order_by("-created_at", "-id"),
        per_page=30,
    )
    return render(
        request,
        "community/admin_gamification.html",
        {
            "tab": tab,
            "badges": badges,
            "badge_icons": BADGE_ICONS,
            "badge_criteria": BadgeCriteria.choices,
            "badge_periods": BadgePeriod.choices,
            "page_obj": page,
            "adjustments": page.object_list,
            **_gamification_settings_context(tab),
            **views_challenges.admin_tab_context(request, tab),
        },
    )


GAMIFICATION_SETTINGS_ACTIONS = ("rule", "level", "level_delete", "motw")


def _gamification_settings_post(request, action) -> str:
    """Points per action, levels and the member of the week (the admin page's other tabs); returns the tab."""
    if action == "rule":
        gamification.point_rule_save(
            actor=request.user,
            action=request.POST.get("rule_action", ""),
            points=request.POST.get("points", ""),
            daily_cap=request.POST.get("daily_cap") or 0,
        )
        messages.success(request, _("Poin per aksi disimpan."))
        return "aturan"
    if action == "level":
        gamification.level_save(
            actor=request.user, threshold=request.POST.get("threshold", ""), name=request.POST.get("name", "")
        )
        messages.success(request, _("Level disimpan."))
        return "level"
    if action == "level_delete":
        level = Level.objects.filter(pk=request.POST.get("level_id") or 0).first()
        if level is None:
            raise ServiceError(_("Level tidak ditemukan."))
        gamification.level_delete(actor=request.user, level=level)
        messages.success(request, _("Level dihapus."))
        return "level"
    person = _person(request.POST.get("member", ""))
    gamification.member_of_week_pick(actor=request.user, user=person)
    messages.success(request, _("Member minggu ini ditetapkan."))
    return "member-minggu"


def _gamification_settings_context(tab) -> dict:
    if tab == "aturan":
        rules = gamification.point_rules()
        return {
            "rules": [
                {"action": a, "label": PointAction(a).label, "points": rules[a][0], "cap": rules[a][1]}
                for a in gamification.RULE_ACTIONS
            ]
        }
    if tab == "level":
        rows = list(Level.objects.order_by("threshold"))
        shown = rows or [{"threshold": t, "name": n, "pk": None} for t, n in gamification.levels()]
        return {"levels": shown, "level_rows": rows}
    if tab == "member-minggu":
        top = gamification.week_top(gamification.week_start())
        person = User.objects.filter(pk=top["user_id"]).first() if top else None
        return {
            "weeks": MemberOfWeek.objects.select_related("user")[:20],
            "week_top": {"name": person.full_name, "points": top["points"]} if person else None,
        }
    return {}


# --- admin: groups and keyword rules ------------------------------------------------------------------------------


@role_required(Role.ADMIN)
@require_GET
def admin_groups(request):
    page = paginate(request, Group.objects.select_related("owner").order_by("name"), per_page=30)
    return render(
        request,
        "community/admin_groups.html",
        {
            "page_obj": page,
            "rows": page.object_list,
            "rules": KeywordRule.objects.select_related("group")[:200],
            "actions": KeywordAction.choices,
        },
    )


@role_required(Role.ADMIN)
def admin_group_form(request, slug=None):
    group = get_object_or_404(Group, slug=slug) if slug else None
    if request.method == "POST":
        data = {
            "name": request.POST.get("name", ""),
            "slug": request.POST.get("slug", ""),
            "description": request.POST.get("description", ""),
            "rules": request.POST.get("rules", ""),
            "visibility": request.POST.get("visibility", ""),
            "status": request.POST.get("status", ""),
            **{
                f: request.POST.get(f) == "1"
                for f in ("require_approval", "members_can_post", "allow_polls", "allow_images")
            },
        }
        try:
            if group is None:
                group = services.group_create(actor=request.user, data=data)
            else:
                services.group_update(actor=request.user, group=group, data=data)
            messages.success(request, _("Grup disimpan."))
            return redirect("community:admin_groups")
        except ServiceError as exc:
            _fail(request, exc)
    return render(
        request,
        "community/admin_group_form.html",
        {"group": group, "visibilities": Visibility.choices, "values": request.POST or None},
    )


@role_required(Role.ADMIN)
@require_POST
def admin_keyword(request):
    try:
        if request.POST.get("delete"):
            rule = get_object_or_404(KeywordRule, pk=request.POST.get("delete"))
            services.keyword_rule_delete(actor=request.user, rule=rule)
        else:
            services.keyword_rule_save(
                actor=request.user, phrase=request.POST.get("phrase", ""), action=request.POST.get("action", "")
            )
        messages.success(request, _("Filter kata disimpan."))
    except ServiceError as exc:
        _fail(request, exc)
    return redirect("community:admin_groups")


# --- scheduled posts, audio / video, stories ---------------------------------------------------------------------


@login_required
@require_GET
def scheduled_list(request):
    """The author's scheduled posts (waiting, soonest first) and those that could not be published."""
    page = paginate(request, scheduled.scheduled_for(request.user), per_page=PAGE_SIZE)
    return render(request, "community/scheduled.html", {"page_obj": page, "rows": page.object_list})


def _scheduled_row(request, pk) -> ScheduledPost:
    return get_object_or_404(ScheduledPost.objects.select_related("group"), pk=pk, author=request.user)


@login_required
def scheduled_edit(request, pk):
    row = _scheduled_row(request, pk)
    error = None
    if request.method == "POST":
        try:
            scheduled.scheduled_post_update(
                actor=request.user,
                row=row,
                body=request.POST.get("body", ""),
                scheduled_at=request.POST.get("scheduled_at", ""),
            )
        except ServiceError as exc:
            error = exc
        else:
            messages.success(request, _("Postingan terjadwal diperbarui."))
            return redirect("community:scheduled")
    return render(
        request,
        "community/scheduled_edit.html",
        {"row": row, "error": error, "local_time": timezone.localtime(row.scheduled_at).strftime("%Y-%m-%dT%H:%M")},
        status=400 if error else 200,
    )


@login_required
@require_POST
def scheduled_cancel(request, pk):
    row = _scheduled_row(request, pk)
    try:
        scheduled.scheduled_post_cancel(actor=request.user, row=row)
        messages.success(request, _("Postingan terjadwal dibatalkan."))
    except ServiceError as exc:
        _fail(request, exc)
    return redirect("community:scheduled")


def _ranged(request, fieldfile, size: int, content_type: str):
    """The whole file (200) or the requested byte range (206) with Accept-Ranges, the way learning streams private
    lesson videos; 416 past the end."""
    try:
        wanted = parse_range(request.headers.get("Range"), size)
    except RangeNotSatisfiable:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return response
    start, end = wanted if wanted is not None else (0, size - 1)
    handle = fieldfile.storage.open(fieldfile.name, "rb")
    response = StreamingHttpResponse(
        read_chunks(handle, start, end), status=206 if wanted else 200, content_type=content_type
    )
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    if wanted:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _refusal(exc: ServiceError):
    status = 404 if isinstance(exc, NotFound) else 403
    return HttpResponse(exc.message, status=status, content_type="text/plain; charset=utf-8")


@require_GET
def media_stream(request, token):
    """A post's audio / video through its signed link (account and group access checked again)."""
    try:
        item = media.media_open(user=request.user, token=token, can_read=services.can_read)
    except ServiceError as exc:
        return _refusal(exc)
    return _ranged(request, item.file, item.size, item.content_type)


def _signed_image(request, token, opener):
    try:
        image = opener(user=request.user, token=token, can_read=services.can_read)
    except ServiceError as exc:
        return _refusal(exc)
    return private_file_response(image, as_attachment=False, content_type=_image_type(image.name))


@require_GET
def post_photo(request, token):
    """A post's photo through its signed link (account and group access checked again on every request)."""
    return _signed_image(request, token, media.photo_open)


@require_GET
def preview_image(request, token):
    """The link-preview image shown on a post, through a signed link bound to that post (same checks)."""
    return _signed_image(request, token, media.preview_image_open)


@require_GET
def story_photo(request, token):
    try:
        story = stories.photo_open(user=request.user, token=token)
    except ServiceError as exc:
        return _refusal(exc)
    response = private_file_response(story.image, as_attachment=False, content_type=_image_type(story.image.name))
    return response


def _image_type(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower()
    return {"png": "image/png", "webp": "image/webp"}.get(extension, "image/jpeg")


@login_required
def story_create(request):
    """The story form (a page, not a popup): a photo with a caption, or a short text on a colour; for the member's
    followers or one of their groups."""
    groups = [g for g, member in selectors.groups_with_access(request.user) if member]
    error = None
    if request.method == "POST":
        slug = request.POST.get("group") or ""
        group = next((g for g in groups if g.slug == slug), None)
        try:
            if slug and group is None:
                raise ServiceError(_("Pilih grup tempat Anda menjadi anggota."))
            stories.story_create(
                user=request.user,
                image=request.FILES.get("image"),
                text=request.POST.get("text", ""),
                background=request.POST.get("background", ""),
                group=group,
                ip=client_ip(request),
            )
        except ServiceError as exc:
            error = exc
        else:
            messages.success(request, _("Story terbit selama 24 jam."))
            return redirect("community:feed")
    return render(
        request,
        "community/story_form.html",
        {**COMMON, "groups": groups, "error": error, "can_story": services.is_premium(request.user)},
        status=400 if error else 200,
    )


@login_required
@require_GET
def story(request, pk):
    """One story, full size, with the author's other active stories to step through; opening it marks it seen."""
    try:
        item = stories.story_get(request.user, pk)
    except ServiceError:
        raise Http404 from None
    stories.story_view(user=request.user, story=item)
    siblings = list(stories.stories_visible(request.user).filter(author_id=item.author_id)[:50])
    siblings.reverse()  # oldest first
    ids = [s.pk for s in siblings]
    index = ids.index(item.pk) if item.pk in ids else 0
    own = item.author_id == request.user.pk
    return render(
        request,
        "community/story.html",
        {
            "story": item,
            "photo": stories.photo_link(user=request.user, story=item) if item.image else "",
            "background": QUOTE_BACKGROUNDS.get(item.background, ("", ""))[1],
            "previous": ids[index - 1] if index > 0 else None,
            "next": ids[index + 1] if index + 1 < len(ids) else None,
            "position": index + 1,
            "total": len(ids),
            "own": own,
            "viewers": stories.story_viewers(item) if own else [],
        },
    )


@login_required
@require_POST
def story_delete(request, pk):
    try:
        item = stories.story_get(request.user, pk)
        stories.story_delete(actor=request.user, story=item)
        messages.success(request, _("Story dihapus."))
    except ServiceError as exc:
        _fail(request, exc)
    return redirect("community:feed")
