"""The migration's writes: a run (queued, running with its progress, done with its report)."""

import logging
import time
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.audit.services import activity_record
from sanggar.core.exceptions import ServiceError

from .constants import AUDIT_RUN, RunStatus
from .importer import Importer
from .models import MigrationRun
from .report import build_report
from .source import Source, prefix_clean, source_parse
from .tutor_api import TutorApi

logger = logging.getLogger(__name__)


class DryRunRollback(Exception):
    """Raised inside the dry run's transaction so that nothing it wrote is kept."""


def run_create(*, actor, source_url: str, prefix: str = "wp_", dry_run: bool = False) -> MigrationRun:
    url = source_parse(source_url)
    prefix = prefix_clean(prefix)
    if MigrationRun.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).exists():
        raise ServiceError(_("Masih ada migrasi yang berjalan. Tunggu sampai selesai."))
    return MigrationRun.objects.create(started_by=actor, source_label=url.label, prefix=prefix, dry_run=dry_run)


def _progress(run: MigrationRun | None, echo=None):
    last = [0.0]

    def report(step: str, done: int, total: int) -> None:
        if echo:
            echo(step, done, total)
        if run is None or run.dry_run:
            return
        now = time.monotonic()
        if now - last[0] < 0.5 and done < total:
            return
        last[0] = now
        MigrationRun.objects.filter(pk=run.pk).update(step=step[:60], done=done, total=total)

    return report


def migration_execute(
    *, source_url: str, prefix: str = "wp_", dry_run: bool = False, actor=None, run: MigrationRun | None = None,
    expected: dict | None = None, echo=None, batch_size: int = 5000, uploads_dir: str | None = None,
    tutor_api: dict | None = None,
) -> dict:  # fmt: skip
    """Runs the import (or a dry run: everything inside one transaction that is rolled back) and returns the report.
    `uploads_dir`: a local copy of WordPress's wp-content/uploads, where self-hosted lesson videos are copied from.
    `tutor_api`: {"url", "key", "secret", "prefer"} of the Tutor LMS REST API, a second source for lesson content."""
    url = source_parse(source_url)
    if uploads_dir and not Path(uploads_dir).is_dir():
        raise ServiceError(_("Folder uploads tidak ditemukan: %(path)s") % {"path": uploads_dir})
    api = None
    if tutor_api and tutor_api.get("url"):
        if not tutor_api.get("key") or not tutor_api.get("secret"):
            raise ServiceError(_("API Tutor butuh API key dan secret (Tutor LMS > Pengaturan > API)."))
        api = TutorApi(tutor_api["url"], tutor_api["key"], tutor_api["secret"])
    src = Source(url, prefix)
    started = time.monotonic()
    if run is not None:
        MigrationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, started_at=timezone.now())
    report: dict = {}
    try:
        importer = Importer(
            src, actor=actor, progress=_progress(run, echo), batch_size=batch_size, uploads_dir=uploads_dir,
            dry_run=dry_run, tutor_api=api, tutor_prefer=bool(api and tutor_api.get("prefer")),
        )  # fmt: skip
        if dry_run:
            try:
                with transaction.atomic():
                    importer.run()
                    report = build_report(src=src, stats=importer.stats, expected=expected, notes=importer.notes)
                    raise DryRunRollback
            except DryRunRollback:
                pass
        else:
            importer.run()
            report = build_report(src=src, stats=importer.stats, expected=expected, notes=importer.notes)
            activity_record(
                action=AUDIT_RUN, actor=actor, target=run, target_label=url.label,
                data={"dry_run": False, "tables": {k: v["imported"] for k, v in importer.stats.tables.items()},
                      "differences": len(report["differences"])},
            )  # fmt: skip
        report["seconds"] = round(time.monotonic() - started, 1)
        report["dry_run"] = dry_run
        report["source"] = url.label
    except Exception as exc:
        if run is not None:
            MigrationRun.objects.filter(pk=run.pk).update(
                status=RunStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
            )
        raise
    finally:
        src.close()
        if api is not None:
            api.close()
    if run is not None:
        MigrationRun.objects.filter(pk=run.pk).update(
            status=RunStatus.DONE, report=report, finished_at=timezone.now(), step="selesai"
        )
    return report
