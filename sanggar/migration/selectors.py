from .models import MigrationRun


def run_list():
    return MigrationRun.objects.select_related("started_by").order_by("-created_at", "-id")


def run_get(pk) -> MigrationRun | None:
    return MigrationRun.objects.select_related("started_by").filter(pk=pk).first()
