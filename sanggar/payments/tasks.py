"""Celery tasks: thin wrappers around the payments sweeps (Celery beat runs them)."""

from celery import shared_task

from .services import webhook_events_purge


@shared_task
def webhook_events_purge_task() -> int:
    return webhook_events_purge()
