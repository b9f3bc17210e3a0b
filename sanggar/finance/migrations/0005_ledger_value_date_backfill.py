from django.db import migrations
from django.db.models import F, OuterRef, Subquery


def backfill(apps, schema_editor):
    """Existing transactions: a sale's split at its order's paid time, everything else when it was posted."""
    Txn = apps.get_model("finance", "LedgerTransaction")
    Order = apps.get_model("orders", "Order")
    Txn.objects.update(value_date=F("created_at"))
    paid_at = Order.objects.filter(pk=OuterRef("order_id")).values("paid_at")[:1]
    Txn.objects.filter(kind="sale_split", order__paid_at__isnull=False).update(value_date=Subquery(paid_at))


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0004_ledger_value_date"),
        ("orders", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
