"""The affiliate commission of a paid order (computed here, posted to the ledger by finance)."""

from dataclasses import dataclass

from django.utils import timezone

from sanggar.catalog.constants import CommissionType
from sanggar.core.formatting import rupiah
from sanggar.orders.constants import ItemKind

from ..constants import DecisionKind
from ..models import AffiliateProfile, AttributionDecision
from .common import is_self_referral


@dataclass(frozen=True)
class CommissionLine:
    item_id: int
    title: str
    base_amount: int  # what the buyer paid for the item
    rule: str
    amount: int


@dataclass(frozen=True)
class CommissionQuote:
    amount: int
    base_amount: int
    rule: str
    lines: tuple[CommissionLine, ...]
    affiliate: AffiliateProfile | None = None
    flag_reason: str = ""  # non-empty: the commission goes to review (an admin clears or voids it)

    @property
    def flagged(self) -> bool:
        return bool(self.flag_reason)


NO_COMMISSION = CommissionQuote(amount=0, base_amount=0, rule="", lines=())


def _item_rule(item) -> tuple[str, int]:
    """(type, value) of the item's commission: a plan price option's own override, else its plan's; a product's."""
    if item.kind == ItemKind.PLAN and item.plan_price_id:
        price = item.plan_price
        if price.affiliate_commission_type and price.affiliate_commission_value is not None:
            return price.affiliate_commission_type, price.affiliate_commission_value
        return item.plan.affiliate_commission_type, item.plan.affiliate_commission_value
    if item.kind == ItemKind.PRODUCT and item.product_id:
        return item.product.affiliate_commission_type, item.product.affiliate_commission_value
    return CommissionType.PERCENT, 0


def line_commission(*, kind: str, value: int, amount: int, bonus_percent: int = 0) -> tuple[int, str]:
    """The commission of one item that paid `amount`: flat rupiah or floor(percent × amount), raised by a tier bonus
    (floor(c × (100 + bonus) / 100)), never above `amount`, never below 0. Returns (commission, rule text)."""
    amount = max(int(amount), 0)
    value = max(int(value or 0), 0)
    if kind == CommissionType.FLAT:
        base, rule = value, f"{rupiah(value)} flat"
    else:
        base, rule = amount * value // 100, f"{value}% × {rupiah(amount)}"
    if bonus_percent > 0 and base > 0:
        base = base * (100 + bonus_percent) // 100
        rule = f"{rule} + bonus tier {bonus_percent}%"
    return min(base, amount), rule


def commission_compute(*, order) -> CommissionQuote:
    """What the order's affiliate earns (pure: reads, never writes). Nothing without an affiliate, for a
    self-referral, or when the affiliate has no profile. `flag_reason` is set when an attribution decision flagged
    the order (bought from an address the affiliate's account used)."""
    if not order.affiliate_id:
        return NO_COMMISSION
    profile = AffiliateProfile.objects.select_related("user").filter(user_id=order.affiliate_id).first()
    if profile is None or is_self_referral(profile, order.buyer):
        return NO_COMMISSION
    from ..selectors_stats import tier_for

    tier = tier_for(affiliate=profile, now=order.paid_at or timezone.now())
    bonus = tier.bonus_percent if tier is not None else 0
    lines = []
    for item in order.items.select_related("plan", "plan_price", "product"):
        kind, value = _item_rule(item)
        amount, rule = line_commission(kind=kind, value=value, amount=item.amount, bonus_percent=bonus)
        if tier is not None and bonus:
            rule = rule.replace("bonus tier", f"bonus tier {tier.name}")
        lines.append(CommissionLine(item.pk, item.title, item.amount, rule, amount))
    flag = (
        AttributionDecision.objects.filter(order=order, kind=DecisionKind.SAME_IP).values_list("reason", flat=True)
    ).first()
    return CommissionQuote(
        amount=sum(line.amount for line in lines),
        base_amount=sum(line.base_amount for line in lines),
        rule="; ".join(line.rule for line in lines)[:120],
        lines=tuple(lines),
        affiliate=profile,
        flag_reason=flag or "",
    )
