"""Concurrent deliveries on PostgreSQL: row locks and the unique event index give exactly one paid transition."""

import threading

import httpx
import pytest
import respx
from django.db import connection

from sanggar.orders.constants import OrderStatus
from sanggar.payments.constants import PaymentStatus, WebhookOutcome
from sanggar.payments.models import Payment
from sanggar.payments.services import payment_start, webhook_receive
from sanggar.payments.tests.conftest import paid_rows

from .conftest import XENDIT_TOKEN, XENDIT_URL, xendit_callback

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def run_together(bodies: list[bytes]) -> list:
    barrier = threading.Barrier(len(bodies))
    results = [None] * len(bodies)

    def deliver(index: int, body: bytes):
        try:
            barrier.wait()
            results[index] = webhook_receive(
                provider="xendit", headers={"x-callback-token": XENDIT_TOKEN}, raw_body=body
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(i, body)) for i, body in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def started(make_order):
    order = make_order("xendit")
    with respx.mock:
        respx.post(f"{XENDIT_URL}/v2/invoices").mock(
            return_value=httpx.Response(200, json={"id": "inv-conc", "invoice_url": "https://checkout.xendit.test/c"})
        )
        payment = payment_start(order=order)
    return order, payment


def test_the_same_callback_delivered_at_once_has_one_effect(started):
    order, payment = started
    body = xendit_callback(invoice_id="inv-conc", external_id=order.invoice_number)

    results = run_together([body] * 4)

    assert sorted(r.outcome for r in results) == [WebhookOutcome.DUPLICATE] * 3 + [WebhookOutcome.PROCESSED]
    assert all(r.status_code == 200 for r in results)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert paid_rows(order) == 1
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PAID


def test_paid_and_settled_at_once_make_one_paid_transition(started):
    order, payment = started
    paid = xendit_callback(invoice_id="inv-conc", external_id=order.invoice_number, status="PAID")
    settled = xendit_callback(invoice_id="inv-conc", external_id=order.invoice_number, status="SETTLED")

    results = run_together([paid, settled, paid, settled])

    outcomes = sorted(r.outcome for r in results)
    assert outcomes.count(WebhookOutcome.PROCESSED) == 1
    assert outcomes.count(WebhookOutcome.DUPLICATE) == 2
    assert outcomes.count(WebhookOutcome.IGNORED) == 1
    assert paid_rows(order) == 1
    order.refresh_from_db()
    assert (order.status, order.needs_review) == (OrderStatus.PAID, False)
