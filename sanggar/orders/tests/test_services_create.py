"""order_create and order_preview: pricing of every line, refusals, invoice numbers, unique codes."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from sanggar.audit.models import ActivityLog
from sanggar.catalog.models import Product
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.orders.constants import FREE_PROVIDER, OrderAction, OrderStatus
from sanggar.orders.models import Order, OrderItem
from sanggar.orders.services import ItemRequest, order_preview, order_provider_change
from sanggar.orders.tests.shop import Shop, plan_item, product_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(admin_user):
    return Shop(admin_user)


@pytest.fixture
def buyer(make_user):
    return make_user(full_name="Budi Santoso", email="budi@contoh.test", whatsapp="+6281234567890")


def test_plan_order_is_priced_numbered_and_recorded(shop, buyer, settings):
    settings.ORDER_PENDING_HOURS = 24
    gold = shop.plan("Gold", prices=(("12m", 1_200_000), ("6m", 700_000, 650_000)))
    now = timezone.now()
    order = shop.buy(buyer, plan_item(gold.slug, "6m"), now=now)

    assert order.invoice_number == "INV000001"
    assert order.status == OrderStatus.PENDING
    assert order.provider == "manual"
    assert (order.subtotal, order.discount) == (650_000, 0)
    assert 1 <= order.unique_code <= 999
    assert order.total == 650_000 + order.unique_code
    assert order.expires_at == now + timedelta(hours=24)
    assert (order.buyer_name, order.buyer_email, order.buyer_whatsapp) == (
        "Budi Santoso", "budi@contoh.test", "+6281234567890",
    )  # fmt: skip
    item = order.items.get()
    assert (item.kind, item.plan_id, item.duration, item.title) == ("plan", gold.pk, "6m", "Gold (6 Bulan)")
    assert (item.pricing, item.list_price, item.upgrade_credit, item.amount) == ("new", 650_000, 0, 650_000)
    event = ActivityLog.objects.get(target_id=str(order.pk))
    assert (event.action, event.actor_id, event.data["unique_code"]) == (
        OrderAction.CREATED,
        buyer.pk,
        order.unique_code,
    )


def test_invoice_numbers_follow_each_other_and_a_refused_order_uses_none(shop, buyer):
    gold = shop.plan("Gold")
    first = shop.buy(buyer, plan_item(gold.slug))
    with pytest.raises(ServiceError):
        shop.buy(buyer, plan_item(gold.slug, "1m"))  # no such price option
    second = shop.buy(buyer, plan_item(gold.slug))
    assert [first.invoice_number, second.invoice_number] == ["INV000001", "INV000002"]


def test_invoice_numbers_skip_numbers_already_taken_and_grow_past_six_digits(
    shop, make_user, django_assert_num_queries
):
    from sanggar.orders.models import InvoiceSequence, Order
    from sanggar.orders.services import invoice_number_next

    gold = shop.plan("Gold")
    imported = shop.buy(make_user(), plan_item(gold.slug))  # INV000001
    Order.objects.filter(pk=imported.pk).update(invoice_number="INV000003")  # as an import from an older system
    numbers = [shop.buy(make_user(), plan_item(gold.slug)).invoice_number for _ in range(2)]
    assert numbers == ["INV000002", "INV000004"]  # INV000003 was taken: skipped
    InvoiceSequence.objects.update(last_value=999_999)
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        assert invoice_number_next() == "INV1000000"  # wider than six digits, never cut


def test_unique_codes_differ_between_pending_manual_orders_of_the_same_amount(shop, make_user, settings):
    settings.MANUAL_UNIQUE_CODE_MAX = 3
    gold = shop.plan("Gold", prices=(("12m", 500_000),))
    codes = {shop.buy(make_user(), plan_item(gold.slug)).unique_code for _ in range(3)}
    assert codes == {1, 2, 3}


def test_no_unique_code_when_switched_off(shop, buyer, settings):
    settings.MANUAL_UNIQUE_CODE = False
    gold = shop.plan("Gold", prices=(("12m", 500_000),))
    order = shop.buy(buyer, plan_item(gold.slug))
    assert (order.unique_code, order.total) == (0, 500_000)


def test_product_promo_and_premium_member_discount(shop, buyer, make_user):
    now = timezone.now()
    template = shop.product(
        "Template Dokumen",
        price=300_000,
        promo_price=250_000,
        promo_ends_at=now + timedelta(days=2),
        member_discount_type="percent",
        member_discount_value=15,
    )
    silver = shop.plan("Silver")
    shop.buy_paid(buyer, plan_item(silver.slug))  # buyer is now a premium member
    outsider = make_user()

    premium_order = shop.buy(buyer, product_item(template.slug))
    line = premium_order.items.get()
    # 15% of 250.000 = 37.500
    assert (line.list_price, line.member_discount, line.amount) == (250_000, 37_500, 212_500)
    assert (premium_order.subtotal, premium_order.discount) == (250_000, 37_500)

    free_order = shop.buy(outsider, product_item(template.slug))
    assert free_order.items.get().member_discount == 0
    assert free_order.subtotal == 250_000

    late = shop.buy(make_user(), product_item(template.slug), now=now + timedelta(days=3))
    assert late.items.get().list_price == 300_000


def test_percent_coupon_is_floored_per_line(shop, buyer):
    ebook = shop.product("Ebook", price=99_999)
    shop.coupon("EKSPOR10", "percent", 10)
    order = shop.buy(buyer, product_item(ebook.slug), coupon="ekspor10")
    line = order.items.get()
    assert (line.coupon_discount, line.amount) == (9_999, 90_000)
    assert (order.coupon.code, order.coupon_code, order.discount) == ("EKSPOR10", "EKSPOR10", 9_999)


def test_fixed_coupon_is_spread_over_the_lines_it_applies_to(shop, buyer):
    ebook = shop.product("Ebook", price=100_000)
    webinar = shop.product("Webinar", price=300_000)
    other = shop.product("Konsultasi", price=500_000)
    shop.coupon("POTONG", "fixed", 200_000, product_ids=[ebook.pk, webinar.pk])
    order = shop.buy(
        buyer, product_item(ebook.slug), product_item(webinar.slug), product_item(other.slug), coupon="POTONG"
    )
    discounts = {i.product.slug: i.coupon_discount for i in order.items.select_related("product")}
    assert discounts == {ebook.slug: 50_000, webinar.slug: 150_000, other.slug: 0}
    assert order.subtotal - order.discount == 700_000


def test_invalid_coupon_refuses_the_order_but_only_informs_the_preview(shop, buyer):
    ebook = shop.product("Ebook", price=100_000)
    with pytest.raises(ServiceError) as error:
        shop.buy(buyer, product_item(ebook.slug), coupon="TIDAKADA")
    assert error.value.errors == {"coupon": ["Kode kupon TIDAKADA tidak ditemukan."]}
    assert Order.objects.count() == 0

    quote = order_preview(buyer=buyer, items=[product_item(ebook.slug)], coupon_code="TIDAKADA")
    assert (quote.total, quote.coupon_valid, quote.coupon_message) == (
        100_000, False, "Kode kupon TIDAKADA tidak ditemukan.",
    )  # fmt: skip


def test_preview_prices_like_create_and_writes_nothing(shop, buyer):
    ebook = shop.product("Ebook", price=120_000)
    shop.coupon("HEMAT", "fixed", 20_000)
    quote = order_preview(buyer=buyer, items=[product_item(ebook.slug)], coupon_code="HEMAT")
    assert (quote.subtotal, quote.discount, quote.total, quote.coupon_valid) == (120_000, 20_000, 100_000, True)
    assert Order.objects.count() == 0
    order = shop.buy(buyer, product_item(ebook.slug), coupon="HEMAT")
    assert order.total - order.unique_code == quote.total


def test_preview_for_a_visitor_without_account(shop):
    gold = shop.plan("Gold", prices=(("12m", 1_000_000, 900_000),))
    quote = order_preview(buyer=None, items=[plan_item(gold.slug)])
    assert (quote.total, quote.lines[0].pricing) == (900_000, "new")


def test_upgrade_line_carries_the_credit_from_the_membership_quote(shop, buyer):
    silver = shop.plan("Silver", rank=1, prices=(("12m", 1_200_000),))
    gold = shop.plan("Gold", rank=2, prices=(("12m", 2_400_000),), upgrade_mode="accumulate")
    shop.buy_paid(buyer, plan_item(silver.slug))
    order = shop.buy(buyer, plan_item(gold.slug))
    line = order.items.get()
    assert line.pricing == "upgrade"
    assert 1_190_000 <= line.upgrade_credit <= 1_200_000  # almost a whole year left
    assert line.amount == 2_400_000 - line.upgrade_credit
    assert order.discount == line.upgrade_credit


def test_renewal_line(shop, buyer):
    gold = shop.plan("Gold", prices=(("12m", 1_200_000), ("1m", 150_000)))
    shop.buy_paid(buyer, plan_item(gold.slug))
    line = shop.buy(buyer, plan_item(gold.slug, "1m")).items.get()
    assert (line.pricing, line.amount) == ("renewal", 150_000)


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([], "Pilih paket membership atau produk yang ingin dibeli."),
        ([ItemRequest("kursus", "x")], "Jenis item tidak dikenal: gunakan membership (plan) atau produk (product)."),
        ([ItemRequest("plan", "tidak-ada", "12m")], "Paket membership tidak ditemukan atau sedang tidak dijual."),
        ([ItemRequest("product", "tidak-ada")], "Produk tidak ditemukan."),
    ],
)
def test_bad_items_are_refused_with_a_message(shop, buyer, items, message):
    with pytest.raises(ServiceError) as error:
        shop.buy(buyer, *items)
    assert error.value.message == message
    assert Order.objects.count() == 0


def test_refusals_of_the_catalog_state(shop, buyer, make_user):
    gold = shop.plan("Gold", rank=2, prices=(("12m", 1_200_000), ("6m", 700_000)))
    silver = shop.plan("Silver", rank=1)
    draft = shop.product("Draft", status="draft")
    soon = shop.product("Kelas Baru", status="coming_soon")
    premium_only = shop.product("Eksklusif", access_level="premium")
    seats = shop.product("Webinar", stock=1)

    cases = [
        ((plan_item(gold.slug), plan_item(silver.slug)), "Satu pesanan hanya boleh berisi satu paket membership."),
        ((product_item(seats.slug), product_item(seats.slug)),
         "Item yang sama hanya bisa dibeli sekali dalam satu pesanan."),
        ((ItemRequest("plan", gold.slug),), "Pilih durasi paket Gold."),
        ((product_item(draft.slug),), "Produk tidak ditemukan."),
        ((product_item(soon.slug),), "Kelas Baru segera hadir dan belum bisa dibeli."),
        ((product_item(premium_only.slug),),
         "Eksklusif khusus Member Premium. Silakan upgrade membership untuk membelinya."),
    ]  # fmt: skip
    for items, message in cases:
        with pytest.raises(ServiceError) as error:
            shop.buy(buyer, *items)
        assert error.value.message == message

    shop.buy(make_user(), product_item(seats.slug))  # takes the only seat
    with pytest.raises(ServiceError) as error:
        shop.buy(buyer, product_item(seats.slug))
    assert error.value.message == "Kuota Webinar sudah habis."
    assert Order.objects.filter(buyer=buyer).count() == 0


def test_downgrade_while_a_higher_plan_is_active_is_refused(shop, buyer):
    silver = shop.plan("Silver", rank=1)
    gold = shop.plan("Gold", rank=2)
    shop.buy_paid(buyer, plan_item(gold.slug))
    with pytest.raises(ServiceError) as error:
        shop.buy(buyer, plan_item(silver.slug))
    assert "Paket Silver tidak lebih tinggi" in error.value.message
    assert Order.objects.filter(buyer=buyer).count() == 1


def test_disabled_provider_is_refused(shop, buyer, settings):
    settings.PAYMENT_PROVIDERS = ["manual", "xendit"]
    settings.XENDIT_SECRET_KEY = ""  # listed but without credentials: not enabled
    ebook = shop.product("Ebook")
    with pytest.raises(ServiceError) as error:
        shop.buy(buyer, product_item(ebook.slug), provider="xendit")
    assert error.value.errors == {"provider": ["Metode pembayaran ini tidak tersedia. Pilih metode pembayaran lain."]}
    assert Order.objects.count() == 0


def test_inactive_buyer_cannot_order(shop, make_user):
    ebook = shop.product("Ebook")
    user = make_user(is_active=False)
    with pytest.raises(NotAllowed):
        shop.buy(user, product_item(ebook.slug))


def test_free_product_is_paid_at_once(shop, buyer):
    guide = shop.product("Panduan Gratis", price=0)
    order = shop.buy(buyer, product_item(guide.slug), provider="tidak-dipakai")
    assert (order.status, order.provider, order.total, order.unique_code) == (OrderStatus.PAID, FREE_PROVIDER, 0, 0)
    assert order.paid_at is not None
    assert buyer.grants.filter(resource=guide.resource, source="purchase").count() == 1


def test_full_coupon_makes_a_free_order(shop, buyer):
    ebook = shop.product("Ebook", price=80_000)
    shop.coupon("GRATIS", "percent", 100)
    order = shop.buy(buyer, product_item(ebook.slug), coupon="GRATIS")
    assert (order.status, order.total, order.discount) == (OrderStatus.PAID, 0, 80_000)


def test_stock_is_held_by_a_pending_order(shop, buyer):
    webinar = shop.product("Webinar", stock=5)
    shop.buy(buyer, product_item(webinar.slug))
    assert Product.objects.get(pk=webinar.pk).sold_count == 1


def test_provider_change_keeps_the_amounts(shop, buyer, make_user, settings):
    settings.PAYMENT_PROVIDERS = ["manual", "xendit"]
    settings.XENDIT_SECRET_KEY = "xnd_development_abc"
    settings.XENDIT_CALLBACK_TOKEN = "token-uji"
    ebook = shop.product("Ebook", price=100_000)
    order = shop.buy(buyer, product_item(ebook.slug))
    total = order.total
    changed = order_provider_change(order=order, provider="xendit", actor=buyer)
    assert (changed.provider, changed.total) == ("xendit", total)
    assert ActivityLog.objects.filter(target_id=str(order.pk), action=OrderAction.PROVIDER_CHANGED).count() == 1
    with pytest.raises(NotAllowed):
        order_provider_change(order=order, provider="manual", actor=make_user())
    assert Order.objects.get(pk=order.pk).provider == "xendit"


def test_items_are_kept_with_their_catalog_links(shop, buyer):
    ebook = shop.product("Ebook")
    gold = shop.plan("Gold")
    order = shop.buy(buyer, plan_item(gold.slug), product_item(ebook.slug))
    assert list(OrderItem.objects.filter(order=order).values_list("kind", "plan_id", "product_id")) == [
        ("plan", gold.pk, None),
        ("product", None, ebook.pk),
    ]


def test_plan_named_after_its_duration_keeps_its_name(shop, buyer):
    plan = shop.plan("12 Bulan", prices=(("12m", 999_000),))
    assert shop.buy(buyer, plan_item(plan.slug)).items.get().title == "12 Bulan"


def test_paid_product_without_a_price_is_refused(shop, buyer):
    ebook = shop.product("Ebook", price=50_000)
    Product.objects.filter(pk=ebook.pk).update(price=0)  # a catalogue mistake: one-time price type, no price
    with pytest.raises(ServiceError) as error:
        shop.buy(buyer, product_item(ebook.slug))
    assert error.value.message == "Ebook belum memiliki harga, jadi belum bisa dibeli."
    assert Order.objects.count() == 0
