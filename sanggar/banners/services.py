"""Writes of banners: create, update, delete (admins only; pages and API call these), and the counting of views and
clicks as one upserted row per banner per day."""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.guard import has_refused_characters
from sanggar.core.roles import Role

from .constants import (
    ACTION_CREATED,
    ACTION_DELETED,
    ACTION_UPDATED,
    CTA_MAX,
    DESCRIPTION_MAX,
    IMAGE_FORMATS,
    IMAGE_MAX_BYTES,
    IMAGE_MAX_SIDE,
    TITLE_MAX,
    URL_MAX,
    Audience,
    Placement,
)
from .models import Banner

FIELDS = ("title", "description", "link_url", "cta_text", "placement", "target_roles", "audience", "start_at",
          "end_at", "priority", "active")  # fmt: skip


def _require_admin(actor) -> None:
    if not (actor and actor.is_authenticated and actor.has_role(Role.ADMIN)):
        raise NotAllowed(_("Hanya admin yang dapat mengelola banner."))


def validate_image(file) -> str:
    """Opens the upload with Pillow; PNG, JPEG or WebP up to 2 MB and 4096 px a side. Returns the extension."""

    def fail(message):
        raise ServiceError(message, errors={"image": [message]})

    file.seek(0, os.SEEK_END)
    size = file.tell()
    file.seek(0)
    if size == 0:
        fail(_("Gambar banner kosong."))
    if size > IMAGE_MAX_BYTES:
        fail(_("Ukuran gambar banner maksimal 2 MB."))
    kind = _("Gambar banner harus berupa PNG, JPEG atau WebP (SVG tidak diterima).")
    try:
        with Image.open(file) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        fail(kind)
    finally:
        file.seek(0)
    if image_format not in IMAGE_FORMATS:
        fail(kind)
    if width > IMAGE_MAX_SIDE or height > IMAGE_MAX_SIDE:
        fail(_("Gambar banner paling besar %(max)s × %(max)s piksel.") % {"max": IMAGE_MAX_SIDE})
    return IMAGE_FORMATS[image_format]


def validate_link(url: str) -> str:
    url = (url or "").strip()
    message = _("Tautan harus alamat web lengkap yang diawali http:// atau https://.")
    if not url or len(url) > URL_MAX or has_refused_characters(url):
        raise ServiceError(message, errors={"link_url": [message]})
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ServiceError(message, errors={"link_url": [message]}) from None
    if urlsplit(url).scheme not in ("http", "https"):
        raise ServiceError(message, errors={"link_url": [message]})
    return url


def _clean(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    out = dict(data)
    for name, limit in (("title", TITLE_MAX), ("description", DESCRIPTION_MAX), ("cta_text", CTA_MAX)):
        value = (out.get(name) or "").strip()
        if has_refused_characters(value):
            errors[name] = [_("Isian berisi karakter yang tidak diizinkan.")]
        elif len(value) > limit:
            errors[name] = [_("Paling panjang %(n)s karakter.") % {"n": limit}]
        out[name] = value
    if not out["title"] and "title" not in errors:
        errors["title"] = [_("Judul wajib diisi.")]
    try:
        out["link_url"] = validate_link(out.get("link_url", ""))
    except ServiceError as exc:
        errors.update(exc.errors)
    if out.get("placement") not in Placement.values:
        errors["placement"] = [_("Pilih penempatan yang tersedia.")]
    roles = out.get("target_roles") or []
    if not isinstance(roles, list) or any(r not in Role.values for r in roles):
        errors["target_roles"] = [_("Pilih peran yang tersedia.")]
    else:
        out["target_roles"] = sorted(set(roles))
    if out.get("audience") not in Audience.values:
        errors["audience"] = [_("Pilih status membership yang tersedia.")]
    priority = out.get("priority")
    if not isinstance(priority, int) or not 1 <= priority <= 5:
        errors["priority"] = [_("Prioritas 1 sampai 5.")]
    if not out.get("start_at"):
        errors["start_at"] = [_("Tanggal mulai wajib diisi.")]
    elif out.get("end_at") and out["end_at"] <= out["start_at"]:
        errors["end_at"] = [_("Tanggal selesai harus sesudah tanggal mulai.")]
    out["active"] = bool(out.get("active", True))
    if errors:
        raise ServiceError(_("Periksa kembali isian banner."), errors=errors)
    return out


def banner_create(*, actor, data: dict, image) -> Banner:
    _require_admin(actor)
    clean = _clean(data)
    if image is None:
        message = _("Gambar banner wajib diunggah.")
        raise ServiceError(message, errors={"image": [message]})
    ext = validate_image(image)
    with transaction.atomic():
        banner = Banner(created_by=actor, **{k: clean[k] for k in FIELDS if k in clean})
        banner.image.save(f"banner.{ext}", image, save=False)
        banner.save()
        activity_record(action=ACTION_CREATED, actor=actor, target=banner, data={"placement": banner.placement})
    return banner


def banner_update(*, actor, banner: Banner, data: dict, image=None) -> Banner:
    _require_admin(actor)
    clean = _clean(data)
    ext = validate_image(image) if image is not None else None
    with transaction.atomic():
        for key in FIELDS:
            if key in clean:
                setattr(banner, key, clean[key])
        if ext:
            banner.image.save(f"banner.{ext}", image, save=False)
        banner.save()
        activity_record(action=ACTION_UPDATED, actor=actor, target=banner)
    return banner


def banner_delete(*, actor, banner: Banner) -> None:
    _require_admin(actor)
    with transaction.atomic():
        activity_record(action=ACTION_DELETED, actor=actor, target=banner, target_label=banner.title)
        banner.delete()


_UPSERT = """
INSERT INTO banners_bannerdailystat (banner_id, day, views, clicks) VALUES {rows}
ON CONFLICT (banner_id, day) DO UPDATE
SET views = banners_bannerdailystat.views + excluded.views, clicks = banners_bannerdailystat.clicks + excluded.clicks
"""


def _count(ids: list[int], *, views: int, clicks: int) -> None:
    """One upsert for every banner in `ids` (plain VALUES rows: PostgreSQL and SQLite both take it)."""
    ids = sorted(set(ids))
    if not ids:
        return
    day = timezone.localdate()
    params = []
    for pk in ids:
        params += [pk, day, views, clicks]
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT.format(rows=", ".join(["(%s, %s, %s, %s)"] * len(ids))), params)


def banners_record_views(banners) -> None:
    """One query for all the banners a page or API answer shows."""
    _count([b.pk for b in banners], views=1, clicks=0)


def banner_record_click(banner: Banner) -> None:
    _count([banner.pk], views=0, clicks=1)
