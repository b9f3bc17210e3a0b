"""Xendit adapter: Invoice API v2 request, errors, and the invoice callback (PROVIDERS.md §1)."""

import json
from dataclasses import replace
from datetime import timedelta

import httpx
import pytest
import respx
from django.utils import timezone

from sanggar.core.exceptions import ServiceError
from sanggar.orders.constants import OrderStatus
from sanggar.orders.selectors import order_timeline
from sanggar.payments.constants import PaymentStatus, WebhookOutcome
from sanggar.payments.models import Payment, WebhookEvent
from sanggar.payments.providers.base import payment_data_for
from sanggar.payments.providers.xendit.client import basic_auth
from sanggar.payments.providers.xendit.provider import XenditProvider
from sanggar.payments.services import payment_start, webhook_receive
from sanggar.payments.tests.conftest import paid_rows

from .conftest import XENDIT_KEY, XENDIT_TOKEN, XENDIT_URL, xendit_callback

pytestmark = pytest.mark.django_db

INVOICE_ID = "5efdb0210425db620ec35fb3"


def invoice_answer(order, **extra):
    """The official create-invoice example (PROVIDERS.md), for our order."""
    answer = {
        "id": INVOICE_ID,
        "external_id": order.invoice_number,
        "user_id": "5ed75086a883856178afc12e",
        "status": "PENDING",
        "merchant_name": "Ekspor Yuk",
        "amount": order.total,
        "payer_email": order.buyer_email,
        "description": "Invoice",
        "expiry_date": "2030-07-03T10:00:01.148Z",
        "invoice_url": f"https://checkout-staging.xendit.co/web/{INVOICE_ID}",
        "available_banks": [{"bank_code": "MANDIRI", "collection_type": "POOL", "transfer_amount": order.total}],
        "should_send_email": False,
        "created": "2020-07-02T10:00:01.285Z",
        "updated": "2020-07-02T10:00:01.285Z",
        "currency": "IDR",
    }
    answer.update(extra)
    return answer


def test_basic_auth_matches_the_reference_vector():
    assert basic_auth(XENDIT_KEY) == (
        "Basic eG5kX2RldmVsb3BtZW50X1A0cURmT3NzME9DcGw4UnRLclJPSGphUVlOQ2s5ZE41bFNmaytSMWw5V2JlK3JTaUN3WjNqdz09Og=="
    )


def test_invoice_payload(make_order):
    order = make_order("xendit")
    now = order.expires_at - timedelta(hours=23, minutes=30)
    provider = XenditProvider()
    payload = provider.invoice_payload(payment_data_for(order, provider), now=now)
    back = f"https://sanggar.test/invoice/{order.invoice_number}"
    assert payload == {
        "external_id": order.invoice_number,
        "amount": 150_000,
        "payer_email": "budi@contoh.test",
        "description": f"{order.invoice_number} — Ebook Ekspor",
        "invoice_duration": 84_600,
        "currency": "IDR",
        "success_redirect_url": back,
        "failure_redirect_url": back,
    }
    # never less than a minute, even at the deadline
    no_items = replace(payment_data_for(order, provider), items=())
    assert provider.invoice_payload(no_items, now=order.expires_at)["invoice_duration"] == 60


