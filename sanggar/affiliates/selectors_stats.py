"""Reads for the affiliate's dashboard, statistics, tiers, challenges, leaderboard and the admin's affiliate list.

A "sale" of an affiliate is a paid order attributed to them: a Commission row that was neither voided nor reversed
(refunded), dated by the order's payment time. Tiers, challenges and the leaderboard all count sales this way, so a
refunded or voided order never lifts an affiliate up a tier or a ranking.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.catalog.constants import PlanStatus, ProductStatus
from sanggar.catalog.models import MembershipPlan, Product

from .constants import CommissionStatus
from .finance_port import WalletFigures, finance
from .models import (
    AffiliateProfile,
    Challenge,
    ChallengeAward,
    Click,
    Commission,
    MarketingKitItem,
    ShortLink,
    Tier,
)

NOT_SALES = (CommissionStatus.VOID, CommissionStatus.REVERSED)
LEADERBOARD_PERIODS = ("week", "month", "all")
LEADERBOARD_ORDERS = ("sales", "commission")
SERIES_MAX_DAYS = 366


def sales() -> QuerySet[Commission]:
    """Commissions that count as sales (paid referred orders that were not refunded or voided)."""
    return Commission.objects.exclude(status__in=NOT_SALES)


def _local_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def affiliate_sales_count(
    *, affiliate: AffiliateProfile, start: datetime | None = None, end: datetime | None = None
) -> int:
    """Paid referred orders of `affiliate` with a payment time in [start, end) (open ends when None)."""
    qs = sales().filter(affiliate=affiliate)
    if start is not None:
        qs = qs.filter(order__paid_at__gte=start)
    if end is not None:
        qs = qs.filter(order__paid_at__lt=end)
    return qs.count()


# --- tiers -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TierProgress:
    tier: Tier | None  # the tier in force now
    next_tier: Tier | None  # the next one up (more sales needed)
    sales: dict[int, int]  # sales per period length (days) counted for the tiers
    needed: int  # sales still missing for next_tier in its period (0 when there is none)


def _tier_counts(*, affiliate: AffiliateProfile, tiers: list[Tier], now: datetime) -> dict[int, int]:
    periods = sorted({t.period_days for t in tiers})
    if not periods:
        return {}
    aggregates = {f"d{days}": Count("id", filter=Q(order__paid_at__gt=now - timedelta(days=days))) for days in periods}
    counts = sales().filter(affiliate=affiliate, order__paid_at__lte=now).aggregate(**aggregates)
    return {days: counts[f"d{days}"] for days in periods}


def _best_tier(tiers: list[Tier], counts: dict[int, int]) -> Tier | None:
    best = None
    for tier in tiers:
        if counts.get(tier.period_days, 0) >= tier.min_sales and (
            best is None or (tier.bonus_percent, tier.min_sales) > (best.bonus_percent, best.min_sales)
        ):
            best = tier
    return best


def tier_for(*, affiliate: AffiliateProfile, now: datetime) -> Tier | None:
    """The active tier that gives `affiliate` the highest bonus at `now`: a tier applies when the affiliate has at
    least `min_sales` sales paid in the `period_days` up to `now`. Two queries. Used by the commission computation
    (the bonus raises the commission of the order being paid; that order is not counted yet, its commission does
    not exist while it is computed)."""
    tiers = list(Tier.objects.filter(is_active=True))
    if not tiers:
        return None
    return _best_tier(tiers, _tier_counts(affiliate=affiliate, tiers=tiers, now=now))


def tier_progress(*, affiliate: AffiliateProfile, now: datetime) -> TierProgress:
    tiers = list(Tier.objects.filter(is_active=True))
    counts = _tier_counts(affiliate=affiliate, tiers=tiers, now=now)
    current = _best_tier(tiers, counts)
    current_bonus = current.bonus_percent if current else -1
    upper = [t for t in tiers if t.bonus_percent > current_bonus and counts.get(t.period_days, 0) < t.min_sales]
    upper.sort(key=lambda t: (t.min_sales - counts.get(t.period_days, 0), t.bonus_percent))
    next_tier = upper[0] if upper else None
    needed = next_tier.min_sales - counts.get(next_tier.period_days, 0) if next_tier else 0
    return TierProgress(tier=current, next_tier=next_tier, sales=counts, needed=needed)


# --- an affiliate's figures --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AffiliateTotals:
    clicks: int
    counted_clicks: int  # repeats from one address inside the window count once
    conversions: int  # sales
    conversion_rate: float  # conversions per counted click, in percent (one decimal)
    commission: int  # commission earned on those sales (pending, under review or released)


def _range_filter(field: str, date_from: date | None, date_to: date | None) -> Q:
    q = Q()
    if date_from is not None:
        q &= Q(**{f"{field}__gte": _local_start(date_from)})
    if date_to is not None:
        q &= Q(**{f"{field}__lt": _local_start(date_to + timedelta(days=1))})
    return q


def conversion_rate(conversions: int, counted_clicks: int) -> float:
    if not counted_clicks:
        return 0.0
    return round(conversions * 100 / counted_clicks, 1)


def affiliate_totals(
    *, affiliate: AffiliateProfile, date_from: date | None = None, date_to: date | None = None
) -> AffiliateTotals:
    """Clicks and sales of one affiliate in a date range (WIB calendar days, both ends included). Two queries."""
    clicks = Click.objects.filter(_range_filter("created_at", date_from, date_to), affiliate=affiliate).aggregate(
        clicks=Count("id"), counted=Count("id", filter=Q(counted=True))
    )
    sold = (
        sales()
        .filter(_range_filter("order__paid_at", date_from, date_to), affiliate=affiliate)
        .aggregate(n=Count("id"), amount=Coalesce(Sum("amount"), 0))
    )
    return AffiliateTotals(
        clicks=clicks["clicks"],
        counted_clicks=clicks["counted"],
        conversions=sold["n"],
        conversion_rate=conversion_rate(sold["n"], clicks["counted"]),
        commission=sold["amount"],
    )


@dataclass(frozen=True)
class DayPoint:
    day: date
    clicks: int
    conversions: int
    commission: int


def daily_series(*, affiliate: AffiliateProfile, date_from: date, date_to: date) -> list[DayPoint]:
    """One point per WIB day from `date_from` to `date_to` (at most a year), zeros included. Two queries."""
    if (date_to - date_from).days >= SERIES_MAX_DAYS:
        date_from = date_to - timedelta(days=SERIES_MAX_DAYS - 1)
    tz = timezone.get_current_timezone()
    clicks = dict(
        Click.objects.filter(_range_filter("created_at", date_from, date_to), affiliate=affiliate, counted=True)
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    sold = {
        row["day"]: row
        for row in sales()
        .filter(_range_filter("order__paid_at", date_from, date_to), affiliate=affiliate)
        .annotate(day=TruncDate("order__paid_at", tzinfo=tz))
        .values("day")
        .annotate(n=Count("id"), amount=Sum("amount"))
    }
    points = []
    day = date_from
    while day <= date_to:
        row = sold.get(day)
        points.append(DayPoint(day, clicks.get(day, 0), row["n"] if row else 0, row["amount"] if row else 0))
        day += timedelta(days=1)
    return points


def chart_data(points: list[DayPoint]) -> dict:
    """The series in the shape the Chart.js partial reads (json_script)."""
    return {
        "labels": [p.day.strftime("%d/%m") for p in points],
        "clicks": [p.clicks for p in points],
        "conversions": [p.conversions for p in points],
        "commission": [p.commission for p in points],
    }


def mask_name(name: str) -> str:
    """ "Budi Santoso" → "Bu*** S***": enough for the affiliate to recognise a sale, not to identify the buyer."""
    words = [w for w in (name or "").split() if w]
    if not words:
        return "***"
    first, rest = words[0], words[1:]
    return " ".join([first[:2] + "***", *(w[:1] + "***" for w in rest)])


@dataclass(frozen=True)
class RecentSale:
    buyer: str  # masked
    paid_at: datetime | None
    order_total: int
    commission: int
    status: str
    status_label: str


def recent_sales(*, affiliate: AffiliateProfile, limit: int = 10) -> list[RecentSale]:
    """The affiliate's latest commissions (every status, so a refund shows), buyer names masked. One query."""
    rows = (
        Commission.objects.filter(affiliate=affiliate)
        .select_related("order")
        .only("amount", "status", "created_at", "order__buyer_name", "order__paid_at", "order__total")
        .order_by("-created_at", "-id")[:limit]
    )
    return [
        RecentSale(
            buyer=mask_name(c.order.buyer_name),
            paid_at=c.order.paid_at,
            order_total=c.order.total,
            commission=c.amount,
            status=c.status,
            status_label=str(c.get_status_display()),
        )
        for c in rows
    ]


