"""Celery tasks of live classes: a thin wrapper around the sweep (Celery beat runs it every 15 minutes, so an
approval's 24-hour payment window closes on time; the sweep is idempotent: each reminder goes out once)."""

from celery import shared_task

from .services import sweep


@shared_task
def classes_sweep_task() -> dict:
    return sweep()
