"""Unpaid orders cannot hoard seats or codes: a short hold for products with a quota, at most a few unpaid orders
per buyer and one per item (refused with a link to the pending order), order creation rate-limited per user and
per address, unique transfer codes that are never shared."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.catalog.models import Product
from sanggar.orders.constants import UNIQUE_CODE_MAX
from sanggar.orders.models import Order
from sanggar.orders.services import PendingOrderLimit, UniqueCodesExhausted, order_cancel, unique_code_pick

from .shop import plan_item, product_item
from .test_checkout import build_catalog, checkout_settings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    return checkout_settings(settings, tmp_path)


@pytest.fixture
def catalog(admin_user):
    return build_catalog(admin_user)


@pytest.fixture
def shop(admin_user):
    from .shop import Shop

    return Shop(admin_user)


def test_a_product_with_a_quota_is_held_briefly_other_orders_keep_their_day(shop, member_user, settings):
    settings.ORDER_STOCK_HOLD_MINUTES = 30
    webinar = shop.product("Webinar", stock=10)
    ebook = shop.product("Ebook")
    before = timezone.now()
    held = shop.buy(member_user, product_item(webinar.slug))
    plain = shop.buy(member_user, product_item(ebook.slug))
    assert before + timedelta(minutes=29) < held.expires_at <= timezone.now() + timedelta(minutes=30)
    assert plain.expires_at > before + timedelta(hours=23)


def test_one_unpaid_order_per_item_and_a_few_per_buyer(shop, member_user, order_limits):
    webinar = shop.product("Webinar", stock=10)
    first = shop.buy(member_user, product_item(webinar.slug))
    with pytest.raises(PendingOrderLimit) as refused:
        shop.buy(member_user, product_item(webinar.slug))
    assert refused.value.invoice_number == first.invoice_number
    assert first.invoice_number in refused.value.message
    assert "menunggu pembayaran" in refused.value.message
    assert Product.objects.get(pk=webinar.pk).sold_count == 1  # the refused order took no seat

    shop.buy(member_user, product_item(shop.product("Ebook A").slug))
    shop.buy(member_user, plan_item(shop.plan("Gold").slug))
    with pytest.raises(PendingOrderLimit) as too_many:
        shop.buy(member_user, product_item(shop.product("Ebook B").slug))
    assert "3 pesanan" in too_many.value.message
    assert Order.objects.filter(buyer=member_user).count() == 3

    order_cancel(order=first, actor=member_user)  # paying or cancelling frees a place
    assert shop.buy(member_user, product_item(webinar.slug)).status == "pending"


def test_expired_orders_do_not_count(shop, member_user, order_limits):
    ebook = shop.product("Ebook")
    old = shop.buy(member_user, product_item(ebook.slug))
    Order.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert shop.buy(member_user, product_item(ebook.slug)).pk != old.pk


def test_the_api_refuses_with_the_pending_order(client, catalog, member_user, order_limits):
    body = {"items": [{"kind": "product", "slug": "webinar-eropa"}], "provider": "manual"}
    first = call(client, "post", "/orders", body, user=member_user)
    assert first.status_code == 201
    again = call(client, "post", "/orders", body, user=member_user)
    assert again.status_code == 400
    assert again.json()["errors"] == {"pending_order": [first.json()["invoice_number"]]}
    assert first.json()["invoice_number"] in again.json()["message"]


def test_the_page_links_to_the_pending_order(member_client, catalog, member_user, order_limits):
    post = {"item": "product:webinar-eropa", "provider": "manual"}
    assert member_client.post("/produk/webinar-eropa/checkout", post).status_code == 302
    order = Order.objects.get(buyer=member_user)
    page = member_client.post("/produk/webinar-eropa/checkout", post).content.decode()
    assert f'href="/invoice/{order.invoice_number}"' in page
    assert "menunggu pembayaran" in page
    assert Order.objects.filter(buyer=member_user).count() == 1


def test_order_creation_is_rate_limited_per_user_and_per_address(client, catalog, make_user, settings):
    settings.ORDER_CREATE_RATE_LIMIT = "2/600"
    settings.ORDER_CREATE_IP_RATE_LIMIT = "4/600"  # refused attempts count too
    buyer = make_user()
    body = {"items": [{"kind": "product", "slug": "ebook-ekspor"}], "provider": "manual"}
    statuses = [call(client, "post", "/orders", body, user=buyer).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    other = make_user()
    assert call(client, "post", "/orders", body, user=other).status_code == 201  # the address's fourth
    limited = call(client, "post", "/orders", body, user=other)
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert "Terlalu banyak pesanan" in limited.json()["message"]
    assert call(client, "post", "/orders", body, user=make_user()).status_code == 429  # same address
    assert Order.objects.count() == 3


def test_unique_codes_are_never_shared_and_run_out_with_a_clear_refusal(shop, make_user, settings):
    settings.MANUAL_UNIQUE_CODE_MAX = 30
    ebook = shop.product("Ebook", price=150_000)
    other_amount = shop.product("Ebook Lain", price=175_000)
    codes = [shop.buy(make_user(), product_item(ebook.slug)).unique_code for _ in range(30)]
    assert sorted(codes) == list(range(1, 31))
    with pytest.raises(UniqueCodesExhausted) as refused:
        shop.buy(make_user(), product_item(ebook.slug))
    assert "metode pembayaran lain" in refused.value.message
    with pytest.raises(UniqueCodesExhausted):
        unique_code_pick(base_total=150_000)
    assert shop.buy(make_user(), product_item(other_amount.slug)).unique_code  # another amount has its own codes
    assert Order.objects.count() == 31
    assert UNIQUE_CODE_MAX == 999


def _pending_with_codes(buyer, base: int, codes) -> None:
    Order.objects.bulk_create(
        [
            Order(
                invoice_number=f"INV-KODE-{base}-{code}",
                buyer=buyer,
                status="pending",
                subtotal=base,
                total=base + code,
                expires_at=timezone.now() + timedelta(days=1),
                unique_code=code,
            )
            for code in codes
        ]  # fmt: skip
    )


def test_a_code_is_picked_with_one_read_however_many_orders_of_the_amount_wait(make_user, django_assert_num_queries):
    from django.db import connection, transaction

    from sanggar.integrations.selectors import unique_code_range

    _pending_with_codes(make_user(), 200_000, range(1, 601))
    unique_code_range()  # the payment settings, read once and cached
    expected = 2 if connection.vendor == "postgresql" else 1  # the amount's lock, then one probe of random codes
    picked = set()
    for _ in range(20):
        with transaction.atomic(), django_assert_num_queries(expected):
            picked.add(unique_code_pick(base_total=200_000))
    assert all(601 <= code <= UNIQUE_CODE_MAX for code in picked)
    assert len(picked) > 1  # random, not the first free one


def test_a_nearly_full_range_still_finds_its_last_free_codes(make_user):
    from django.db import transaction

    _pending_with_codes(make_user(), 300_000, [code for code in range(1, UNIQUE_CODE_MAX + 1) if code not in (7, 500)])
    picked = set()
    for _ in range(12):  # most probes find their sixteen codes taken and read every code in use
        with transaction.atomic():
            picked.add(unique_code_pick(base_total=300_000))
    assert picked <= {7, 500}
    _pending_with_codes(make_user(), 300_000, [7, 500])
    with transaction.atomic(), pytest.raises(UniqueCodesExhausted):
        unique_code_pick(base_total=300_000)
