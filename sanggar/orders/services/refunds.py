"""Money going back: refunding a paid order, and an admin's decision on a payment that arrived too late."""

from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.catalog.services import product_stock_take
from sanggar.core.exceptions import ServiceError

from ..constants import CLOSED_STATUSES, FollowUpStatus, ItemKind, OrderAction, OrderStatus
from ..models import FollowUp, Order
from ..payments_port import payments
from ..sellables import sale_steps, sellable_kinds
from . import messages
from .events import order_log
from .fulfilment import settle
from .orders import release_stock, sync_state

REASON_MAX = 300


def paid_payment_for(order: Order):
    """The order's payment that was paid (the latest one when there are several), or None (free orders)."""
    port = payments()
    paid = [p for p in port.payments_for_order(order=order) if p.status == port.paid_status]
    paid.sort(key=lambda p: (p.paid_at or p.created_at, p.pk), reverse=True)
    return paid[0] if paid else None


def _clean_reason(reason: str, *, required_message: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ServiceError(required_message, errors={"reason": [required_message]})
    if len(reason) > REASON_MAX:
        message = _("Alasan paling banyak %(n)s karakter.") % {"n": REASON_MAX}
        raise ServiceError(message, errors={"reason": [message]})
    return reason


def _refund_payment(order: Order, *, actor, reason: str):
    payment = paid_payment_for(order)
    if payment is None:
        return None
    amount = payment.paid_amount if payment.paid_amount is not None else payment.amount
    return payments().refund(payment=payment, amount=amount, actor=actor, reason=reason)


def _refund_paid_order(order: Order, *, actor, reason: str, now: datetime):
    """Reverses a paid order: money back (through the provider when it can refund, else recorded), the membership
    it bought cancelled (or its extension rolled back), product grants revoked, seats released, follow-ups
    cancelled."""
    refund = _refund_payment(order, actor=actor, reason=reason)
    items = list(order.items.all())
    revoked = 0
    for kind in sellable_kinds():  # the same fixed order as fulfilment
        own = [item for item in items if item.kind == kind.kind]
        if own:
            revoked += kind.revoke(order=order, items=own, reason=reason)
    release_stock(order)
    for step in sale_steps():
        if step.refunded is not None:
            step.refunded(order=order)
    FollowUp.objects.filter(order=order, status=FollowUpStatus.SCHEDULED).update(status=FollowUpStatus.CANCELLED)
    order.status = OrderStatus.REFUNDED
    order.closed_at = now
    order.save(update_fields=["status", "closed_at"])
    return refund, revoked


@transaction.atomic
def order_refund(*, order: Order, actor, reason: str) -> Order:
    """Refunds a paid order in full (see `_refund_paid_order`). The reason is kept on the refund, the order's
    history and the activity log, and told to the buyer."""
    reason = _clean_reason(reason, required_message=_("Tuliskan alasan pengembalian dana."))
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if locked.status != OrderStatus.PAID:
        raise ServiceError(
            _("Hanya pesanan yang sudah lunas yang bisa dikembalikan dananya (status sekarang: %(status)s).")
            % {"status": locked.get_status_display()}
        )
    refund, revoked = _refund_paid_order(locked, actor=actor, reason=reason, now=timezone.now())
    data = {"reason": reason, "refund": refund.pk if refund else None, "amount": refund.amount if refund else 0}
    order_log(order=locked, action=OrderAction.REFUNDED, actor=actor, message=reason, data={**data, "grants": revoked})
    transaction.on_commit(partial(messages.notify_refunded, locked.pk, reason), robust=True)
    sync_state(order, locked)
    return locked


def order_review_flag(*, order: Order, reason: str) -> None:
    """Puts an order on the admins' review list with the reason (payments: a payment arrived that the order cannot
    take, e.g. after it expired, or twice). The caller holds the order's row lock; `order_review_resolve` decides."""
    Order.objects.filter(pk=order.pk).update(needs_review=True, review_reason=reason[:REASON_MAX])


@transaction.atomic
def order_review_resolve(*, order: Order, actor, accept: bool, note: str = "") -> Order:
    """An admin's decision on an order flagged `needs_review` (a payment arrived after the order expired or was
    cancelled, or a paid order could not be fulfilled).

    accept: a closed order becomes paid and is fulfilled now (its seats are taken again: when a product is sold
    out meanwhile this is refused, so reject instead); a paid order just leaves the review list.
    reject (a note is required): the payment is refunded (recorded as a Refund); a paid order is refunded in full."""
    note = " ".join((note or "").split())[:REASON_MAX]
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if not locked.needs_review:
        raise ServiceError(_("Pesanan ini tidak sedang menunggu keputusan admin."))
    now = timezone.now()
    locked.needs_review = False
    locked.review_reason = ""
    locked.save(update_fields=["needs_review", "review_reason"])
    if accept:
        if locked.status in CLOSED_STATUSES:
            payment = paid_payment_for(locked)
            if payment is None:
                raise ServiceError(_("Belum ada pembayaran yang tercatat untuk pesanan ini, jadi tidak bisa diterima."))
            for item in locked.items.filter(kind=ItemKind.PRODUCT).select_related("product"):
                product_stock_take(product=item.product)
            # One row: the acceptance, which is also the order becoming paid.
            settle(locked, payment=payment, actor=actor, note=note, now=now, log_action=OrderAction.REVIEW_ACCEPTED)
        else:
            order_log(order=locked, action=OrderAction.REVIEW_ACCEPTED, actor=actor, message=note)
    else:
        reason = _clean_reason(note, required_message=_("Tuliskan alasan penolakan (dicatat pada pengembalian dana)."))
        if locked.status == OrderStatus.PAID:
            refund, _revoked = _refund_paid_order(locked, actor=actor, reason=reason, now=now)
            transaction.on_commit(partial(messages.notify_refunded, locked.pk, reason), robust=True)
        else:
            refund = _refund_payment(locked, actor=actor, reason=reason)
        data = {"note": reason, "refund": refund.pk if refund else None}
        order_log(order=locked, action=OrderAction.REVIEW_REJECTED, actor=actor, message=reason, data=data)
    sync_state(order, locked)
    return locked
