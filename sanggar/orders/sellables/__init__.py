"""What can be sold, and what happens around a sale: two registries, filled at start-up by each app's own
`sellables.py` (discovered by `OrdersConfig.ready`), never by editing orders.

- A **sellable kind** (`SellableKind`) says how one order line of that kind is priced, fulfilled when the order is
  paid, revoked when it is refunded, which commission rule an affiliate earns on it and which creator shares in it.
  Orders ships the two kinds it sells today (`plan`, `product`, in `sanggar/orders/sellables/kinds.py`).
- A **sale step** (`SaleStep`) runs for the whole order after every line is fulfilled (and, when it has one, its
  `refunded` hook when the order is refunded): finance registers the revenue split here.

`order_mark_paid` calls the kinds in their `order` (then the steps in theirs) inside the paid transaction: a fixed,
explicit sequence, no signals.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

from sanggar.catalog.constants import CommissionType
from sanggar.core.registry import Registry


@dataclass(frozen=True)
class Fulfilled:
    """What fulfilling one line did: grants given (counted in the order's history)."""

    grants: int = 0


@dataclass(frozen=True)
class SellableKind:
    kind: str  # OrderItem.kind, e.g. "plan"
    label: str
    order: int  # fulfilment and refund order among kinds (lower first)
    # price(*, buyer, item: ItemRequest, premium: bool, now) -> PricedLine; raises ServiceError for a line that
    # cannot be bought.
    price: Callable
    # fulfil(*, order, item, now) -> Fulfilled. With `review_on_error`, it runs in a savepoint and a ServiceError
    # flags the paid order for an admin's review instead of failing the payment.
    fulfil: Callable
    # revoke(*, order, items, reason) -> int (grants revoked) when the order is refunded.
    revoke: Callable
    # commission_rule(item) -> (CommissionType, value) an affiliate earns on the line.
    commission_rule: Callable = lambda item: (CommissionType.PERCENT, 0)
    # creator_share(item) -> (creator user id, percent of what the line keeps after commission) or (None, 0).
    creator_share: Callable = lambda item: (None, 0)
    # creator_lines(user) -> Q over OrderItem selecting the lines whose creator share goes to `user` (a mentor's
    # "Penjualan Saya"), or None when the kind never pays a creator.
    creator_lines: Callable | None = None
    # tracking_item(item) -> the object whose own tracking pixels (pixel_meta_id, ...) the invoice's Purchase event
    # carries, or None (plan and product lines are read from the line's own foreign keys).
    tracking_item: Callable = lambda item: None
    # open_link(item) -> (label, url) where the buyer opens what the line bought once the order is paid, or None
    # (plans and products have their own buttons on the invoice).
    open_link: Callable = lambda item: None
    review_on_error: bool = False
    # select_related paths the kind's hooks read from an OrderItem (fetched once per order).
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class SaleStep:
    name: str
    order: int
    paid: Callable  # paid(*, order, items) after every line is fulfilled, in the paid transaction
    refunded: Callable | None = None  # refunded(*, order) in the refund transaction, after the lines are revoked


_KINDS: Registry[SellableKind] = Registry("sellable kind")
_STEPS: Registry[SaleStep] = Registry("sale step")


def sellable_kind_register(kind: SellableKind) -> SellableKind:
    return _KINDS.register(kind.kind, kind)


def sale_step_register(step: SaleStep) -> SaleStep:
    return _STEPS.register(step.name, step)


def sellable_kinds() -> list[SellableKind]:
    """Every registered kind, in fulfilment order."""
    return sorted(_KINDS, key=lambda k: (k.order, k.kind))


def sellable_kind(kind: str) -> SellableKind | None:
    return _KINDS.get(kind)


def sale_steps() -> list[SaleStep]:
    return sorted(_STEPS, key=lambda s: (s.order, s.name))


def kind_choices() -> list[tuple[str, str]]:
    return [(k.kind, k.label) for k in sellable_kinds()]


def creator_lines(user) -> Q:
    """The order lines, of every kind, whose creator share goes to `user` (never matches when no kind pays one)."""
    q = Q(pk__in=[])
    for kind in sellable_kinds():
        if kind.creator_lines is not None:
            q |= Q(kind=kind.kind) & kind.creator_lines(user)
    return q


def item_related() -> list[str]:
    """select_related paths every registered kind needs on an order's items."""
    paths: list[str] = []
    for kind in sellable_kinds():
        paths.extend(p for p in kind.related if p not in paths)
    return paths


def commission_rule_for(item) -> tuple[str, int]:
    kind = _KINDS.get(item.kind)
    return kind.commission_rule(item) if kind else (CommissionType.PERCENT, 0)


def creator_share_for(item) -> tuple[int | None, int]:
    kind = _KINDS.get(item.kind)
    return kind.creator_share(item) if kind else (None, 0)


def open_links_for(items) -> list[tuple[str, str]]:
    """(label, url) per line whose kind offers a place to open it after payment (a course line: its course)."""
    links = []
    for item in items:
        kind = _KINDS.get(item.kind)
        link = kind.open_link(item) if kind is not None else None
        if link is not None and link not in links:
            links.append(link)
    return links


def tracking_item_for(item):
    """The plan, product or other sold object whose own pixels a Purchase of `item` carries (None: global only)."""
    if item.plan_id:
        return item.plan
    if item.product_id:
        return item.product
    kind = sellable_kind(item.kind)
    return kind.tracking_item(item) if kind is not None else None
