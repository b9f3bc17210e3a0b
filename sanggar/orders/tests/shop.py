"""Test data for the orders tests, built through the catalog's and the orders' own services."""

from datetime import timedelta

from django.utils import timezone

from sanggar.catalog import services as catalog
from sanggar.catalog.models import FollowUpStep
from sanggar.catalog.services import PriceInput
from sanggar.orders.constants import FollowUpStatus
from sanggar.orders.models import FollowUp
from sanggar.orders.services import ItemRequest, order_create, order_mark_paid


def legacy_follow_up_steps(*, follow_ups, **owner) -> list[FollowUpStep]:
    """The WhatsApp follow-up steps the catalog's old "Follow-up WhatsApp" tab wrote for a plan or product (no
    service writes them any more: the reminder builder's sequences replaced them; migration tests start from them)."""
    return [
        FollowUpStep.objects.create(delay_days=days, message=message, sort_order=position, **owner)
        for position, (days, message) in enumerate(follow_ups)
    ]


def legacy_follow_ups(order, steps, *, status=FollowUpStatus.SCHEDULED, now=None) -> list[FollowUp]:
    """FollowUp rows as orders scheduled them for a paid order before plans' and products' follow-ups moved to the
    reminder builder (what its sender still sends: course lines, rows left to it by the move)."""
    paid_at = order.paid_at or now or timezone.now()
    return [
        FollowUp.objects.create(
            order=order,
            step=step,
            message=step.message.replace("{name}", order.buyer.full_name),
            send_at=paid_at + timedelta(days=step.delay_days),
            status=status,
        )
        for step in steps
    ]


class Shop:
    """`shop.plan("Gold", rank=2, prices=(("12m", 1_200_000),))`, `shop.product(...)`, `shop.buy(user, ...)`."""

    def __init__(self, admin):
        self.admin = admin

    def resource(self, title: str, kind: str = "group"):
        return catalog.resource_placeholder_create(actor=self.admin, kind=kind, title=title)

    def plan(
        self,
        title="Gold",
        *,
        rank=1,
        prices=(("12m", 1_200_000),),
        upgrade_mode="accumulate",
        resources=(),
        products=(),
        follow_ups=(),
        status="active",
        **values,
    ):
        plan = catalog.plan_create(actor=self.admin, title=title, rank=rank, upgrade_mode=upgrade_mode, **values)
        catalog.plan_prices_set(
            plan=plan,
            actor=self.admin,
            prices=[PriceInput(duration=p[0], price=p[1], promo_price=p[2] if len(p) > 2 else None) for p in prices],
        )
        if resources or products:
            catalog.plan_content_set(
                plan=plan,
                actor=self.admin,
                resource_ids=[r.pk for r in resources],
                product_ids=[p.pk for p in products],
            )
        if follow_ups:
            legacy_follow_up_steps(plan=plan, follow_ups=follow_ups)
        if status != plan.status:
            plan = catalog.plan_update(plan=plan, actor=self.admin, status=status)
        plan.refresh_from_db()
        return plan

    def product(self, title="Ebook Ekspor", *, price=150_000, status="published", follow_ups=(), **values):
        values.setdefault("price_type", "free" if price == 0 else "one_time")
        if price:
            values.setdefault("price", price)
        product = catalog.product_create(actor=self.admin, title=title, status=status, **values)
        if follow_ups:
            legacy_follow_up_steps(product=product, follow_ups=follow_ups)
        product.refresh_from_db()
        return product

    def coupon(self, code="HEMAT10", discount_type="percent", value=10, **values):
        return catalog.coupon_create(actor=self.admin, code=code, discount_type=discount_type, value=value, **values)

    def buy(self, buyer, *items, coupon="", provider="manual", now=None):
        requests = [item if isinstance(item, ItemRequest) else ItemRequest(*item) for item in items]
        return order_create(buyer=buyer, items=requests, coupon_code=coupon, provider=provider, now=now)

    def buy_paid(self, buyer, *items, coupon="", now=None):
        order = self.buy(buyer, *items, coupon=coupon, now=now)
        return order_mark_paid(order=order, actor=self.admin, now=now)


def plan_item(slug, duration="12m"):
    return ItemRequest("plan", slug, duration)


def product_item(slug):
    return ItemRequest("product", slug)
