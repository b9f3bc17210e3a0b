"""The learning reminder's idle days move onto the smart rule "learning.inactive" (/admin/settings/smart-rules): an
admin's saved value is kept; without one the rule's default (3 days, PRD v7.3 part 10) applies."""

from django.db import migrations


def forward(apps, schema_editor):
    ReminderSettings = apps.get_model("learning", "ReminderSettings")
    SmartRule = apps.get_model("notifications", "SmartRule")
    row = ReminderSettings.objects.filter(pk=1).first()
    if row is not None and row.idle_days:
        SmartRule.objects.get_or_create(key="learning.inactive", defaults={"enabled": True, "value": row.idle_days})


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0010_threads_reminder_hour_video_hosts"),
        ("notifications", "0010_smart_rules_popups"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
