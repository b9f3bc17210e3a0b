from django.db import migrations


def create_defaults(apps, schema_editor):
    from sanggar.notifications.defaults import DEFAULT_TEMPLATES

    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for key, fields in DEFAULT_TEMPLATES.items():
        MessageTemplate.objects.get_or_create(key=str(key), defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_messagetemplate_delivery")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
