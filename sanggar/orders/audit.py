"""Activity-log actions of orders. With the payments' actions they make an order's timeline (one row per event)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sanggar.audit.registry import register, target_link

from .constants import OrderAction

register(
    {
        OrderAction.CREATED: _("Pesanan dibuat"),
        OrderAction.PROVIDER_CHANGED: _("Metode pembayaran diganti"),
        OrderAction.EXPIRED: _("Pesanan kedaluwarsa"),
        OrderAction.PAID: _("Pesanan lunas"),
        OrderAction.PROOF_UPLOADED: _("Bukti transfer diunggah"),
        OrderAction.CANCELLED: _("Pesanan dibatalkan"),
        OrderAction.REFUNDED: _("Pesanan di-refund"),
        OrderAction.NOTIFICATION_RESENT: _("Notifikasi pesanan dikirim ulang"),
        OrderAction.REVIEW_ACCEPTED: _("Pembayaran terlambat diterima"),
        OrderAction.REVIEW_REJECTED: _("Pembayaran terlambat ditolak"),
    },
    alert=(OrderAction.REFUNDED, OrderAction.REVIEW_REJECTED),
)


@target_link("orders.order")
def order_link(target_id: str, target_label: str) -> str:
    """An order's rows (its own and the payments') open the admin's sale page."""
    return reverse("orders:admin_sale_detail", args=[target_label]) if target_label else ""
