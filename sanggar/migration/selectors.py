from .constants import SOURCE
from .models import LegacyMap, MigrationRun


def run_list():
    return MigrationRun.objects.select_related("started_by").order_by("-created_at", "-id")


def run_get(pk) -> MigrationRun | None:
    return MigrationRun.objects.select_related("started_by").filter(pk=pk).first()


def legacy_target(table: str, legacy_id) -> int | None:
    """The new id of a Sejoli row (None when it was not imported)."""
    return (
        LegacyMap.objects.filter(source=SOURCE, table=table, legacy_id=str(legacy_id), target_id__isnull=False)
        .values_list("target_id", flat=True)
        .first()
    )
