"""The import runs as a Celery task (eager in tests); the page polls the run's progress."""

from celery import shared_task

from sanggar.accounts.models import User

from .models import MigrationRun
from .services import migration_execute


@shared_task
def migration_run_task(run_id: int, source_url: str, tutor_api: dict | None = None) -> int:
    run = MigrationRun.objects.filter(pk=run_id).first()
    if run is None:
        return 0
    actor = User.objects.filter(pk=run.started_by_id).first()
    try:
        migration_execute(
            source_url=source_url, prefix=run.prefix, dry_run=run.dry_run, actor=actor, run=run,
            tutor_api=tutor_api,
        )  # fmt: skip
    except Exception:
        return 0
    return run.pk


def migration_run_schedule(*, run: MigrationRun, source_url: str, tutor_api: dict | None = None) -> None:
    # The source URL (with its password) and the Tutor API's key and secret travel only in the task message, never into
    # the database.
    migration_run_task.delay(run.pk, source_url, tutor_api)
