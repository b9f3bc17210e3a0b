"""Celery tasks: thin wrappers around the finance sweeps (Celery beat runs them; see README.md)."""

from celery import shared_task

from .services import challenge_awards_sweep, commissions_release_sweep


@shared_task
def commissions_release_task() -> int:
    return commissions_release_sweep()


@shared_task
def challenge_awards_task() -> int:
    return challenge_awards_sweep()
