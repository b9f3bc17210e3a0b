from django.db import migrations


def create_defaults(apps, schema_editor):
    """Formerly created the four account templates here. Every kind's template row is now created from the
    notification kinds registry after each migrate (`services.message_templates_sync`, on post_migrate), so a new
    kind needs no migration."""


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_messagetemplate_delivery")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
