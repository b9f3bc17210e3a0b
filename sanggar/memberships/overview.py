"""The read model of "Membership Saya": the current membership, what it opens (with each item's access state),
where to renew or upgrade, the plans on offer for a free member, and the history. A fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone

from sanggar.access.kinds import resource_urls
from sanggar.access.policy import (
    AccessDecision,
    access_decisions,
    checkout_all_url,
    checkout_compare_url,
    checkout_plan_url,
    product_access_decisions,
)
from sanggar.catalog.constants import PlanStatus
from sanggar.catalog.models import MembershipPlan, PlanPrice, Product
from sanggar.catalog.pricing import effective_price
from sanggar.core.dates import days_between

from .models import MembershipUpgradeLog, UserMembership
from .selectors import membership_active_for, membership_history, membership_last_ended, plan_resources


@dataclass(frozen=True)
class IncludedItem:
    title: str
    kind_label: str
    icon: str
    decision: AccessDecision
    url: str = ""


@dataclass(frozen=True)
class PlanOffer:
    plan: MembershipPlan
    from_price: int | None  # the cheapest active option now
    url: str


@dataclass(frozen=True)
class Overview:
    current: UserMembership | None
    last_ended: UserMembership | None
    days_left: int | None  # None: lifetime
    remaining_percent: int  # of the current period, for the progress bar
    included: tuple[IncludedItem, ...]
    features: tuple[str, ...]
    renew_url: str  # "" when there is nothing to renew (lifetime, or the plan is no longer sold)
    upgrade_url: str  # "" when no higher plan is on sale
    plans_url: str
    offers: tuple[PlanOffer, ...]
    history: tuple[UserMembership, ...]
    upgrades: tuple[MembershipUpgradeLog, ...]


KIND_ICONS = {
    "product": "package",
    "course": "graduation-cap",
    "group": "users",
    "event": "calendar",
    "document": "file-text",
    "feature": "sparkles",
}


def _active_plans() -> list[MembershipPlan]:
    prices = PlanPrice.objects.filter(is_active=True)
    return list(
        MembershipPlan.objects.filter(status=PlanStatus.ACTIVE)
        .prefetch_related(Prefetch("prices", queryset=prices, to_attr="active_prices"))
        .order_by("rank", "sort_order", "id")
    )


def _from_price(plan: MembershipPlan, now: datetime) -> int | None:
    amounts = [
        effective_price(price=p.price, promo_price=p.promo_price, promo_ends_at=p.promo_ends_at, now=now)
        for p in plan.active_prices
    ]
    return min(amounts) if amounts else None


def _remaining_percent(membership: UserMembership, now: datetime) -> int:
    if membership.ends_at is None:
        return 100
    total = (membership.ends_at - membership.starts_at).total_seconds()
    if total <= 0:
        return 0
    left = max(0.0, (membership.ends_at - now).total_seconds())
    return max(0, min(100, round(left * 100 / total)))


def _included(user, plan: MembershipPlan, now: datetime) -> tuple[IncludedItem, ...]:
    products = list(Product.objects.filter(included_in_plans=plan).select_related("resource").order_by("title"))
    product_resource_ids = {p.resource_id for p in products}
    resources = [r for r in plan_resources(plan) if r.pk not in product_resource_ids]
    decisions = access_decisions(user=user, resources=resources, now=now)
    product_decisions = product_access_decisions(user=user, products=products, now=now)
    urls = resource_urls(resources)
    items = [
        IncludedItem(
            r.title, str(r.get_kind_display()), KIND_ICONS.get(r.kind, "circle"), decisions[r.pk], urls.get(r.pk, "")
        )
        for r in resources
    ]
    items += [
        IncludedItem(p.title, str(p.get_kind_display()), KIND_ICONS["product"], product_decisions[p.pk])
        for p in products
    ]
    return tuple(items)


def membership_overview(*, user, now: datetime | None = None) -> Overview:
    now = now or timezone.now()
    current = membership_active_for(user=user, now=now)
    last_ended = None if current else membership_last_ended(user=user, now=now)
    plans = _active_plans()
    included: tuple[IncludedItem, ...] = ()
    features: tuple[str, ...] = ()
    renew_url = upgrade_url = ""
    days_left = None
    if current is not None:
        plan = current.plan
        included = _included(user, plan, now)
        features = tuple(plan.features.values_list("label", flat=True))
        if current.ends_at is not None:
            days_left = max(0, days_between(now, current.ends_at))
            if plan.status == PlanStatus.ACTIVE:
                renew_url = checkout_plan_url(plan.slug)
        higher = [p for p in plans if p.rank > plan.rank and p.active_prices]
        if len(higher) == 1:
            upgrade_url = checkout_plan_url(higher[0].slug)
        elif higher:
            upgrade_url = checkout_compare_url(p.slug for p in higher)
    elif last_ended is not None and last_ended.plan.status == PlanStatus.ACTIVE:
        renew_url = checkout_plan_url(last_ended.plan.slug)
    offers = ()
    if current is None:
        offers = tuple(
            PlanOffer(plan=p, from_price=_from_price(p, now), url=checkout_plan_url(p.slug))
            for p in plans
            if p.active_prices
        )
    upgrades = tuple(
        MembershipUpgradeLog.objects.filter(user=user)
        .select_related("old_plan", "new_plan")
        .order_by("-upgraded_at", "-id")[:20]
    )
    return Overview(
        current=current,
        last_ended=last_ended,
        days_left=days_left,
        remaining_percent=_remaining_percent(current, now) if current else 0,
        included=included,
        features=features,
        renew_url=renew_url,
        upgrade_url=upgrade_url,
        plans_url=checkout_all_url(),
        offers=offers,
        history=tuple(membership_history(user=user)),
        upgrades=upgrades,
    )
