"""The booster's automation on the one reminder engine, step 3 of 3: the old sequence tables go (0005 copied them
into the engine), `Sequence` is now a proxy of `reminders.ReminderSequence` (realm "booster"), and an enrollment
points at it with the moment the engine schedules from."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("booster", "0005_sequences_on_reminder_engine")]

    operations = [
        migrations.RemoveConstraint(model_name="enrollment", name="enrollment_once"),
        migrations.RemoveIndex(model_name="enrollment", name="booster_enr_status_323895_idx"),
        migrations.RemoveField(model_name="enrollment", name="sequence"),
        migrations.RemoveField(model_name="enrollment", name="next_position"),
        migrations.RemoveField(model_name="enrollment", name="next_due_at"),
        migrations.DeleteModel(name="SequenceSend"),
        migrations.DeleteModel(name="SequenceStep"),
        migrations.DeleteModel(name="Sequence"),
        migrations.CreateModel(
            name="Sequence",
            fields=[],
            options={"ordering": ("name", "id"), "proxy": True, "indexes": [], "constraints": []},
            bases=("reminders.remindersequence",),
        ),
        migrations.RenameField(model_name="enrollment", old_name="engine_sequence", new_name="sequence"),
        migrations.AlterField(
            model_name="enrollment",
            name="sequence",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="booster_enrollments",
                to="booster.sequence",
            ),
        ),
        migrations.AlterField(model_name="enrollment", name="anchor_at", field=models.DateTimeField()),
        migrations.AddConstraint(
            model_name="enrollment",
            constraint=models.UniqueConstraint(fields=("sequence", "lead"), name="enrollment_once"),
        ),
        migrations.AddIndex(
            model_name="enrollment",
            index=models.Index(fields=["sequence", "anchor_at"], name="enrollment_sequence_anchor"),
        ),
    ]
