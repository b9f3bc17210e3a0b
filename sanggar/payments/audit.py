"""Activity-log actions of payments. Each is the one row of its event, written on the order it concerns with the
payment in its data (`payment`, `provider`, `amount`…)."""

from django.utils.translation import gettext_lazy as _

from sanggar.audit.registry import register

from .constants import PaymentAction

register(
    {
        PaymentAction.STARTED: _("Pembayaran dimulai"),
        PaymentAction.CONFIRMED: _("Pembayaran dikonfirmasi"),
        PaymentAction.MARKED_PAID: _("Pesanan ditandai lunas (manual)"),
        PaymentAction.REJECTED: _("Pembayaran ditolak (jumlah tidak cocok)"),
        PaymentAction.NEEDS_REVIEW: _("Pembayaran perlu ditinjau"),
        PaymentAction.REFUNDED: _("Dana dikembalikan"),
    },
    alert=(PaymentAction.REJECTED, PaymentAction.NEEDS_REVIEW, PaymentAction.REFUNDED),
)
