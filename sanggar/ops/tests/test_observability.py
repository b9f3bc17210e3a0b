"""Readiness, Prometheus metrics, the admin's "Kesehatan Sistem" page, request ids in answers, logs and tasks, JSON
logs and the Sentry switch."""

import json
import logging
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone

from sanggar.core import observability
from sanggar.notifications.models import Delivery
from sanggar.ops import health
from sanggar.payments.models import WebhookEvent

pytestmark = pytest.mark.django_db


def test_readyz_ok_when_database_answers_and_redis_and_broker_unused(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "redis": "unused", "broker": "unused"}}
    assert response["Cache-Control"].startswith("max-age=0")


def test_readyz_503_when_the_database_or_redis_is_down(client, settings):
    with mock.patch("sanggar.ops.health.connection.cursor", side_effect=OperationalError("mati")):
        response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["database"] == "error"
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["redis"] == "error"


def test_readyz_checks_the_broker_when_tasks_are_queued(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with mock.patch("sanggar.ops.health._broker", side_effect=ConnectionRefusedError()):
        checks = {c.key: c for c in health.readiness()}
    assert checks["broker"].ok is False and checks["broker"].detail == "ConnectionRefusedError"


def _seed_figures():
    WebhookEvent.objects.create(provider="xendit", event_id="a1", outcome="processed")
    WebhookEvent.objects.create(provider="xendit", event_id="a2", outcome="rejected")
    old = WebhookEvent.objects.create(provider="xendit", event_id="a3", outcome="processed")
    WebhookEvent.objects.filter(pk=old.pk).update(received_at=timezone.now() - timezone.timedelta(days=2))
    Delivery.objects.create(channel="email", recipient="a@contoh.id", status="sent")
    Delivery.objects.create(channel="whatsapp", recipient="0812", status="failed")


def test_metrics_from_loopback_or_with_the_token_only(client, settings):
    _seed_figures()
    client.get("/healthz")
    response = client.get("/metrics")  # the test client is 127.0.0.1
    assert response.status_code == 200
    text = response.content.decode()
    assert 'sanggar_webhook_events_24h{outcome="processed"} 1.0' in text
    assert 'sanggar_webhook_events_24h{outcome="rejected"} 1.0' in text
    assert 'sanggar_notification_deliveries_24h{status="failed"} 1.0' in text
    assert 'sanggar_up{component="database"} 1.0' in text
    assert 'sanggar_http_requests_total{method="GET",status="2xx",view="healthz"}' in text
    assert "sanggar_http_request_seconds_bucket" in text

    settings.METRICS_ALLOWED_IPS = []
    settings.METRICS_TOKEN = "rahasia-metrik"
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer salah").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer rahasia-metrik").status_code == 200


def test_health_page_for_admins_only(client, admin_client, make_user, django_assert_max_num_queries):
    _seed_figures()
    with django_assert_max_num_queries(12):
        response = admin_client.get("/admin/sistem/kesehatan")
    html = response.content.decode()
    assert response.status_code == 200 and "Kesehatan Sistem" in html
    assert 'data-check="database"' in html and "Sehat" in html
    assert "Diproses" in html and "Ditolak" in html and "Gagal" in html  # Indonesian labels of outcomes/statuses
    client.force_login(make_user(full_name="Anggota"))
    assert client.get("/admin/sistem/kesehatan").status_code in (302, 403, 404)


def test_http_figures_add_up_requests_errors_and_latency():
    from prometheus_client import CollectorRegistry, Counter, Histogram

    registry = CollectorRegistry()
    counter = Counter("sanggar_http_requests_total", "x", ["method", "view", "status"], registry=registry)
    latency = Histogram("sanggar_http_request_seconds", "x", ["view"], buckets=(0.1, 0.5, 1.0), registry=registry)
    counter.labels("GET", "a", "2xx").inc(18)
    counter.labels("GET", "a", "5xx").inc(2)
    for seconds in [0.05] * 18 + [0.7, 0.8]:
        latency.labels("a").observe(seconds)
    figures = health.http_figures(registry)
    assert (figures.requests, figures.errors) == (20, 2)
    assert figures.p95_ms == 1000.0 and round(figures.average_ms) == 120


def test_request_id_is_answered_logged_and_carried_into_tasks(client, caplog):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abcdef12-proxy")
    assert response["X-Request-ID"] == "abcdef12-proxy"
    generated = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert generated != "<script>" and len(generated) == 32

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "pesan", (), None)
    token = observability.request_id_set("req-12345678")
    try:
        observability.RequestIdFilter().filter(record)
        headers = {}
        from celery import signals

        signals.before_task_publish.send(sender="t", headers=headers, body=None)
    finally:
        observability.request_id_reset(token)
    assert record.request_id == "req-12345678"
    assert headers["sanggar_request_id"] == "req-12345678"


def test_a_task_logs_under_the_request_id_that_queued_it():
    from celery import signals

    class Request:
        sanggar_request_id = "req-abcdefgh"

    class Task:
        name = "sanggar.uji"
        request = Request()

    signals.task_prerun.send(sender=Task, task_id="t1", task=Task)
    assert observability.request_id_get() == "req-abcdefgh"
    signals.task_postrun.send(sender=Task, task_id="t1", task=Task, state="SUCCESS")
    assert observability.request_id_get() == ""


def test_json_log_lines_carry_the_request_id():
    from pythonjsonlogger.json import JsonFormatter

    formatter = JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(process)d %(request_id)s %(message)s",
        rename_fields={"levelname": "level", "name": "logger"},
    )
    record = logging.LogRecord("sanggar.uji", logging.WARNING, __file__, 1, "Pembayaran %s", ("INV-1",), None)
    record.request_id = "req-1"
    line = json.loads(formatter.format(record))
    assert line["level"] == "WARNING" and line["request_id"] == "req-1" and line["message"] == "Pembayaran INV-1"


def test_sentry_only_with_a_dsn():
    assert observability.sentry_init("", environment="x", release="", traces_sample_rate=0) is False
    with mock.patch("sentry_sdk.init") as init:
        assert observability.sentry_init(
            "https://k@o0.ingest.example/1", environment="prod", release="1", traces_sample_rate=0
        )
    kwargs = init.call_args.kwargs
    assert kwargs["send_default_pii"] is False and kwargs["environment"] == "prod"
