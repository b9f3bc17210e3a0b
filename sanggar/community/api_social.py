"""Community API added for issue 13 (a second router of the app, listed in `api.API_ROUTERS`): editing a post and
its history, the profile's cover and social links, blocking a member, the feed's sidebars, and the admin's
gamification settings (points per action, levels, member of the week) and community statistics."""

from ninja import File, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from sanggar.api.auth import jwt_auth
from sanggar.api.idempotency import idempotent
from sanggar.core.exceptions import NotAllowed, NotFound, ServiceError
from sanggar.core.roles import Role

from . import activity, engagement, gamification, selectors, services
from .api import _ERRORS, _profile, api_social_post
from .constants import PointAction
from .models import Level
from .schemas import (
    BlockOut,
    CommunityStatsOut,
    LevelIn,
    LevelListOut,
    LevelOut,
    MemberOfWeekIn,
    MemberOfWeekOut,
    PointRuleIn,
    PointRuleListOut,
    PointRuleOut,
    PostRevisionListOut,
    ProfileExtrasOut,
    SidebarOut,
    SocialLinksIn,
    StatsIn,
)
from .sidebar import stats_blocks, upcoming_for

router = Router(tags=["komunitas"])


def _require_admin(user) -> None:
    if not user.has_role(Role.ADMIN):
        raise NotAllowed("Hanya admin yang dapat membuka ini.")


@router.get(
    "/posts/{post_id}/revisions",
    response={200: PostRevisionListOut, **_ERRORS},
    auth=jwt_auth,
    summary="Riwayat suntingan postingan",
)
def post_revisions(request, post_id: int):
    post = api_social_post(request, post_id)
    if post.author_id != request.auth.pk and not services.can_moderate(request.auth, post.group):
        raise NotAllowed("Riwayat suntingan hanya untuk penulis dan moderator.")
    return {
        "results": [
            {
                "id": r.pk,
                "body": r.body,
                "body_html": r.body_html,
                "editor": r.editor.full_name if r.editor else None,
                "created_at": r.created_at,
            }
            for r in engagement.post_revisions(post)
        ]
    }


def _extras(request, profile) -> dict:
    return {
        "username": profile.username,
        "cover_url": request.build_absolute_uri(profile.cover.url) if profile.cover else None,
        "social_links": dict(profile.social_links or {}),
    }


@router.put(
    "/me/community-profile/links",
    response={200: ProfileExtrasOut, **_ERRORS},
    auth=jwt_auth,
    summary="Media sosial profil",
)
@idempotent
def profile_links(request, payload: SocialLinksIn):
    return _extras(request, engagement.profile_links_update(user=request.auth, links=payload.links))


@router.post(
    "/me/community-profile/cover",
    response={200: ProfileExtrasOut, **_ERRORS},
    auth=jwt_auth,
    summary="Unggah sampul profil",
    description="Multipart `cover` (PNG/JPEG/WebP, diperiksa dari isi, `COMMUNITY_PROFILE_COVER_MAX_BYTES`).",
)
@idempotent
def profile_cover(request, cover: File[UploadedFile]):
    return _extras(request, engagement.profile_cover_set(user=request.auth, cover=cover))


@router.delete(
    "/me/community-profile/cover", response={200: ProfileExtrasOut, **_ERRORS}, auth=jwt_auth, summary="Hapus sampul"
)
def profile_cover_remove(request):
    return _extras(request, engagement.profile_cover_set(user=request.auth, remove=True))


@router.post("/users/{username}/block", response={200: BlockOut, **_ERRORS}, auth=jwt_auth, summary="Blokir member")
@idempotent
def block(request, username: str):
    engagement.member_block(user=request.auth, target=_profile(request, username).user)
    return {"blocked": True}


@router.delete(
    "/users/{username}/block", response={200: BlockOut, **_ERRORS}, auth=jwt_auth, summary="Buka blokir member"
)
def unblock(request, username: str):
    engagement.member_unblock(user=request.auth, target=_profile(request, username).user)
    return {"blocked": False}


@router.get("/community/sidebar", response={200: SidebarOut, **_ERRORS}, auth=jwt_auth, summary="Sidebar feed")
def sidebar(request):
    """What the feed's sidebars show: my groups, courses and upcoming events; members online now, the week's
    leaderboard, popular mentors and the member of the week."""
    user = request.auth
    mine = [g for g, member in selectors.groups_with_access(user) if member][:20]
    motw = engagement.member_of_week()
    return {
        "my_groups": [{"slug": g.slug, "name": g.name} for g in mine],
        "my_courses": engagement.my_courses(user),
        "upcoming_events": [
            {"title": e["title"], "starts_at": e["starts_at"], "url": request.build_absolute_uri(e["url"])}
            for e in upcoming_for(user)
        ],
        "online_members": engagement.online_members(user),
        "leaderboard": engagement.leaders_cached(limit=5),
        "popular_mentors": engagement.popular_mentors(),
        "member_of_week": {**motw, "week_start": motw["week_start"].isoformat()} if motw else None,
    }


