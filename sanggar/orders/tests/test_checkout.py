"""Checkout orchestration (orders.checkout): placing an order and starting its payment, retrying a payment,
pricing a page's plan options for the visitor. Data is built through the catalog, orders and memberships services.

`build_catalog` and `checkout_settings` are shared with test_public_views.py and test_api.py."""

import threading
from datetime import timedelta
from types import SimpleNamespace

import httpx
import pytest
import respx
from django.db import close_old_connections, connection
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from sanggar.audit.models import ActivityLog
from sanggar.catalog import services as catalog_services
from sanggar.catalog.models import PlanPrice, Product
from sanggar.catalog.services import PriceInput
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.memberships.services import membership_activate
from sanggar.orders.checkout import (
    PlanOption,
    checkout_pay,
    checkout_place,
    coupon_code_clean,
    item_from_value,
    plan_options,
)
from sanggar.orders.constants import OrderStatus
from sanggar.orders.models import Order
from sanggar.orders.selectors import order_timeline
from sanggar.orders.services import ItemRequest
from sanggar.payments.models import Payment

XENDIT_URL = "https://xendit.test"


def checkout_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://sanggar.test"
    settings.PAYMENT_PROVIDERS = ["manual", "xendit"]
    settings.ORDER_PENDING_HOURS = 24
    settings.MANUAL_UNIQUE_CODE = True
    settings.MANUAL_BANK_NAME = "BCA"
    settings.MANUAL_BANK_ACCOUNT_NUMBER = "1234567890"
    settings.MANUAL_BANK_ACCOUNT_HOLDER = "PT Sanggar Edukasi Nusantara"
    settings.XENDIT_SECRET_KEY = "xnd_development_uji"
    settings.XENDIT_CALLBACK_TOKEN = "token-uji"
    settings.XENDIT_BASE_URL = XENDIT_URL
    settings.PROVIDER_HTTP_TIMEOUT = 2
    return settings


def _plan(admin, title, *, rank, prices, features=(), **values):
    plan = catalog_services.plan_create(actor=admin, title=title, rank=rank, **values)
    catalog_services.plan_prices_set(plan=plan, actor=admin, prices=[PriceInput(**p) for p in prices])
    if features:
        catalog_services.plan_features_set(plan=plan, actor=admin, labels=list(features))
    return catalog_services.plan_update(plan=plan, actor=admin, status="active")


def build_catalog(admin) -> SimpleNamespace:
    """Silver < Gold < Platinum (Gold: a running promo on 12 months, "Paling Laris"), an ebook with a member
    discount, a webinar with 2 seats, a free template, a coming-soon product, a premium-only product, coupon
    HEMAT10 (10%)."""
    later = timezone.now() + timedelta(days=7)
    silver = _plan(
        admin, "Silver", rank=1, slug="silver", badge_cheapest=True,
        prices=[{"duration": "6m", "price": 600_000}, {"duration": "12m", "price": 1_000_000}],
        features=["Komunitas pemula", "Kelas dasar ekspor"],
    )  # fmt: skip
    gold = _plan(
        admin, "Gold", rank=2, slug="gold", badge_best_seller=True, upgrade_mode="accumulate",
        prices=[
            {"duration": "6m", "price": 900_000},
            {"duration": "12m", "price": 1_500_000, "promo_price": 1_200_000, "promo_ends_at": later},
        ],
        features=["Komunitas pemula", "Kelas dasar ekspor", "Database buyer"],
    )  # fmt: skip
    platinum = _plan(
        admin, "Platinum", rank=3, slug="platinum", upgrade_mode="full",
        prices=[{"duration": "lifetime", "price": 5_000_000}],
        features=["Database buyer", "Webinar VIP"],
    )  # fmt: skip

    def product(title, slug, **values):
        values.setdefault("price_type", "one_time")
        return catalog_services.product_create(actor=admin, title=title, slug=slug, **values)

    return SimpleNamespace(
        silver=silver,
        gold=gold,
        platinum=platinum,
        ebook=product(
            "Ebook Panduan Ekspor",
            "ebook-ekspor",
            status="published",
            kind="ebook",
            price=200_000,
            member_discount_type="percent",
            member_discount_value=25,
            short_description="Panduan langkah demi langkah.",
        ),  # fmt: skip
        webinar=product(
            "Webinar Buyer Eropa", "webinar-eropa", status="published", kind="webinar", price=100_000, stock=2
        ),
        template=product("Template Invoice Ekspor", "template-invoice", status="published", price_type="free"),
        soon=product("Kelas Lanjutan", "kelas-lanjutan", status="coming_soon", price=750_000),
        premium_only=product(
            "Database Buyer Premium", "database-premium", status="published", price=300_000, access_level="premium"
        ),
        coupon=catalog_services.coupon_create(actor=admin, code="HEMAT10", discount_type="percent", value=10),
    )


