"""The leaderboard: top affiliates this week, this month or of all time, by paid referred orders or by commission.
Affiliates and admins see it."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.core.permissions import role_required
from sanggar.core.roles import Role

from .. import selectors_stats as stats_selectors
from .stats import current_affiliate


def period_options():
    return [("week", _("Minggu ini")), ("month", _("Bulan ini")), ("all", _("Semua"))]


def order_options():
    return [("sales", _("Penjualan")), ("commission", _("Komisi"))]


@role_required(Role.AFFILIATE, Role.ADMIN)
def leaderboard(request):
    period = request.GET.get("period", "month")
    period = period if period in stats_selectors.LEADERBOARD_PERIODS else "month"
    by = request.GET.get("by", "sales")
    by = by if by in stats_selectors.LEADERBOARD_ORDERS else "sales"
    affiliate = current_affiliate(request) if request.user.has_role(Role.AFFILIATE) else None
    rows = stats_selectors.leaderboard(period=period, by=by, now=timezone.now())
    context = {
        "rows": rows,
        "period": period,
        "by": by,
        "periods": period_options(),
        "orders": order_options(),
        "my_id": affiliate.pk if affiliate else None,
        "show_codes": request.user.has_role(Role.ADMIN),
    }
    return render(request, "affiliates/leaderboard.html", context)
