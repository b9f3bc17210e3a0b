"""Midtrans adapter: Snap transaction, signed notifications re-checked with GET status (PROVIDERS.md §2)."""

import base64
import json

import httpx
import pytest
import respx

from sanggar.core.exceptions import ServiceError
from sanggar.orders.constants import OrderStatus
from sanggar.payments.constants import PaymentStatus, WebhookOutcome
from sanggar.payments.models import Payment, WebhookEvent
from sanggar.payments.providers.midtrans.provider import MidtransProvider, signature_key
from sanggar.payments.services import payment_start, webhook_receive

from .conftest import MIDTRANS_API_URL, MIDTRANS_KEY, MIDTRANS_SNAP_URL, midtrans_notification

pytestmark = pytest.mark.django_db

SNAP_TOKEN = "66e4fa55-fdac-4ef9-91b5-733b97d1b862"
SNAP_ANSWER = {"token": SNAP_TOKEN, "redirect_url": f"https://app.sandbox.midtrans.com/snap/v2/vtweb/{SNAP_TOKEN}"}
AUTH = "Basic " + base64.b64encode(f"{MIDTRANS_KEY}:".encode()).decode()


def test_signature_matches_the_documented_vector():
    assert signature_key(
        order_id="1111",
        status_code="200",
        gross_amount="100000.00",
        server_key="askvnoibnosifnboseofinbofinfgbiufglnbfg",
    ) == (
        "edc076b21793ebe3e17926350f5b8ae67d902fe657b3d0aa31b932d5c127e2375d308a2bc94f3265ac2d80a1f181a79b997ac178a236fcff"
        "35af263fc4d4c231"
    )


def test_the_documented_sample_notification_does_not_verify_with_our_key():
    """The doc's sample was signed with Midtrans' own key: it must be refused with ours."""
    sample = midtrans_notification(order_id="bca-va-01", gross="100000.00")
    sample["signature_key"] = (
        "fe5f725ea770c451017e9d6300af72b830a668d2f7d5da9b778ec2c4f9177efe5127d492d9ddfbcf6806ea5cd7dc1a7337c674d6139026b2"
        "8f49ad0ea1ce5107"
    )
    assert MidtransProvider().verify_webhook({}, json.dumps(sample).encode()) is False


@respx.mock
def test_payment_start_creates_a_snap_transaction(make_order):
    order = make_order("midtrans")
    route = respx.post(f"{MIDTRANS_SNAP_URL}/snap/v1/transactions").mock(
        return_value=httpx.Response(201, json=SNAP_ANSWER)
    )

    payment = payment_start(order=order)

    request = route.calls.last.request
    assert request.headers["Authorization"] == AUTH
    assert request.headers["Accept"] == "application/json"
    assert json.loads(request.content) == {
        "transaction_details": {"order_id": order.invoice_number, "gross_amount": 150_000},
        "customer_details": {"first_name": "Budi Pembeli", "email": "budi@contoh.test", "phone": "081234567890"},
        "credit_card": {"secure": True},
    }
    assert payment.provider_reference == order.invoice_number
    assert payment.checkout_url == SNAP_ANSWER["redirect_url"]
    assert payment.expires_at == order.expires_at


@respx.mock
def test_snap_error_is_a_clear_message(make_order):
    order = make_order("midtrans")
    respx.post(f"{MIDTRANS_SNAP_URL}/snap/v1/transactions").mock(
        return_value=httpx.Response(401, json={"error_messages": ["Access denied, please check client or server key"]})
    )
    with pytest.raises(ServiceError) as exc:
        payment_start(order=order)
    assert exc.value.message == "Pembayaran lewat Midtrans sedang tidak bisa dibuat, coba lagi atau pilih metode lain."
    assert Payment.objects.count() == 0


@pytest.fixture
def started(make_order):
    order = make_order("midtrans")
    with respx.mock:
        respx.post(f"{MIDTRANS_SNAP_URL}/snap/v1/transactions").mock(return_value=httpx.Response(201, json=SNAP_ANSWER))
        payment = payment_start(order=order)
    return order, payment