def gold_12m(catalog) -> PlanPrice:
    return catalog.gold.prices.get(duration="12m")


def activate(user, plan, duration):
    return membership_activate(user=user, plan_price=plan.prices.get(duration=duration), amount_paid=0)


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    return checkout_settings(settings, tmp_path)


@pytest.fixture
def catalog(admin_user):
    return build_catalog(admin_user)


# --- checkout_place ------------------------------------------------------------------------------------------


def test_manual_checkout_creates_a_pending_order_with_transfer_instructions(catalog, member_user):
    result = checkout_place(
        buyer=member_user, items=[ItemRequest("plan", "gold", "12m")], coupon_code="", provider="manual"
    )

    order = Order.objects.get()
    assert result.order == order
    assert order.status == OrderStatus.PENDING
    assert order.provider == "manual"
    assert 1 <= order.unique_code <= 999
    assert order.subtotal == 1_200_000  # the running promo
    assert order.total == 1_200_000 + order.unique_code
    assert result.error == ""
    assert result.redirect_url == f"/invoice/{order.invoice_number}"
    payment = Payment.objects.get()
    assert result.payment == payment
    assert payment.provider == "manual"
    assert payment.amount == order.total
    assert result.instructions["bank_name"] == "BCA"
    assert result.instructions["account_number"] == "1234567890"
    assert result.instructions["account_holder"] == "PT Sanggar Edukasi Nusantara"
    assert result.instructions["amount"] == order.total


@respx.mock
def test_gateway_checkout_redirects_to_the_providers_page(catalog, member_user):
    route = respx.post(f"{XENDIT_URL}/v2/invoices").mock(
        return_value=httpx.Response(
            200,
            json={
                "id": "inv-xnd-1",
                "external_id": "INV000001",
                "status": "PENDING",
                "amount": 180_000,
                "invoice_url": "https://checkout-staging.xendit.co/web/inv-xnd-1",
                "expiry_date": "2030-01-01T00:00:00.000Z",
            },
        )
    )

    result = checkout_place(
        buyer=member_user, items=[ItemRequest("product", "ebook-ekspor")], coupon_code="hemat10", provider="xendit"
    )

    assert route.call_count == 1
    order = result.order
    assert order.provider == "xendit"
    assert order.unique_code == 0
    assert (order.subtotal, order.discount, order.total) == (200_000, 20_000, 180_000)
    assert order.coupon_code == "HEMAT10"
    assert result.redirect_url == "https://checkout-staging.xendit.co/web/inv-xnd-1"
    assert result.payment.provider_reference == "inv-xnd-1"
    assert result.instructions == {}
    assert result.error == ""


@respx.mock
def test_provider_failure_keeps_the_order_pending_and_another_provider_can_be_used(catalog, member_user):
    respx.post(f"{XENDIT_URL}/v2/invoices").mock(return_value=httpx.Response(503, json={"message": "down"}))

    result = checkout_place(buyer=member_user, items=[ItemRequest("plan", "silver", "6m")], provider="xendit")

    order = Order.objects.get()
    assert order.status == OrderStatus.PENDING
    assert order.total == 600_000
    assert result.payment is None
    assert Payment.objects.count() == 0
    assert result.redirect_url == f"/invoice/{order.invoice_number}"
    assert result.error.startswith(f"Pesanan {order.invoice_number} sudah dibuat, tetapi pembayarannya belum bisa")
    assert "Xendit" in result.error

    retry = checkout_pay(order=order, provider="manual", actor=member_user)

    order.refresh_from_db()
    assert order.provider == "manual"
    assert order.total == 600_000  # amounts never change after creation
    assert retry.error == ""
    assert retry.payment.provider == "manual"
    assert retry.payment.amount == 600_000
    assert retry.redirect_url == f"/invoice/{order.invoice_number}"
    assert [event.action for event in order_timeline(order=order)] == [
        "order.created",
        "order.provider_changed",
        "payment.started",
    ]
    changed = ActivityLog.objects.get(target_id=str(order.pk), action="order.provider_changed")
    assert (changed.actor, changed.data) == (member_user, {"from": "xendit", "to": "manual"})


def test_retrying_with_the_same_provider_returns_the_open_attempt(catalog, member_user):
    first = checkout_place(buyer=member_user, items=[ItemRequest("plan", "silver", "6m")], provider="manual")

    again = checkout_pay(order=first.order, provider="manual", actor=member_user)

    assert again.payment == first.payment
    assert Payment.objects.count() == 1


