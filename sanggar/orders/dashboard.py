"""Dashboard cards of orders: the admin's sales today and this month, pending orders (one query), and the sales
of the last 30 days as a chart (one query)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from sanggar.core.formatting import rupiah, tanggal_pendek
from sanggar.core.roles import Role
from sanggar.dashboard.registry import Card, Stat, bar, card, chart, line

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


@card(roles=(Role.ADMIN,), order=6)
def admin_sales_chart(request) -> Card:
    points = selectors.sales_daily(days=30)
    return Card(
        title=_("Penjualan 30 hari"),
        icon="chart-column",
        value=rupiah(sum(p["revenue"] for p in points)),
        hint=_("%(n)s pesanan lunas; per hari menurut waktu bayar") % {"n": sum(p["orders"] for p in points)},
        style="wide",
        chart=chart(
            "sales",
            [tanggal_pendek(p["date"]) for p in points],
            bar(_("Pendapatan"), [p["revenue"] for p in points], money=True),
            line(_("Pesanan"), [p["orders"] for p in points]),
        ),
    )
