"""Post editing with history, profile extras (cover, social links, online dot, block and report from a profile) and
the feed's sidebars (my groups, courses and events; online members, upcoming events, leaderboard, popular mentors,
member of the week). Pages and the API call these; the writes check who may do what here."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.accounts.models import User
from sanggar.audit.services import activity_record
from sanggar.catalog.uploads import generated_name
from sanggar.chat import realtime as chat_realtime
from sanggar.chat import services as chat_services
from sanggar.chat.models import Block
from sanggar.core.exceptions import NotAllowed, NotFound, ServiceError
from sanggar.core.roles import Role
from sanggar.learning.selectors import my_enrollments

from . import gamification, selectors, services
from .constants import SOCIAL_NETWORKS, Action, KeywordAction, PostStatus
from .models import PointEntry, Post, PostRevision, Profile

# --- post edits ---------------------------------------------------------------------------------------------------


def edit_deadline(post: Post):
    return post.created_at + timedelta(minutes=settings.COMMUNITY_POST_EDIT_MINUTES)


def can_edit(user, post: Post, *, moderator: bool | None = None) -> bool:
    """A group moderator always; the author while the post is not removed and within COMMUNITY_POST_EDIT_MINUTES.
    `moderator` when the caller already knows (the post page asked the permissions matrix once)."""
    if not getattr(user, "is_authenticated", False) or post.status in (PostStatus.REMOVED, PostStatus.REJECTED):
        return False
    if user.pk == post.author_id and timezone.now() <= edit_deadline(post):
        return True
    return services.can_moderate(user, post.group) if moderator is None else moderator


@transaction.atomic
def post_edit(*, actor, post: Post, body="", body_html=None) -> Post:
    """Edits a post's text (plain `body` or rich `body_html`, sanitised). The text before the edit is kept as a
    `PostRevision` (append-only); a moderator's edit of someone else's post is audited. Checked like a new post:
    keyword rules (reject, or hold for a moderator), links for new accounts, @mention limits; new @mentions are told."""
    post = Post.objects.select_for_update().select_related("group", "author").get(pk=post.pk)
    if not can_edit(actor, post):
        if actor.pk == post.author_id and post.status not in (PostStatus.REMOVED, PostStatus.REJECTED):
            raise NotAllowed(
                _("Batas waktu menyunting sudah lewat (%(m)s menit setelah diposting).")
                % {"m": settings.COMMUNITY_POST_EDIT_MINUTES}
            )
        raise NotAllowed(_("Anda tidak dapat menyunting postingan ini."))
    body, body_html = services.rich_body(body, body_html)
    attachments = bool(post.image or post.document or post.media or post.link_url or post.video_url)
    body = services.clean_text(
        body,
        field="body",
        label=_("Isi postingan"),
        max_length=settings.COMMUNITY_POST_MAX_LENGTH,
        required=not attachments,
    )
    if post.background:
        body_html = ""
        if len(body) > settings.COMMUNITY_QUOTE_MAX_LENGTH:
            raise ServiceError(
                _("Teks berlatar warna paling panjang %(n)s karakter.") % {"n": settings.COMMUNITY_QUOTE_MAX_LENGTH},
                errors={"body": [_("Terlalu panjang.")]},
            )
    if body == post.body and body_html == post.body_html:
        return post
    moderator = services.can_moderate(actor, post.group)
    if actor.pk == post.author_id:
        services._new_account_check(actor, body)
        services._mentions_check(actor, body)
    hold = False
    if not moderator:
        action = services._keyword_action(body, post.group)
        if action == KeywordAction.REJECT:
            raise ServiceError(
                _("Postingan memuat kata yang tidak diizinkan di komunitas."), errors={"body": [_("Ubah isi.")]}
            )
        hold = action == KeywordAction.HOLD and post.status == PostStatus.PUBLISHED
    PostRevision.objects.create(post=post, editor=actor, body=post.body, body_html=post.body_html)
    post.body, post.body_html, post.edited_at = body, body_html, timezone.now()
    fields = ["body", "body_html", "edited_at"]
    if hold:
        post.status = PostStatus.PENDING
        fields.append("status")
    post.save(update_fields=fields)
    activity_record(
        action=Action.POST_EDITED,
        actor=actor,
        target=post,
        target_label=str(post)[:200],
        data={"by_moderator": actor.pk != post.author_id, "held": hold},
    )
    if post.status == PostStatus.PUBLISHED:
        services._mentions_notify(author=post.author, post=post, text=post.body)
    return post


def post_revisions(post: Post, limit: int = 50):
    return PostRevision.objects.filter(post=post).select_related("editor")[:limit]


# --- profile extras -----------------------------------------------------------------------------------------------

PROFILE_COVER_SIZE = (1500, 500)


@transaction.atomic
def profile_cover_set(*, user, cover=None, remove: bool = False) -> Profile:
    """The member's own cover photo: checked by content and size, re-encoded as a 1500 × 500 JPEG."""
    profile = Profile.objects.select_for_update().get(pk=services.profile_ensure(user).pk)
    old = profile.cover.name if profile.cover else ""
    if cover is not None:
        content = services.image_fit(
            cover,
            field="cover",
            label=_("Sampul profil"),
            size=PROFILE_COVER_SIZE,
            max_bytes=settings.COMMUNITY_PROFILE_COVER_MAX_BYTES,
        )
        profile.cover.save(generated_name("profile-cover", "jpg"), content, save=False)
    elif remove:
        profile.cover = ""
    else:
        return profile
    profile.save(update_fields=["cover"])
    if old and old != profile.cover.name:
        storage = profile.cover.storage
        transaction.on_commit(lambda: storage.delete(old))
    return profile