@respx.mock
def test_payment_start_creates_an_invoice(make_order):
    order = make_order("xendit")
    route = respx.post(f"{XENDIT_URL}/v2/invoices").mock(return_value=httpx.Response(200, json=invoice_answer(order)))

    payment = payment_start(order=order)

    assert route.call_count == 1
    request = route.calls.last.request
    assert request.headers["Authorization"] == basic_auth(XENDIT_KEY)
    sent = json.loads(request.content)
    assert sent["external_id"] == order.invoice_number
    assert sent["amount"] == 150_000
    assert 86_000 < sent["invoice_duration"] <= 86_400
    assert payment.provider == "xendit"
    assert payment.provider_reference == INVOICE_ID
    assert payment.checkout_url == f"https://checkout-staging.xendit.co/web/{INVOICE_ID}"
    assert payment.amount == 150_000
    assert payment.status == PaymentStatus.PENDING
    assert payment.raw_response["id"] == INVOICE_ID
    assert payment.expires_at.isoformat() == "2030-07-03T10:00:01.148000+00:00"
    assert [e.action for e in order_timeline(order=order)] == ["order.created", "payment.started"]

    # a second click returns the open attempt without asking Xendit again
    assert payment_start(order=order).pk == payment.pk
    assert route.call_count == 1


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(400, json={"error_code": "API_VALIDATION_ERROR", "message": "amount must be a number"}),
        httpx.Response(401, json={"error_code": "INVALID_API_KEY", "message": "API key is invalid"}),
        httpx.Response(200, json={"status": "PENDING"}),  # no id / invoice_url
        httpx.Response(502, text="<html>Bad gateway</html>"),
        httpx.ConnectTimeout("timed out"),
    ],
)
@respx.mock
def test_provider_error_leaves_the_order_pending_and_writes_nothing(make_order, response):
    order = make_order("xendit")
    route = respx.post(f"{XENDIT_URL}/v2/invoices")
    if isinstance(response, Exception):
        route.mock(side_effect=response)
    else:
        route.mock(return_value=response)

    with pytest.raises(ServiceError) as exc:
        payment_start(order=order)

    assert exc.value.message == "Pembayaran lewat Xendit sedang tidak bisa dibuat, coba lagi atau pilih metode lain."
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert Payment.objects.count() == 0
    assert [e.action for e in order_timeline(order=order)] == ["order.created"]


# --- callback --------------------------------------------------------------------------------------------------------


@pytest.fixture
def started(make_order):
    order = make_order("xendit")
    with respx.mock:
        respx.post(f"{XENDIT_URL}/v2/invoices").mock(return_value=httpx.Response(200, json=invoice_answer(order)))
        payment = payment_start(order=order)
    return order, payment


def deliver(body: bytes, token: str | None = XENDIT_TOKEN):
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["X-Callback-Token"] = token
    return webhook_receive(provider="xendit", headers=headers, raw_body=body)


def test_paid_callback_marks_the_order_paid(started):
    order, payment = started
    result = deliver(xendit_callback(invoice_id=INVOICE_ID, external_id=order.invoice_number))

    assert (result.status_code, result.outcome, result.detail) == (200, WebhookOutcome.PROCESSED, "lunas")
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.needs_review is False
    assert payment.status == PaymentStatus.PAID
    assert payment.paid_amount == 150_000
    assert payment.method == "MANDIRI"
    event = WebhookEvent.objects.get()
    assert event.event_id == f"{INVOICE_ID}:PAID"
    assert event.signature_valid is True
    assert (event.order_id, event.payment_id) == (order.pk, payment.pk)
    assert event.headers["x-callback-token"] == "[disimpan tanpa nilai]"
    assert XENDIT_TOKEN not in json.dumps(event.headers)


def test_duplicate_and_settled_callbacks_have_one_effect(started):
    order, payment = started
    body = xendit_callback(invoice_id=INVOICE_ID, external_id=order.invoice_number)
    first, second = deliver(body), deliver(body)
    settled = deliver(xendit_callback(invoice_id=INVOICE_ID, external_id=order.invoice_number, status="SETTLED"))

    assert (first.status_code, first.outcome) == (200, WebhookOutcome.PROCESSED)
    assert (second.status_code, second.outcome, second.detail) == (
        200,
        WebhookOutcome.DUPLICATE,
        f"duplikat dari #{first.webhook_event_id}",
    )
    assert (settled.status_code, settled.outcome, settled.detail) == (
        200,
        WebhookOutcome.IGNORED,
        "pembayaran sudah tercatat lunas sebelumnya",
    )
    assert paid_rows(order) == 1
    assert WebhookEvent.objects.get(pk=second.webhook_event_id).duplicate_of_id == first.webhook_event_id
    assert WebhookEvent.objects.count() == 3


