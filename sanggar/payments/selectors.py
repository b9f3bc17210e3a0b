"""Reads of the payments app shared by pages and the API."""

from django.db.models import Count, Prefetch, QuerySet

from .constants import WebhookOutcome
from .models import Payment, Refund, WebhookEvent
from .providers import enabled_providers, get_provider
from .providers.base import ProviderInfo

# The admin sale detail shows at most this many webhook deliveries of one order (newest first).
WEBHOOKS_PER_ORDER = 100


def providers_enabled() -> list[ProviderInfo]:
    """The providers a buyer may choose, in the configured order (manual always among them)."""
    return [provider.info() for provider in enabled_providers()]


def provider_label(identifier: str) -> str:
    provider = get_provider(identifier)
    return str(provider.label) if provider else identifier


def payments_for_order(*, order) -> QuerySet[Payment]:
    """Every payment attempt of an order, newest first, with who confirmed it and its refunds (2 queries)."""
    return (
        Payment.objects.filter(order=order)
        .select_related("confirmed_by")
        .prefetch_related(Prefetch("refunds", queryset=Refund.objects.select_related("actor")))
        .order_by("-created_at", "-id")
    )


def webhooks_for_order(*, order, limit: int = WEBHOOKS_PER_ORDER) -> list[WebhookEvent]:
    """The order's webhook deliveries, newest first (one query, at most `limit`)."""
    return list(WebhookEvent.objects.filter(order=order).order_by("-received_at", "-id")[:limit])


def payment_get(*, pk: int) -> Payment | None:
    return Payment.objects.select_related("order").filter(pk=pk).first()


def webhook_outcome_counts(*, since) -> dict[str, int]:
    """Webhook deliveries received since `since`, counted by outcome (every outcome present, zero when none):
    the figures of the admin's "Kesehatan Sistem" page and of /metrics."""
    rows = WebhookEvent.objects.filter(received_at__gte=since).values("outcome").annotate(n=Count("id")).order_by()
    counts = dict.fromkeys(WebhookOutcome.values, 0)
    for row in rows:
        counts[row["outcome"]] = row["n"]
    return counts