def social_links_clean(raw) -> dict[str, str]:
    """{network: url}: only known networks, https links on that network's own domain, at most 300 characters."""
    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        raise ServiceError(_("Media sosial tidak valid."), errors={"social_links": [_("Tidak valid.")]})
    links = {}
    for key, value in raw.items():
        if key not in SOCIAL_NETWORKS:
            raise ServiceError(_("Media sosial tidak dikenal."), errors={"social_links": [_("Tidak dikenal.")]})
        label, domains = SOCIAL_NETWORKS[key]
        value = services.clean_text(value, field=key, label=label, max_length=300, required=False)
        if not value:
            continue
        host = (urlsplit(value).hostname or "").lower() if re.match(r"^https://\S+$", value) else ""
        if not host or not any(host == d or host.endswith("." + d) for d in domains):
            raise ServiceError(
                _("Tautan %(n)s harus alamat https di %(d)s.") % {"n": label, "d": domains[0]},
                errors={key: [_("Tidak valid.")]},
            )
        links[key] = value
    return links


def profile_links_update(*, user, links) -> Profile:
    profile = services.profile_ensure(user)
    profile.social_links = social_links_clean(links)
    profile.save(update_fields=["social_links"])
    return profile


def social_links_of(profile: Profile) -> list[dict]:
    return [
        {"key": key, "label": str(label), "url": profile.social_links[key]}
        for key, (label, _domains) in SOCIAL_NETWORKS.items()
        if (profile.social_links or {}).get(key)
    ]


def online_ids(user_ids) -> set[int]:
    """Who of `user_ids` is online now: chat's presence (heartbeats of an open socket), read from the cache."""
    return chat_realtime.online_ids(user_ids)


def member_block(*, user, target) -> None:
    """Blocks a member (chat's block: no direct messages, no @mentions either way) and stops following them both
    ways."""
    if target is None or not target.is_active or target.pk == user.pk:
        raise NotFound(_("Member tidak ditemukan."))
    with transaction.atomic():
        chat_services.user_block(user=user, other=target)
        services.unfollow(user=user, target=target)
        services.unfollow(user=target, target=user)


