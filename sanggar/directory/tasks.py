"""Celery tasks of the directory: thin wrappers around the services (the import, the weekly announcement sweep)."""

from celery import shared_task

from .buyer_services import buyers_digest_sweep
from .forwarder_services import FORWARDERS  # noqa: F401 - registers the forwarder importer for import_run
from .imports import import_run


@shared_task
def buyer_import_task(batch_id: int) -> int:
    """Writes a started import of any directory (buyers, forwarders)."""
    return import_run(batch_id=batch_id).created_count


@shared_task
def buyers_digest_task() -> int:
    return buyers_digest_sweep()
