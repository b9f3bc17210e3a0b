"""`GET /api/v1/affiliate/stats`: the affiliate's figures for the mobile apps (the same selectors as the
statistics page)."""

from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from sanggar.api.auth import JWTAuth
from sanggar.api.schemas import ErrorOut
from sanggar.core.exceptions import NotFound
from sanggar.core.roles import Role

from . import selectors_stats as stats_selectors

router = Router(tags=["affiliate"], auth=JWTAuth(roles=(Role.AFFILIATE,)))

DEFAULT_DAYS = 30


class StatsFilters(Schema):
    date_from: date | None = Field(
        default=None, alias="from", description="Tanggal awal (YYYY-MM-DD, WIB); bawaan: 29 hari sebelum `to`."
    )
    date_to: date | None = Field(default=None, alias="to", description="Tanggal akhir (YYYY-MM-DD); bawaan: hari ini.")


class TierOut(Schema):
    name: str
    bonus_percent: int
    min_sales: int
    period_days: int


class TotalsOut(Schema):
    clicks: int
    counted_clicks: int = Field(description="Klik unik: klik berulang dari satu alamat dalam jendela atribusi = 1.")
    conversions: int = Field(description="Pesanan lunas dari link affiliate (tanpa refund / dibatalkan).")
    conversion_rate: float = Field(description="Konversi per klik unik, dalam persen (satu desimal).")
    commission: int = Field(description="Komisi dari konversi dalam periode (rupiah).")


class AffiliateWalletOut(Schema):
    pending: int
    available: int
    reserved: int
    paid_out: int


class DayOut(Schema):
    date: date
    clicks: int = Field(description="Klik unik pada hari itu.")
    conversions: int
    commission: int


class SaleOut(Schema):
    buyer: str = Field(description="Nama pembeli yang disamarkan, mis. `Bu*** S***`.")
    paid_at: datetime | None
    order_total: int
    commission: int
    status: str


class AffiliateStatsOut(Schema):
    code: str
    status: str
    date_from: date = Field(serialization_alias="from")
    date_to: date = Field(serialization_alias="to")
    totals: TotalsOut
    wallet: AffiliateWalletOut
    tier: TierOut | None
    series: list[DayOut]
    recent_sales: list[SaleOut]


@router.get(
    "/affiliate/stats",
    response={200: AffiliateStatsOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    by_alias=True,
    summary="Statistik affiliate",
    description="Klik, klik unik, konversi, tingkat konversi dan komisi dalam periode (bawaan: 30 hari terakhir, "
    "maksimal satu tahun), dompet affiliate (tertahan, tersedia, diajukan, sudah ditarik), tier yang berlaku, "
    "deret harian untuk grafik, dan 10 penjualan terbaru dengan nama pembeli disamarkan. Hanya untuk affiliate.",
)
def affiliate_stats(request, filters: Query[StatsFilters]):
    affiliate = stats_selectors.affiliate_for_user(request.auth)
    if affiliate is None:
        raise NotFound(_("Profil affiliate tidak ditemukan."))
    date_to = filters.date_to or timezone.localdate()
    date_from = filters.date_from or date_to - timedelta(days=DEFAULT_DAYS - 1)
    if date_from > date_to:
        date_from, date_to = date_to, date_from
    if (date_to - date_from).days >= stats_selectors.SERIES_MAX_DAYS:
        date_from = date_to - timedelta(days=stats_selectors.SERIES_MAX_DAYS - 1)
    totals = stats_selectors.affiliate_totals(affiliate=affiliate, date_from=date_from, date_to=date_to)
    wallet = stats_selectors.affiliate_wallet(user=request.auth)
    tier = stats_selectors.tier_for(affiliate=affiliate, now=timezone.now())
    points = stats_selectors.daily_series(affiliate=affiliate, date_from=date_from, date_to=date_to)
    sales = stats_selectors.recent_sales(affiliate=affiliate)
    return {
        "code": affiliate.code,
        "status": affiliate.status,
        "date_from": date_from,
        "date_to": date_to,
        "totals": totals.__dict__,
        "wallet": wallet.__dict__,
        "tier": None
        if tier is None
        else {
            "name": tier.name,
            "bonus_percent": tier.bonus_percent,
            "min_sales": tier.min_sales,
            "period_days": tier.period_days,
        },
        "series": [
            {"date": p.day, "clicks": p.clicks, "conversions": p.conversions, "commission": p.commission}
            for p in points
        ],
        "recent_sales": [
            {
                "buyer": s.buyer,
                "paid_at": s.paid_at,
                "order_total": s.order_total,
                "commission": s.commission,
                "status": s.status,
            }
            for s in sales
        ],
    }
