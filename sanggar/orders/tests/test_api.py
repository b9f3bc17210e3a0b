"""Orders API: checkout from the mobile apps, one's own orders, retrying a payment. Denied and refused requests
change nothing."""

import typing

import httpx
import pytest
import respx

from sanggar.api.testing import call
from sanggar.catalog.constants import Duration
from sanggar.orders.checkout import checkout_place
from sanggar.orders.constants import OrderStatus
from sanggar.orders.models import Order
from sanggar.orders.schemas import DurationValue, ProviderValue, StatusValue
from sanggar.orders.services import ItemRequest
from sanggar.payments.models import Payment
from sanggar.payments.providers import PROVIDERS
from sanggar.payments.services import payment_mark_paid_manual

from .test_checkout import XENDIT_URL, build_catalog, checkout_settings


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    return checkout_settings(settings, tmp_path)


@pytest.fixture
def catalog(admin_user):
    return build_catalog(admin_user)


GOLD_12M = {"items": [{"kind": "plan", "slug": "gold", "duration": "12m"}], "provider": "manual"}


def test_schema_choices_follow_the_constants():
    assert set(typing.get_args(DurationValue)) == set(Duration.values)
    assert set(typing.get_args(ProviderValue)) == set(PROVIDERS)
    assert set(typing.get_args(StatusValue)) == {"", *OrderStatus.values}


# --- POST /orders ------------------------------------------------------------------------------------------------


def test_create_order_with_manual_transfer(client, catalog, member_user):
    response = call(client, "post", "/orders", {**GOLD_12M, "coupon": "hemat10"}, user=member_user)

    assert response.status_code == 201
    order = Order.objects.get()
    body = response.json()
    assert body["invoice_number"] == order.invoice_number
    assert body["status"] == "pending"
    assert body["status_label"] == "Menunggu pembayaran"
    assert (body["subtotal"], body["discount"], body["unique_code"]) == (1_200_000, 120_000, order.unique_code)
    assert body["total"] == 1_080_000 + order.unique_code
    assert body["coupon"] == "HEMAT10"
    assert body["provider"] == "manual"
    assert body["items"] == [
        {
            "kind": "plan",
            "title": "Gold (12 Bulan)",
            "plan": "gold",
            "product": None,
            "duration": "12m",
            "pricing": "new",
            "list_price": 1_200_000,
            "member_discount": 0,
            "upgrade_credit": 0,
            "coupon_discount": 120_000,
            "amount": 1_080_000,
        }
    ]
    payment = body["payment"]
    assert payment["provider"] == "manual"
    assert payment["provider_label"] == "Transfer Bank"
    assert payment["status"] == "pending"
    assert payment["amount"] == order.total
    assert payment["url"] is None
    assert payment["instructions"]["account_number"] == "1234567890"
    assert payment["instructions"]["bank_name"] == "BCA"
    assert payment["instructions"]["amount"] == order.total
    assert payment["expires_at"] is not None
    assert body["payment_error"] is None
    assert body["invoice_url"] == f"http://testserver/invoice/{order.invoice_number}"
    assert body["paid_at"] is None


def test_create_order_needs_a_token(client, catalog):
    response = call(client, "post", "/orders", GOLD_12M)

    assert response.status_code == 401
    assert Order.objects.count() == 0


