"""The import runs as a Celery task (eager in tests); the page polls the run's progress."""

from celery import shared_task

from sanggar.accounts.models import User

from .models import MigrationRun
from .services import migration_execute


@shared_task
def migration_run_task(run_id: int, source_url: str) -> int:
    run = MigrationRun.objects.filter(pk=run_id).first()
    if run is None:
        return 0
    actor = User.objects.filter(pk=run.started_by_id).first()
    try:
        migration_execute(source_url=source_url, prefix=run.prefix, dry_run=run.dry_run, actor=actor, run=run)
    except Exception:
        return 0
    return run.pk


def migration_run_schedule(*, run: MigrationRun, source_url: str) -> None:
    # The source URL (with its password) travels only in the task message, never into the database.
    migration_run_task.delay(run.pk, source_url)
