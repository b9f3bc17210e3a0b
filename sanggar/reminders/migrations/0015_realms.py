"""Realms (realms.py): a sequence may belong to an app above reminders (`realm`, `owner_id`, `description`, trigger
`params`); a step may add minutes to its hours; a send may have no user (a realm's recipient named by its key, unique
per step), a `sending` status and the moment a realm's mail server accepted it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0012_supplier_default_sequences"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="remindersequence",
            name="description",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="remindersequence",
            name="owner_id",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="remindersequence",
            name="params",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="remindersequence",
            name="realm",
            field=models.CharField(blank=True, db_index=True, default="", max_length=20),
        ),
        migrations.AddField(
            model_name="reminderstep",
            name="delay_minutes",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="remindersend",
            name="delivered_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="broadcastrecipient",
            name="status",
            field=models.CharField(
                choices=[
                    ("sent", "Terkirim"),
                    ("skipped", "Dilewati (pengguna menonaktifkan saluran)"),
                    ("failed", "Gagal"),
                    ("condition", "Dilewati (syarat tidak terpenuhi)"),
                    ("unsub", "Dilewati (berhenti berlangganan pemasaran)"),
                    ("sending", "Sedang dikirim"),
                ],
                default="sent",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="remindersend",
            name="status",
            field=models.CharField(
                choices=[
                    ("sent", "Terkirim"),
                    ("skipped", "Dilewati (pengguna menonaktifkan saluran)"),
                    ("failed", "Gagal"),
                    ("condition", "Dilewati (syarat tidak terpenuhi)"),
                    ("unsub", "Dilewati (berhenti berlangganan pemasaran)"),
                    ("sending", "Sedang dikirim"),
                ],
                default="sent",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="remindersend",
            name="user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="remindersend",
            index=models.Index(fields=["object_key"], name="reminder_send_key"),
        ),
        migrations.AddIndex(
            model_name="remindersequence",
            index=models.Index(fields=["realm", "owner_id"], name="reminder_seq_realm_owner"),
        ),
        migrations.AddConstraint(
            model_name="remindersend",
            constraint=models.UniqueConstraint(
                condition=models.Q(("user__isnull", True)),
                fields=("step", "object_key"),
                name="uniq_reminder_send_keyed",
            ),
        ),
    ]
