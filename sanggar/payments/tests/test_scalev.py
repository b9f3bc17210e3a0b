"""Scalev adapter: order API v3 with the price option's variant, HMAC-signed webhooks (PROVIDERS.md §3)."""

import json

import httpx
import pytest
import respx

from sanggar.core.exceptions import ServiceError
from sanggar.orders.constants import OrderStatus
from sanggar.orders.services import ItemRequest
from sanggar.payments.constants import PaymentStatus, WebhookOutcome
from sanggar.payments.models import Payment, WebhookEvent
from sanggar.payments.providers.scalev.provider import signature
from sanggar.payments.services import payment_start, webhook_receive
from sanggar.payments.tests.conftest import paid_rows

from .conftest import SCALEV_URL, scalev_event, scalev_signature

pytestmark = pytest.mark.django_db

SCALEV_ID = "01948092-9b80-7f91-b23d-1a8686278331"
TEST_EVENT = b'{"event":"business.test_event","timestamp":"2025-01-29T20:28:25.046183Z","data":{}}'


def order_answer(**extra):
    answer = {
        "id": SCALEV_ID,
        "order_id": "250128GGVOWU",
        "secret_slug": "s3cr3t",
        "public_order_url": "https://app.scalev.id/order/public/s3cr3t",
        "payment_url": "https://app.scalev.id/order/public/s3cr3t/pay",
    }
    answer.update(extra)
    return answer


def test_hmac_matches_the_documented_vector():
    assert (
        signature(secret="test-signing-secret", raw_body=TEST_EVENT) == "Js4/DwIZDK02S0F59sNxlibzbhx2XVSpbE2RxoQxWbk="
    )


def deliver(raw: bytes, sig: str | None = "auto"):
    headers = {"Content-Type": "application/json"}
    if sig == "auto":
        headers["X-Scalev-Hmac-Sha256"] = scalev_signature(raw)
    elif sig is not None:
        headers["X-Scalev-Hmac-Sha256"] = sig
    return webhook_receive(provider="scalev", headers=headers, raw_body=raw)


def test_test_event_is_answered_200(db):
    result = deliver(TEST_EVENT, sig="Js4/DwIZDK02S0F59sNxlibzbhx2XVSpbE2RxoQxWbk=")
    assert (result.status_code, result.outcome, result.detail) == (200, WebhookOutcome.IGNORED, "event uji Scalev")
    event = WebhookEvent.objects.get()
    assert event.signature_valid is True
    assert event.event_id.startswith("body:")


@respx.mock
def test_payment_start_creates_a_scalev_order_with_the_plan_variant(make_order, plan):
    order = make_order("scalev", items=[ItemRequest(kind="plan", slug=plan.slug, duration="12m")])
    route = respx.post(f"{SCALEV_URL}/v3/orders").mock(return_value=httpx.Response(200, json=order_answer()))

    payment = payment_start(order=order)

    request = route.calls.last.request
    assert request.headers["Authorization"] == "Bearer sk_uji"
    assert json.loads(request.content) == {
        "store_unique_id": "store_uji",
        "customer_name": "Budi Pembeli",
        "customer_phone": "6281234567890",
        "customer_email": "budi@contoh.test",
        "ordervariants": [{"quantity": 1, "variant_unique_id": "variant_gold_12m"}],
        "payment_method": "payment_link",
        "is_post_payment_redirect_enabled": True,
        "post_payment_redirect_url": f"https://sanggar.test/invoice/{order.invoice_number}",
    }
    assert payment.provider_reference == SCALEV_ID
    assert payment.checkout_url == "https://app.scalev.id/order/public/s3cr3t/pay"


@respx.mock
def test_product_without_variant_uses_the_default_and_no_https_no_redirect(make_order, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    order = make_order("scalev")
    route = respx.post(f"{SCALEV_URL}/v3/orders").mock(
        return_value=httpx.Response(201, json={"code": 200, "status": "Success", "data": order_answer()})
    )
    payment = payment_start(order=order)
    sent = json.loads(route.calls.last.request.content)
    assert sent["ordervariants"] == [{"quantity": 1, "variant_unique_id": "variant_default"}]
    assert "post_payment_redirect_url" not in sent
    assert payment.provider_reference == SCALEV_ID


@respx.mock
def test_no_variant_at_all_refuses_without_calling_scalev(make_order, settings):
    settings.SCALEV_VARIANT_UNIQUE_ID = ""
    order = make_order("scalev")
    route = respx.post(f"{SCALEV_URL}/v3/orders")
    with pytest.raises(ServiceError) as exc:
        payment_start(order=order)
    assert exc.value.message == "Pembayaran lewat Scalev sedang tidak bisa dibuat, coba lagi atau pilih metode lain."
    assert route.call_count == 0
    assert Payment.objects.count() == 0


@respx.mock
@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(401, json={"error": "Invalid API key"}),
        httpx.Response(429, text="Too Many Requests"),
        httpx.Response(200, json={"id": SCALEV_ID}),  # no payment_url
        httpx.Response(200, json=order_answer(gross_revenue="99000.00")),  # Scalev would ask another amount
    ],
)
def test_scalev_errors_leave_the_order_pending(make_order, response):
    order = make_order("scalev")
    respx.post(f"{SCALEV_URL}/v3/orders").mock(return_value=response)
    with pytest.raises(ServiceError):
        payment_start(order=order)
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert Payment.objects.count() == 0


