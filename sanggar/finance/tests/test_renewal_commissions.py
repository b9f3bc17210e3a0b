"""Renewal and upgrade commissions: a plan price option's own rule for renewals and upgrades, defaulting to the
normal commission, used by the revenue split (and so by the ledger) when the order line is a renewal / upgrade."""

import pytest

from sanggar.affiliates.models import Commission
from sanggar.catalog import services as catalog
from sanggar.catalog.services import PriceInput
from sanggar.core.exceptions import ServiceError
from sanggar.finance.constants import AccountKind
from sanggar.orders.models import OrderItem
from sanggar.orders.services import order_create, order_mark_paid
from sanggar.orders.tests.shop import plan_item

from .conftest import balance

pytestmark = pytest.mark.django_db


def _buy(world, slug):
    order = order_create(buyer=world.buyer, items=[plan_item(slug, "1m")], provider="manual", affiliate=world.affiliate)
    return order_mark_paid(order=order, actor=world.admin)


def _plans(world, *, renewal=("", None), upgrade=("", None)):
    shop = world.shop
    silver = shop.plan("Silver", rank=1, prices=(("1m", 1_000_000),), affiliate_commission_type="percent",
                       affiliate_commission_value=30)  # fmt: skip
    gold = shop.plan("Gold", rank=2, prices=(("1m", 2_000_000),), upgrade_mode="full",
                     affiliate_commission_type="percent", affiliate_commission_value=30)  # fmt: skip
    for plan, price in ((silver, 1_000_000), (gold, 2_000_000)):
        catalog.plan_prices_set(
            plan=plan,
            actor=world.admin,
            prices=[
                PriceInput(
                    duration="1m",
                    price=price,
                    renewal_commission_type=renewal[0],
                    renewal_commission_value=renewal[1],
                    upgrade_commission_type=upgrade[0],
                    upgrade_commission_value=upgrade[1],
                )  # fmt: skip
            ],
        )
    return silver, gold


def test_renewal_pays_the_renewal_rule_sejoli_style_zero(world):
    silver, _gold = _plans(world, renewal=("flat", 0))
    first = _buy(world, "silver")
    renewal = _buy(world, "silver")
    assert OrderItem.objects.get(order=renewal).pricing == "renewal"
    assert Commission.objects.get(order=first).amount == 300_000
    assert Commission.objects.get(order=renewal).amount == 0
    # The ledger: only the first sale's commission reached the affiliate; the renewal's goes to the split's rest.
    assert balance(world.affiliate, AccountKind.AFFILIATE)["pending"] == 300_000


def test_renewal_without_its_own_rule_pays_the_normal_commission(world):
    _plans(world)
    _buy(world, "silver")
    renewal = _buy(world, "silver")
    assert Commission.objects.get(order=renewal).amount == 300_000


def test_upgrade_pays_the_upgrade_rule(world):
    _plans(world, renewal=("flat", 0), upgrade=("percent", 10))
    _buy(world, "silver")
    upgrade = _buy(world, "gold")
    item = OrderItem.objects.get(order=upgrade)
    assert item.pricing == "upgrade"
    assert Commission.objects.get(order=upgrade).amount == item.amount * 10 // 100
    assert balance(world.affiliate, AccountKind.AFFILIATE)["pending"] == 300_000 + item.amount * 10 // 100


def test_the_rule_falls_back_option_then_plan(world):
    silver, _gold = _plans(world)
    price = silver.prices.get()
    assert price.commission_rule("renewal") == ("percent", 30)
    price.affiliate_commission_type, price.affiliate_commission_value = "flat", 50_000
    assert price.commission_rule("upgrade") == ("flat", 50_000)
    price.upgrade_commission_type, price.upgrade_commission_value = "percent", 5
    assert price.commission_rule("upgrade") == ("percent", 5)
    assert price.commission_rule("new") == ("flat", 50_000)


def test_renewal_rule_is_checked(world):
    silver, _gold = _plans(world)
    with pytest.raises(ServiceError) as caught:
        catalog.plan_prices_set(
            plan=silver,
            actor=world.admin,
            prices=[
                PriceInput(
                    duration="1m",
                    price=1_000_000,
                    renewal_commission_type="flat",
                    renewal_commission_value=2_000_000,
                    upgrade_commission_type="percent",
                    upgrade_commission_value=101,
                )  # fmt: skip
            ],
        )
    assert caught.value.errors == {
        "prices.0.renewal_commission_value": ["Komisi nominal tidak boleh melebihi harga."],
        "prices.0.upgrade_commission_value": ["Nilai komisi maksimal 100."],
    }
