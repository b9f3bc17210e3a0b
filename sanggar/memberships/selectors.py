"""Reads of memberships shared by pages, the API, the access policy and the checkout."""

import functools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from sanggar.access.models import Resource
from sanggar.catalog.models import MembershipPlan, Product
from sanggar.core.prepared import Prepared, first_row

from .constants import HISTORY_LIMIT, MembershipStatus
from .models import MembershipLog, MembershipUpgradeLog, UserMembership


def _running(now: datetime) -> Q:
    return Q(status=MembershipStatus.ACTIVE) & (Q(ends_at__isnull=True) | Q(ends_at__gt=now))


# Checkout and order creation ask it for every buyer: compiled once per process (a prepared query).
_ACTIVE_WITH_PLAN = Prepared(
    lambda user_id, now: first_row(
        UserMembership.objects.select_related("plan").filter(_running(now), user_id=user_id)
    ),
    user_id=-1_000_011,
    now=datetime(1901, 2, 3, 4, 5, 6, 789, tzinfo=UTC),
)


def membership_active_for(*, user, now: datetime | None = None) -> UserMembership | None:
    """The user's active membership (status active and not past its end), with its plan; None otherwise.
    A membership past its end counts as ended even before the expiry sweep has marked it."""
    if user is None or not user.is_authenticated:
        return None
    return _ACTIVE_WITH_PLAN.first(user_id=user.pk, now=now or timezone.now())


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
    `Resource.bundled`) (one query).

    Each path is its own `id IN (subquery)`: joining the five paths into one row set needed DISTINCT over a
    seventeen-table join, which PostgreSQL spent ~1 ms planning on every paid webhook; the subqueries plan in a
    fraction of that and need no DISTINCT (a resource matches once, whatever the number of paths)."""
    paths = ("plans", "product__included_in_plans", "in_products__included_in_plans", "bundled_in__plans",
             "bundled_in__in_products__included_in_plans")  # fmt: skip
    matches = Q()
    for path in paths:
        matches |= Q(pk__in=Resource.objects.filter(**{path: plan}).values("pk"))
    return list(Resource.objects.filter(matches).order_by("kind", "title", "id"))


@functools.cache
def _plan_resource_ids_sql() -> str:
    """The SQL of `plan_resource_ids` (table and column names from the models, built once per process)."""
    qn = connection.ops.quote_name
    plan_resources_field = MembershipPlan._meta.get_field("included_resources")
    plan_products_field = MembershipPlan._meta.get_field("included_products")
    product_resources_field = Product._meta.get_field("included_resources")
    bundled_field = Resource._meta.get_field("bundled")
    pr = (qn(plan_resources_field.m2m_db_table()), qn(plan_resources_field.m2m_column_name()),
          qn(plan_resources_field.m2m_reverse_name()))  # fmt: skip
    pp = (qn(plan_products_field.m2m_db_table()), qn(plan_products_field.m2m_column_name()),
          qn(plan_products_field.m2m_reverse_name()))  # fmt: skip
    xr = (qn(product_resources_field.m2m_db_table()), qn(product_resources_field.m2m_column_name()),
          qn(product_resources_field.m2m_reverse_name()))  # fmt: skip
    bd = (qn(bundled_field.m2m_db_table()), qn(bundled_field.m2m_column_name()), qn(bundled_field.m2m_reverse_name()))
    product = qn(Product._meta.db_table)
    product_resource = qn(Product._meta.get_field("resource").column)
    # The five paths of `plan_resources`, one SELECT each; UNION drops repeats. Table and column names only: the
    # plan's id is a parameter.
    return (
        f"SELECT pr.{pr[2]} FROM {pr[0]} pr WHERE pr.{pr[1]} = %s"  # noqa: S608
        f" UNION SELECT p.{product_resource} FROM {product} p JOIN {pp[0]} pp ON pp.{pp[2]} = p.id"
        f" WHERE pp.{pp[1]} = %s AND p.{product_resource} IS NOT NULL"
        f" UNION SELECT xr.{xr[2]} FROM {xr[0]} xr JOIN {pp[0]} pp ON pp.{pp[2]} = xr.{xr[1]} WHERE pp.{pp[1]} = %s"
        f" UNION SELECT bd.{bd[2]} FROM {bd[0]} bd JOIN {pr[0]} pr ON pr.{pr[2]} = bd.{bd[1]} WHERE pr.{pr[1]} = %s"
        f" UNION SELECT bd.{bd[2]} FROM {bd[0]} bd JOIN {xr[0]} xr ON xr.{xr[2]} = bd.{bd[1]}"
        f" JOIN {pp[0]} pp ON pp.{pp[2]} = xr.{xr[1]} WHERE pp.{pp[1]} = %s"
    )


def plan_resource_ids(plan_id: int) -> list[int]:
    """The ids of `plan_resources(plan)`, sorted: what a membership's grants need. One statement whose SQL is built
    once per process: the ORM spent ~3 ms of CPU compiling the five paths on every paid webhook."""
    with connection.cursor() as cursor:
        cursor.execute(_plan_resource_ids_sql(), [plan_id] * 5)
        return sorted(row[0] for row in cursor.fetchall())


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
