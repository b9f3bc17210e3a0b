"""The import from Sejoli / Tutor LMS (WordPress): the legacy-id map and the runs with their progress and report."""

from django.conf import settings
from django.db import models

from .constants import RunStatus


class LegacyMap(models.Model):
    """One source row already imported: (source, table, legacy id) → the new object's id. A second run skips it."""

    source = models.CharField(max_length=40)  # "sejoli"
    table = models.CharField(max_length=40)  # "users", "orders", "affiliates", ... (source table without prefix)
    legacy_id = models.CharField(max_length=64)
    target_id = models.BigIntegerField(null=True)  # None: read and deliberately not imported (see note)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "table", "legacy_id"], name="legacy_map_unique"),
        ]
        indexes = [models.Index(fields=["source", "table", "target_id"])]


class MigrationRun(models.Model):
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    source_label = models.CharField(max_length=300)  # the source URL without its password
    prefix = models.CharField(max_length=20, default="wp_")
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    step = models.CharField(max_length=60, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else (100 if self.status == RunStatus.DONE else 0)

    @property
    def seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return round((self.finished_at - self.started_at).total_seconds(), 1)
        return None
