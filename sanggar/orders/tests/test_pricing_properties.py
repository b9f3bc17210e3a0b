"""The money rules as properties (hypothesis): member discount, upgrade credit and coupon on the same order.

Every line: amount = list price - member discount - upgrade credit - coupon, each reduction ≥ 0 and the amount ≥ 0;
the order: total = sum of the line amounts (+ the unique code), discount = subtotal - (total - unique code)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanggar.catalog.models import Coupon, PlanPrice, Product
from sanggar.catalog.pricing import spread_fixed
from sanggar.core.exceptions import ServiceError
from sanggar.orders.models import Order
from sanggar.orders.services import order_create, order_preview
from sanggar.orders.tests.shop import Shop, plan_item, product_item

pytestmark = pytest.mark.django_db

MONEY = st.integers(min_value=1, max_value=50_000_000)
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@pytest.fixture
def world(admin_user, make_user):
    """Silver (active membership of the premium buyer) → Gold (upgrade, accumulate), two products, one coupon."""
    shop = Shop(admin_user)
    silver = shop.plan("Silver", rank=1, prices=(("12m", 1_000_000),))
    gold = shop.plan("Gold", rank=2, prices=(("12m", 2_000_000),), upgrade_mode="accumulate")
    ebook = shop.product("Ebook", price=100_000)
    webinar = shop.product("Webinar", price=300_000)
    coupon = shop.coupon("PROMO", "percent", 10)
    premium = make_user()
    shop.buy_paid(premium, plan_item(silver.slug), now=timezone.now() - timedelta(days=100))
    return {"shop": shop, "gold": gold, "ebook": ebook, "webinar": webinar, "coupon": coupon, "premium": premium,
            "free": make_user()}  # fmt: skip


def _set_world(world, *, gold_price, ebook_price, ebook_promo, webinar_price, member_type, member_value, coupon):
    PlanPrice.objects.filter(plan=world["gold"]).update(price=gold_price, promo_price=None)
    Product.objects.filter(pk=world["ebook"].pk).update(
        price=ebook_price, promo_price=ebook_promo, member_discount_type=member_type, member_discount_value=member_value
    )
    Product.objects.filter(pk=world["webinar"].pk).update(
        price=webinar_price, member_discount_type=member_type, member_discount_value=member_value
    )
    Coupon.objects.filter(pk=world["coupon"].pk).update(discount_type=coupon[0], value=coupon[1])


def _world_values():
    return st.fixed_dictionaries(
        {
            "gold_price": MONEY,
            "ebook_price": MONEY,
            "ebook_promo": st.none() | st.integers(min_value=1, max_value=49_999_999),
            "webinar_price": MONEY,
            "member_type": st.sampled_from(["percent", "fixed"]),
            "member_value": st.integers(min_value=0, max_value=60_000_000),
            "coupon": st.tuples(st.just("percent"), st.integers(1, 100))
            | st.tuples(st.just("fixed"), st.integers(1, 120_000_000)),
        }
    ).filter(lambda v: v["ebook_promo"] is None or v["ebook_promo"] < v["ebook_price"])


def _check_lines(quote):
    for line in quote.lines:
        assert line.member_discount >= 0 and line.upgrade_credit >= 0 and line.coupon_discount >= 0
        assert line.member_discount + line.upgrade_credit <= line.list_price
        assert line.amount == line.list_price - line.member_discount - line.upgrade_credit - line.coupon_discount
        assert line.amount >= 0
    assert quote.subtotal == sum(line.list_price for line in quote.lines)
    assert quote.total == sum(line.amount for line in quote.lines) >= 0
    assert quote.discount == quote.subtotal - quote.total >= 0


@SETTINGS
@given(values=_world_values(), premium=st.booleans(), with_coupon=st.booleans())
def test_preview_arithmetic(world, values, premium, with_coupon):
    _set_world(world, **values)
    buyer = world["premium"] if premium else world["free"]
    items = [plan_item(world["gold"].slug), product_item(world["ebook"].slug), product_item(world["webinar"].slug)]
    quote = order_preview(buyer=buyer, items=items, coupon_code="PROMO" if with_coupon else "")
    _check_lines(quote)
    plan_line, ebook_line, webinar_line = quote.lines

    ebook_list = values["ebook_promo"] if values["ebook_promo"] is not None else values["ebook_price"]
    assert ebook_line.list_price == ebook_list
    if premium:
        assert plan_line.pricing == "upgrade" and plan_line.upgrade_credit > 0
        if values["member_type"] == "percent":
            assert ebook_line.member_discount == ebook_list * min(values["member_value"], 100) // 100
        else:
            assert ebook_line.member_discount == min(values["member_value"], ebook_list)
    else:
        assert plan_line.upgrade_credit == 0 and ebook_line.member_discount == 0

    bases = [line.price_before_coupon for line in quote.lines]
    coupon_parts = [line.coupon_discount for line in quote.lines]
    kind, value = values["coupon"]
    expected = [base * value // 100 for base in bases] if kind == "percent" else spread_fixed(value, bases)
    if not with_coupon or sum(expected) == 0:
        assert (coupon_parts, quote.coupon_valid) == ([0, 0, 0], False)
    else:
        assert (coupon_parts, quote.coupon_valid) == (expected, True)
        if kind == "fixed":
            assert sum(coupon_parts) == min(value, sum(bases))
    assert webinar_line.amount >= 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=_world_values(), premium=st.booleans())
def test_created_orders_add_up(world, values, premium):
    _set_world(world, **values)
    buyer = world["premium"] if premium else world["free"]
    items = [product_item(world["ebook"].slug), product_item(world["webinar"].slug)]
    before = Order.objects.count()
    try:
        order = order_create(buyer=buyer, items=items, coupon_code="PROMO", provider="manual")
    except ServiceError as error:  # the coupon would take nothing off: refused, nothing written
        assert set(error.errors) == {"coupon"}
        assert order_preview(buyer=buyer, items=items, coupon_code="PROMO").coupon_valid is False
        assert Order.objects.count() == before
        return
    items = list(order.items.all())
    assert order.total == sum(item.amount for item in items) + order.unique_code
    assert order.total >= 0 and order.discount >= 0
    assert order.subtotal - order.discount == order.total - order.unique_code
    assert all(item.amount == item.list_price - item.reductions >= 0 for item in items)
    if order.total - order.unique_code == 0:
        assert (order.status, order.unique_code) == ("paid", 0)
