"""Celery tasks: thin wrappers around the membership sweeps (Celery beat runs them; see README)."""

from celery import shared_task

from .services import memberships_expire_sweep, memberships_remind_sweep


@shared_task
def memberships_expire_task() -> int:
    return memberships_expire_sweep()


@shared_task
def memberships_remind_task() -> int:
    return memberships_remind_sweep()


@shared_task
def membership_grants_sync_task(plan_id: int) -> int:
    from .services import membership_grants_sync

    return membership_grants_sync(plan_id=plan_id)
