import pytest

from sanggar.payments.selectors import payments_for_order, provider_label, webhooks_for_order
from sanggar.payments.services import payment_mark_paid_manual, payment_refund, payment_start, webhook_receive

from .conftest import scalev_event, scalev_signature

pytestmark = pytest.mark.django_db


def test_payments_for_order_in_a_fixed_number_of_queries(make_order, admin_user, django_assert_num_queries):
    order = make_order("manual")
    other = make_order("manual")
    payment_start(order=other)
    first = payment_start(order=order)
    paid = payment_mark_paid_manual(order=order, actor=admin_user)
    payment_refund(payment=paid, amount=1_000, actor=admin_user, reason="Selisih")
    payment_refund(payment=paid, amount=2_000, actor=admin_user, reason="Selisih lagi")

    with django_assert_num_queries(2):
        rows = list(payments_for_order(order=order))
        summary = [
            (p.pk, p.confirmed_by and p.confirmed_by.email, [(r.amount, r.actor.email) for r in p.refunds.all()])
            for p in rows
        ]

    assert first.pk == paid.pk
    assert summary == [(paid.pk, admin_user.email, [(2_000, admin_user.email), (1_000, admin_user.email)])]


def test_webhooks_for_order_newest_first_and_bounded(make_order, django_assert_num_queries):
    order = make_order("scalev")
    from sanggar.payments.models import Payment, WebhookEvent

    Payment.objects.create(order=order, provider="scalev", provider_reference="sc-1", amount=order.total)
    for n in range(3):
        raw = scalev_event(scalev_id="sc-1", payment_status="unpaid", unique_id=f"event_{n}")
        webhook_receive(provider="scalev", headers={"x-scalev-hmac-sha256": scalev_signature(raw)}, raw_body=raw)
    WebhookEvent.objects.create(provider="scalev", event_id="x", body="{}")  # not linked to the order

    with django_assert_num_queries(1):
        events = webhooks_for_order(order=order)
    assert [e.event_id for e in events] == ["event_2", "event_1", "event_0"]
    assert [e.event_id for e in webhooks_for_order(order=order, limit=2)] == ["event_2", "event_1"]


def test_provider_label():
    assert provider_label("manual") == "Transfer Bank"
    assert provider_label("midtrans") == "Midtrans"
    assert provider_label("free") == "free"
