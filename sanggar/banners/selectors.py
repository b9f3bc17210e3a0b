"""Reads of banners: which banners a viewer sees in a placement (server-side targeting, the daily cap, dismissals,
rotation), the admin's statistics per period, and a sponsor's purchases that can still become a banner."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from sanggar.access.constants import GrantSource
from sanggar.access.models import Grant
from sanggar.accounts.models import UserRole
from sanggar.memberships.constants import MembershipStatus
from sanggar.memberships.models import UserMembership
from sanggar.memberships.selectors import membership_active_for

from .constants import Audience, Review
from .models import Banner, BannerDailyStat, BannerDismissal, BannerUserDay, SponsorPackage


def in_hours(banner: Banner, hour: int) -> bool:
    """Active hours in WIB: both empty (or equal) = all day; from < to = that span; from > to wraps past midnight."""
    start, end = banner.hour_from, banner.hour_to
    if start is None or end is None or start == end:
        return True
    if start < end:
        return start <= hour < end
    return hour >= start or hour < end


def banners_for(*, user, placement: str, roles, limit: int = 1, now=None) -> list[Banner]:
    """Approved, active banners in `placement` for this viewer: within their dates and active hours, for one of
    `roles` (the page passes the active role, the API every role of the user; a banner without roles is for
    everyone), for their membership status (premium / free / all), plan and province where the banner names them,
    not dismissed by them and under their daily cap. Highest priority first; banners of one priority rotate (the one
    this person saw least today first, then the newest). Each banner carries `shown_today` (how many times this
    person saw it today) for counting views once per person per day.

    Three queries at most whatever the number of banners: the membership, the banners, today's showings."""
    now = now or timezone.now()
    signed_in = bool(user and user.is_authenticated)
    membership = membership_active_for(user=user, now=now) if signed_in else None
    premium = membership is not None
    qs = Banner.objects.filter(placement=placement, active=True, review=Review.APPROVED, start_at__lte=now).filter(
        Q(end_at__isnull=True) | Q(end_at__gt=now)
    )
    qs = qs.filter(audience__in=[Audience.ALL, Audience.PREMIUM if premium else Audience.FREE])
    if signed_in:
        qs = qs.exclude(pk__in=BannerDismissal.objects.filter(user=user).values("banner_id"))
    # Roles, plans and provinces are matched here, not in SQL: JSON "contains" lookups exist on PostgreSQL but not on
    # SQLite (which `make run` uses). The banners running in one placement at one time are a handful.
    wanted = set(roles or ())
    plan_id = membership.plan_id if membership else None
    province = getattr(user, "province", "") if signed_in else ""
    hour = timezone.localtime(now).hour
    candidates = [
        b
        for b in qs.order_by("-priority", "-start_at", "-id")
        if (not b.target_roles or wanted & set(b.target_roles))
        and (not b.target_plans or plan_id in b.target_plans)
        and (not b.target_provinces or province in b.target_provinces)
        and in_hours(b, hour)
    ]
    shows: dict[int, int] = {}
    if signed_in and candidates:
        shows = dict(
            BannerUserDay.objects.filter(
                user=user, day=timezone.localdate(now), banner_id__in=[b.pk for b in candidates]
            ).values_list("banner_id", "shows")
        )
    shown = []
    for b in candidates:
        b.shown_today = shows.get(b.pk, 0)
        if b.daily_cap and b.shown_today >= b.daily_cap:
            continue
        shown.append(b)
    # Stable sort: the query's order (newest first) stays within a priority and a count of showings.
    shown.sort(key=lambda b: (-b.priority, b.shown_today))
    return shown[:limit]


PERIODS = {"7": 7, "30": 30, "90": 90, "semua": None}


def period_start(period: str, *, today: date | None = None) -> date | None:
    days = PERIODS.get(period, 30)
    if days is None:
        return None
    today = today or timezone.localdate()
    return today - timedelta(days=days - 1)


