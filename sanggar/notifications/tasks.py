"""Celery tasks: thin wrappers around the services."""

from celery import shared_task
from django.utils import timezone

from .constants import DeliveryStatus
from .services import deliveries_sweep, delivery_send


@shared_task(bind=True, max_retries=None, acks_late=True)
def delivery_send_task(self, delivery_id: int) -> str:
    """Sends one delivery; a failure that still has attempts left comes back after its back-off."""
    delivery = delivery_send(delivery_id=delivery_id)
    if delivery.status == DeliveryStatus.QUEUED and delivery.next_attempt_at is not None:
        countdown = max((delivery.next_attempt_at - timezone.now()).total_seconds(), 0)
        raise self.retry(countdown=countdown)
    return delivery.status


@shared_task
def deliveries_sweep_task() -> int:
    return deliveries_sweep()