def test_free_product_is_paid_at_once_without_a_payment(catalog, member_user):
    result = checkout_place(buyer=member_user, items=[ItemRequest("product", "template-invoice")], provider="manual")

    order = Order.objects.get()
    assert order.status == OrderStatus.PAID
    assert order.provider == "free"
    assert order.total == 0
    assert result.payment is None
    assert result.error == ""
    assert result.redirect_url == f"/invoice/{order.invoice_number}"
    assert Payment.objects.count() == 0


@pytest.mark.parametrize(
    ("items", "coupon", "provider", "field", "message"),
    [
        ([ItemRequest("product", "kelas-lanjutan")], "", "manual", "items", "Kelas Lanjutan segera hadir"),
        ([ItemRequest("product", "database-premium")], "", "manual", "items", "khusus Member Premium"),
        ([ItemRequest("plan", "gold", "1m")], "", "manual", "duration", "tidak tersedia untuk paket Gold"),
        ([ItemRequest("plan", "gold", "12m")], "TIDAKADA", "manual", "coupon", ""),
        ([ItemRequest("plan", "gold", "12m")], "", "midtrans", "provider", "tidak tersedia"),
        (
            [ItemRequest("plan", "gold", "12m"), ItemRequest("plan", "silver", "6m")],
            "",
            "manual",
            "items",
            "hanya boleh berisi satu paket",
        ),
    ],
)
def test_refused_orders_create_nothing(catalog, member_user, items, coupon, provider, field, message):
    with pytest.raises(ServiceError) as raised:
        checkout_place(buyer=member_user, items=items, coupon_code=coupon, provider=provider)

    assert field in raised.value.errors
    assert message in raised.value.message
    assert Order.objects.count() == 0
    assert Payment.objects.count() == 0


def test_a_downgrade_is_refused_while_a_higher_plan_is_active(catalog, member_user):
    activate(member_user, catalog.gold, "12m")

    with pytest.raises(ServiceError) as raised:
        checkout_place(buyer=member_user, items=[ItemRequest("plan", "silver", "12m")], provider="manual")

    assert "masih memiliki membership Gold" in raised.value.message
    assert Order.objects.count() == 0


def test_checkout_pay_refuses_an_order_that_is_no_longer_pending(catalog, member_user, make_user):
    result = checkout_place(buyer=member_user, items=[ItemRequest("product", "template-invoice")], provider="manual")

    with pytest.raises(ServiceError) as raised:
        checkout_pay(order=result.order, provider="manual", actor=member_user)

    assert raised.value.message == "Pesanan ini tidak menunggu pembayaran lagi."
    assert Payment.objects.count() == 0


def test_checkout_pay_by_someone_else_is_refused(catalog, member_user, make_user):
    placed = checkout_place(buyer=member_user, items=[ItemRequest("plan", "silver", "6m")], provider="manual")
    stranger = make_user(email="orang-lain@uji.test")

    with pytest.raises(NotAllowed):
        checkout_pay(order=placed.order, provider="xendit", actor=stranger)
    with pytest.raises(NotAllowed):
        checkout_pay(order=placed.order, provider="manual", actor=stranger)

    placed.order.refresh_from_db()
    assert placed.order.provider == "manual"
    assert Payment.objects.count() == 1


# --- plan options ----------------------------------------------------------------------------------------------


def _by_value(options: list[PlanOption]) -> dict[str, PlanOption]:
    return {o.value: o for o in options}


def test_plan_options_for_a_visitor_are_new_purchases_at_the_promo_price(catalog, django_assert_max_num_queries):
    from django.contrib.auth.models import AnonymousUser

    from sanggar.catalog.selectors import plan_list_public

    plans = list(plan_list_public())
    with django_assert_max_num_queries(0):
        options = _by_value(plan_options(user=AnonymousUser(), plans=plans))

    assert list(options) == [
        "plan:silver:6m",
        "plan:silver:12m",
        "plan:gold:6m",
        "plan:gold:12m",
        "plan:platinum:lifetime",
    ]
    gold = options["plan:gold:12m"]
    assert (gold.pricing, gold.base_price, gold.list_price, gold.amount, gold.credit) == (
        "new",
        1_500_000,
        1_200_000,
        1_200_000,
        0,
    )
    assert gold.allowed is True
    assert gold.has_promo is True
    assert gold.saving_percent == 20
    assert gold.per_month == 100_000
    assert gold.promo_ends_at is not None
    assert options["plan:gold:6m"].promo_ends_at is None
    assert options["plan:platinum:lifetime"].per_month is None


