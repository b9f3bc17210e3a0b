"""Dashboard cards of the affiliate programme: the affiliate's performance, commission wallet, a chart of the last
30 days, recent sales (buyer names masked) and payouts; the admin's programme overview. Each card runs a fixed
number of queries; the affiliate profile is looked up once per request."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.core.formatting import rupiah, tanggal
from sanggar.core.roles import Role
from sanggar.dashboard.registry import Card, Stat, card

from . import selectors_stats as stats_selectors
from .constants import AffiliateStatus, CommissionStatus
from .models import AffiliateProfile, Commission

CHART_DAYS = 30


@dataclass(frozen=True)
class TemplateCard(Card):
    """A card with its own body template (`template`, rendered with `card`); shows as a plain card where the
    dashboard page does not render card templates."""

    template: str = ""
    context: dict = field(default_factory=dict)


def _affiliate(request):
    if not hasattr(request, "_affiliate_profile"):
        request._affiliate_profile = stats_selectors.affiliate_for_user(request.user)
    return request._affiliate_profile


def _last_days():
    today = timezone.localdate()
    return today - timedelta(days=CHART_DAYS - 1), today


@card(roles=(Role.AFFILIATE,), order=20)
def affiliate_performance(request) -> Card | None:
    affiliate = _affiliate(request)
    if affiliate is None:
        return None
    date_from, date_to = _last_days()
    totals = stats_selectors.affiliate_totals(affiliate=affiliate, date_from=date_from, date_to=date_to)
    hint = _("30 hari terakhir · kode %(code)s") % {"code": affiliate.code}
    if affiliate.status == AffiliateStatus.SUSPENDED:
        hint = _("Akun affiliate ditangguhkan · kode %(code)s") % {"code": affiliate.code}
    return Card(
        title=_("Performa Affiliate"),
        icon="mouse-pointer-click",
        hint=hint,
        stats=(
            Stat(_("Klik"), f"{totals.clicks} ({totals.counted_clicks} {_('unik')})"),
            Stat(_("Konversi"), str(totals.conversions)),
            Stat(_("Tingkat konversi"), f"{totals.conversion_rate:.1f}%".replace(".", ",")),
        ),
        link=reverse("affiliates:stats"),
        link_label=_("Statistik lengkap"),
        style="list",
    )


@card(roles=(Role.AFFILIATE,), order=21)
def affiliate_commission(request) -> Card | None:
    if _affiliate(request) is None:
        return None
    wallet = stats_selectors.affiliate_wallet(user=request.user)
    return Card(
        title=_("Komisi"),
        icon="hand-coins",
        hint=_("Komisi tertahan selama masa tahan, lalu tersedia untuk ditarik."),
        stats=(
            Stat(_("Tertahan"), rupiah(wallet.pending)),
            Stat(_("Tersedia"), rupiah(wallet.available)),
            Stat(_("Sudah ditarik"), rupiah(wallet.paid_out)),
        ),
        link=reverse("finance:wallet"),
        link_label=_("Buka dompet"),
        style="list",
    )


@card(roles=(Role.AFFILIATE,), order=22)
def affiliate_chart(request) -> Card | None:
    affiliate = _affiliate(request)
    if affiliate is None:
        return None
    date_from, date_to = _last_days()
    points = stats_selectors.daily_series(affiliate=affiliate, date_from=date_from, date_to=date_to)
    return TemplateCard(
        title=_("Klik & Komisi 30 Hari"),
        icon="chart-line",
        hint=_("Komisi %(amount)s dari %(n)s penjualan")
        % {"amount": rupiah(sum(p.commission for p in points)), "n": sum(p.conversions for p in points)},
        link=reverse("affiliates:stats"),
        link_label=_("Lihat grafik"),
        style="wide",
        template="affiliates/dashboard_card_chart.html",
        context={"chart": stats_selectors.chart_data(points)},
    )


@card(roles=(Role.AFFILIATE,), order=23)
def affiliate_recent_sales(request) -> Card | None:
    affiliate = _affiliate(request)
    if affiliate is None:
        return None
    sales = stats_selectors.recent_sales(affiliate=affiliate, limit=5)
    return Card(
        title=_("Penjualan Terbaru"),
        icon="receipt",
        hint="" if sales else _("Belum ada penjualan dari link Anda."),
        stats=tuple(Stat(f"{tanggal(s.paid_at)} · {s.buyer} · {s.status_label}", rupiah(s.commission)) for s in sales),
        link=reverse("affiliates:links"),
        link_label=_("Ambil link affiliate"),
        style="list",
    )


@card(roles=(Role.AFFILIATE,), order=24)
def affiliate_payouts(request) -> Card | None:
    if _affiliate(request) is None:
        return None
    payouts = stats_selectors.payouts_recent(user=request.user, limit=3)
    return Card(
        title=_("Penarikan"),
        icon="banknote",
        hint="" if payouts else _("Belum ada penarikan."),
        stats=tuple(
            Stat(f"{rupiah(p.amount)} · {tanggal(p.requested_at)}", str(p.get_status_display())) for p in payouts
        ),
        link=reverse("finance:wallet"),
        link_label=_("Tarik komisi"),
        style="list",
    )


@card(roles=(Role.ADMIN,), order=30)
def admin_affiliates(request) -> Card:
    profiles = AffiliateProfile.objects.aggregate(
        active=Count("id", filter=Q(status=AffiliateStatus.ACTIVE)),
        suspended=Count("id", filter=Q(status=AffiliateStatus.SUSPENDED)),
    )
    month_start = stats_selectors.period_start("month", now=timezone.now())
    commissions = Commission.objects.aggregate(
        review=Count("id", filter=Q(status=CommissionStatus.REVIEW)),
        month=Count("id", filter=Q(order__paid_at__gte=month_start) & ~Q(status__in=stats_selectors.NOT_SALES)),
    )
    url = reverse("affiliates:admin_affiliates")
    stats = [
        Stat(_("Affiliate aktif"), str(profiles["active"]), f"{url}?status=active"),
        Stat(_("Penjualan affiliate bulan ini"), str(commissions["month"])),
    ]
    if profiles["suspended"]:
        stats.append(Stat(_("Ditangguhkan"), str(profiles["suspended"]), f"{url}?status=suspended"))
    if commissions["review"]:
        stats.append(
            Stat(_("Komisi perlu ditinjau"), str(commissions["review"]), reverse("affiliates:admin_decisions"))
        )
    return Card(
        title=_("Program affiliate"),
        icon="users",
        stats=tuple(stats),
        link=url,
        link_label=_("Kelola affiliate"),
        style="list",
    )
