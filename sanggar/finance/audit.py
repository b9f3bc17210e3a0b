"""Activity-log actions of finance (revenue settings are the audit app's generic "settings.changed")."""

from django.utils.translation import gettext_lazy as _

from sanggar.audit.registry import register

from .constants import FinanceAction

register(
    {
        FinanceAction.PAYOUT_REQUESTED: _("Penarikan diajukan"),
        FinanceAction.PAYOUT_APPROVED: _("Penarikan dibayar"),
        FinanceAction.PAYOUT_REJECTED: _("Penarikan ditolak"),
        FinanceAction.PAYOUT_BATCH_APPROVED: _("Penarikan massal dibayar"),
        FinanceAction.COMMISSION_CLEARED: _("Komisi disetujui"),
        FinanceAction.COMMISSION_VOIDED: _("Komisi dibatalkan"),
        FinanceAction.CHALLENGE_AWARDED: _("Hadiah challenge diberikan"),
    },
    alert=(FinanceAction.PAYOUT_REJECTED, FinanceAction.COMMISSION_VOIDED),
)
