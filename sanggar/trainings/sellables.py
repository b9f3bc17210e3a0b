"""A training tier is sold as its own order line (kind `training`, the line's `ref` the pending participant's id):
priced at the tier's price, fulfilled by making the participant paid (under the batch's seat lock), revoked by a
refund (the participation is cancelled and the seat returns)."""

from django.utils.translation import gettext_lazy

from sanggar.catalog.constants import CommissionType
from sanggar.orders.sellables import Fulfilled, SellableKind, sellable_kind_register
from sanggar.orders.services import PricedLine

from . import services
from .constants import ITEM_KIND


def training_price(*, buyer, item, premium, now) -> PricedLine:
    participant = services.payable(user=buyer, participant_id=item.slug)
    tier = participant.tier
    title = f"Training: {participant.batch.name} - {tier.name}"
    return PricedLine(
        kind=ITEM_KIND, title=title[:200], list_price=tier.price, amount=tier.price, ref=str(participant.pk)
    )


def training_fulfil(*, order, item, now) -> Fulfilled:
    services.participant_activate(participant_id=int(item.ref), invoice=order.invoice_number, now=now)
    return Fulfilled(grants=0)


def training_revoke(*, order, items, reason) -> int:
    for item in items:
        if item.kind == ITEM_KIND:
            services.participant_cancel(participant_id=int(item.ref))
    return 0


def training_commission(item) -> tuple[str, int]:
    return CommissionType.PERCENT, 0  # PRODUCT.md names no commission for tiers


def training_creator(item) -> tuple[int | None, int]:
    return None, 0


TRAINING_SELLABLE = sellable_kind_register(
    SellableKind(
        kind=ITEM_KIND,
        label=gettext_lazy("Training"),
        order=28,
        price=training_price,
        fulfil=training_fulfil,
        revoke=training_revoke,
        commission_rule=training_commission,
        creator_share=training_creator,
        review_on_error=True,
    )
)
