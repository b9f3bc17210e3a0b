"""Stickers (COM-D13): the built-in pack "Sanggar Ekspor" (static SVGs shipped with the platform, served by the
house's static pipeline; no CDN) and packs admins add by upload (type checked by content, size-limited, re-encoded as a
512 × 512 PNG under the public prefix chat/stickers/). Admins enable and disable packs and stickers; nothing is
deleted, so old messages, comments and posts keep showing theirs. Chat messages and the community's posts and
comments carry one (`sticker_for_use` is the one check of what a member picks)."""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Prefetch
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sanggar.audit.services import activity_record
from sanggar.catalog.uploads import generated_name, image_fit
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.roles import Role

from .constants import BUILTIN_PACK_NAME, BUILTIN_PACK_SLUG, BUILTIN_STICKERS, STICKER_IMAGE_SIZE, Action
from .models import Sticker, StickerPack

ACTIVE_CACHE_KEY = "chat:stickers:active:v1"
PICKER_CACHE_KEY = "chat:stickers:picker:v1"
CACHE_SECONDS = 300
MAX_ID = 2**31 - 1


def sticker_payload(sticker: Sticker | None, request=None) -> dict | None:
    """{id, name, url} as every API and live frame shows a sticker (absolute url when `request` is given)."""
    if sticker is None:
        return None
    url = sticker.url
    return {"id": sticker.pk, "name": sticker.name, "url": request.build_absolute_uri(url) if request else url}


def _active_ids() -> set[int]:
    ids = cache.get(ACTIVE_CACHE_KEY)
    if ids is None:
        ids = set(Sticker.objects.filter(is_active=True, pack__is_active=True).values_list("pk", flat=True).order_by())
        cache.set(ACTIVE_CACHE_KEY, ids, CACHE_SECONDS)
    return ids


def _forget() -> None:
    """Drops the cached lists now and again after commit (a reader in between may cache the old rows)."""
    keys = [ACTIVE_CACHE_KEY, PICKER_CACHE_KEY]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def sticker_for_use(value) -> Sticker | None:
    """The sticker a member picked (an id from the picker or the API): None when none was picked; an active sticker
    of an active pack; anything else is refused with an Indonesian reason."""
    if value in (None, "", 0):
        return None
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 11:
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= MAX_ID:
        raise ServiceError(_("Stiker tidak valid."), errors={"sticker": [_("Pilih stiker dari daftar.")]})
    if value not in _active_ids():
        raise ServiceError(
            _("Stiker tidak ditemukan atau sudah dinonaktifkan."), errors={"sticker": [_("Pilih stiker lain.")]}
        )
    return Sticker.objects.get(pk=value)


def packs_active():
    """The active packs with their active stickers, for the pickers and GET /stickers (two queries)."""
    return StickerPack.objects.filter(is_active=True).prefetch_related(
        Prefetch("stickers", queryset=Sticker.objects.filter(is_active=True), to_attr="active_stickers")
    )


def picker_packs() -> list[dict]:
    """[{name, stickers: [{id, name, url}]}] of the active packs for the pickers on pages (cached)."""
    packs = cache.get(PICKER_CACHE_KEY)
    if packs is None:
        packs = [
            {"name": pack.name, "stickers": [sticker_payload(s) for s in pack.active_stickers]}
            for pack in packs_active()
            if pack.active_stickers
        ]
        cache.set(PICKER_CACHE_KEY, packs, CACHE_SECONDS)
    return packs


def packs_all():
    """Every pack with every sticker, for the admin page (two queries)."""
    return StickerPack.objects.prefetch_related("stickers")


def _require_admin(actor) -> None:
    if actor is None or not actor.has_role(Role.ADMIN):
        raise NotAllowed(_("Hanya admin yang dapat mengatur stiker."))


def _name(value, *, field: str, label: str) -> str:
    if not isinstance(value, str) or "\x00" in value:
        raise ServiceError(_("%(l)s harus berupa teks.") % {"l": label}, errors={field: [_("Tidak valid.")]})
    value = value.strip()
    if not value or len(value) > 60:
        raise ServiceError(
            _("%(l)s wajib diisi (maksimal 60 karakter).") % {"l": label}, errors={field: [_("Tidak valid.")]}
        )
    return value


def _record(actor, target, label: str, data: dict) -> None:
    activity_record(action=Action.STICKERS_CHANGED, actor=actor, target=target, target_label=label, data=data)


@transaction.atomic
def pack_create(*, actor, name) -> StickerPack:
    _require_admin(actor)
    name = _name(name, field="name", label=_("Nama paket"))
    base = slugify(name)[:50] or "paket"
    slug, n = base, 1
    while StickerPack.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    position = StickerPack.objects.count()
    pack = StickerPack.objects.create(name=name, slug=slug, position=position)
    _record(actor, pack, name, {"pack": "created"})
    _forget()
    return pack


@transaction.atomic
def pack_set_active(*, actor, pack: StickerPack, active: bool) -> StickerPack:
    _require_admin(actor)
    StickerPack.objects.filter(pk=pack.pk).update(is_active=bool(active))
    pack.is_active = bool(active)
    _record(actor, pack, pack.name, {"pack_active": pack.is_active})
    _forget()
    return pack


@transaction.atomic
def sticker_add(*, actor, pack: StickerPack, name, image) -> Sticker:
    """An admin uploads a sticker into a pack: PNG, JPEG or WebP checked by its content, at most
    CHAT_STICKER_MAX_BYTES, re-encoded as a 512 × 512 PNG (transparency kept), stored under a generated name."""
    _require_admin(actor)
    name = _name(name, field="name", label=_("Nama stiker"))
    if image is None:
        raise ServiceError(_("Pilih gambar stiker."), errors={"image": [_("Wajib diisi.")]})
    content = image_fit(
        image,
        field="image",
        label=_("Gambar stiker"),
        size=STICKER_IMAGE_SIZE,
        max_bytes=settings.CHAT_STICKER_MAX_BYTES,
        transparent=True,
    )
    sticker = Sticker(pack=pack, name=name, position=pack.stickers.count())
    sticker.image.save(generated_name("stiker", "png"), content, save=False)
    sticker.save()
    _record(actor, sticker, name, {"pack": pack.slug, "sticker": "uploaded"})
    _forget()
    return sticker


@transaction.atomic
def sticker_set_active(*, actor, sticker: Sticker, active: bool) -> Sticker:
    _require_admin(actor)
    Sticker.objects.filter(pk=sticker.pk).update(is_active=bool(active))
    sticker.is_active = bool(active)
    _record(actor, sticker, sticker.name, {"sticker_active": sticker.is_active})
    _forget()
    return sticker


def builtin_ensure() -> StickerPack:
    """The built-in pack and its stickers (idempotent; what an admin disabled stays disabled)."""
    pack, _created = StickerPack.objects.get_or_create(
        slug=BUILTIN_PACK_SLUG, defaults={"name": BUILTIN_PACK_NAME, "is_builtin": True}
    )
    for position, (slug, name) in enumerate(BUILTIN_STICKERS):
        Sticker.objects.get_or_create(
            pack=pack, static_path=f"chat/stickers/{slug}.svg", defaults={"name": name, "position": position}
        )
    _forget()
    return pack
