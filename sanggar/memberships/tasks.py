"""Celery tasks: thin wrappers around the membership sweeps (Celery beat runs them; see README)."""

from celery import shared_task

from .services import membership_grants_sync, memberships_expire_sweep


@shared_task
def memberships_expire_task() -> int:
    return memberships_expire_sweep()


@shared_task
def membership_grants_sync_task(plan_id: int) -> int:
    return membership_grants_sync(plan_id=plan_id)


def membership_grants_sync_schedule(*, plan_id: int) -> None:
    """Queues the re-sync of a plan's members (the catalog calls this after commit when a plan's content changed)."""
    membership_grants_sync_task.delay(plan_id)
