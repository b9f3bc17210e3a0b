"""Business analytics for admins (/admin/analytics and its API): members, revenue, conversion, renewals and top
affiliates over a date range, per day, week or month.

Every figure is one aggregated query (GROUP BY in the database), so the cost depends on the number of buckets and
groups, not on the number of users or orders."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, DateTimeField, Q, Sum
from django.db.models.functions import Coalesce, TruncDay, TruncMonth, TruncWeek
from django.utils import timezone

from sanggar.catalog.models import MembershipPlan
from sanggar.marketing.selectors import visits_by_plan
from sanggar.memberships.constants import MembershipStatus
from sanggar.memberships.models import UserMembership
from sanggar.orders.constants import ItemKind, OrderStatus, PricingKind
from sanggar.orders.models import Order, OrderItem
from sanggar.payments.selectors import provider_label

GRANULARITIES = ("day", "week", "month")
TRUNC = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}
MAX_RANGE_DAYS = 731
TOP_LIMIT = 10


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    granularity: str

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))


def period_make(*, start: date | None, end: date | None, granularity: str = "day", today: date | None = None) -> Period:
    """A valid period: defaults to the last 30 days; the end never before the start; at most MAX_RANGE_DAYS."""
    today = today or timezone.localdate()
    end = end or today
    start = start or end - timedelta(days=29)
    if start > end:
        start, end = end, start
    if (end - start).days > MAX_RANGE_DAYS:
        start = end - timedelta(days=MAX_RANGE_DAYS)
    return Period(start, end, granularity if granularity in GRANULARITIES else "day")


@dataclass(frozen=True)
class Row:
    label: str
    value: int
    count: int = 0


@dataclass(frozen=True)
class Series:
    labels: list[str]
    values: list[int]


@dataclass(frozen=True)
class Conversion:
    plan: str
    checkouts: int
    paid: int
    visits: int = 0  # sales-page visits in the period (marketing's daily counter)

    @property
    def rate(self) -> float:
        return round(100 * self.paid / self.checkouts, 1) if self.checkouts else 0.0

    @property
    def visit_rate(self) -> float:
        """Visits → paid, in percent."""
        return round(100 * self.paid / self.visits, 1) if self.visits else 0.0

    @property
    def checkout_rate(self) -> float:
        """Visits → checkouts, in percent."""
        return round(100 * self.checkouts / self.visits, 1) if self.visits else 0.0


@dataclass(frozen=True)
class Summary:
    period: Period
    new_members: int
    active_premium: int
    free_members: int
    churned: int
    revenue: int
    paid_orders: int
    renewals: int
    renewal_due: int
    members_series: Series
    revenue_series: Series
    by_plan: list[Row] = field(default_factory=list)
    by_product: list[Row] = field(default_factory=list)
    by_provider: list[Row] = field(default_factory=list)
    by_affiliate: list[Row] = field(default_factory=list)
    conversion: list[Conversion] = field(default_factory=list)

    @property
    def renewal_rate(self) -> float:
        """Renewals paid in the period ÷ (renewals + memberships that ran out in it), in percent."""
        total = self.renewals + self.renewal_due
        return round(100 * self.renewals / total, 1) if total else 0.0


def _bucket_keys(period: Period) -> list[date]:
    keys = []
    day = period.start
    while day <= period.end:
        if period.granularity == "day":
            key = day
        elif period.granularity == "week":
            key = day - timedelta(days=day.weekday())
        else:
            key = day.replace(day=1)
        if not keys or keys[-1] != key:
            keys.append(key)
        day += timedelta(days=1)
    return keys


def _label(key: date, granularity: str) -> str:
    if granularity == "month":
        return key.strftime("%Y-%m")
    return key.isoformat()


def _series(period: Period, rows) -> Series:
    """Fills every bucket of the period (zero where nothing happened) from (bucket datetime, value) rows."""
    found = {}
    for bucket, value in rows:
        key = timezone.localtime(bucket).date() if isinstance(bucket, datetime) else bucket
        found[key] = found.get(key, 0) + int(value or 0)
    keys = _bucket_keys(period)
    return Series([_label(k, period.granularity) for k in keys], [found.get(k, 0) for k in keys])


def _trunc(period: Period, name: str):
    return TRUNC[period.granularity](name, output_field=DateTimeField(), tzinfo=timezone.get_current_timezone())


def _paid(period: Period):
    return Order.objects.filter(status=OrderStatus.PAID, paid_at__gte=period.since, paid_at__lt=period.until)


def _running(now: datetime) -> Q:
    return Q(status=MembershipStatus.ACTIVE) & (Q(ends_at__isnull=True) | Q(ends_at__gt=now))


def analytics_summary(*, period: Period, now: datetime | None = None) -> Summary:
    """All the figures of the period, in a fixed number of aggregated queries."""
    now = now or timezone.now()
    User = get_user_model()
    since, until = period.since, period.until
    users = User.objects.aggregate(
        active=Count("id", filter=Q(is_active=True)),
        new=Count("id", filter=Q(date_joined__gte=since, date_joined__lt=until)),
    )
    premium = UserMembership.objects.filter(_running(now)).values("user_id").distinct().count()
    churned = (
        UserMembership.objects.filter(status=MembershipStatus.EXPIRED, ended_at__gte=since, ended_at__lt=until)
        .exclude(user__memberships__in=UserMembership.objects.filter(_running(now)))
        .values("user_id")
        .distinct()
        .count()
    )
    members_series = _series(
        period,
        User.objects.filter(date_joined__gte=since, date_joined__lt=until)
        .annotate(bucket=_trunc(period, "date_joined"))
        .values("bucket")
        .annotate(n=Count("id"))
        .values_list("bucket", "n"),
    )
    paid = _paid(period)
    totals = paid.aggregate(revenue=Coalesce(Sum("total"), 0), orders=Count("id"))
    revenue_series = _series(
        period,
        paid.annotate(bucket=_trunc(period, "paid_at"))
        .values("bucket")
        .annotate(v=Sum("total"))
        .values_list("bucket", "v"),
    )
    items = OrderItem.objects.filter(order__in=paid)
    by_plan = [
        Row(r["plan__title"], int(r["v"]), r["n"])
        for r in items.filter(kind=ItemKind.PLAN)
        .values("plan__title")
        .annotate(v=Sum("amount"), n=Count("id"))
        .order_by("-v", "plan__title")[:TOP_LIMIT]
    ]
    by_product = [
        Row(r["product__title"], int(r["v"]), r["n"])
        for r in items.filter(kind=ItemKind.PRODUCT)
        .values("product__title")
        .annotate(v=Sum("amount"), n=Count("id"))
        .order_by("-v", "product__title")[:TOP_LIMIT]
    ]
    by_provider = [
        Row(str(provider_label(r["provider"])), int(r["v"]), r["n"])
        for r in paid.values("provider").annotate(v=Sum("total"), n=Count("id")).order_by("-v", "provider")
    ]
    by_affiliate = [
        Row(r["affiliate__full_name"] or r["affiliate__email"], int(r["v"]), r["n"])
        for r in paid.filter(affiliate__isnull=False)
        .values("affiliate_id", "affiliate__full_name", "affiliate__email")
        .annotate(v=Sum("total"), n=Count("id"))
        .order_by("-v", "affiliate_id")[:TOP_LIMIT]
    ]
    plan_items = OrderItem.objects.filter(kind=ItemKind.PLAN, order__created_at__gte=since, order__created_at__lt=until)
    visits = visits_by_plan(start=period.start, end=period.end)
    rows = {
        r["plan_id"]: r
        for r in plan_items.values("plan_id", "plan__title").annotate(
            checkouts=Count("order_id", distinct=True),
            paid=Count("order_id", distinct=True, filter=Q(order__status__in=(OrderStatus.PAID, OrderStatus.REFUNDED))),
        )
    }
    visited_only = [pk for pk in visits if pk not in rows]
    titles = dict(MembershipPlan.objects.filter(pk__in=visited_only).values_list("pk", "title")) if visited_only else {}
    conversion = [
        Conversion(r["plan__title"], r["checkouts"], r["paid"], visits.get(pk, 0)) for pk, r in rows.items()
    ] + [Conversion(titles[pk], 0, 0, visits[pk]) for pk in visited_only if pk in titles]
    conversion.sort(key=lambda c: (-c.visits, -c.checkouts, c.plan))
    renewals = items.filter(kind=ItemKind.PLAN, pricing=PricingKind.RENEWAL).values("order_id").distinct().count()
    renewal_due = UserMembership.objects.filter(
        status=MembershipStatus.EXPIRED, ends_at__gte=since, ends_at__lt=until, ended_at__gte=since
    ).count()
    return Summary(
        period=period,
        new_members=users["new"],
        active_premium=premium,
        free_members=max(0, users["active"] - premium),
        churned=churned,
        revenue=int(totals["revenue"]),
        paid_orders=totals["orders"],
        renewals=renewals,
        renewal_due=renewal_due,
        members_series=members_series,
        revenue_series=revenue_series,
        by_plan=by_plan,
        by_product=by_product,
        by_provider=by_provider,
        by_affiliate=by_affiliate,
        conversion=conversion,
    )
