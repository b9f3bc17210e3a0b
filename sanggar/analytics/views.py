"""/admin/analytics: members, revenue, conversion, renewals and top affiliates with charts, and a CSV of every
chart (`?csv=<chart>`)."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanggar.core.listing import csv_response, parse_date
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role

from .selectors import analytics_summary, period_make

admin_only = role_required(Role.ADMIN)

GRANULARITY_LABELS = {"day": gettext_lazy("Harian"), "week": gettext_lazy("Mingguan"), "month": gettext_lazy("Bulanan")}


def _period(request):
    return period_make(
        start=parse_date(request.GET.get("from")),
        end=parse_date(request.GET.get("to")),
        granularity=request.GET.get("per", "day"),
    )


def _csv(summary, chart: str):
    p = summary.period
    name = f"analitik-{chart}-{p.start.isoformat()}-{p.end.isoformat()}.csv"
    if chart == "members":
        return csv_response(
            name, [_("Periode"), _("Member baru")], zip(summary.members_series.labels, summary.members_series.values)
        )
    if chart == "revenue":
        return csv_response(
            name,
            [_("Periode"), _("Pendapatan (Rp)")],
            zip(summary.revenue_series.labels, summary.revenue_series.values),
        )
    groups = {
        "plan": (_("Paket"), summary.by_plan),
        "product": (_("Produk"), summary.by_product),
        "provider": (_("Metode pembayaran"), summary.by_provider),
        "affiliate": (_("Affiliate"), summary.by_affiliate),
    }
    if chart in groups:
        label, rows = groups[chart]
        return csv_response(
            name, [label, _("Pendapatan (Rp)"), _("Jumlah")], ((r.label, r.value, r.count) for r in rows)
        )
    if chart == "conversion":
        return csv_response(
            name,
            [
                _("Paket"),
                _("Kunjungan halaman penjualan"),
                _("Checkout"),
                _("Lunas"),
                _("Kunjungan → checkout (%)"),
                _("Checkout → lunas (%)"),
                _("Kunjungan → lunas (%)"),
            ],
            (
                (c.plan, c.visits, c.checkouts, c.paid, c.checkout_rate, c.rate, c.visit_rate)
                for c in summary.conversion
            ),
        )
    raise Http404


@admin_only
def analytics(request):
    summary = analytics_summary(period=_period(request))
    chart = request.GET.get("csv")
    if chart:
        return _csv(summary, chart)
    p = summary.period
    chart_data = {
        "members": {"labels": summary.members_series.labels, "values": summary.members_series.values},
        "revenue": {"labels": summary.revenue_series.labels, "values": summary.revenue_series.values},
        "plan": {"labels": [r.label for r in summary.by_plan], "values": [r.value for r in summary.by_plan]},
        "product": {"labels": [r.label for r in summary.by_product], "values": [r.value for r in summary.by_product]},
        "provider": {
            "labels": [r.label for r in summary.by_provider],
            "values": [r.value for r in summary.by_provider],
        },
        "affiliate": {
            "labels": [r.label for r in summary.by_affiliate],
            "values": [r.value for r in summary.by_affiliate],
        },
    }
    query = f"from={p.start.isoformat()}&to={p.end.isoformat()}&per={p.granularity}"
    return render(
        request,
        "analytics/admin.html",
        {
            "s": summary,
            "chart": chart_data,
            "query": query,
            "granularities": list(GRANULARITY_LABELS.items()),
            "groups": [
                ("plan", _("Pendapatan per paket"), summary.by_plan),
                ("product", _("Pendapatan per produk"), summary.by_product),
                ("provider", _("Pendapatan per metode pembayaran"), summary.by_provider),
                ("affiliate", _("Affiliate teratas"), summary.by_affiliate),
            ],
        },
    )
