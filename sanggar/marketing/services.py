"""Writes of marketing: the global pixels, testimonials (admin only), and a sales-page visit (anyone, counted once per
address, page and day)."""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.audit.constants import Action
from sanggar.audit.services import activity_record
from sanggar.catalog.models import MembershipPlan, Product
from sanggar.catalog.pixels import PIXEL_FIELDS, pixel_id_clean, pixel_id_error
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.permissions import user_has_any_role
from sanggar.core.roles import Role
from sanggar.core.transactions import service_atomic

from .models import SINGLETON_ID, PixelSettings, SalesPageVisit, Testimonial
from .pixel_models import pixel_cache_clear

PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}


def _admin(actor) -> None:
    if actor is None or not user_has_any_role(actor, [Role.ADMIN]):
        raise NotAllowed(_("Hanya admin yang dapat mengubah pengaturan marketing."))


def _text(value, *, field: str, label: str, limit: int, required: bool, errors: dict) -> str:
    value = ("" if value is None else str(value)).strip()
    if "\x00" in value:
        errors[field] = [_("Isian mengandung karakter yang tidak diizinkan.")]
        return ""
    if required and not value:
        errors[field] = [_("%(label)s wajib diisi.") % {"label": label}]
    elif len(value) > limit:
        errors[field] = [_("%(label)s paling banyak %(max)s karakter.") % {"label": label, "max": limit}]
    return value


@service_atomic
def pixel_settings_update(*, actor, consent_required: bool, **ids) -> PixelSettings:
    _admin(actor)
    errors = {}
    clean = {}
    for name in PIXEL_FIELDS:
        value = pixel_id_clean(ids.get(name, ""))
        message = pixel_id_error(name, value)
        if message:
            errors[name] = [message]
        clean[name] = value
    if errors:
        raise ServiceError(_("Periksa kembali ID pixel."), errors=errors)
    row = PixelSettings.objects.select_for_update().filter(pk=SINGLETON_ID).first() or PixelSettings(pk=SINGLETON_ID)
    changes = {}
    for name, value in [*clean.items(), ("consent_required", bool(consent_required))]:
        if getattr(row, name) != value:
            changes[name] = {"old": getattr(row, name), "new": value}
            setattr(row, name, value)
    row.save()
    activity_record(
        action=Action.SETTINGS_CHANGED,
        actor=actor,
        target=row,
        target_label=_("Tracking pixel"),
        data={"what": "pixels", "fields": sorted(changes), "changes": changes},
    )
    transaction.on_commit(pixel_cache_clear)
    return row


def _photo_checked(file) -> str:
    from PIL import Image, UnidentifiedImageError

    def fail(message):
        raise ServiceError(message, errors={"photo": [message]})

    if not getattr(file, "size", 0):
        fail(_("Foto: file kosong."))
    if file.size > PHOTO_MAX_BYTES:
        fail(_("Ukuran foto maksimal 2 MB."))
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        fail(_("Foto harus berupa gambar PNG, JPEG atau WebP."))
    finally:
        file.seek(0)
    if image_format not in PHOTO_FORMATS:
        fail(_("Foto harus berupa gambar PNG, JPEG atau WebP."))
    return PHOTO_FORMATS[image_format]


@service_atomic
def testimonial_save(
    *,
    actor,
    testimonial: Testimonial | None = None,
    name: str,
    role_city: str = "",
    text: str,
    rating: int = 5,
    plan_id: int | None = None,
    product_id: int | None = None,
    sort_order: int = 0,
    is_active: bool = True,
    photo=None,
    photo_clear: bool = False,
) -> Testimonial:
    """Creates or updates a testimonial: for a plan, a product, or every sales page (neither)."""
    _admin(actor)
    errors: dict = {}
    name = _text(name, field="name", label=_("Nama"), limit=100, required=True, errors=errors)
    role_city = _text(role_city, field="role_city", label=_("Peran / kota"), limit=120, required=False, errors=errors)
    text = _text(text, field="text", label=_("Testimoni"), limit=1000, required=True, errors=errors)
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        errors["rating"] = [_("Rating 1 sampai 5.")]
    if plan_id and product_id:
        errors["product_id"] = [_("Pilih paket atau produk, tidak keduanya.")]
    plan = MembershipPlan.objects.filter(pk=plan_id).first() if plan_id else None
    product = Product.objects.filter(pk=product_id).first() if product_id else None
    if plan_id and plan is None:
        errors["plan_id"] = [_("Paket tidak ditemukan.")]
    if product_id and product is None:
        errors["product_id"] = [_("Produk tidak ditemukan.")]
    if not 0 <= int(sort_order or 0) <= 9999:
        errors["sort_order"] = [_("Isi angka 0 sampai 9999.")]
    if errors:
        raise ServiceError(_("Periksa kembali isian testimoni."), errors=errors)
    creating = testimonial is None
    testimonial = testimonial or Testimonial()
    testimonial.name, testimonial.role_city, testimonial.text, testimonial.rating = name, role_city, text, rating
    testimonial.plan, testimonial.product = plan, product
    testimonial.sort_order, testimonial.is_active = int(sort_order or 0), bool(is_active)
    old_photo = testimonial.photo.name if testimonial.photo else ""
    if photo is not None:
        extension = _photo_checked(photo)
        testimonial.photo.save(f"{uuid.uuid4().hex}.{extension}", photo, save=False)
    elif photo_clear:
        testimonial.photo = ""
    testimonial.save()
    if old_photo and old_photo != (testimonial.photo.name if testimonial.photo else ""):
        storage = Testimonial._meta.get_field("photo").storage
        transaction.on_commit(lambda: storage.delete(old_photo))
    activity_record(
        action=Action.SETTINGS_CHANGED,
        actor=actor,
        target=testimonial,
        target_label=_("Testimoni %(name)s") % {"name": name},
        data={"what": "testimonial", "created": creating},
    )
    return testimonial


@service_atomic
def testimonial_delete(*, actor, testimonial: Testimonial) -> None:
    _admin(actor)
    photo = testimonial.photo.name if testimonial.photo else ""
    activity_record(
        action=Action.SETTINGS_CHANGED,
        actor=actor,
        target=testimonial,
        target_label=_("Testimoni %(name)s") % {"name": testimonial.name},
        data={"what": "testimonial", "deleted": True},
    )
    testimonial.delete()
    if photo:
        storage = Testimonial._meta.get_field("photo").storage
        transaction.on_commit(lambda: storage.delete(photo))


def visit_record(*, kind: str, slug: str, address: str) -> bool:
    """Counts one visit of a plan's or product's sales page: once per address, page and day (a reload or a bot
    hammering the beacon counts once), as one upsert on the day's row. Returns whether it counted."""
    model = {"plan": MembershipPlan, "product": Product}.get(kind)
    if model is None or not slug or len(slug) > 210 or "\x00" in slug:
        return False
    today = timezone.localdate()
    ip = hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:24]
    if not cache.add(f"marketing:visit:{today}:{kind}:{slug}:{ip}", 1, 24 * 3600):
        return False
    item_id = model.objects.filter(slug=slug).values_list("pk", flat=True).first()
    if item_id is None:
        return False
    table = SalesPageVisit._meta.db_table
    column = "plan_id" if kind == "plan" else "product_id"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, page, {column}, count) VALUES (%s, %s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (day, page) DO UPDATE SET count = {table}.count + 1",
            [today, f"{kind}:{item_id}", item_id],
        )
    return True