def test_idempotency_key_creates_one_order(client, catalog, member_user):
    headers = {"Idempotency-Key": "checkout-1"}
    first = call(client, "post", "/orders", GOLD_12M, user=member_user, headers=headers)
    again = call(client, "post", "/orders", GOLD_12M, user=member_user, headers=headers)

    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Order.objects.count() == 1
    assert Payment.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**GOLD_12M, "referral": "budi"}, "referral"),
        ({"items": [], "provider": "manual"}, "items"),
        ({"items": [{"kind": "plan", "slug": "gold", "duration": "2m"}], "provider": "manual"}, "items.0.duration"),
        ({"items": [{"kind": "ebook", "slug": "dasar"}], "provider": "manual"}, "items.0.kind"),
        (
            {"items": [{"kind": "plan", "slug": "gold", "duration": "12m", "qty": 2}], "provider": "manual"},
            "items.0.qty",
        ),
        ({**GOLD_12M, "provider": "bitcoin"}, "provider"),
        ({"items": GOLD_12M["items"]}, "provider"),
    ],
)
def test_malformed_requests_are_422(client, catalog, member_user, payload, field):
    response = call(client, "post", "/orders", payload, user=member_user)

    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert Order.objects.count() == 0


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({**GOLD_12M, "provider": "midtrans"}, "provider", "Metode pembayaran ini tidak tersedia."),
        ({**GOLD_12M, "coupon": "TIDAKADA"}, "coupon", ""),
        (
            {"items": [{"kind": "plan", "slug": "tidak-ada", "duration": "12m"}], "provider": "manual"},
            "items",
            "Paket membership tidak ditemukan atau sedang tidak dijual.",
        ),
        (
            {"items": [{"kind": "plan", "slug": "gold"}], "provider": "manual"},
            "duration",
            "Pilih durasi paket Gold.",
        ),
        (
            {"items": [{"kind": "product", "slug": "kelas-lanjutan"}], "provider": "manual"},
            "items",
            "Kelas Lanjutan segera hadir dan belum bisa dibeli.",
        ),
    ],
)
def test_refused_orders_are_400_and_create_nothing(client, catalog, member_user, payload, field, message):
    response = call(client, "post", "/orders", payload, user=member_user)

    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"]
    assert message in body["message"]
    assert Order.objects.count() == 0
    assert Payment.objects.count() == 0


@respx.mock
def test_gateway_order_returns_the_payment_url(client, catalog, member_user):
    respx.post(f"{XENDIT_URL}/v2/invoices").mock(
        return_value=httpx.Response(200, json={"id": "xnd-1", "invoice_url": "https://checkout.xendit.test/web/xnd-1"})
    )

    response = call(
        client, "post", "/orders", {"items": [{"kind": "product", "slug": "ebook-ekspor"}], "provider": "xendit"},
        user=member_user,
    )  # fmt: skip

    assert response.status_code == 201
    payment = response.json()["payment"]
    assert (payment["provider"], payment["url"], payment["instructions"]) == (
        "xendit",
        "https://checkout.xendit.test/web/xnd-1",
        None,
    )
    assert response.json()["unique_code"] == 0
    assert response.json()["total"] == 200_000


@respx.mock
def test_provider_failure_returns_the_pending_order_and_pay_retries(client, catalog, member_user):
    respx.post(f"{XENDIT_URL}/v2/invoices").mock(return_value=httpx.Response(502, json={}))

    response = call(client, "post", "/orders", {**GOLD_12M, "provider": "xendit"}, user=member_user)

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending"
    assert body["payment"] is None
    assert "pembayarannya belum bisa dimulai" in body["payment_error"]
    invoice = body["invoice_number"]

    retry = call(client, "post", f"/orders/{invoice}/pay", {"provider": "manual"}, user=member_user)

    assert retry.status_code == 200
    assert retry.json()["provider"] == "manual"
    assert retry.json()["payment"]["instructions"]["account_number"] == "1234567890"
    assert retry.json()["total"] == 1_200_000  # the amount never changes after creation


def test_free_product_order_is_paid_at_once(client, catalog, member_user):
    response = call(
        client, "post", "/orders", {"items": [{"kind": "product", "slug": "template-invoice"}], "provider": "manual"},
        user=member_user,
    )  # fmt: skip

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["provider"], body["total"], body["payment"]) == ("paid", "free", 0, None)
    assert body["paid_at"] is not None


# --- GET /orders -------------------------------------------------------------------------------------------------


