"""The two kinds orders sells today: a membership plan option (memberships activates it) and a product (access
grants). Registered from `sanggar/orders/sellables.py`'s discovery like any other app's kinds."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanggar.access.services import grants_revoke
from sanggar.catalog.models import PlanPrice
from sanggar.memberships.services import membership_activate, membership_revoke_for_order
from sanggar.memberships.services_admin import membership_switch_paid

from ..constants import ItemKind, PricingKind
from ..services.fulfilment import grant_product, order_source_ref
from ..services.pricing import plan_line, product_line
from . import Fulfilled, SellableKind


def _plan_option(item):
    """The line's price option with its plan: the line's own plan (read with the line; an option always belongs
    to its line's plan), so fulfilment joins the plan once, not a second time through the option."""
    plan_price = item.plan_price
    if plan_price.plan_id == item.plan_id and not PlanPrice.plan.is_cached(plan_price):
        plan_price.plan = item.plan
    return plan_price


def _plan_fulfil(*, order, item, now) -> Fulfilled:
    plan_price = _plan_option(item)
    if item.pricing == PricingKind.DOWNGRADE:  # an admin's charged plan change to a lower plan
        membership_switch_paid(user=order.buyer, plan_price=plan_price, order=order, amount_paid=item.amount, now=now)
        return Fulfilled()
    membership_activate(user=order.buyer, plan_price=plan_price, order=order, amount_paid=item.amount, now=now)
    return Fulfilled()


def _plan_revoke(*, order, items, reason) -> int:
    membership_revoke_for_order(order=order, reason=reason)
    return 0  # the membership's grants are closed by memberships; the count is of the order's own grants


def _plan_commission(item) -> tuple[str, int]:
    """The price option's rule for how the line was priced (renewal and upgrade have their own, defaulting to the
    normal one: the option's override, else its plan's)."""
    return item.plan_price.commission_rule(item.pricing, plan=item.plan)


def _plan_creator(item) -> tuple[int | None, int]:
    plan = item.plan
    if plan.creator_id and plan.mentor_share_percent:
        return plan.creator_id, plan.mentor_share_percent
    return None, 0


def _product_fulfil(*, order, item, now) -> Fulfilled:
    return Fulfilled(grants=grant_product(order=order, product=item.product, now=now))


def _product_revoke(*, order, items, reason) -> int:
    return grants_revoke(source_ref=order_source_ref(order), reason=reason)


def _product_commission(item) -> tuple[str, int]:
    return item.product.affiliate_commission_type, item.product.affiliate_commission_value


def _product_creator(item) -> tuple[int | None, int]:
    product = item.product
    if product.creator_id and getattr(product, "mentor_share_percent", 0):
        return product.creator_id, product.mentor_share_percent
    return None, 0


PLAN = SellableKind(
    kind=ItemKind.PLAN,
    label=_("Membership"),
    order=10,
    price=plan_line,
    fulfil=_plan_fulfil,
    revoke=_plan_revoke,
    commission_rule=_plan_commission,
    creator_share=_plan_creator,
    creator_lines=lambda user: Q(plan__creator=user),
    review_on_error=True,  # the buyer's situation may have changed since checkout
    related=("plan", "plan_price"),  # the option's plan is the line's (`_plan_option`)
)

PRODUCT = SellableKind(
    kind=ItemKind.PRODUCT,
    label=_("Produk"),
    order=20,
    price=product_line,
    fulfil=_product_fulfil,
    revoke=_product_revoke,
    commission_rule=_product_commission,
    creator_share=_product_creator,
    creator_lines=lambda user: Q(product__creator=user),
    related=("product", "product__resource"),
)
