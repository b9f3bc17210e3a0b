"""A member's own achievements ("Pencapaian Saya", GAM-P3): level and progress to the next one, points (all time, this
week, this month), rank on the weekly leaderboard, badges earned (with the number of weeks for a weekly badge) and the
active badges not yet earned with their progress, the group challenges joined and the quizzes taken. The ledger is
listed separately (`ledger`, paginated by the caller).

Read-only. The number of queries is fixed: one per badge criteria at most, never one per badge."""

from django.db.models import Count, Max, Q, Sum
from django.utils.translation import gettext_lazy as _

from .badges import _rows
from .challenge_models import ChallengeParticipant, QuizAttempt
from .constants import BadgeCriteria, BadgePeriod, ChallengeStatus
from .gamification import _week_bounds, level_name, level_number, levels, week_start
from .models import Badge, PointEntry, UserBadge
from .selectors import period_start

RECENT_LIMIT = 20


def _points(user_id: int) -> dict:
    week, month = period_start("week"), period_start("month")
    sums = PointEntry.objects.filter(user_id=user_id).aggregate(
        total=Sum("points"),
        week=Sum("points", filter=Q(created_at__gte=week)),
        month=Sum("points", filter=Q(created_at__gte=month)),
    )
    return {key: value or 0 for key, value in sums.items()}


def _weekly_rank(user_id: int, week_points: int) -> int | None:
    """1 + the members with more points this week (the leaderboard's order); None without points this week."""
    if week_points <= 0:
        return None
    ahead = (
        PointEntry.objects.filter(created_at__gte=period_start("week"))
        .values("user_id")
        .annotate(points=Sum("points"))
        .filter(points__gt=week_points)
        .count()
    )
    return ahead + 1


def _level(total: int) -> dict:
    """The level, its name and the progress to the next threshold (None at the top level)."""
    floor, upcoming = 0, None
    for threshold, name in levels():
        if total >= threshold:
            floor = threshold
        elif upcoming is None:
            upcoming = (threshold, name)
    info = {"number": level_number(total), "name": level_name(total), "floor": floor}
    if upcoming is None:
        info.update(next_threshold=None, next_name="", needed=0, percent=100)
    else:
        span = max(upcoming[0] - floor, 1)
        info.update(
            next_threshold=upcoming[0],
            next_name=upcoming[1],
            needed=upcoming[0] - total,
            percent=max(0, min(100, (total - floor) * 100 // span)),
        )
    return info


def _counts(user_id: int, criteria: set[str]) -> dict[str, tuple[int, int]]:
    """{criteria: (all-time count, this week's count)}: one query per criteria."""
    start, _end = _week_bounds(week_start())
    found = {}
    for name in criteria:
        rows = _rows(name)
        if rows is None:
            continue
        qs, user_field, when = rows
        got = qs.filter(**{user_field: user_id}).aggregate(
            total=Count("pk"), week=Count("pk", filter=Q(**{f"{when}__gte": start}))
        )
        found[name] = (got["total"], got["week"])
    return found


UNITS = {
    BadgeCriteria.POINTS: _("poin"),
    BadgeCriteria.POSTS: _("postingan"),
    BadgeCriteria.COMMENTS: _("komentar"),
    BadgeCriteria.COURSE_COMMENTS: _("komentar diskusi kelas"),
    BadgeCriteria.EVENTS_ATTENDED: _("event dihadiri"),
}


def _badges(user_id: int, points: dict) -> tuple[list[dict], list[dict]]:
    held = {
        row["badge_id"]: row
        for row in UserBadge.objects.filter(user_id=user_id)
        .values("badge_id")
        .annotate(times=Count("pk"), last=Max("awarded_at"))
    }
    shown = list(Badge.objects.filter(Q(is_active=True) | Q(pk__in=list(held))).order_by("name", "pk"))
    counts = _counts(
        user_id,
        {b.criteria for b in shown if b.pk not in held or b.period == BadgePeriod.WEEKLY} - {BadgeCriteria.POINTS},
    )
    earned, pending = [], []
    for badge in shown:
        weekly = badge.period == BadgePeriod.WEEKLY
        if badge.pk in held:
            row = held[badge.pk]
            earned.append({"badge": badge, "weekly": weekly, "times": row["times"], "awarded_at": row["last"]})
            if not weekly:
                continue
        if not badge.is_active or badge.criteria == BadgeCriteria.MANUAL:
            if badge.pk not in held and badge.is_active:
                pending.append({"badge": badge, "weekly": weekly, "current": None, "target": None, "percent": 0})
            continue
        if badge.criteria == BadgeCriteria.POINTS:
            target, current = badge.points_required, points["total"]
        else:
            target = badge.threshold
            total, week = counts.get(badge.criteria, (0, 0))
            current = week if weekly else total
        if not target or (badge.pk in held and not weekly):
            continue
        if weekly and badge.pk in held and current >= target:
            continue  # already earned again this week (or will be at the sweep)
        current = min(current, target)
        pending.append(
            {
                "badge": badge,
                "weekly": weekly,
                "current": current,
                "target": target,
                "unit": UNITS.get(badge.criteria, ""),
                "percent": current * 100 // target,
            }
        )
    earned.sort(key=lambda e: e["awarded_at"], reverse=True)
    pending.sort(key=lambda p: (p["target"] is None, -p["percent"]))
    return earned, pending


def _challenges(user_id: int) -> list[dict]:
    rows = (
        ChallengeParticipant.objects.filter(user_id=user_id)
        .select_related("challenge__group")
        .order_by("-joined_at", "-id")[:RECENT_LIMIT]
    )
    return [
        {
            "challenge": row.challenge,
            "closed": row.challenge.status == ChallengeStatus.CLOSED,
            "rank": row.rank,
            "count": row.final_count,
            "completed": row.completed,
            "joined_at": row.joined_at,
        }
        for row in rows
    ]


def _quizzes(user_id: int) -> list[QuizAttempt]:
    return list(
        QuizAttempt.objects.filter(user_id=user_id)
        .select_related("quiz__group")
        .order_by("-submitted_at", "-id")[:RECENT_LIMIT]
    )


def achievements_of(user) -> dict:
    """Everything on "Pencapaian Saya" except the ledger, for `user` only."""
    points = _points(user.pk)
    earned, pending = _badges(user.pk, points)
    return {
        "points": points,
        "level": _level(points["total"]),
        "rank": _weekly_rank(user.pk, points["week"]),
        "earned": earned,
        "pending": pending,
        "challenges": _challenges(user.pk),
        "quizzes": _quizzes(user.pk),
    }


def ledger(user):
    """The member's point entries, newest first (paginate it)."""
    return PointEntry.objects.filter(user=user).select_related("group").order_by("-created_at", "-id")
