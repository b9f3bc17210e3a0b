"""What payments tell the admins: a payment refused for its amount, a payment that needs a review, a refund a
provider reported. Texts are each kind's template defaults (editable at /admin/settings/notification-templates)."""

from django.utils.translation import gettext_lazy as _

from sanggar.notifications.notifications import TRANSACTION
from sanggar.notifications.registry import MessageDefaults, NotificationKind, register_kind

ADMIN_AMOUNT_MISMATCH = "payments.admin_amount_mismatch"
ADMIN_NEEDS_REVIEW = "payments.admin_needs_review"
ADMIN_PROVIDER_REFUND = "payments.admin_provider_refund"

CODES = (
    ("invoice", _("Nomor invoice")),
    ("provider", _("Penyedia pembayaran")),
    ("amount", _("Jumlah yang dilaporkan penyedia (Rp)")),
)
SAMPLE = {"invoice": "INV000123", "provider": "xendit", "amount": "Rp 650.000"}

register_kind(
    NotificationKind(
        key=ADMIN_AMOUNT_MISMATCH,
        label=_("Pembayaran ditolak: jumlah tidak cocok (admin)"),
        group=TRANSACTION,
        shortcodes=(*CODES, ("total", _("Tagihan pesanan (Rp)"))),
        sample={**SAMPLE, "amount": "Rp 649.999", "total": "Rp 650.000"},
        defaults=MessageDefaults(
            inapp_title="Pembayaran {invoice} ditolak: jumlah tidak cocok",
            inapp_body=(
                "Jumlah pembayaran {amount} tidak sama dengan tagihan {total} untuk {invoice}. "
                "Periksa di {provider} sebelum menandai lunas."
            ),
            email_subject="Pembayaran {invoice} ditolak: jumlah tidak cocok",
            email_body=(
                "Jumlah pembayaran {amount} tidak sama dengan tagihan {total} untuk {invoice}. "
                "Periksa di {provider} sebelum menandai lunas.\n\nDetail penjualan: {link}"
            ),
            whatsapp=(
                "*Pembayaran {invoice} ditolak: jumlah tidak cocok*\n\n"
                "Jumlah pembayaran {amount} tidak sama dengan tagihan {total} untuk {invoice}. "
                "Periksa di {provider} sebelum menandai lunas.\n\n{link}"
            ),
        ),
    )
)

register_kind(
    NotificationKind(
        key=ADMIN_NEEDS_REVIEW,
        label=_("Pembayaran perlu ditinjau (admin)"),
        group=TRANSACTION,
        shortcodes=(*CODES, ("reason", _("Mengapa pembayaran perlu ditinjau"))),
        sample={**SAMPLE, "reason": "Pembayaran diterima setelah pesanan berstatus kedaluwarsa."},
        defaults=MessageDefaults(
            inapp_title="Pembayaran {invoice} perlu ditinjau",
            inapp_body="{reason} Jumlah: {amount}.",
            email_subject="Pembayaran {invoice} perlu ditinjau",
            email_body="{reason} Jumlah: {amount}.\n\nTinjau di halaman penjualan: {link}",
            whatsapp="*Pembayaran {invoice} perlu ditinjau*\n\n{reason} Jumlah: {amount}.\n\n{link}",
        ),
    )
)

register_kind(
    NotificationKind(
        key=ADMIN_PROVIDER_REFUND,
        label=_("Refund dilaporkan penyedia (admin)"),
        group=TRANSACTION,
        shortcodes=CODES,
        sample=SAMPLE,
        defaults=MessageDefaults(
            inapp_title="Refund di {provider} untuk {invoice}",
            inapp_body=(
                "{provider} melaporkan refund {amount}. Catat refund pesanan ini di halaman penjualan agar "
                "akses pembeli ikut dicabut."
            ),
            email_subject="Refund di {provider} untuk {invoice}",
            email_body=(
                "{provider} melaporkan refund {amount}. Catat refund pesanan ini di halaman penjualan agar "
                "akses pembeli ikut dicabut.\n\n{link}"
            ),
            whatsapp=(
                "*Refund di {provider} untuk {invoice}*\n\n{provider} melaporkan refund {amount}. Catat refund "
                "pesanan ini di halaman penjualan agar akses pembeli ikut dicabut.\n\n{link}"
            ),
        ),
    )
)
