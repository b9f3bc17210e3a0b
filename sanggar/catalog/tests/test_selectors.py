from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from sanggar.catalog import selectors, services
from sanggar.catalog.selectors import CatalogNotFound
from sanggar.catalog.services import PriceInput
from sanggar.core.exceptions import NotFound

pytestmark = pytest.mark.django_db


def test_public_plans_are_active_ones_with_active_prices_in_duration_order(admin_user, make_plan):
    gold = make_plan("Gold", prices=(("lifetime", 3_000_000), ("1m", 150_000), ("12m", 1_200_000)), sort_order=2)
    silver = make_plan("Silver", sort_order=1)
    make_plan("Draft", status="draft")
    archived = make_plan("Lama")
    services.plan_update(plan=archived, actor=admin_user, status="archived")
    services.plan_prices_set(
        plan=gold,
        actor=admin_user,
        prices=[PriceInput("lifetime", 3_000_000), PriceInput("1m", 150_000, is_active=False),
                PriceInput("12m", 1_200_000)],
    )  # fmt: skip
    plans = list(selectors.plan_list_public())
    assert plans == [silver, gold]
    assert [p.duration for p in plans[1].prices.all()] == ["12m", "lifetime"]
    assert selectors.plans_get_public(slugs=["gold", "draft", "silver", "gold"]) == [gold, silver]
    assert selectors.plan_get_public(slug="gold") == gold
    for slug in ("draft", "lama", "nope"):
        with pytest.raises(CatalogNotFound) as exc:
            selectors.plan_get_public(slug=slug)
        assert isinstance(exc.value, Http404) and isinstance(exc.value, NotFound)
        assert exc.value.message == "Paket membership tidak ditemukan."


def test_public_products(admin_user, make_product):
    ebook_category = services.category_create(actor=admin_user, name="Ebook")
    ebook = make_product("Ebook Ekspor", kind="ebook", category_ids=[ebook_category.pk])
    soon = make_product("Kelas Harga", kind="course_bundle", status="coming_soon")
    make_product("Rahasia", status="draft")
    assert list(selectors.product_list_public()) == [soon, ebook]
    assert list(selectors.product_list_public(category="ebook")) == [ebook]
    assert list(selectors.product_list_public(q="harga")) == [soon]
    assert list(selectors.product_list_public(kind="ebook")) == [ebook]
    assert selectors.product_get_public(slug="kelas-harga") == soon
    with pytest.raises(CatalogNotFound):
        selectors.product_get_public(slug="rahasia")


def test_effective_prices_and_member_discount(admin_user, make_plan, make_product):
    now = timezone.now()
    plan = make_plan("Gold", prices=(), status="draft")
    services.plan_prices_set(
        plan=plan,
        actor=admin_user,
        prices=[PriceInput("12m", 1_000_000, promo_price=800_000, promo_ends_at=now + timedelta(hours=1))],
    )
    option = plan.prices.get()
    assert selectors.plan_price_effective(plan_price=option, now=now) == 800_000
    assert selectors.plan_price_effective(plan_price=option, now=now + timedelta(hours=1)) == 1_000_000
    product = make_product("Ebook", price=100_000, promo_price=75_000, member_discount_type="percent",
                           member_discount_value=15)  # fmt: skip
    assert selectors.product_price_effective(product=product) == 75_000
    assert selectors.product_member_discount(product=product, amount=75_001) == 11_250
    free = make_product("Gratis", price=0)
    assert selectors.product_price_effective(product=free) == 0


def test_coupon_states(make_coupon):
    now = timezone.now()
    active = make_coupon("AKTIF")
    scheduled = make_coupon("NANTI", valid_from=now + timedelta(days=1))
    expired = make_coupon("LEWAT", valid_until=now - timedelta(days=1))
    inactive = make_coupon("MATI", is_active=False)
    assert [selectors.coupon_state(c, now) for c in (active, scheduled, expired, inactive)] == [
        "active", "scheduled", "expired", "inactive",
    ]  # fmt: skip
    for state, expected in (("active", [active]), ("scheduled", [scheduled]), ("expired", [expired]),
                            ("inactive", [inactive])):  # fmt: skip
        assert list(selectors.coupon_list_admin(state=state, now=now)) == expected
    assert [c.code for c in selectors.coupon_list_admin(q="lew")] == ["LEWAT"]
    assert selectors.coupon_list_admin().get(code="AKTIF").uses == 0
