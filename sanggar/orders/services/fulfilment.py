"""The one transition to paid, and everything it opens, in one transaction: each line through its sellable kind
(membership, product grants, ... in the kinds' fixed order), follow-ups, then the registered sale steps (finance's
revenue split); after commit the buyer and the admins are told."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.access.constants import GrantSource, ResourceKind
from sanggar.access.services import grants_give, resource_ensure
from sanggar.audit.services import activity_batch
from sanggar.catalog.models import Product
from sanggar.core.exceptions import ServiceError
from sanggar.core.prepared import Prepared, update
from sanggar.core.transactions import service_atomic

from ..constants import ORDER_SOURCE_PREFIX, OrderAction, OrderStatus
from ..models import Order, OrderItem
from ..sellables import item_related, sale_steps, sellable_kinds
from .events import order_log
from .orders import sync_state


class FulfilmentRefused(ServiceError):
    """A line whose kind reviews its errors (a plan: the buyer's situation may have changed since checkout) refused
    to be fulfilled. Raised only to a caller that recovers (`order_mark_paid(..., refused=...)`): it rolls back to
    its own savepoint and fulfils again with the line in `refused`, which leaves it out and flags the order."""

    def __init__(self, item_id: int, message: str):
        super().__init__(message, code="fulfilment_refused")
        self.item_id = item_id


def order_source_ref(order: Order) -> str:
    """The `source_ref` of the grants a purchase gives (`order:INV000123`)."""
    return f"{ORDER_SOURCE_PREFIX}{order.invoice_number}"


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    """The later of two ends, where None means "no end"."""
    if a is None or b is None:
        return None
    return max(a, b)


def _product_resource(product: Product):
    if product.resource_id:
        return product.resource
    return resource_ensure(kind=ResourceKind.PRODUCT, key=product.slug, title=product.title)


def product_grants_plan(*, product: Product, now: datetime) -> dict:
    """resource id → (resource, ends_at) for one bought product: its own resource and included resources for its
    access period, and each bundled product (with its included resources) for the bundled product's period."""
    plan: dict = {}

    def add(resource, ends_at):
        if resource.pk in plan:
            ends_at = _later(plan[resource.pk][1], ends_at)
        plan[resource.pk] = (resource, ends_at)

    def add_product(item: Product):
        ends_at = now + timedelta(days=item.access_days) if item.access_days else None
        add(_product_resource(item), ends_at)
        for resource in item.included_resources.all():
            add(resource, ends_at)

    add_product(product)
    for bundled in product.bundled_products.select_related("resource").prefetch_related("included_resources"):
        add_product(bundled)
    return plan


def grant_product(*, order: Order, product: Product, now: datetime) -> int:
    """Grants the buyer a bought product's resources (the `product` kind's fulfilment). Returns how many."""
    source_ref = order_source_ref(order)
    plan = product_grants_plan(product=product, now=now)
    by_end: dict = {}  # one upsert per access period (usually one for the whole product)
    for resource, ends_at in plan.values():
        by_end.setdefault(ends_at, []).append(resource)
    for ends_at, resources in by_end.items():
        grants_give(
            user=order.buyer,
            resources=resources,
            source=GrantSource.PURCHASE,
            source_ref=source_ref,
            starts_at=now,
            ends_at=ends_at,
        )
    return len(plan)


# The order's items with what every sellable kind needs, compiled once per process (the kinds are registered when
# the apps load).
_ITEMS = Prepared(
    lambda order_id: OrderItem.objects.filter(order_id=order_id).select_related(*item_related()),
    order_id=-1_000_003,
)


def settle(
    order: Order,
    *,
    payment=None,
    actor=None,
    note: str = "",
    now: datetime,
    log_action: str = OrderAction.PAID,
    log_data: dict | None = None,
    refused: dict | None = None,
) -> Order:
    """Marks a locked order paid and fulfils it. A plan that can no longer be activated (the buyer's situation
    changed since checkout) does not lose the payment: the order is paid and flagged for an admin's review.

    Each such line gets its own savepoint to roll back to; unless the caller holds one around the whole fulfilment
    and passes `refused` (item id → reason): then a refusal raises FulfilmentRefused, and the lines in `refused` are
    left out and reported. One savepoint per payment instead of two on the common path, where nothing is refused.

    The event is ONE audit row on the order: `order.paid`, or the caller's action when a payment made it paid
    (`payment.confirmed`, `payment.marked_paid`, with the payment's `log_data`)."""
    items = _ITEMS.all(order_id=order.pk)
    for item in items:
        OrderItem.order.field.set_cached_value(item, order)  # as `order.items` would
    order.status = OrderStatus.PAID
    order.paid_at = now
    order.closed_at = None
    update(order, ["status", "paid_at", "closed_at"])  # the UPDATE compiled once per process

    problems = []
    granted = 0
    for kind in sellable_kinds():  # a fixed, explicit order: each kind's lines, then the sale steps
        for item in items:
            if item.kind != kind.kind:
                continue
            if not kind.review_on_error:
                granted += kind.fulfil(order=order, item=item, now=now).grants
                continue
            if refused is not None:  # the caller's savepoint is where a refusal rolls back to
                if item.pk in refused:
                    problems.append(f"{item.title}: {refused[item.pk]}")
                    continue
                try:
                    granted += kind.fulfil(order=order, item=item, now=now).grants
                except ServiceError as exc:
                    raise FulfilmentRefused(item.pk, exc.message) from exc
                continue
            try:
                with transaction.atomic():  # the savepoint a refused activation rolls back to
                    granted += kind.fulfil(order=order, item=item, now=now).grants
            except ServiceError as exc:
                problems.append(f"{item.title}: {exc.message}")
    for step in sale_steps():
        step.paid(order=order, items=items)  # the items fulfilment read (no second query)

    if problems:
        order.needs_review = True
        order.review_reason = (
            _("Pembayaran diterima, tetapi aktivasi gagal: %(problems)s") % {"problems": "; ".join(problems)}
        )[:300]
        order.save(update_fields=["needs_review", "review_reason"])

    payment_data = {}
    if payment is not None:
        payment_data = {"payment": payment.pk, "provider": payment.provider, "method": payment.method}
    data = {"total": order.total, "provider": order.provider, **payment_data, **(log_data or {})}
    data.update(grants=granted)
    if note:
        data["note"] = note
    # A fulfilment problem is part of this event: its reason is the row's message (shown on the timeline).
    order_log(order=order, action=log_action, actor=actor, message=order.review_reason if problems else "", data=data)
    # The paid messages are not part of the payment: after commit, a Celery task writes them (the buyer's receipt,
    # every admin's new sale, their deliveries and realtime events), so the gateway's callback returns without them.
    order_id = order.pk
    transaction.on_commit(lambda: _order_paid_notify_later(order_id), robust=True)
    return order


def _order_paid_notify_later(order_id: int) -> None:
    from ..tasks import order_paid_notify_task  # tasks import the services

    order_paid_notify_task.delay(order_id)


@service_atomic
def order_mark_paid(
    *,
    order: Order,
    payment=None,
    actor=None,
    note: str = "",
    now: datetime | None = None,
    log_action: str = OrderAction.PAID,
    log_data: dict | None = None,
    order_locked: bool = False,
    refused: dict | None = None,
) -> Order:
    """The one transition pending → paid, with fulfilment in the same transaction. The order row is locked and
    its state re-checked: a second call (a repeated webhook) does nothing. An order that is no longer pending
    (expired, cancelled) is refused here; a late payment goes to an admin's review (`order_review_resolve`).
    `order_locked`: the caller read `order` in this transaction with its row lock and its buyer (payments'
    confirmation, which locks the order before the payment), so it is not read again. `refused`: see `settle`
    (the caller's savepoint around this call is where a refused line rolls back to)."""
    # The buyer comes with the order (fulfilment needs them), without locking their row here.
    if order_locked:
        locked = order
    else:
        locked = Order.objects.select_for_update(of=("self",)).select_related("buyer").get(pk=order.pk)
    if locked.status == OrderStatus.PAID:
        return locked
    if locked.status != OrderStatus.PENDING:
        raise ServiceError(
            _("Pesanan %(invoice)s berstatus %(status)s, jadi tidak bisa ditandai lunas lewat jalur biasa.")
            % {"invoice": locked.invoice_number, "status": locked.get_status_display()}
        )
    with activity_batch():  # the fulfilment's audit rows (the membership's, the order's) in one insert
        settle(
            locked,
            payment=payment,
            actor=actor,
            note=note,
            now=now or timezone.now(),
            log_action=log_action,
            log_data=log_data,
            refused=refused,
        )
    if locked is not order:
        sync_state(order, locked)
    return locked
