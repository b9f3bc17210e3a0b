"""Celery tasks of the directory: thin wrappers around the services (the import, the weekly announcement sweep)."""

from celery import shared_task

from .buyer_services import buyer_import_run, buyers_digest_sweep


@shared_task
def buyer_import_task(batch_id: int) -> int:
    return buyer_import_run(batch_id=batch_id).created_count


@shared_task
def buyers_digest_task() -> int:
    return buyers_digest_sweep()
