"""The platform's health: the readiness checks (database, Redis, broker), the Celery queue depth, the last day's
webhook outcomes and notification deliveries, and the request figures of the web processes. Read by /readyz,
/metrics and the admin's "Kesehatan Sistem" page, so the three always say the same."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from prometheus_client import REGISTRY, CollectorRegistry
from prometheus_client.multiprocess import MultiProcessCollector

from sanggar.notifications.constants import DeliveryStatus
from sanggar.notifications.selectors import delivery_status_counts
from sanggar.payments.constants import WebhookOutcome
from sanggar.payments.selectors import webhook_outcome_counts

QUEUES = ("celery",)
WINDOW = timedelta(hours=24)


@dataclass
class Check:
    key: str
    label: str
    ok: bool | None  # None: not used by this installation
    detail: str = ""
    ms: float = 0.0


def _timed(key, label, probe) -> Check:
    started = time.perf_counter()
    try:
        detail = probe()
    except Exception as exc:  # a health check reports the failure, it never raises
        return Check(key, label, False, exc.__class__.__name__, (time.perf_counter() - started) * 1000)
    if detail is None:
        return Check(key, label, None, str(_("tidak dipakai")))
    return Check(key, label, True, detail, (time.perf_counter() - started) * 1000)


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _redis() -> str | None:
    if not settings.REDIS_URL:
        return None
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
    return "ping"


def _celery_app():
    from celery import current_app

    return current_app


def _broker() -> str | None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None
    app = _celery_app()
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        return str(conn.transport.driver_type)


def readiness() -> list[Check]:
    return [
        _timed("database", _("Database"), _database),
        _timed("redis", _("Redis (cache dan realtime)"), _redis),
        _timed("broker", _("Broker antrean (Celery)"), _broker),
    ]


def queue_depths() -> dict[str, int | None]:
    """Messages waiting per Celery queue (None: the broker cannot be read)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return dict.fromkeys(QUEUES, 0)
    depths: dict[str, int | None] = {}
    try:
        with _celery_app().connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            channel = conn.default_channel
            for queue in QUEUES:
                try:
                    depths[queue] = int(channel._size(queue))
                except Exception:
                    depths[queue] = None
    except Exception:
        return dict.fromkeys(QUEUES, None)
    return depths


def workers_alive(timeout: float = 1.0) -> list[str] | None:
    """The Celery workers answering a ping (None: the broker cannot broadcast or is unreachable)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None
    try:
        replies = _celery_app().control.ping(timeout=timeout) or []
    except Exception:
        return None
    return sorted(name for reply in replies for name in reply)


def metrics_registry():
    """The request metrics of every process on this machine (PROMETHEUS_MULTIPROC_DIR) or of this one."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return registry
    return REGISTRY


@dataclass
class HttpFigures:
    requests: int = 0
    errors: int = 0  # 5xx
    average_ms: float = 0.0
    p95_ms: float | None = None
    by_status: dict = field(default_factory=dict)


def http_figures(registry=None) -> HttpFigures:
    registry = registry or metrics_registry()
    figures = HttpFigures()
    buckets: dict[float, float] = {}
    total_seconds = 0.0
    count = 0.0
    for metric in registry.collect():
        if metric.name == "sanggar_http_requests":
            for sample in metric.samples:
                if sample.name.endswith("_total"):
                    status = sample.labels.get("status", "")
                    figures.by_status[status] = figures.by_status.get(status, 0) + int(sample.value)
        elif metric.name == "sanggar_http_request_seconds":
            for sample in metric.samples:
                if sample.name.endswith("_bucket"):
                    bound = float(sample.labels["le"])
                    buckets[bound] = buckets.get(bound, 0.0) + sample.value
                elif sample.name.endswith("_sum"):
                    total_seconds += sample.value
                elif sample.name.endswith("_count"):
                    count += sample.value
    figures.requests = sum(figures.by_status.values())
    figures.errors = figures.by_status.get("5xx", 0)
    if count:
        figures.average_ms = total_seconds / count * 1000
        target = 0.95 * count
        for bound in sorted(buckets):
            if buckets[bound] >= target:
                figures.p95_ms = None if bound == float("inf") else bound * 1000
                break
    return figures


def snapshot(*, ping_workers: bool = True) -> dict:
    since = timezone.now() - WINDOW
    webhooks = webhook_outcome_counts(since=since)
    deliveries = delivery_status_counts(since=since)
    return {
        "checks": readiness(),
        "queues": queue_depths(),
        "workers": workers_alive() if ping_workers else None,
        "webhooks": webhooks,
        "deliveries": deliveries,
        "webhook_rows": [(key, WebhookOutcome(key).label, count) for key, count in webhooks.items()],
        "delivery_rows": [(key, DeliveryStatus(key).label, count) for key, count in deliveries.items()],
        "http": http_figures(),
        "multiprocess": bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR")),
    }
