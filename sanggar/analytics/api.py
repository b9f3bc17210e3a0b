"""GET /api/v1/admin/analytics/summary: the figures of /admin/analytics as JSON."""

from datetime import date

from ninja import Query, Router, Schema
from pydantic import Field

from sanggar.api.auth import admin_auth
from sanggar.api.schemas import ErrorOut

from .selectors import analytics_summary, period_make

API_ORDER = 95
router = Router(tags=["admin: analitik"])


class SummaryFilters(Schema):
    from_: date | None = Field(default=None, alias="from", description="Tanggal awal (WIB); kosong: 30 hari terakhir.")
    to: date | None = Field(default=None, description="Tanggal akhir (WIB), termasuk; kosong: hari ini.")
    per: str = Field(default="day", pattern="^(day|week|month)$", description="Pengelompokan deret: day, week, month.")


class SeriesOut(Schema):
    labels: list[str]
    values: list[int]


class GroupOut(Schema):
    label: str
    revenue: int
    count: int


class ConversionOut(Schema):
    plan: str
    checkouts: int
    paid: int
    rate: float = Field(description="Persen checkout yang lunas.")
    visits: int = Field(0, description="Kunjungan halaman penjualan paket (sekali per pengunjung per hari).")
    visit_rate: float = Field(0.0, description="Persen kunjungan yang berakhir lunas.")


class SummaryOut(Schema):
    start: date
    end: date
    per: str
    new_members: int
    active_premium: int
    free_members: int
    churned: int
    revenue: int = Field(description="Total pesanan lunas dalam periode (rupiah).")
    paid_orders: int
    renewals: int
    renewal_rate: float = Field(description="Perpanjangan ÷ (perpanjangan + membership yang berakhir), persen.")
    members_series: SeriesOut
    revenue_series: SeriesOut
    by_plan: list[GroupOut]
    by_product: list[GroupOut]
    by_provider: list[GroupOut]
    top_affiliates: list[GroupOut]
    conversion: list[ConversionOut]


def _groups(rows) -> list[dict]:
    return [{"label": r.label, "revenue": r.value, "count": r.count} for r in rows]


@router.get(
    "/admin/analytics/summary",
    auth=admin_auth,
    response={200: SummaryOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Ringkasan analitik (admin)",
    description="Member (baru, premium aktif, free, churn), pendapatan per paket, produk, metode pembayaran dan "
    "affiliate, konversi checkout → lunas per paket dan tingkat perpanjangan untuk periode `from`–`to` (maks. 2 "
    "tahun), dengan deret per `per`.",
)
def analytics_summary_api(request, filters: Query[SummaryFilters]):
    s = analytics_summary(period=period_make(start=filters.from_, end=filters.to, granularity=filters.per))
    return {
        "start": s.period.start,
        "end": s.period.end,
        "per": s.period.granularity,
        "new_members": s.new_members,
        "active_premium": s.active_premium,
        "free_members": s.free_members,
        "churned": s.churned,
        "revenue": s.revenue,
        "paid_orders": s.paid_orders,
        "renewals": s.renewals,
        "renewal_rate": s.renewal_rate,
        "members_series": {"labels": s.members_series.labels, "values": s.members_series.values},
        "revenue_series": {"labels": s.revenue_series.labels, "values": s.revenue_series.values},
        "by_plan": _groups(s.by_plan),
        "by_product": _groups(s.by_product),
        "by_provider": _groups(s.by_provider),
        "top_affiliates": _groups(s.by_affiliate),
        "conversion": [
            {
                "plan": c.plan,
                "checkouts": c.checkouts,
                "paid": c.paid,
                "rate": c.rate,
                "visits": c.visits,
                "visit_rate": c.visit_rate,
            }
            for c in s.conversion
        ],
    }
