from django.db import migrations, models


def program_resources(apps, schema_editor):
    """Every existing program gets its access resource ("live_class", key = slug), so plans and products can include it."""
    ClassTemplate = apps.get_model("classes", "ClassTemplate")
    Resource = apps.get_model("access", "Resource")
    for template in ClassTemplate.objects.all().only("slug", "name", "is_published"):
        Resource.objects.get_or_create(
            kind="live_class",
            key=template.slug[:120],
            defaults={"title": template.name[:200], "is_active": template.is_published},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0003_resource_kind_registry"),
        ("classes", "0002_quota_ledger"),
    ]

    operations = [
        migrations.AddField(
            model_name="enrollment",
            name="included_by",
            field=models.CharField(blank=True, max_length=60),
        ),
        migrations.RunPython(program_resources, migrations.RunPython.noop),
    ]
