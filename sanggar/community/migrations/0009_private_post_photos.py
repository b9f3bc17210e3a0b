"""Post photos and link-preview images become private files: the ones already stored under the old public names
(`community/posts/…`, `community/previews/…`) move to `private/community/…` and their rows follow
(`media.move_photos_private`). New uploads go there directly (models.post_image_path / preview_image_path). The
reverse leaves the files private."""

from django.db import migrations


def forwards(apps, schema_editor):
    from sanggar.community.media import move_photos_private

    move_photos_private(apps.get_model("community", "Post"), apps.get_model("community", "LinkPreview"))


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0008_group_files"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
