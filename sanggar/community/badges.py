"""Badges earned by counting (GAM-D3, GAM-F2, GAM-F3): posts, community comments, class-discussion comments
("Diskusi Aktif") and events attended. The Monday sweep (beat "community-weekly-badges", 00:00 WIB) awards the weekly
badges for the finished week under its ISO week (UserBadge.period_key "2026-W49") and the all-time count badges to
whoever passed their threshold. Safe to run twice: (user, badge, period_key) is unique and an existing row stays.

Points badges are awarded live by services.points_award; manual ones only by an admin."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count
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


def _counts(criteria: str, *, start=None, end=None):
    """{user_id: count} of what `criteria` counts, within [start, end) when given (one grouped query)."""
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
    if start is not None:
        rows = rows.filter(**{f"{when}__gte": start, f"{when}__lt": end})
    return rows.values_list(user).annotate(n=Count("pk")).order_by()


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
        notify(user=row.user, kind=Notify.BADGE, link=reverse("community:leaderboard"), context={"badge": badge.name})
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
