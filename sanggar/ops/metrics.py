"""/metrics in the Prometheus text format: the request counters and latency histograms of the web processes
(prometheus_client, aggregated over processes with PROMETHEUS_MULTIPROC_DIR) plus figures read at scrape time
from the shared state: readiness per component, Celery queue depth, webhook outcomes and notification deliveries
of the last 24 hours."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily

from sanggar.notifications.selectors import delivery_status_counts
from sanggar.payments.selectors import webhook_outcome_counts

from . import health


class PlatformCollector:
    def collect(self):
        up = GaugeMetricFamily(
            "sanggar_up", "1 when the component answers, 0 when not (absent: not used)", labels=["component"]
        )
        for check in health.readiness():
            if check.ok is not None:
                up.add_metric([check.key], 1 if check.ok else 0)
        yield up
        depth = GaugeMetricFamily("sanggar_celery_queue_depth", "Messages waiting in a Celery queue", labels=["queue"])
        for queue, size in health.queue_depths().items():
            if size is not None:
                depth.add_metric([queue], size)
        yield depth
        since = timezone.now() - timedelta(hours=24)
        webhooks = GaugeMetricFamily(
            "sanggar_webhook_events_24h",
            "Webhook deliveries received in the last 24 hours, by outcome",
            labels=["outcome"],
        )
        for outcome, count in webhook_outcome_counts(since=since).items():
            webhooks.add_metric([outcome], count)
        yield webhooks
        deliveries = GaugeMetricFamily(
            "sanggar_notification_deliveries_24h",
            "Notification deliveries (email, WhatsApp, push) created in the last 24 hours, by status",
            labels=["status"],
        )
        for status, count in delivery_status_counts(since=since).items():
            deliveries.add_metric([status], count)
        yield deliveries


def render() -> bytes:
    platform = CollectorRegistry()
    platform.register(PlatformCollector())
    return generate_latest(health.metrics_registry()) + generate_latest(platform)
