"""The booster's automation moves onto the one reminder engine (checklist §5.9), step 1 of 3: the enrollment's new
columns (the engine's sequence and the moment it schedules from). 0005 copies the data, 0006 drops the old tables."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("booster", "0003_global_suppression_unified"),
        ("reminders", "0015_realms"),
    ]

    operations = [
        migrations.AddField(
            model_name="enrollment",
            name="engine_sequence",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="reminders.remindersequence",
            ),
        ),
        migrations.AddField(model_name="enrollment", name="anchor_at", field=models.DateTimeField(null=True)),
    ]
