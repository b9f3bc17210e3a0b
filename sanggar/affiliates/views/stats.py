"""The affiliate's statistics page: clicks, conversions, conversion rate, commission, a chart over time, tier
progress, per-link figures, recent sales (buyer names masked) and the wallet with payout history."""

from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone

from sanggar.core.listing import parse_date
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role

from .. import selectors_stats as stats_selectors

affiliate_only = role_required(Role.AFFILIATE)
DEFAULT_DAYS = 30


def current_affiliate(request):
    """The signed-in user's affiliate profile (looked up once per request), or None."""
    if not hasattr(request, "_affiliate_profile"):
        request._affiliate_profile = stats_selectors.affiliate_for_user(request.user)
    return request._affiliate_profile


def no_profile(request):
    return render(request, "affiliates/stats_no_profile.html")


def date_range(request) -> tuple:
    """?from=YYYY-MM-DD&to=YYYY-MM-DD; the last 30 days by default; swapped when reversed; at most a year."""
    today = timezone.localdate()
    date_to = parse_date(request.GET.get("to")) or today
    date_from = parse_date(request.GET.get("from")) or date_to - timedelta(days=DEFAULT_DAYS - 1)
    if date_from > date_to:
        date_from, date_to = date_to, date_from
    if (date_to - date_from).days >= stats_selectors.SERIES_MAX_DAYS:
        date_from = date_to - timedelta(days=stats_selectors.SERIES_MAX_DAYS - 1)
    return date_from, date_to


@affiliate_only
def stats(request):
    affiliate = current_affiliate(request)
    if affiliate is None:
        return no_profile(request)
    date_from, date_to = date_range(request)
    now = timezone.now()
    points = stats_selectors.daily_series(affiliate=affiliate, date_from=date_from, date_to=date_to)
    context = {
        "affiliate": affiliate,
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "totals": stats_selectors.affiliate_totals(affiliate=affiliate, date_from=date_from, date_to=date_to),
        "chart": stats_selectors.chart_data(points),
        "progress": stats_selectors.tier_progress(affiliate=affiliate, now=now),
        "wallet": stats_selectors.affiliate_wallet(user=request.user),
        "short_links": stats_selectors.short_link_stats(affiliate=affiliate),
        "landings": stats_selectors.landing_stats(affiliate=affiliate, date_from=date_from, date_to=date_to),
        "recent": stats_selectors.recent_sales(affiliate=affiliate),
        "payouts": stats_selectors.payouts_recent(user=request.user),
    }
    return render(request, "affiliates/stats.html", context)