@pytest.fixture
def started(make_order):
    order = make_order("scalev")
    with respx.mock:
        respx.post(f"{SCALEV_URL}/v3/orders").mock(return_value=httpx.Response(200, json=order_answer()))
        payment = payment_start(order=order)
    return order, payment


@pytest.mark.parametrize("payment_status", ["paid", "settled"])
def test_payment_status_changed_to_paid_marks_the_order_paid(started, payment_status):
    order, payment = started
    result = deliver(scalev_event(scalev_id=SCALEV_ID, payment_status=payment_status))

    assert (result.status_code, result.outcome) == (200, WebhookOutcome.PROCESSED)
    assert result.detail == "lunas (jumlah tidak dikirim penyedia)"
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert (payment.status, payment.paid_amount, payment.method) == (PaymentStatus.PAID, 150_000, "bank_transfer")
    assert WebhookEvent.objects.get().event_id == "event_I7fkiBF4YksYDsKbVe5ZOEyZ"


def test_payment_received_then_settled_has_one_effect(started):
    order, payment = started
    first = deliver(scalev_event(scalev_id=SCALEV_ID, event="payment.received", unique_id="event_a"))
    again = deliver(scalev_event(scalev_id=SCALEV_ID, event="payment.received", unique_id="event_a"))
    settled = deliver(scalev_event(scalev_id=SCALEV_ID, payment_status="settled", unique_id="event_b"))
    assert [first.outcome, again.outcome, settled.outcome] == [
        WebhookOutcome.PROCESSED,
        WebhookOutcome.DUPLICATE,
        WebhookOutcome.IGNORED,
    ]
    assert paid_rows(order) == 1


def test_gross_revenue_is_checked_when_sent(started):
    order, payment = started
    result = deliver(scalev_event(scalev_id=SCALEV_ID, gross_revenue="100000.00"))
    assert result.outcome == WebhookOutcome.REJECTED
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING


def test_matched_by_the_business_order_id_too(started):
    order, payment = started
    Payment.objects.filter(pk=payment.pk).update(provider_reference="250128GGVOWU")
    result = deliver(scalev_event(scalev_id="some-other-uuid"))
    assert result.outcome == WebhookOutcome.PROCESSED
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


@pytest.mark.parametrize(
    ("sig", "status_code"),
    [(None, 401), ("", 401), ("Js4/DwIZDK02S0F59sNxlibzbhx2XVSpbE2RxoQxWbk=", 403), ("bm90IGEgc2lnbmF0dXJl", 403)],
)
def test_bad_signature_changes_nothing(started, sig, status_code):
    order, payment = started
    result = deliver(scalev_event(scalev_id=SCALEV_ID), sig=sig)
    assert (result.status_code, result.outcome) == (status_code, WebhookOutcome.REJECTED)
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert payment.status == PaymentStatus.PENDING


def test_signature_over_other_bytes_is_refused(started):
    """The HMAC covers the raw bytes: re-serialised JSON with the same meaning does not verify."""
    raw = scalev_event(scalev_id=SCALEV_ID)
    pretty = json.dumps(json.loads(raw), indent=2).encode()
    assert deliver(pretty, sig=scalev_signature(raw)).status_code == 403


@pytest.mark.parametrize(
    ("event", "data", "outcome", "payment_status"),
    [
        ("order.payment_status_changed", {"payment_status": "unpaid"}, WebhookOutcome.IGNORED, PaymentStatus.PENDING),
        ("order.payment_status_changed", {"payment_status": "conflict"}, WebhookOutcome.IGNORED, PaymentStatus.PENDING),
        ("payment.failed", {}, WebhookOutcome.PROCESSED, PaymentStatus.FAILED),
        ("order.status_changed", {"status": "canceled"}, WebhookOutcome.PROCESSED, PaymentStatus.FAILED),
        ("order.status_changed", {"status": "confirmed"}, WebhookOutcome.IGNORED, PaymentStatus.PENDING),
        ("order.created", {}, WebhookOutcome.IGNORED, PaymentStatus.PENDING),
    ],
)
def test_other_events(started, event, data, outcome, payment_status):
    order, payment = started
    result = deliver(scalev_event(scalev_id=SCALEV_ID, event=event, **data))
    assert (result.status_code, result.outcome) == (200, outcome)
    payment.refresh_from_db()
    assert payment.status == payment_status


def test_unknown_scalev_order_is_refused_with_200(started):
    order, payment = started
    result = deliver(scalev_event(scalev_id="unknown", order_id="000000XXXX"))
    assert (result.status_code, result.outcome) == (200, WebhookOutcome.REJECTED)
