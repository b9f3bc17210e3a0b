"""Webhook storage is bounded: verify first, unverified deliveries only as a rate-limited summary, size and depth
limits before parsing, and a purge after the retention period."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from sanggar.payments.constants import WebhookOutcome
from sanggar.payments.models import WebhookEvent
from sanggar.payments.services import webhook_events_purge, webhook_receive
from sanggar.payments.tasks import webhook_events_purge_task

from .conftest import midtrans_notification

pytestmark = pytest.mark.django_db


def _unsigned_xendit(client, size: int, ip: str = "203.0.113.9"):
    body = json.dumps({"id": "x", "external_id": "INV000001", "padding": "a" * size})
    return client.post("/webhooks/xendit", data=body, content_type="application/json", REMOTE_ADDR=ip)


def test_unsigned_posts_are_stored_only_as_a_bounded_summary_and_rate_limited(client, settings):
    settings.WEBHOOK_UNVERIFIED_RATE_LIMIT = "30/3600"
    settings.WEBHOOK_UNVERIFIED_BODY_CHARS = 2000
    statuses = {_unsigned_xendit(client, 107_000).status_code for _ in range(50)}
    assert statuses == {401}
    events = list(WebhookEvent.objects.all())
    assert len(events) == 30  # one address: the rest were answered, not stored
    assert all(len(event.body) < 2200 for event in events)
    assert all(not event.signature_valid and event.outcome == WebhookOutcome.REJECTED for event in events)
    assert "107" in events[0].body and "sha256" in events[0].body  # the summary says how big it was
    assert _unsigned_xendit(client, 10, ip="198.51.100.1").status_code == 401
    assert WebhookEvent.objects.count() == 31  # another address has its own budget


def test_a_body_over_the_limit_is_refused_before_anything_reads_it(client, settings):
    settings.WEBHOOK_MAX_BYTES = 50_000
    response = _unsigned_xendit(client, 60_000)
    assert response.status_code == 413
    event = WebhookEvent.objects.get()
    assert len(event.body) < 2200 and "terlalu besar" in event.detail


@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_deeply_nested_json_to_midtrans_is_a_400_not_a_500(client, content_type):
    deep = "[" * 100_000 + "]" * 100_000
    response = client.post("/webhooks/midtrans", data=deep, content_type=content_type)
    assert response.status_code == 400
    nested = '{"signature_key": "x", "a": ' + "[" * 5000 + "]" * 5000 + "}"
    assert client.post("/webhooks/midtrans", data=nested, content_type=content_type).status_code == 400


def test_a_verified_delivery_is_stored_in_full(make_order):
    order = make_order("midtrans")
    body = json.dumps(midtrans_notification(order_id=f"{order.invoice_number}-1")).encode()
    result = webhook_receive(provider="midtrans", headers={}, raw_body=body, client_ip="203.0.113.1")
    event = WebhookEvent.objects.get(pk=result.webhook_event_id)
    assert event.signature_valid
    assert event.body == body.decode()


def test_purge_deletes_deliveries_past_their_retention(client, settings, make_order):
    settings.WEBHOOK_RETENTION_DAYS = 180
    settings.WEBHOOK_UNVERIFIED_RETENTION_DAYS = 7
    order = make_order("midtrans")
    body = json.dumps(midtrans_notification(order_id=f"{order.invoice_number}-1")).encode()
    verified = WebhookEvent.objects.get(
        pk=webhook_receive(provider="midtrans", headers={}, raw_body=body).webhook_event_id
    )
    _unsigned_xendit(client, 10)
    unverified = WebhookEvent.objects.get(signature_valid=False)
    now = timezone.now()

    assert webhook_events_purge(now=now + timedelta(days=6)) == 0
    assert webhook_events_purge(now=now + timedelta(days=8)) == 1
    assert list(WebhookEvent.objects.values_list("pk", flat=True)) == [verified.pk]
    assert not WebhookEvent.objects.filter(pk=unverified.pk).exists()
    WebhookEvent.objects.filter(pk=verified.pk).update(received_at=now - timedelta(days=181))
    call_command("webhooks_purge")
    assert WebhookEvent.objects.count() == 0
    _unsigned_xendit(client, 10)
    WebhookEvent.objects.update(received_at=now - timedelta(days=8))
    assert webhook_events_purge_task.apply().get() == 1
