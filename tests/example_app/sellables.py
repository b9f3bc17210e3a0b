"""A ticket is a sellable kind: priced, fulfilled, revoked and shared like the kinds orders ships."""

from sanggar.catalog.constants import CommissionType
from sanggar.orders.sellables import Fulfilled, SellableKind, sellable_kind_register
from sanggar.orders.services import PricedLine

PRICES = {"vip": 150_000, "regular": 50_000}


def ticket_price(*, buyer, item, premium, now) -> PricedLine:
    price = PRICES[item.slug]
    return PricedLine(kind="exticket", title=f"Tiket {item.slug.upper()}", list_price=price, amount=price)


def ticket_fulfil(*, order, item, now) -> Fulfilled:
    return Fulfilled(grants=0)


def ticket_revoke(*, order, items, reason) -> int:
    return 0


sellable_kind_register(
    SellableKind(
        kind="exticket",
        label="Tiket Acara",
        order=30,
        price=ticket_price,
        fulfil=ticket_fulfil,
        revoke=ticket_revoke,
        commission_rule=lambda item: (CommissionType.PERCENT, 10),
    )
)
