"""Badges earned by counting (GAM-D3, GAM-F2, GAM-F3): posts, community comments, class-discussion comments
("Diskusi Aktif") and events attended. The Monday sweep (beat "community-weekly-badges", 00:00 WIB) awards the weekly
badges for the finished week under its ISO week (UserBadge.period_key "2026-W49") and the all-time count badges to
whoever passed their threshold. Safe to run twice: (user, badge, period_key) is unique and an existing row stays.

The count badges are also awarded live (`live_check`, after commit of the post, comment, class-discussion comment or
attendance that counts; the sweep stays as the safety net): one query for what the member holds and one for their
counts, and none at all when no active badge has that criterion (`count_badges`, cached, dropped by badge_save).

Points badges are awarded live by services.points_award; manual ones only by an admin."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse

from sanggar.learning.models import Comment as CourseComment
from sanggar.notifications.services import notify

from .constants import BadgeCriteria, BadgePeriod, Notify, PointAction, PostStatus
from .gamification import _week_bounds, week_start
from .models import Badge, Comment, PointEntry, Post, UserBadge


def period_key(monday) -> str:
    """The ISO week of a Monday: "2026-W49"."""
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


COUNT_BADGES_CACHE_KEY = "community:count-badges:v1"
CACHE_SECONDS = 300


@dataclass(frozen=True)
class CountBadge:
    id: int
    name: str
    threshold: int
    weekly: bool


def count_badges() -> dict[str, list[CountBadge]]:
    """{criteria: [CountBadge]} of the active automatic badges (points: `threshold` = points_required), cached so a
    post or a comment asks the database nothing when no badge counts it."""
    rows = cache.get(COUNT_BADGES_CACHE_KEY)
    if rows is None:
        rows = {}
        for badge in Badge.objects.filter(is_active=True).exclude(criteria=BadgeCriteria.MANUAL):
            threshold = badge.points_required if badge.criteria == BadgeCriteria.POINTS else badge.threshold
            if threshold:
                rows.setdefault(badge.criteria, []).append(
                    CountBadge(badge.pk, badge.name, threshold, badge.period == BadgePeriod.WEEKLY)
                )
        cache.set(COUNT_BADGES_CACHE_KEY, rows, CACHE_SECONDS)
    return rows


def count_badges_forget() -> None:
    """Called by badge_save / badge_ensure: now and again after commit (a reader in between may cache old rows)."""
    cache.delete(COUNT_BADGES_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(COUNT_BADGES_CACHE_KEY))


def _rows(criteria: str):
    """(queryset, user field, time field) of what `criteria` counts; None for points and manual badges."""
    if criteria == BadgeCriteria.POSTS:
        rows, user, when = Post.objects.filter(status=PostStatus.PUBLISHED), "author_id", "created_at"
    elif criteria == BadgeCriteria.COMMENTS:
        rows, user, when = Comment.objects.filter(status=PostStatus.PUBLISHED), "author_id", "created_at"
    elif criteria == BadgeCriteria.COURSE_COMMENTS:
        rows, user, when = CourseComment.objects.filter(is_hidden=False), "user_id", "created_at"
    elif criteria == BadgeCriteria.EVENTS_ATTENDED:
        rows, user, when = PointEntry.objects.filter(action=PointAction.EVENT_ATTENDED), "user_id", "created_at"
    else:
        return None
    return rows, user, when


def _counts(criteria: str, *, start=None, end=None):
    """{user_id: count} of what `criteria` counts, within [start, end) when given (one grouped query)."""
    found = _rows(criteria)
    if found is None:
        return None
    rows, user, when = found
    if start is not None:
        rows = rows.filter(**{f"{when}__gte": start, f"{when}__lt": end})
    return rows.values_list(user).annotate(n=Count("pk")).order_by()


def _tell(user, name: str) -> None:
    notify(user=user, kind=Notify.BADGE, link=reverse("community:achievements"), context={"badge": name})


def live_check(*, user_id: int, criteria: str) -> int:
    """Awards the member `user_id` the active count badges of `criteria` they have just reached (all-time, or this
    week's for a weekly badge) and tells them. Runs after the commit of the action that counts; two at once are
    harmless (the unique (user, badge, period_key) keeps one). Returns how many were awarded."""
    candidates = count_badges().get(criteria)
    found = _rows(criteria) if candidates else None
    if found is None:
        return 0
    week_key = period_key(week_start())
    keys = {badge.id: week_key if badge.weekly else "" for badge in candidates}
    held = set(
        UserBadge.objects.filter(user_id=user_id, badge_id__in=keys, period_key__in={"", week_key}).values_list(
            "badge_id", "period_key"
        )
    )
    missing = [badge for badge in candidates if (badge.id, keys[badge.id]) not in held]
    if not missing:
        return 0
    rows, user_field, when = found
    start, _end = _week_bounds(week_start())
    counts = rows.filter(**{user_field: user_id}).aggregate(
        total=Count("pk"), week=Count("pk", filter=Q(**{f"{when}__gte": start}))
    )
    earned = [b for b in missing if (counts["week"] if b.weekly else counts["total"]) >= b.threshold]
    user = get_user_model().objects.get(pk=user_id) if earned else None
    awarded = 0
    for badge in earned:
        try:
            with transaction.atomic():
                UserBadge.objects.create(user_id=user_id, badge_id=badge.id, period_key=keys[badge.id])
        except IntegrityError:  # the sweep or a second request got there first
            continue
        awarded += 1
        _tell(user, badge.name)
    return awarded


def live_check_after_commit(*, user_id: int, criteria: str) -> None:
    """Schedules `live_check` after the current transaction commits; nothing at all when no badge counts it."""
    if count_badges().get(criteria):
        transaction.on_commit(lambda: live_check(user_id=user_id, criteria=criteria))


def award(badge: Badge, user_ids, key: str) -> int:
    held = set(UserBadge.objects.filter(badge=badge, period_key=key).values_list("user_id", flat=True))
    awarded = 0
    for user_id in sorted(set(user_ids) - held):
        try:
            with transaction.atomic():
                row = UserBadge.objects.create(user_id=user_id, badge=badge, period_key=key)
        except IntegrityError:  # a second sweep running at the same time got there first
            continue
        awarded += 1
        notify(user=row.user, kind=Notify.BADGE, link=reverse("community:achievements"), context={"badge": badge.name})
    return awarded


def badges_sweep(*, monday=None) -> int:
    """The finished week's (Monday `monday`, WIB; last week by default) weekly badges, and all-time count badges.
    Returns how many badges were awarded now."""
    monday = monday or week_start() - timedelta(days=7)
    start, end = _week_bounds(monday)
    key = period_key(monday)
    awarded = 0
    counted = Badge.objects.filter(is_active=True, threshold__isnull=False).exclude(
        criteria__in=(BadgeCriteria.POINTS, BadgeCriteria.MANUAL)
    )
    for badge in counted:
        weekly = badge.period == BadgePeriod.WEEKLY
        counts = _counts(badge.criteria, start=start if weekly else None, end=end)
        if counts is None:
            continue
        earners = [user_id for user_id, _n in counts.filter(n__gte=badge.threshold)]
        awarded += award(badge, earners, key if weekly else "")
    return awarded