def test_list_is_own_orders_paginated_with_bounded_queries(
    client, catalog, member_user, make_user, django_assert_max_num_queries
):
    other = make_user(email="lain@uji.test")
    checkout_place(buyer=other, items=[ItemRequest("plan", "silver", "6m")], provider="manual")
    for _ in range(23):
        checkout_place(buyer=member_user, items=[ItemRequest("product", "ebook-ekspor")], provider="manual")

    with django_assert_max_num_queries(10):
        first = call(client, "get", "/orders", user=member_user)
    second = call(client, "get", "/orders", {"page": 2}, user=member_user)
    beyond = call(client, "get", "/orders", {"page": 9}, user=member_user)

    assert first.status_code == 200
    assert (first.json()["count"], first.json()["next_page"], len(first.json()["results"])) == (23, 2, 20)
    assert (second.json()["next_page"], len(second.json()["results"])) == (None, 3)
    assert beyond.json()["results"] == []
    numbers = [o["invoice_number"] for o in first.json()["results"] + second.json()["results"]]
    assert numbers == list(Order.objects.filter(buyer=member_user).values_list("invoice_number", flat=True))
    assert all(o["payment"]["provider"] == "manual" for o in first.json()["results"])


def test_list_filters_by_status(client, catalog, member_user, admin_user):
    paid = checkout_place(buyer=member_user, items=[ItemRequest("plan", "silver", "6m")], provider="manual").order
    checkout_place(buyer=member_user, items=[ItemRequest("product", "ebook-ekspor")], provider="manual")
    payment_mark_paid_manual(order=paid, actor=admin_user, note="BCA")

    response = call(client, "get", "/orders", {"status": "paid"}, user=member_user)

    assert [o["invoice_number"] for o in response.json()["results"]] == [paid.invoice_number]
    assert response.json()["results"][0]["payment"]["status"] == "paid"
    assert call(client, "get", "/orders", {"status": "lunas"}, user=member_user).status_code == 422
    assert call(client, "get", "/orders", {"page": 0}, user=member_user).status_code == 422


def test_list_needs_a_token(client):
    assert call(client, "get", "/orders").status_code == 401


# --- GET /orders/{invoice_number} and POST …/pay ------------------------------------------------------------------


def test_detail_is_for_the_buyer_only(client, catalog, member_user, admin_user, make_user):
    order = checkout_place(buyer=member_user, items=[ItemRequest("plan", "gold", "6m")], provider="manual").order

    own = call(client, "get", f"/orders/{order.invoice_number}", user=member_user)
    lower = call(client, "get", f"/orders/{order.invoice_number.lower()}", user=member_user)
    stranger = call(client, "get", f"/orders/{order.invoice_number}", user=make_user(email="lain@uji.test"))
    admin = call(client, "get", f"/orders/{order.invoice_number}", user=admin_user)
    unknown = call(client, "get", "/orders/INV999999", user=member_user)

    assert own.status_code == lower.status_code == 200
    assert own.json()["invoice_number"] == order.invoice_number
    assert own.json()["items"][0]["title"] == "Gold (6 Bulan)"
    assert stranger.status_code == admin.status_code == unknown.status_code == 404
    assert stranger.json() == {"message": "Pesanan tidak ditemukan.", "errors": {}}


def test_pay_refuses_others_and_finished_orders(client, catalog, member_user, admin_user, make_user):
    order = checkout_place(buyer=member_user, items=[ItemRequest("plan", "gold", "6m")], provider="manual").order
    path = f"/orders/{order.invoice_number}/pay"

    stranger = call(client, "post", path, {"provider": "xendit"}, user=make_user(email="lain@uji.test"))
    assert stranger.status_code == 404

    payment_mark_paid_manual(order=order, actor=admin_user, note="BCA")
    finished = call(client, "post", path, {"provider": "manual"}, user=member_user)
    assert finished.status_code == 400
    assert finished.json()["message"] == "Pesanan ini tidak menunggu pembayaran lagi."

    order.refresh_from_db()
    assert (order.status, order.provider) == ("paid", "manual")
    assert Payment.objects.count() == 1