def banner_admin_list(*, since: date | None = None, review: str = ""):
    """Every banner with its views and clicks since `since` (all time when None); `review` filters pending or
    rejected sponsor banners. One query; CTR computed on the row."""
    zero = Value(0, output_field=IntegerField())
    window = Q(daily_stats__day__gte=since) if since else Q()
    qs = Banner.objects.select_related("package__product", "owner")
    if review in Review.values:
        qs = qs.filter(review=review)
    return qs.annotate(
        total_views=Coalesce(Sum("daily_stats__views", filter=window), zero),
        total_clicks=Coalesce(Sum("daily_stats__clicks", filter=window), zero),
    ).order_by("-active", "-priority", "-id")


def ctr(views: int, clicks: int) -> str:
    if not views:
        return "0%"
    return f"{clicks * 100 / views:.1f}%".replace(".", ",")


@dataclass(frozen=True)
class DayStat:
    day: date
    views: int
    clicks: int

    @property
    def ctr(self) -> str:
        return ctr(self.views, self.clicks)


def banner_daily(*, banner: Banner, since: date | None, today: date | None = None) -> list[DayStat]:
    """The banner's views and clicks for every day from `since` (or its first counted day) to today, days without
    a count included as zeros (one query)."""
    today = today or timezone.localdate()
    qs = BannerDailyStat.objects.filter(banner=banner, day__lte=today)
    if since:
        qs = qs.filter(day__gte=since)
    rows = {r.day: r for r in qs}
    if since is None:
        since = min(rows) if rows else today
    out = []
    day = since
    while day <= today:
        row = rows.get(day)
        out.append(DayStat(day, row.views if row else 0, row.clicks if row else 0))
        day += timedelta(days=1)
    return out


def stats_export_rows(*, since: date | None):
    """Per banner and day (only days with a count), for the CSV export: one query, ordered by banner then day."""
    qs = BannerDailyStat.objects.select_related("banner").order_by("banner_id", "day")
    if since:
        qs = qs.filter(day__gte=since)
    return qs


@dataclass(frozen=True)
class Entitlement:
    """A sponsor package bought once: `source_ref` is the purchase ("order:<invoice>")."""

    package: SponsorPackage
    source_ref: str
    bought_at: object


def sponsor_entitlements(*, user) -> list[Entitlement]:
    """The user's purchases of sponsor packages that have no banner yet (two queries)."""
    if not (user and user.is_authenticated):
        return []
    packages = {p.product.resource_id: p for p in SponsorPackage.objects.select_related("product").filter(active=True)}
    if not packages:
        return []
    grants = Grant.objects.filter(
        user=user, resource_id__in=list(packages), source=GrantSource.PURCHASE, revoked_at__isnull=True
    ).order_by("created_at", "id")
    used = set(Banner.objects.filter(owner=user, package__isnull=False).values_list("package_id", "source_ref"))
    out = []
    for g in grants:
        package = packages[g.resource_id]
        if (package.pk, g.source_ref) not in used:
            out.append(Entitlement(package, g.source_ref, g.starts_at))
    return out


def sponsor_banners(*, user):
    """The user's own sponsor banners with their all-time views and clicks."""
    zero = Value(0, output_field=IntegerField())
    return (
        Banner.objects.filter(owner=user)
        .select_related("package__product")
        .annotate(
            total_views=Coalesce(Sum("daily_stats__views"), zero),
            total_clicks=Coalesce(Sum("daily_stats__clicks"), zero),
        )
        .order_by("-id")
    )


def announcement_audience(banner: Banner, *, now=None):
    """Everyone the banner targets, as a queryset of active users: its roles (none = everyone), membership status,
    plans and provinces. Active hours, caps and dismissals are about showing it, not about telling people."""
    now = now or timezone.now()
    users = get_user_model().objects.filter(is_active=True)
    if banner.target_roles:
        users = users.filter(pk__in=UserRole.objects.filter(role__in=banner.target_roles).values("user_id"))
    if banner.target_provinces:
        users = users.filter(province__in=banner.target_provinces)
    running = UserMembership.objects.filter(status=MembershipStatus.ACTIVE).filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=now)
    )
    if banner.target_plans:
        users = users.filter(pk__in=running.filter(plan_id__in=banner.target_plans).values("user_id"))
    elif banner.audience == Audience.PREMIUM:
        users = users.filter(pk__in=running.values("user_id"))
    elif banner.audience == Audience.FREE:
        users = users.exclude(pk__in=running.values("user_id"))
    return users.order_by("pk")
