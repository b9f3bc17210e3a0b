"""Dashboard card of orders: the admin's sales today and this month, pending orders (one query)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from sanggar.core.formatting import rupiah
from sanggar.core.roles import Role
from sanggar.dashboard.registry import Card, Stat, card

from . import selectors


@card(roles=(Role.ADMIN,), order=5)
def admin_sales(request) -> Card:
    summary = selectors.sales_summary()
    url = reverse("orders:admin_sales")
    stats = [
        Stat(_("Hari ini"), f"{rupiah(summary.revenue_today)} · {summary.paid_today}", f"{url}?period=today"),
        Stat(_("Bulan ini"), f"{rupiah(summary.revenue_month)} · {summary.paid_month}", f"{url}?period=month"),
        Stat(_("Menunggu pembayaran"), str(summary.pending), f"{url}?status=pending"),
    ]
    if summary.needs_review:
        stats.append(Stat(_("Perlu ditinjau"), str(summary.needs_review), f"{url}?review=1"))
    return Card(
        title=_("Penjualan"),
        icon="wallet",
        hint=_("Pendapatan dari pesanan lunas · jumlah pesanan"),
        stats=tuple(stats),
        link=url,
        link_label=_("Buka Penjualan"),
        style="list",
    )
