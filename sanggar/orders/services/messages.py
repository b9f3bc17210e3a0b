"""What orders tell people: the buyer (payment received, waiting for payment, expired, refunded) and the admins
(a new sale). Each function runs after the order's transaction commits (`transaction.on_commit`)."""

import logging

from django.urls import reverse
from django.utils.translation import gettext as _

from sanggar.accounts.selectors import user_list
from sanggar.core.formatting import rupiah, tanggal_jam
from sanggar.core.roles import Role
from sanggar.notifications.constants import NotificationKind
from sanggar.notifications.services import notify

from ..models import Order

logger = logging.getLogger(__name__)


def invoice_link(order: Order) -> str:
    return reverse("orders:invoice", args=[order.invoice_number])


def items_text(order: Order) -> str:
    return ", ".join(item.title for item in order.items.all())


def _order(order_id: int) -> Order | None:
    return Order.objects.select_related("buyer").prefetch_related("items").filter(pk=order_id).first()


def notify_payment_success(order_id: int) -> None:
    """In-app, email and WhatsApp (as the buyer's preferences allow) once an order is paid."""
    order = _order(order_id)
    if order is None:
        return
    values = {
        "name": order.buyer.full_name or order.buyer.email,
        "invoice": order.invoice_number,
        "total": rupiah(order.total),
        "items": items_text(order),
    }
    notify(
        user=order.buyer,
        kind=NotificationKind.TRANSACTION,
        title=_("Pembayaran %(invoice)s berhasil") % values,
        message=_(
            "Halo %(name)s, pembayaran pesanan %(invoice)s sebesar %(total)s sudah kami terima. "
            "%(items)s sudah aktif di akun Anda. Terima kasih!"
        )
        % values,
        link=invoice_link(order),
        data={"order": order.invoice_number, "event": "payment_success"},
    )


def notify_payment_pending(order_id: int) -> None:
    """A reminder that an order is waiting for payment, with the link to pay (admin "resend" on a pending order)."""
    order = _order(order_id)
    if order is None:
        return
    values = {
        "name": order.buyer.full_name or order.buyer.email,
        "invoice": order.invoice_number,
        "total": rupiah(order.total),
        "deadline": tanggal_jam(order.expires_at),
    }
    notify(
        user=order.buyer,
        kind=NotificationKind.TRANSACTION,
        title=_("Menunggu pembayaran %(invoice)s") % values,
        message=_(
            "Halo %(name)s, pesanan %(invoice)s sebesar %(total)s menunggu pembayaran. "
            "Selesaikan sebelum %(deadline)s agar pesanan tidak kedaluwarsa."
        )
        % values,
        link=invoice_link(order),
        data={"order": order.invoice_number, "event": "payment_pending"},
    )


def notify_order_expired(order_id: int) -> None:
    """In the app only: the order expired unpaid."""
    order = _order(order_id)
    if order is None:
        return
    notify(
        user=order.buyer,
        kind=NotificationKind.TRANSACTION,
        title=_("Pesanan %(invoice)s kedaluwarsa") % {"invoice": order.invoice_number},
        message=_("Pesanan belum dibayar sampai batas waktu. Silakan pesan ulang bila masih berminat."),
        link=invoice_link(order),
        data={"order": order.invoice_number, "event": "expired"},
        channels=(),
    )


def notify_refunded(order_id: int, reason: str) -> None:
    order = _order(order_id)
    if order is None:
        return
    values = {"invoice": order.invoice_number, "total": rupiah(order.total), "reason": reason}
    notify(
        user=order.buyer,
        kind=NotificationKind.TRANSACTION,
        title=_("Dana pesanan %(invoice)s dikembalikan") % values,
        message=_("Pesanan %(invoice)s (%(total)s) dibatalkan dan dananya dikembalikan. Alasan: %(reason)s") % values,
        link=reverse("orders:purchases"),
        data={"order": order.invoice_number, "event": "refunded"},
    )


def notify_admins_new_sale(order_id: int) -> None:
    """Every active admin hears about a sale (in the app, and on their channels as their preferences allow)."""
    order = _order(order_id)
    if order is None:
        return
    values = {
        "invoice": order.invoice_number,
        "buyer": order.buyer_name or order.buyer_email,
        "items": items_text(order),
        "total": rupiah(order.total),
    }
    link = reverse("orders:admin_sale_detail", args=[order.invoice_number])
    for admin in user_list(role=Role.ADMIN, status="active"):
        try:
            notify(
                user=admin,
                kind=NotificationKind.TRANSACTION,
                title=_("Penjualan baru %(invoice)s") % values,
                message=_("%(buyer)s membeli %(items)s senilai %(total)s.") % values,
                link=link,
                data={"order": order.invoice_number, "event": "new_sale"},
                channels=("push",),
            )
        except Exception:  # one admin's failure must not stop the others
            logger.exception("Could not notify admin %s of sale %s", admin.pk, order.invoice_number)