@pytest.mark.parametrize(
    ("token", "status_code", "detail"),
    [
        (None, 401, "tanda tangan tidak ada"),
        ("", 401, "tanda tangan tidak ada"),
        ("wrong-token", 403, "tanda tangan tidak valid"),
    ],
)
def test_bad_token_is_rejected_and_changes_nothing(started, token, status_code, detail):
    order, payment = started
    result = deliver(xendit_callback(invoice_id=INVOICE_ID, external_id=order.invoice_number), token=token)

    assert (result.status_code, result.outcome, result.detail) == (status_code, WebhookOutcome.REJECTED, detail)
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert payment.status == PaymentStatus.PENDING
    event = WebhookEvent.objects.get()
    assert event.signature_valid is False
    assert event.order_id is None


def test_callback_without_configured_token_is_refused(started, settings):
    order, _payment = started
    settings.XENDIT_CALLBACK_TOKEN = ""
    result = deliver(xendit_callback(invoice_id=INVOICE_ID, external_id=order.invoice_number), token="")
    assert result.status_code == 401
    result = deliver(xendit_callback(invoice_id=INVOICE_ID, external_id=order.invoice_number), token="anything")
    assert (result.status_code, result.detail) == (403, "tanda tangan tidak valid")
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING


def test_expired_callback_closes_the_attempt_but_not_the_order(started):
    order, payment = started
    result = deliver(
        xendit_callback(invoice_id=INVOICE_ID, external_id=order.invoice_number, status="EXPIRED", amount=150_000)
    )
    assert (result.status_code, result.outcome, result.detail) == (
        200,
        WebhookOutcome.PROCESSED,
        "pembayaran kedaluwarsa",
    )
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.EXPIRED
    assert order.status == OrderStatus.PENDING


def test_paid_after_expired_callback_still_counts(started):
    """Callbacks may arrive out of order: money received wins over an earlier EXPIRED."""
    order, payment = started
    deliver(xendit_callback(invoice_id=INVOICE_ID, external_id=order.invoice_number, status="EXPIRED"))
    result = deliver(xendit_callback(invoice_id=INVOICE_ID, external_id=order.invoice_number))
    assert result.outcome == WebhookOutcome.PROCESSED
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_expired_after_paid_is_ignored(started):
    order, payment = started
    deliver(xendit_callback(invoice_id=INVOICE_ID, external_id=order.invoice_number))
    result = deliver(xendit_callback(invoice_id=INVOICE_ID, external_id=order.invoice_number, status="EXPIRED"))
    assert (result.outcome, result.detail) == (
        WebhookOutcome.IGNORED,
        "status expired diabaikan: pembayaran berstatus dibayar",
    )
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID


def test_unknown_invoice_is_refused_with_200(started):
    order, payment = started
    result = deliver(xendit_callback(invoice_id="ffffffffffffffffffffffff", external_id="INV999999"))
    assert (result.status_code, result.outcome, result.detail) == (
        200,
        WebhookOutcome.REJECTED,
        "referensi pembayaran tidak dikenal",
    )
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_callback_matched_by_external_id_when_the_invoice_id_differs(started):
    """An invoice created for the order whose id we did not keep still pays the order (external_id = invoice)."""
    order, payment = started
    result = deliver(xendit_callback(invoice_id="another-invoice-id", external_id=order.invoice_number))
    assert result.outcome == WebhookOutcome.PROCESSED
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID


def test_pending_order_past_its_deadline_cannot_start(make_order):
    order = make_order("xendit", now=timezone.now() - timedelta(hours=25))
    with pytest.raises(ServiceError) as exc:
        payment_start(order=order)
    assert exc.value.message == f"Batas waktu pembayaran pesanan {order.invoice_number} sudah lewat."