def member_unblock(*, user, target) -> None:
    chat_services.user_unblock(user=user, other=target)


def has_blocked(user, target) -> bool:
    return Block.objects.filter(blocker=user, blocked=target).exists()


# --- feed sidebars ------------------------------------------------------------------------------------------------

SIDEBAR_CACHE_SECONDS = 300
ONLINE_CANDIDATES = 300
ONLINE_SHOWN = 8


def popular_mentors(limit: int = 5) -> list[dict]:
    """Mentors with the most followers (one query; cached for everyone for five minutes)."""
    key = f"community:popular-mentors:{limit}"
    rows = cache.get(key)
    if rows is None:
        users = (
            User.objects.filter(is_active=True, roles__role=Role.MENTOR)
            .annotate(followers=Count("follower_rows", distinct=True))
            .select_related("community_profile")
            .order_by("-followers", "full_name", "pk")[:limit]
        )
        rows = [
            {
                "id": u.pk,
                "name": u.full_name,
                "username": getattr(getattr(u, "community_profile", None), "username", ""),
                "followers": u.followers,
            }
            for u in users
        ]
        cache.set(key, rows, SIDEBAR_CACHE_SECONDS)
    return rows


def leaders_cached(limit: int = 5) -> list[dict]:
    key = f"community:leaders-week:{limit}"
    rows = cache.get(key)
    if rows is None:
        rows = [
            {
                "rank": r["rank"],
                "name": r["user"].full_name,
                "username": getattr(getattr(r["user"], "community_profile", None), "username", ""),
                "points": r["points"],
            }
            for r in selectors.leaderboard("week", limit=limit)
        ]
        cache.set(key, rows, 60)
    return rows


def online_members(user) -> list[dict]:
    """Members online now among today's active people (who earned points today: a visit, a post, a comment), newest
    first; the viewer and anyone blocked either way left out. Two queries and one cache read."""
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    recent = list(
        PointEntry.objects.filter(created_at__gte=start)
        .exclude(user_id=user.pk)
        .order_by("-created_at")
        .values_list("user_id", flat=True)[:ONLINE_CANDIDATES]
    )
    ids = list(dict.fromkeys(recent))
    online = online_ids(ids)
    shown = [uid for uid in ids if uid in online][: ONLINE_SHOWN * 2]
    if not shown:
        return []
    blocked = Block.objects.filter(blocker_id=user.pk, blocked_id__in=shown).values_list("blocked_id", flat=True)
    blocked_by = Block.objects.filter(blocked_id=user.pk, blocker_id__in=shown).values_list("blocker_id", flat=True)
    people = {
        u.pk: u
        for u in User.objects.filter(pk__in=shown, is_active=True)
        .exclude(pk__in=blocked)
        .exclude(pk__in=blocked_by)
        .select_related("community_profile")
    }
    return [
        {
            "id": uid,
            "name": people[uid].full_name,
            "username": getattr(getattr(people[uid], "community_profile", None), "username", ""),
        }
        for uid in shown
        if uid in people
    ][:ONLINE_SHOWN]


def my_courses(user, limit: int = 5) -> list[dict]:
    return [
        {"title": e.course.title, "slug": e.course.slug, "progress": e.progress_percent}
        for e in my_enrollments(user=user)[:limit]
    ]


def member_of_week() -> dict | None:
    key = gamification.MEMBER_OF_WEEK_CACHE_KEY
    row = cache.get(key)
    if row is None:
        current = gamification.member_of_week_current()
        row = (
            {
                "name": current.user.full_name,
                "username": getattr(getattr(current.user, "community_profile", None), "username", ""),
                "points": current.points,
                "week_start": current.week_start,
            }
            if current is not None
            else {}
        )
        cache.set(key, row, SIDEBAR_CACHE_SECONDS)
    return row or None
