"""What orders tell people, sent after the order's transaction commits (`transaction.on_commit`). The texts are the
templates of the kinds in `orders/notifications.py`; these functions only gather the values of their shortcodes."""

import logging

from django.urls import reverse

from sanggar.accounts.selectors import users_with_role
from sanggar.core.formatting import rupiah, tanggal_jam
from sanggar.core.roles import Role
from sanggar.notifications.rendering import absolute_url
from sanggar.notifications.services import Announcement, notify, notify_many

from .. import notifications as kinds
from ..models import Order

logger = logging.getLogger(__name__)


def invoice_link(order: Order) -> str:
    return reverse("orders:invoice", args=[order.invoice_number])


def items_text(order: Order, items=None) -> str:
    return ", ".join(item.title for item in (order.items.all() if items is None else items))


def _order(order_id: int) -> Order | None:
    return Order.objects.select_related("buyer").prefetch_related("items").filter(pk=order_id).first()


def _values(order: Order, items=None) -> dict:
    """The shortcodes every order message has. Links are absolute, from the address the platform runs on."""
    return {
        "invoice": order.invoice_number,
        "total": rupiah(order.total),
        "items": items_text(order, items),
        "invoice_link": absolute_url(invoice_link(order)),
    }


def notify_order_paid(order_id: int) -> None:
    """After an order is paid, from one read of the order: the buyer's "payment received" and every admin's "new
    sale" (`order_paid_notify`)."""
    order = _order(order_id)
    if order is not None:
        order_paid_notify(order, list(order.items.all()))


def order_paid_notify(order: Order, items) -> None:
    """The buyer's "payment received" and every admin's "new sale" of a paid order, from the order and items
    fulfilment holds (run after its commit: nothing is read again but the admins): both in one insert of
    notifications and one of deliveries. Should that fail, each is tried on its own, so one still goes out when the
    other fails (logged), as two separate callbacks would."""
    announcements = [_payment_success(order, items), _admins_new_sale(order, items)]
    try:
        notify_many(announcements)
        return
    except Exception:
        logger.exception("order %s: paid notifications failed together; sending each alone", order.invoice_number)
    for announcement in announcements:
        try:
            notify_many([announcement])
        except Exception:
            logger.exception("order %s: %s failed", order.invoice_number, announcement.kind)


def notify_payment_success(order_id: int) -> None:
    """In-app, email and WhatsApp (as the buyer's preferences allow) once an order is paid; the email links the
    buyer's downloads (Produk Saya) and the invoice."""
    order = _order(order_id)
    if order is not None:
        notify_many([_payment_success(order)])


def _payment_success(order: Order, items=None) -> Announcement:
    return Announcement(
        users=[order.buyer],
        kind=kinds.PAYMENT_SUCCEEDED,
        link=invoice_link(order),
        context={**_values(order, items), "downloads_link": absolute_url(reverse("access:my_products"))},
        data={"order": order.invoice_number, "event": "payment_success"},
    )


def notify_payment_pending(order_id: int) -> None:
    """A reminder that an order is waiting for payment, with the link to pay (admin "resend" on a pending order)."""
    order = _order(order_id)
    if order is None:
        return
    notify(
        user=order.buyer,
        kind=kinds.PAYMENT_PENDING,
        link=invoice_link(order),
        context={**_values(order), "deadline": tanggal_jam(order.expires_at)},
        data={"order": order.invoice_number, "event": "payment_pending"},
    )


def notify_order_expired(order_id: int) -> None:
    """In the app only: the order expired unpaid."""
    order = _order(order_id)
    if order is None:
        return
    notify(
        user=order.buyer,
        kind=kinds.ORDER_EXPIRED,
        link=invoice_link(order),
        context=_values(order),
        data={"order": order.invoice_number, "event": "expired"},
    )


def notify_refunded(order_id: int, reason: str) -> None:
    order = _order(order_id)
    if order is None:
        return
    notify(
        user=order.buyer,
        kind=kinds.ORDER_REFUNDED,
        link=reverse("orders:purchases"),
        context={**_values(order), "reason": reason},
        data={"order": order.invoice_number, "event": "refunded"},
    )


def notify_admins_new_sale(order_id: int) -> None:
    """Every active admin hears about a sale (in the app, and on push as their preferences allow): one insert for
    all the admins' notifications and one for their deliveries, whatever their number."""
    order = _order(order_id)
    if order is not None:
        notify_many([_admins_new_sale(order)])


def _admins_new_sale(order: Order, items=None) -> Announcement:
    return Announcement(
        users=list(users_with_role(role=Role.ADMIN)),
        kind=kinds.ADMIN_NEW_SALE,
        link=reverse("orders:admin_sale_detail", args=[order.invoice_number]),
        context={**_values(order, items), "buyer": order.buyer_name or order.buyer_email},
        data={"order": order.invoice_number, "event": "new_sale"},
    )


def notify_plan_change_invoice(order_id: int, *, old_plan: str, credit: int, reason: str) -> None:
    """The member is told an admin changed their plan with a bill: what it costs and the link to pay it."""
    order = _order(order_id)
    if order is None:
        return
    notify(
        user=order.buyer,
        kind=kinds.PLAN_CHANGE_INVOICE,
        link=invoice_link(order),
        context={
            **_values(order),
            "old_plan": old_plan,
            "credit": rupiah(credit),
            "reason": reason,
            "deadline": tanggal_jam(order.expires_at),
        },
        data={"order": order.invoice_number, "event": "plan_change_invoice"},
    )