def deliver(body: dict | bytes):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return webhook_receive(provider="midtrans", headers={"Content-Type": "application/json"}, raw_body=raw)


def status_route(order_id: str, answer: dict | None = None, **kwargs):
    route = respx.get(f"{MIDTRANS_API_URL}/v2/{order_id}/status")
    if answer is not None:
        route.mock(return_value=httpx.Response(200, json=answer))
    return route


@respx.mock
def test_settlement_verified_and_rechecked_marks_paid(started):
    order, payment = started
    notification = midtrans_notification(order_id=order.invoice_number)
    answer = {**notification, "status_message": "Success, transaction is found"}
    route = status_route(order.invoice_number, answer)

    result = deliver(notification)

    assert (result.status_code, result.outcome) == (200, WebhookOutcome.PROCESSED)
    assert route.call_count == 1
    assert route.calls.last.request.headers["Authorization"] == AUTH
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert (payment.status, payment.paid_amount, payment.method) == (PaymentStatus.PAID, 150_000, "bank_transfer")
    assert WebhookEvent.objects.get().event_id == "9aed5972-5b6a-401e-894b-a32c91ed1a3a:settlement"


@respx.mock
def test_bad_signature_is_refused_without_asking_midtrans(started):
    order, payment = started
    forged = midtrans_notification(order_id=order.invoice_number, key="not-our-key")
    route = status_route(order.invoice_number, forged)

    result = deliver(forged)

    assert (result.status_code, result.outcome, result.detail) == (
        403,
        WebhookOutcome.REJECTED,
        "tanda tangan tidak valid",
    )
    assert route.call_count == 0
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING


@respx.mock
def test_notification_without_signature_is_401(started):
    order, _payment = started
    body = midtrans_notification(order_id=order.invoice_number)
    del body["signature_key"]
    assert deliver(body).status_code == 401


@respx.mock
def test_status_api_has_the_last_word(started):
    """A signed 'settlement' that the status API still reports as pending changes nothing."""
    order, payment = started
    notification = midtrans_notification(order_id=order.invoice_number)
    status_route(
        order.invoice_number,
        {**notification, "transaction_status": "pending", "status_code": "201", "fraud_status": ""},
    )
    result = deliver(notification)
    assert (result.status_code, result.outcome) == (200, WebhookOutcome.IGNORED)
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING


@respx.mock
def test_amount_mismatch_is_refused_and_logged(started):
    order, payment = started
    notification = midtrans_notification(order_id=order.invoice_number, gross="1000.00")
    status_route(order.invoice_number, notification)

    result = deliver(notification)

    assert (result.status_code, result.outcome) == (200, WebhookOutcome.REJECTED)
    assert result.detail == (
        f"Jumlah pembayaran Rp 1.000 tidak sama dengan tagihan Rp 150.000 untuk {order.invoice_number}."
    )
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert payment.status == PaymentStatus.PENDING


@respx.mock
def test_status_api_down_answers_503_and_a_retry_succeeds(started):
    order, payment = started
    notification = midtrans_notification(order_id=order.invoice_number)
    route = status_route(order.invoice_number)
    route.mock(side_effect=httpx.ConnectError("down"))

    first = deliver(notification)
    assert (first.status_code, first.outcome) == (503, WebhookOutcome.ERROR)
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING

    route.mock(return_value=httpx.Response(200, json=notification))
    second = deliver(notification)
    assert (second.status_code, second.outcome) == (200, WebhookOutcome.PROCESSED)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


