"""Celery tasks: thin wrappers around the order sweeps (Celery beat runs them; see README.md)."""

from celery import shared_task

from .services import follow_ups_send_due, order_expire_sweep


@shared_task
def orders_expire_task() -> int:
    return order_expire_sweep()


@shared_task
def follow_ups_send_task() -> int:
    return follow_ups_send_due()
