"""Celery tasks: thin wrappers around the learning sweeps (Celery beat runs them daily)."""

from celery import shared_task

from .services import comment_digest_sweep, study_reminders_sweep


@shared_task
def study_reminders_task() -> int:
    return study_reminders_sweep(scheduled=True)  # beat runs hourly; it sends at the settings' hour


@shared_task
def comment_digest_task() -> int:
    return comment_digest_sweep()