def short_link_stats(*, affiliate: AffiliateProfile, limit: int = 20) -> list[ShortLink]:
    """The affiliate's short links with `click_count` and `counted_count`, most clicked first. One query."""
    return list(
        ShortLink.objects.filter(affiliate=affiliate)
        .select_related("domain")
        .annotate(click_count=Count("click"), counted_count=Count("click", filter=Q(click__counted=True)))
        .order_by("-click_count", "slug")[:limit]
    )


def landing_stats(
    *, affiliate: AffiliateProfile, date_from: date | None = None, date_to: date | None = None, limit: int = 10
):
    """Pages visitors landed on through the affiliate's links: [{"landing_path", "clicks", "counted"}]. One query."""
    return list(
        Click.objects.filter(_range_filter("created_at", date_from, date_to), affiliate=affiliate)
        .values("landing_path")
        .annotate(clicks=Count("id"), counted=Count("id", filter=Q(counted=True)))
        .order_by("-clicks", "landing_path")[:limit]
    )


# --- challenges --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChallengeProgress:
    challenge: Challenge
    sales: int
    percent: int  # 0..100 for the progress bar
    state: str  # "running" | "upcoming" | "closed"
    reached: bool
    award_amount: int | None  # the reward posted to this affiliate, when it was


def challenges_for(*, affiliate: AffiliateProfile, now: datetime, limit: int = 20) -> list[ChallengeProgress]:
    """Active challenges (running and upcoming first, then the latest closed ones) with the affiliate's sales in
    each window. One query for the challenges with their counts and this affiliate's award."""
    sold = (
        sales()
        .filter(
            affiliate=affiliate,
            order__paid_at__gte=OuterRef("starts_at"),
            order__paid_at__lt=OuterRef("ends_at"),
        )
        .order_by()
        .values("affiliate")
        .annotate(n=Count("id"))
        .values("n")
    )
    award = ChallengeAward.objects.filter(challenge=OuterRef("pk"), affiliate=affiliate).values("amount")[:1]
    rows = (
        Challenge.objects.filter(is_active=True)
        .annotate(
            my_sales=Coalesce(Subquery(sold, output_field=IntegerField()), Value(0)),
            my_award=Subquery(award),
        )
        .order_by("-ends_at", "-id")[:limit]
    )
    result = []
    for c in rows:
        state = "upcoming" if c.starts_at > now else ("closed" if c.ends_at <= now else "running")
        percent = 100 if c.target_sales == 0 else min(100, c.my_sales * 100 // c.target_sales)
        result.append(
            ChallengeProgress(
                challenge=c,
                sales=c.my_sales,
                percent=percent,
                state=state,
                reached=c.my_sales >= c.target_sales,
                award_amount=c.my_award,
            )
        )
    # Running first (ending soonest first), then upcoming (starting soonest), then closed (latest first).
    running = sorted((p for p in result if p.state == "running"), key=lambda p: p.challenge.ends_at)
    upcoming = sorted((p for p in result if p.state == "upcoming"), key=lambda p: p.challenge.starts_at)
    closed = [p for p in result if p.state == "closed"]
    return running + upcoming + closed


def challenge_sales_counts(*, challenge: Challenge) -> list[dict]:
    """Sales per affiliate inside a challenge's window, best first: [{"affiliate_id", "sales"}]. One query. The
    finance sweep that posts challenge rewards reads this."""
    return list(
        sales()
        .filter(order__paid_at__gte=challenge.starts_at, order__paid_at__lt=challenge.ends_at)
        .values("affiliate_id")
        .annotate(sales=Count("id"))
        .order_by("-sales", "affiliate_id")
    )


# --- leaderboard -------------------------------------------------------------------------------------------------


def period_start(period: str, *, now: datetime) -> datetime | None:
    """Start of "week" (Monday 00:00 WIB), "month" (the 1st, 00:00 WIB); None for "all"."""
    today = timezone.localtime(now).date()
    if period == "week":
        return _local_start(today - timedelta(days=today.weekday()))
    if period == "month":
        return _local_start(today.replace(day=1))
    return None


@dataclass(frozen=True)
class LeaderRow:
    rank: int
    affiliate_id: int
    code: str
    name: str  # first name and initial of the last name
    sales: int
    commission: int


def public_name(full_name: str, fallback: str) -> str:
    words = (full_name or "").split()
    if not words:
        return fallback
    return words[0] if len(words) == 1 else f"{words[0]} {words[-1][:1]}."


def leaderboard(*, period: str, by: str, now: datetime, limit: int = 20) -> list[LeaderRow]:
    """Top affiliates by sales (paid referred orders) or by commission in the period. One query."""
    start = period_start(period, now=now)
    qs = sales().filter(order__paid_at__lte=now)
    if start is not None:
        qs = qs.filter(order__paid_at__gte=start)
    order = ("-commission", "-sales") if by == "commission" else ("-sales", "-commission")
    rows = (
        qs.values("affiliate_id", "affiliate__code", "affiliate__user__full_name")
        .annotate(sales=Count("id"), commission=Sum("amount"))
        .order_by(*order, "affiliate__code")[:limit]
    )
    return [
        LeaderRow(
            rank=i,
            affiliate_id=r["affiliate_id"],
            code=r["affiliate__code"],
            name=public_name(r["affiliate__user__full_name"], r["affiliate__code"]),
            sales=r["sales"],
            commission=r["commission"] or 0,
        )
        for i, r in enumerate(rows, start=1)
    ]


# --- admin -------------------------------------------------------------------------------------------------------


def affiliate_list_admin(*, q: str = "", status: str = "") -> QuerySet[AffiliateProfile]:
    """Affiliates with their click, sale and commission totals as subqueries: one query per page."""

    def _count(model_qs):
        return Coalesce(
            Subquery(
                model_qs.filter(affiliate=OuterRef("pk"))
                .order_by()
                .values("affiliate")
                .annotate(n=Count("id"))
                .values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        )

    def _sum(status_in):
        return Coalesce(
            Subquery(
                Commission.objects.filter(affiliate=OuterRef("pk"), status__in=status_in)
                .order_by()
                .values("affiliate")
                .annotate(total=Sum("amount"))
                .values("total")
            ),
            Value(0),
        )

    qs = (
        AffiliateProfile.objects.select_related("user")
        .annotate(
            click_total=_count(Click.objects.all()),
            counted_total=_count(Click.objects.filter(counted=True)),
            sale_total=_count(sales()),
            commission_pending=_sum((CommissionStatus.PENDING, CommissionStatus.REVIEW)),
            commission_available=_sum((CommissionStatus.AVAILABLE,)),
        )
        .order_by("-created_at", "-id")
    )
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(user__full_name__icontains=q) | Q(user__email__icontains=q))
    return qs


def affiliate_get(*, pk: int) -> AffiliateProfile | None:
    return AffiliateProfile.objects.select_related("user").filter(pk=pk).first()


def affiliate_for_user(user) -> AffiliateProfile | None:
    if not user.is_authenticated:
        return None
    return AffiliateProfile.objects.filter(user=user).first()


def kit_items(*, active_only: bool = True, kind: str = "") -> QuerySet[MarketingKitItem]:
    qs = MarketingKitItem.objects.all()
    if active_only:
        qs = qs.filter(is_active=True)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


# --- links for the marketing kit -----------------------------------------------------------------------------------


def kit_targets() -> list[tuple[str, str]]:
    """[("plan:gold", "Membership · Gold"), ("product:ebook", "Produk · Ebook")] for active plans and published
    products. Two queries."""
    plans = MembershipPlan.objects.filter(status=PlanStatus.ACTIVE).order_by("sort_order", "rank", "id")
    products = Product.objects.filter(status=ProductStatus.PUBLISHED).order_by("title")
    return [
        *((f"plan:{slug}", f"{_('Membership')} · {title}") for slug, title in plans.values_list("slug", "title")),
        *((f"product:{slug}", f"{_('Produk')} · {title}") for slug, title in products.values_list("slug", "title")),
    ]


def payouts_recent(*, user, limit: int = 5) -> list:
    """The user's latest payouts from the affiliate wallet (one query, by finance)."""
    return list(finance().payouts_recent(user=user, limit=limit))


def affiliate_wallet(*, user) -> WalletFigures:
    """The user's affiliate wallet from the ledger (one query, by finance)."""
    return finance().affiliate_wallet(user=user)
