"""The built-in sticker pack "Sanggar Ekspor" (static SVGs shipped with the platform). Idempotent: an existing pack
or sticker (an admin may have disabled it) is left as it is."""

from django.db import migrations

from sanggar.chat.constants import BUILTIN_PACK_NAME, BUILTIN_PACK_SLUG, BUILTIN_STICKERS


def create(apps, schema_editor):
    pack_model = apps.get_model("chat", "StickerPack")
    sticker_model = apps.get_model("chat", "Sticker")
    pack, _created = pack_model.objects.get_or_create(
        slug=BUILTIN_PACK_SLUG, defaults={"name": BUILTIN_PACK_NAME, "is_builtin": True}
    )
    for position, (slug, name) in enumerate(BUILTIN_STICKERS):
        path = f"chat/stickers/{slug}.svg"
        if not sticker_model.objects.filter(pack=pack, static_path=path).exists():
            sticker_model.objects.create(pack=pack, name=name, static_path=path, position=position)


class Migration(migrations.Migration):
    dependencies = [("chat", "0005_stickers")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