@respx.mock
@pytest.mark.parametrize("not_found", [httpx.Response(404, json={}), httpx.Response(200, json={"status_code": "404"})])
def test_transaction_unknown_to_midtrans_is_refused(started, not_found):
    order, _payment = started
    status_route(order.invoice_number).mock(return_value=not_found)
    result = deliver(midtrans_notification(order_id=order.invoice_number))
    assert (result.status_code, result.outcome, result.detail) == (
        200,
        WebhookOutcome.REJECTED,
        "API status: transaksi tidak ditemukan",
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING


@respx.mock
def test_pending_after_settlement_is_ignored(started):
    order, payment = started
    settled = midtrans_notification(order_id=order.invoice_number)
    status_route(order.invoice_number, settled)
    deliver(settled)
    late_pending = midtrans_notification(order_id=order.invoice_number, status="pending", status_code="201")
    result = deliver(late_pending)
    assert (result.outcome, result.detail) == (
        WebhookOutcome.IGNORED,
        "status pending diabaikan: pembayaran berstatus dibayar",
    )
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID


@respx.mock
@pytest.mark.parametrize(
    ("status", "fraud", "payment_status"),
    [("deny", "accept", PaymentStatus.FAILED), ("cancel", "", PaymentStatus.FAILED), ("expire", "", "expired")],
)
def test_failed_transactions_close_the_attempt(started, status, fraud, payment_status):
    order, payment = started
    body = midtrans_notification(order_id=order.invoice_number, status=status, status_code="202", fraud_status=fraud)
    status_route(order.invoice_number, body)
    result = deliver(body)
    assert (result.status_code, result.outcome) == (200, WebhookOutcome.PROCESSED)
    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == payment_status
    assert order.status == OrderStatus.PENDING


@respx.mock
def test_capture_with_fraud_challenge_is_not_paid(started):
    order, _payment = started
    body = midtrans_notification(order_id=order.invoice_number, status="capture", fraud_status="challenge")
    status_route(order.invoice_number, body)
    result = deliver(body)
    assert (result.outcome, result.detail) == (
        WebhookOutcome.IGNORED,
        "status pending diabaikan: pembayaran berstatus menunggu",
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING


@respx.mock
def test_a_new_attempt_after_a_failure_gets_a_fresh_order_id(started):
    order, payment = started
    body = midtrans_notification(order_id=order.invoice_number, status="deny", status_code="202")
    status_route(order.invoice_number, body)
    deliver(body)

    route = respx.post(f"{MIDTRANS_SNAP_URL}/snap/v1/transactions").mock(
        return_value=httpx.Response(201, json=SNAP_ANSWER)
    )
    retry = payment_start(order=order)
    assert retry.pk != payment.pk
    assert (
        json.loads(route.calls.last.request.content)["transaction_details"]["order_id"] == f"{order.invoice_number}-2"
    )
    assert retry.provider_reference == f"{order.invoice_number}-2"

    paid = midtrans_notification(order_id=f"{order.invoice_number}-2", transaction_id="second-transaction")
    status_route(f"{order.invoice_number}-2", paid)
    assert deliver(paid).outcome == WebhookOutcome.PROCESSED
    retry.refresh_from_db()
    order.refresh_from_db()
    assert retry.status == PaymentStatus.PAID
    assert order.status == OrderStatus.PAID


@pytest.mark.parametrize("body", [b"", b"not json", b"[1, 2]", b"\xff\xfe\x00", b'{"order_id": 5}'])
def test_unreadable_notifications_answer_400_or_401(started, body):
    result = deliver(body)
    assert result.status_code in (400, 401)
    assert result.outcome == WebhookOutcome.REJECTED
    assert WebhookEvent.objects.get().signature_valid is False


@respx.mock
def test_unreadable_status_answer_is_503(started):
    order, _payment = started
    status_route(order.invoice_number, {"status_message": "Success"})  # no order_id / transaction_status
    result = deliver(midtrans_notification(order_id=order.invoice_number))
    assert (result.status_code, result.outcome) == (503, WebhookOutcome.ERROR)
    assert result.detail == "API status tidak dapat dihubungi: Jawaban status Midtrans tidak terbaca"
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
