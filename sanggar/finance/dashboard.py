"""Dashboard cards of finance: the wallet of each earning role, and the admin's payout queue (one query each)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from sanggar.core.formatting import bulan, rupiah
from sanggar.core.roles import Role
from sanggar.dashboard.registry import Card, Stat, bar, card, chart

from . import selectors


@card(roles=(Role.MENTOR, Role.FOUNDER, Role.COFOUNDER), order=20)
def wallet(request) -> Card | None:
    balances = selectors.wallet_balances(user=request.user)
    if not balances:
        return None
    url = reverse("finance:wallet")
    stats = tuple(
        Stat(w.label, f"{rupiah(w.available)} · {_('tertahan')} {rupiah(w.pending)}", f"{url}?wallet={w.kind}")
        for w in balances
    )
    return Card(
        title=_("Dompet"),
        icon="wallet",
        hint=_("Saldo tersedia · tertahan"),
        stats=stats,
        link=url,
        link_label=_("Buka Dompet"),
        style="list",
    )


@card(roles=(Role.ADMIN,), order=15)
def payout_queue(request) -> Card:
    queue = selectors.payout_queue_summary()
    url = reverse("finance:admin_payouts")
    return Card(
        title=_("Penarikan Dana"),
        icon="banknote",
        hint=_("Pengajuan yang menunggu persetujuan"),
        stats=(Stat(_("Menunggu"), f"{queue.requested} · {rupiah(queue.requested_amount)}", url),),
        link=url,
        link_label=_("Buka antrean"),
        style="list",
    )


@card(roles=(Role.FOUNDER, Role.COFOUNDER), order=5)
def founder_revenue(request) -> Card:
    """Revenue and the founder's own share, this month beside last month."""
    last, this = selectors.founder_months(user=request.user)
    return Card(
        title=_("Pendapatan & bagian Anda"),
        icon="chart-column",
        value=rupiah(this["share"]),
        hint=_("Bagian Anda bulan ini dari pendapatan %(gross)s · bulan lalu %(share)s dari %(last)s")
        % {"gross": rupiah(this["gross"]), "share": rupiah(last["share"]), "last": rupiah(last["gross"])},
        style="wide",
        chart=chart(
            "founder",
            [bulan(last["month"]), bulan(this["month"])],
            bar(_("Pendapatan"), [last["gross"], this["gross"]], money=True, color="primary"),
            bar(_("Bagian Anda"), [last["share"], this["share"]], money=True, color="secondary"),
        ),
    )
