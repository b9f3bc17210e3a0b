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

COMMISSION_NEW = "finance.commission_new"
COMMISSION_AVAILABLE = "finance.commission_available"

COMMISSION_CODES = (
    ("amount", _("Jumlah komisi (Rp)")),
    ("invoice", _("Nomor invoice penjualan")),
    ("item", _("Yang dibeli")),
    ("available_date", _("Tanggal komisi bisa ditarik")),
)
COMMISSION_SAMPLE = {"amount": "Rp 299.700", "invoice": "INV000123", "item": "Membership Gold 12 Bulan",
                     "available_date": "12 Des 2026"}  # fmt: skip

register_kind(
    NotificationKind(
        key=COMMISSION_NEW,
        label=_("Komisi baru masuk (affiliate)"),
        group=TRANSACTION,
        shortcodes=COMMISSION_CODES,
        sample=COMMISSION_SAMPLE,
        defaults=MessageDefaults(
            inapp_title="Komisi baru {amount}",
            inapp_body="Penjualan {invoice} ({item}) lewat link Anda. Komisi tertahan sampai {available_date}.",
            email_subject="Komisi baru {amount}",
            email_body=(
                "Halo {name},\n\nAda penjualan {invoice} ({item}) lewat link Anda. Komisi {amount} tertahan sampai "
                "{available_date}, lalu bisa ditarik.\n\nDompet Anda: {link}"
            ),
            whatsapp=(
                "*Komisi baru {amount}*\n\nPenjualan {invoice} ({item}) lewat link Anda. "
                "Komisi tertahan sampai {available_date}.\n\n{link}"
            ),
        ),
    )
)

register_kind(
    NotificationKind(
        key=COMMISSION_AVAILABLE,
        label=_("Komisi disetujui dan bisa ditarik (affiliate)"),
        group=TRANSACTION,
        shortcodes=COMMISSION_CODES,
        sample=COMMISSION_SAMPLE,
        defaults=MessageDefaults(
            inapp_title="Komisi {amount} bisa ditarik",
            inapp_body="Komisi dari penjualan {invoice} ({item}) sudah disetujui dan masuk saldo tersedia.",
            email_subject="Komisi {amount} bisa ditarik",
            email_body=(
                "Halo {name},\n\nKomisi {amount} dari penjualan {invoice} ({item}) sudah disetujui dan masuk saldo "
                "tersedia. Ajukan penarikan kapan saja.\n\nDompet Anda: {link}"
            ),
            whatsapp=(
                "*Komisi {amount} bisa ditarik*\n\nKomisi dari penjualan {invoice} ({item}) sudah disetujui dan "
                "masuk saldo tersedia.\n\n{link}"
            ),
        ),
    )
)