@router.get("/member-of-week", response={200: MemberOfWeekOut, **_ERRORS}, auth=jwt_auth, summary="Member minggu ini")
def member_of_week(request):
    motw = engagement.member_of_week()
    if not motw:
        raise NotFound("Belum ada member minggu ini.")
    return {**motw, "week_start": motw["week_start"].isoformat()}


# --- admin: gamification settings and statistics ----------------------------------------------------------------


def _rules() -> dict:
    rules = gamification.point_rules()
    return {
        "results": [
            {"action": a, "label": str(PointAction(a).label), "points": rules[a][0], "daily_cap": rules[a][1]}
            for a in gamification.RULE_ACTIONS
        ]
    }


@router.get(
    "/admin/gamification/point-rules",
    response={200: PointRuleListOut, **_ERRORS},
    auth=jwt_auth,
    summary="Poin per aksi (admin)",
)
def point_rules(request):
    _require_admin(request.auth)
    return _rules()


@router.put(
    "/admin/gamification/point-rules/{action}",
    response={200: PointRuleOut, **_ERRORS},
    auth=jwt_auth,
    summary="Ubah poin per aksi (admin)",
)
@idempotent
def point_rule_save(request, action: str, payload: PointRuleIn):
    row = gamification.point_rule_save(
        actor=request.auth, action=action[:30], points=payload.points, daily_cap=payload.daily_cap
    )
    return {"action": row.action, "label": str(PointAction(row.action).label), "points": row.points,
            "daily_cap": row.daily_cap}  # fmt: skip


def _levels() -> dict:
    rows = list(Level.objects.order_by("threshold"))
    if rows:
        return {"results": [{"id": r.pk, "threshold": r.threshold, "name": r.name} for r in rows]}
    return {"results": [{"id": None, "threshold": t, "name": n} for t, n in gamification.levels()]}


@router.get(
    "/admin/gamification/levels", response={200: LevelListOut, **_ERRORS}, auth=jwt_auth, summary="Level (admin)"
)
def levels(request):
    _require_admin(request.auth)
    return _levels()


@router.post(
    "/admin/gamification/levels", response={201: LevelOut, **_ERRORS}, auth=jwt_auth, summary="Tambah level (admin)"
)
@idempotent
def level_create(request, payload: LevelIn):
    level = gamification.level_save(actor=request.auth, threshold=payload.threshold, name=payload.name)
    return Status(201, {"id": level.pk, "threshold": level.threshold, "name": level.name})


@router.delete(
    "/admin/gamification/levels/{level_id}", response={204: None, **_ERRORS}, auth=jwt_auth, summary="Hapus level"
)
def level_delete(request, level_id: int):
    _require_admin(request.auth)
    level = Level.objects.filter(pk=level_id).first()
    if level is None:
        raise NotFound("Level tidak ditemukan.")
    gamification.level_delete(actor=request.auth, level=level)
    return Status(204, None)


@router.post(
    "/admin/gamification/member-of-week",
    response={200: MemberOfWeekOut, **_ERRORS},
    auth=jwt_auth,
    summary="Tetapkan member minggu ini (admin)",
)
@idempotent
def member_of_week_pick(request, payload: MemberOfWeekIn):
    _require_admin(request.auth)
    profile = selectors.profile_by_username(payload.username.lstrip("@").lower()[:30])
    if profile is None:
        raise ServiceError("Member tidak ditemukan.", errors={"username": ["Tidak ditemukan."]})
    row = gamification.member_of_week_pick(actor=request.auth, user=profile.user)
    return {"name": row.user.full_name, "username": profile.username, "points": row.points,
            "week_start": row.week_start.isoformat()}  # fmt: skip


@router.get(
    "/admin/community/stats", response={200: CommunityStatsOut, **_ERRORS}, auth=jwt_auth, summary="Statistik komunitas"
)
def stats(request, filters: Query[StatsIn]):
    _require_admin(request.auth)
    data = activity.community_stats(days=filters.days)
    return {
        "days": data["days"],
        "posts": data["posts"],
        "comments": data["comments"],
        "active_members": data["active_members"],
        "new_members": data["new_members"],
        "series": [
            {"day": r["day"].isoformat(), "posts": r["posts"], "comments": r["comments"]} for r in data["series"]
        ],
        "top_groups": [{"slug": g["slug"], "name": g["name"], "posts": g["n"]} for g in data["top_groups"]],
        "viral_posts": [p.pk for p in data["viral"]],
        "extra": [
            {"title": str(b["title"]), "rows": [[str(label), str(value)] for label, value in b["rows"]]}
            for b in stats_blocks(start=data["start"], end=data["end"])
        ],
    }
