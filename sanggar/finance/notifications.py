"""What finance tells payees about their payouts. Texts are each kind's template defaults (editable at
/admin/settings/notification-templates)."""

from django.utils.translation import gettext_lazy as _

from sanggar.notifications.notifications import TRANSACTION
from sanggar.notifications.registry import MessageDefaults, NotificationKind, register_kind

PAYOUT_PAID = "finance.payout_paid"
PAYOUT_REJECTED = "finance.payout_rejected"

CODES = (("amount", _("Jumlah penarikan (Rp)")), ("bank", _("Nama bank tujuan")))
SAMPLE = {"amount": "Rp 1.250.000", "bank": "BCA"}

register_kind(
    NotificationKind(
        key=PAYOUT_PAID,
        label=_("Penarikan dana dibayar"),
        group=TRANSACTION,
        shortcodes=CODES,
        sample=SAMPLE,
        defaults=MessageDefaults(
            inapp_title="Penarikan dana dibayar",
            inapp_body="Penarikan {amount} ke {bank} sudah ditransfer.",
            email_subject="Penarikan dana dibayar",
            email_body="Halo {name},\n\nPenarikan {amount} ke {bank} sudah ditransfer.\n\nDompet Anda: {link}",
            whatsapp="*Penarikan dana dibayar*\n\nPenarikan {amount} ke {bank} sudah ditransfer.\n\n{link}",
        ),
    )
)

register_kind(
    NotificationKind(
        key=PAYOUT_REJECTED,
        label=_("Penarikan dana ditolak"),
        group=TRANSACTION,
        shortcodes=(*CODES, ("reason", _("Alasan penolakan"))),
        sample={**SAMPLE, "reason": "Nama rekening tidak sesuai"},
        defaults=MessageDefaults(
            inapp_title="Penarikan dana ditolak",
            inapp_body="Pengajuan penarikan Anda ditolak: {reason}. Saldo dikembalikan ke dompet.",
            email_subject="Penarikan dana ditolak",
            email_body=(
                "Halo {name},\n\nPengajuan penarikan Anda ditolak: {reason}. Saldo dikembalikan ke dompet.\n\n"
                "Dompet Anda: {link}"
            ),
            whatsapp=(
                "*Penarikan dana ditolak*\n\nPengajuan penarikan Anda ditolak: {reason}. Saldo dikembalikan ke "
                "dompet.\n\n{link}"
            ),
        ),
    )
)
