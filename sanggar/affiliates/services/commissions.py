"""The affiliate commission of a paid order (computed here, posted to the ledger by finance)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, Subquery
from django.utils import timezone

from sanggar.catalog.constants import CommissionType
from sanggar.core.formatting import rupiah
from sanggar.core.prepared import Prepared, create, first_row

from ..constants import CommissionStatus, DecisionKind
from ..models import AffiliateProfile, AttributionDecision, ChallengeAward, Commission, Tier
from ..selectors_stats import tier_for
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


def _catalog_rule(item) -> tuple[str, int]:
    """(type, value) of an order item's commission straight from the catalogue: a plan price option's rule for how
    the line was priced (renewal/upgrade rule, else the option's override, else its plan's); a product's. Orders'
    sellable kinds give the rule when called through finance."""
    if item.plan_price_id:
        return item.plan_price.commission_rule(getattr(item, "pricing", "new"), plan=item.plan)
    if item.product_id:
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


def _profile_with_flags(user_id, order_id):
    flags = AttributionDecision.objects.filter(order_id=order_id, kind=DecisionKind.SAME_IP).order_by(
        "-created_at", "-id"
    )
    return first_row(
        AffiliateProfile.objects.select_related("user")
        .filter(user_id=user_id)
        .annotate(
            same_ip_flag=Subquery(flags.values("reason")[:1]), tiers_active=Exists(Tier.objects.filter(is_active=True))
        )
    )


# The affiliate's profile with the order's same-address flag and whether any tier is active, compiled once per
# process (the subquery and EXISTS cost more to compile than to run).
_PROFILE_WITH_FLAGS = Prepared(_profile_with_flags, user_id=-1_000_021, order_id=-1_000_022)


def commission_compute(*, order, rule_for: Callable | None = None, items=None) -> CommissionQuote:
    """What the order's affiliate earns (pure: reads, never writes). Nothing without an affiliate, for a
    self-referral, or when the affiliate has no profile. `flag_reason` is set when an attribution decision flagged
    the order (bought from an address the affiliate's account used). `rule_for(item) -> (type, value)` is each
    line's commission rule (finance passes the sellable kinds' rules; by default the catalogue's). `items`: the
    order's items with what their rules read (plan, product), when the caller holds them (fulfilment)."""
    rule_for = rule_for or _catalog_rule
    if not order.affiliate_id:
        return NO_COMMISSION
    # ONE query for the profile, the order's same-address flag and whether any tier is active (the tiers and the
    # affiliate's sales are read only then): three lookups of every attributed payment before.
    profile = _PROFILE_WITH_FLAGS.first(user_id=order.affiliate_id, order_id=order.pk)
    if profile is None or is_self_referral(profile, order.buyer):
        return NO_COMMISSION
    tier = tier_for(affiliate=profile, now=order.paid_at or timezone.now()) if profile.tiers_active else None
    bonus = tier.bonus_percent if tier is not None else 0
    lines = []
    if items is None:
        items = order.items.select_related("plan", "plan_price", "product")
    for item in items:
        kind, value = rule_for(item)
        amount, rule = line_commission(kind=kind, value=value, amount=item.amount, bonus_percent=bonus)
        if tier is not None and bonus:
            rule = rule.replace("bonus tier", f"bonus tier {tier.name}")
        lines.append(CommissionLine(item.pk, item.title, item.amount, rule, amount))
    flag = profile.same_ip_flag
    return CommissionQuote(
        amount=sum(line.amount for line in lines),
        base_amount=sum(line.base_amount for line in lines),
        rule="; ".join(line.rule for line in lines)[:120],
        lines=tuple(lines),
        affiliate=profile,
        flag_reason=flag or "",
    )


# --- the Commission rows (finance posts the money to the ledger and calls these) ---------------------------------


def commission_record(
    *, order, affiliate: AffiliateProfile, base_amount: int, amount: int, rule: str, flag_reason: str, available_at
) -> Commission:
    """The affiliate's Commission of a paid order: pending, or review when flagged (an admin decides)."""
    flag_reason = (flag_reason or "")[:300]
    return create(  # the INSERT compiled once per process
        Commission,
        order=order,
        affiliate=affiliate,
        base_amount=int(base_amount),
        amount=int(amount),
        rule=str(rule)[:120],
        status=CommissionStatus.REVIEW if flag_reason else CommissionStatus.PENDING,
        available_at=available_at,
        flag_reason=flag_reason,
    )


def commission_release(*, commission: Commission, now: datetime) -> None:
    """A locked pending commission whose money finance has just made available."""
    commission.status = CommissionStatus.AVAILABLE
    commission.released_at = now
    commission.save(update_fields=["status", "released_at", "updated_at"])


def commission_status_set(*, commission: Commission, status: str) -> None:
    """A locked commission after an admin's review (pending again, or void)."""
    commission.status = status
    commission.save(update_fields=["status", "updated_at"])


def commissions_reverse(*, order) -> int:
    """Every commission of a refunded order becomes `reversed` (finance reverses the money). Returns how many."""
    return (
        Commission.objects.filter(order=order)
        .exclude(status=CommissionStatus.REVERSED)
        .update(status=CommissionStatus.REVERSED, updated_at=timezone.now())
    )


def attribution_decision_record(*, affiliate, order, kind: str, reason: str, actor) -> AttributionDecision:
    return AttributionDecision.objects.create(affiliate=affiliate, order=order, kind=kind, reason=reason, actor=actor)


def challenge_award_record(*, challenge, affiliate: AffiliateProfile, sales: int) -> ChallengeAward:
    """An affiliate reached a closed challenge's target (finance posts the reward). The unique constraint raises
    IntegrityError when it was awarded already."""
    return ChallengeAward.objects.create(challenge=challenge, affiliate=affiliate, sales=sales, amount=challenge.reward)
