"""Celery tasks of tickets: thin wrappers around the sweeps (Celery beat runs them)."""

from celery import shared_task

from .services import tickets_auto_close_sweep, tickets_sla_sweep


@shared_task
def tickets_auto_close_task() -> int:
    return tickets_auto_close_sweep()


@shared_task
def tickets_sla_task() -> int:
    return tickets_sla_sweep()
