"""Reads of memberships shared by pages, the API, the access policy and the checkout."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from sanggar.access.models import Resource

from .constants import HISTORY_LIMIT, MembershipStatus
from .models import MembershipLog, MembershipUpgradeLog, UserMembership


def _running(now: datetime) -> Q:
    return Q(status=MembershipStatus.ACTIVE) & (Q(ends_at__isnull=True) | Q(ends_at__gt=now))


def membership_active_for(*, user, now: datetime | None = None) -> UserMembership | None:
    """The user's active membership (status active and not past its end), with its plan; None otherwise.
    A membership past its end counts as ended even before the expiry sweep has marked it."""
    if user is None or not user.is_authenticated:
        return None
    now = now or timezone.now()
    return UserMembership.objects.select_related("plan").filter(_running(now), user=user).first()


def is_premium(*, user, now: datetime | None = None) -> bool:
    """A premium member is one with an active membership."""
    if user is None or not user.is_authenticated:
        return False
    now = now or timezone.now()
    return UserMembership.objects.filter(_running(now), user=user).exists()


def membership_last_ended(*, user, now: datetime | None = None) -> UserMembership | None:
    """The user's most recent membership that ran out (expired by time or by the sweep), with its plan.
    Upgraded-from and cancelled memberships do not count: they did not simply run out."""
    if user is None or not user.is_authenticated:
        return None
    now = now or timezone.now()
    ran_out = Q(status=MembershipStatus.ACTIVE, ends_at__lte=now) | Q(
        status=MembershipStatus.EXPIRED, ends_at__isnull=False
    )
    candidates = (
        UserMembership.objects.select_related("plan")
        .filter(ran_out, user=user)
        .exclude(pk__in=MembershipUpgradeLog.objects.filter(user=user).values("old_membership_id"))
        .order_by("-ends_at", "-id")
    )
    return candidates.first()


def membership_history(*, user, limit: int = HISTORY_LIMIT) -> list[UserMembership]:
    """The user's memberships, newest first, each with its plan and logs (three queries)."""
    return list(
        UserMembership.objects.filter(user=user)
        .select_related("plan")
        .prefetch_related(Prefetch("logs", queryset=MembershipLog.objects.order_by("created_at", "id")))
        .order_by("-created_at", "-id")[:limit]
    )


def upgrade_logs_for(*, user, limit: int = HISTORY_LIMIT) -> list[MembershipUpgradeLog]:
    return list(
        MembershipUpgradeLog.objects.filter(user=user)
        .select_related("old_plan", "new_plan", "order")
        .order_by("-upgraded_at", "-id")[:limit]
    )


def memberships_expiring(*, now: datetime | None = None, within: timedelta) -> QuerySet[UserMembership]:
    """Active memberships that end within `within` from now (for reminders and the admin card)."""
    now = now or timezone.now()
    return UserMembership.objects.filter(status=MembershipStatus.ACTIVE, ends_at__gt=now, ends_at__lte=now + within)


@dataclass(frozen=True)
class MembershipStats:
    active: int
    expiring_week: int
    lifetime: int


def membership_stats(*, now: datetime | None = None) -> MembershipStats:
    """Counts for the admin dashboard in one query."""
    now = now or timezone.now()
    running = _running(now)
    row = UserMembership.objects.aggregate(
        active=Count("id", filter=running),
        expiring_week=Count("id", filter=running & Q(ends_at__lte=now + timedelta(days=7))),
        lifetime=Count("id", filter=running & Q(ends_at__isnull=True)),
    )
    return MembershipStats(active=row["active"], expiring_week=row["expiring_week"], lifetime=row["lifetime"])


def plan_resources(plan) -> list[Resource]:
    """What a plan opens: its included resources, and each included product's own resource and the resources
    that product includes, and what comes with an included resource (a course's bonus products and study group,
    `Resource.bundled`) (one query)."""
    return list(
        Resource.objects.filter(
            Q(plans=plan)
            | Q(product__included_in_plans=plan)
            | Q(in_products__included_in_plans=plan)
            | Q(bundled_in__plans=plan)
            | Q(bundled_in__in_products__included_in_plans=plan)
        )
        .distinct()
        .order_by("kind", "title", "id")
    )


# Admin list filters: "running" is active and not past its end; the others are stored statuses.
ADMIN_STATUS_FILTERS = ("running", MembershipStatus.EXPIRED, MembershipStatus.CANCELLED)


def membership_admin_list(
    *,
    q: str = "",
    plan_id: int | None = None,
    status: str = "",
    source: str = "",
    expiring_days: int | None = None,
    now: datetime | None = None,
) -> QuerySet[UserMembership]:
    """Every membership with its member and plan (one query per page), newest first. Filters: plan, status
    ("running" = active and not past its end), source, ending within `expiring_days` days (running only), and a
    search over the member's name and email."""
    now = now or timezone.now()
    qs = UserMembership.objects.select_related("user", "plan").order_by("-created_at", "-id")
    if q:
        qs = qs.filter(Q(user__email__icontains=q) | Q(user__full_name__icontains=q))
    if plan_id:
        qs = qs.filter(plan_id=plan_id)
    if status == "running":
        qs = qs.filter(_running(now))
    elif status in (MembershipStatus.EXPIRED, MembershipStatus.CANCELLED):
        qs = qs.filter(Q(status=status) | Q(status=MembershipStatus.ACTIVE, ends_at__lte=now))
        if status == MembershipStatus.CANCELLED:
            qs = qs.filter(status=status)
    if source:
        qs = qs.filter(source=source)
    if expiring_days is not None:
        qs = qs.filter(_running(now), ends_at__isnull=False, ends_at__lte=now + timedelta(days=expiring_days))
        qs = qs.order_by("ends_at", "id")
    return qs


def membership_effective_status(membership: UserMembership, now: datetime) -> str:
    """The status a person should see: an active membership past its end is expired even before the sweep."""
    if membership.status == MembershipStatus.ACTIVE and membership.ends_at is not None and membership.ends_at <= now:
        return MembershipStatus.EXPIRED
    return membership.status
