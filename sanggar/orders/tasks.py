"""Celery tasks: thin wrappers around the order sweeps (Celery beat runs them; see README.md)."""

from celery import shared_task

from .services import follow_ups_send_due, order_expire_sweep
from .services.messages import notify_order_paid


@shared_task
def orders_expire_task() -> int:
    return order_expire_sweep()


@shared_task
def follow_ups_send_task() -> int:
    return follow_ups_send_due()


@shared_task
def order_paid_notify_task(order_id: int) -> None:
    """The buyer's "payment received" and every admin's "new sale" of a paid order, in the background: the payment's
    request (a gateway's webhook, an admin marking it paid) only hands the order's id over after its commit."""
    notify_order_paid(order_id)