def test_plan_options_show_renewal_upgrade_and_refuse_a_downgrade(catalog, member_user):
    from sanggar.catalog.selectors import plan_list_public

    activate(member_user, catalog.gold, "12m")

    options = _by_value(plan_options(user=member_user, plans=list(plan_list_public())))

    renewal = options["plan:gold:6m"]
    assert (renewal.pricing, renewal.amount, renewal.allowed, renewal.pricing_label) == (
        "renewal",
        900_000,
        True,
        "Perpanjang",
    )
    upgrade = options["plan:platinum:lifetime"]
    assert (upgrade.pricing, upgrade.credit, upgrade.amount, upgrade.allowed) == ("upgrade", 0, 5_000_000, True)
    assert upgrade.pricing_label == "Upgrade"
    downgrade = options["plan:silver:12m"]
    assert downgrade.allowed is False
    assert "masih memiliki membership Gold" in downgrade.message


def test_accumulate_upgrade_option_deducts_the_unused_value(catalog, member_user):
    from sanggar.catalog.selectors import plan_list_public

    activate(member_user, catalog.silver, "12m")  # listed at Rp 1.000.000, almost the whole year left

    option = _by_value(plan_options(user=member_user, plans=list(plan_list_public())))["plan:gold:12m"]

    assert option.pricing == "upgrade"
    assert 990_000 <= option.credit <= 1_000_000
    assert option.amount == 1_200_000 - option.credit
    assert option.allowed is True


def test_inactive_price_options_are_not_offered(catalog, admin_user):
    from sanggar.catalog.selectors import plan_get_public

    catalog_services.plan_prices_set(
        plan=catalog.silver,
        actor=admin_user,
        prices=[PriceInput(duration="6m", price=600_000, is_active=False), PriceInput(duration="12m", price=1_000_000)],
    )

    options = plan_options(user=None, plans=[plan_get_public(slug="silver")])

    assert [o.value for o in options] == ["plan:silver:12m"]


# --- form values and coupon codes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plan:gold:12m", ItemRequest("plan", "gold", "12m")),
        ("plan:gold:lifetime", ItemRequest("plan", "gold", "lifetime")),
        ("product:ebook-ekspor", ItemRequest("product", "ebook-ekspor")),
        ("plan:gold:2m", None),
        ("plan:gold", None),
        ("plan::12m", None),
        ("product:", None),
        ("course:dasar", ItemRequest("course", "dasar")),
        ("course:", None),
        ("", None),
    ],
)
def test_item_from_value(value, expected):
    assert item_from_value(value) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" hemat10 ", "HEMAT10"),
        ("EKSPOR-2025_A", "EKSPOR-2025_A"),
        ("", ""),
        (None, ""),
        ("hemat 10", "HEMAT10"),
        ("dua,kata", ""),
        ("<script>", ""),
        ("-AWAL", ""),
        ("A" * 41, ""),
    ],
)
def test_coupon_code_clean(raw, expected):
    assert coupon_code_clean(raw) == expected


@given(
    base=st.integers(min_value=1, max_value=10**10),
    amount=st.integers(min_value=0, max_value=10**10),
    duration=st.sampled_from(["1m", "3m", "6m", "12m", "lifetime"]),
)
def test_option_display_arithmetic_never_overstates_a_saving(base, amount, duration):
    option = PlanOption(
        plan=None, price=None, value="", duration=duration, duration_label="", base_price=base, list_price=amount,
        pricing="new", credit=0, amount=amount, allowed=True, message="", promo_ends_at=None,
    )  # fmt: skip
    assert 0 <= option.saving_percent <= 100
    if amount < base:
        assert option.saving_percent * base <= (base - amount) * 100 < (option.saving_percent + 1) * base
    else:
        assert option.saving_percent == 0
    months = {"1m": 1, "3m": 3, "6m": 6, "12m": 12}.get(duration)
    if months and months > 1:
        assert option.per_month * months <= amount < (option.per_month + 1) * months
    else:
        assert option.per_month is None


# --- concurrency (PostgreSQL) ------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_buyers_racing_for_the_last_seat_get_one_order(admin_user, make_user):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    build_catalog(admin_user)
    Product.objects.filter(slug="webinar-eropa").update(sold_count=1)  # one seat of two left
    buyers = [make_user(email=f"pembeli{i}@uji.test") for i in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def buy(buyer):
        try:
            barrier.wait()
            result = checkout_place(buyer=buyer, items=[ItemRequest("product", "webinar-eropa")], provider="manual")
            outcomes.append(("ok", result.order.invoice_number))
        except ServiceError as exc:
            outcomes.append(("refused", exc.message))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=buy, args=(buyer,)) for buyer in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"]
    assert Order.objects.count() == 1
    assert Product.objects.get(slug="webinar-eropa").sold_count == 2
