"""One suppression list for all marketing email: the booster's global rows (affiliate null) move to notifications'
EmailSuppression, which the platform's broadcasts use too; the booster keeps only each affiliate's own list."""

from django.db import migrations


def forwards(apps, schema_editor):
    Suppression = apps.get_model("booster", "Suppression")
    EmailSuppression = apps.get_model("notifications", "EmailSuppression")
    rows = Suppression.objects.filter(affiliate__isnull=True)
    for row in rows.iterator():
        EmailSuppression.objects.get_or_create(
            email=row.email.lower(), defaults={"reason": (row.reason or "admin")[:20]}
        )
    rows.delete()


def backwards(apps, schema_editor):
    pass  # the rows stay on the unified list


class Migration(migrations.Migration):
    dependencies = [
        ("booster", "0002_low_credit_alert_delivered"),
        ("notifications", "0009_delivery_button_text"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
