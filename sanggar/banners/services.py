"""Writes of banners: create, update, delete (admins only; pages and API call these); the counting of views (once
per person per day) and clicks as one upserted row per banner per day; dismissals; sponsor packages, the sponsor's
banner submission and the admin's review."""

import os
from datetime import timedelta
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from sanggar.accounts.constants import PROVINCES
from sanggar.audit.services import activity_record
from sanggar.catalog.models import MembershipPlan, Product
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.guard import has_refused_characters
from sanggar.core.roles import Role
from sanggar.notifications.services import notify, notify_users

from . import notifications as kinds
from .constants import (
    ACTION_ANNOUNCED,
    ACTION_CREATED,
    ACTION_DELETED,
    ACTION_PACKAGE_SAVED,
    ACTION_REVIEWED,
    ACTION_SPONSOR_SUBMITTED,
    ACTION_UPDATED,
    ANNOUNCE_BATCH,
    CTA_MAX,
    DAILY_CAP_MAX,
    DESCRIPTION_MAX,
    IMAGE_FORMATS,
    IMAGE_MAX_BYTES,
    IMAGE_MAX_SIDE,
    PACKAGE_DAYS_MAX,
    REVIEW_NOTE_MAX,
    SPONSOR_NAME_MAX,
    TITLE_MAX,
    URL_MAX,
    Audience,
    Kind,
    Placement,
    Review,
)
from .links import click_url
from .models import Banner, BannerDismissal, SponsorPackage
from .selectors import announcement_audience, sponsor_entitlements

FIELDS = ("title", "description", "link_url", "cta_text", "placement", "target_roles", "audience", "target_plans",
          "target_provinces", "start_at", "end_at", "hour_from", "hour_to", "daily_cap", "priority", "active",
          "kind", "sponsor_name")  # fmt: skip
# What a sponsor writes; the rest comes from the package and the admin's review.
SPONSOR_FIELDS = ("title", "description", "link_url", "cta_text", "sponsor_name")


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
    _clean_targeting(out, errors)
    out["active"] = bool(out.get("active", True))
    if errors:
        raise ServiceError(_("Periksa kembali isian banner."), errors=errors)
    return out


def _int_list(value) -> list[int] | None:
    if value in (None, ""):
        return []
    if not isinstance(value, (list, tuple)):
        return None
    out = []
    for item in value:
        if isinstance(item, bool):
            return None
        try:
            out.append(int(item))
        except (TypeError, ValueError):
            return None
    return sorted(set(out))


def _clean_targeting(out: dict, errors: dict) -> None:
    """Plans (existing plan ids), provinces (the accounts list), active hours (0–23, both or neither), daily cap,
    kind and sponsor name."""
    plans = _int_list(out.get("target_plans"))
    if plans is None or (plans and MembershipPlan.objects.filter(pk__in=plans).count() != len(plans)):
        errors["target_plans"] = [_("Pilih paket membership yang tersedia.")]
    else:
        out["target_plans"] = plans
    provinces = out.get("target_provinces") or []
    if not isinstance(provinces, (list, tuple)) or any(p not in PROVINCES for p in provinces):
        errors["target_provinces"] = [_("Pilih provinsi yang tersedia.")]
    else:
        out["target_provinces"] = sorted(set(provinces))
    hours = []
    for name in ("hour_from", "hour_to"):
        value = out.get(name)
        if value in (None, ""):
            out[name] = None
        elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 23:
            errors[name] = [_("Jam 0 sampai 23.")]
        hours.append(out.get(name))
    if "hour_from" not in errors and "hour_to" not in errors and (hours[0] is None) != (hours[1] is None):
        errors["hour_to"] = [_("Isi jam mulai dan jam selesai, atau kosongkan keduanya.")]
    cap = out.get("daily_cap") or 0
    if isinstance(cap, bool) or not isinstance(cap, int) or not 0 <= cap <= DAILY_CAP_MAX:
        errors["daily_cap"] = [_("Batas tayang 0 (tanpa batas) sampai %(n)s kali sehari.") % {"n": DAILY_CAP_MAX}]
    else:
        out["daily_cap"] = cap
    out["kind"] = out.get("kind") or Kind.INTERNAL
    if out["kind"] not in Kind.values:
        errors["kind"] = [_("Pilih jenis banner yang tersedia.")]
    name = (out.get("sponsor_name") or "").strip()
    if has_refused_characters(name) or len(name) > SPONSOR_NAME_MAX:
        errors["sponsor_name"] = [_("Nama sponsor paling panjang %(n)s karakter.") % {"n": SPONSOR_NAME_MAX}]
    elif out["kind"] == Kind.SPONSOR and not name:
        errors["sponsor_name"] = [_("Nama sponsor wajib diisi untuk banner sponsor.")]
    out["sponsor_name"] = name


def banner_create(*, actor, data: dict, image) -> Banner:
    _require_admin(actor)
    clean = _clean(data)
    if image is None and not clean.get("description"):
        message = _("Unggah gambar, atau tulis deskripsi untuk banner teks.")
        raise ServiceError(message, errors={"image": [message]})
    ext = validate_image(image) if image is not None else None
    with transaction.atomic():
        banner = Banner(created_by=actor, **{k: clean[k] for k in FIELDS if k in clean})
        if ext:
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

_UPSERT_USER_DAY = """
INSERT INTO banners_banneruserday (banner_id, user_id, day, shows) VALUES {rows}
ON CONFLICT (banner_id, user_id, day) DO UPDATE SET shows = banners_banneruserday.shows + 1
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


def banners_record_views(banners, *, user=None) -> None:
    """Counts that `banners` (from `selectors.banners_for`) were shown. For a signed-in person every showing counts
    toward their daily cap, and only the first showing of the day counts as a view (views are unique per person per
    day); a visitor's showings count as views. Two queries at most whatever the number of banners."""
    banners = list(banners)
    if not banners:
        return
    if user is None or not user.is_authenticated:
        _count([b.pk for b in banners], views=1, clicks=0)
        return
    day = timezone.localdate()
    ids = sorted({b.pk for b in banners})
    params = []
    for pk in ids:
        params += [pk, user.pk, day, 1]
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT_USER_DAY.format(rows=", ".join(["(%s, %s, %s, %s)"] * len(ids))), params)
    _count([b.pk for b in banners if not getattr(b, "shown_today", 0)], views=1, clicks=0)


def banner_record_click(banner: Banner) -> None:
    _count([banner.pk], views=0, clicks=1)


def banner_dismiss(*, user, banner: Banner) -> None:
    """The person closes the banner: it is not shown to them again (repeating it changes nothing)."""
    if not (user and user.is_authenticated):
        raise NotAllowed(_("Masuk dulu untuk menutup banner."))
    BannerDismissal.objects.get_or_create(banner=banner, user=user)


# --- sponsor packages and banners ---------------------------------------------------------------------------------


def sponsor_package_save(*, actor, product: Product, placement: str, days: int, priority: int = 3, daily_cap: int = 0,
                         active: bool = True) -> SponsorPackage:  # fmt: skip
    """Makes a catalog product a sponsor package (or changes its terms): its buyers submit one banner per purchase."""
    _require_admin(actor)
    errors = {}
    if placement not in Placement.values:
        errors["placement"] = [_("Pilih penempatan yang tersedia.")]
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= PACKAGE_DAYS_MAX:
        errors["days"] = [_("Lama tayang 1 sampai %(n)s hari.") % {"n": PACKAGE_DAYS_MAX}]
    if isinstance(priority, bool) or not isinstance(priority, int) or not 1 <= priority <= 5:
        errors["priority"] = [_("Prioritas 1 sampai 5.")]
    if isinstance(daily_cap, bool) or not isinstance(daily_cap, int) or not 0 <= daily_cap <= DAILY_CAP_MAX:
        errors["daily_cap"] = [_("Batas tayang 0 (tanpa batas) sampai %(n)s kali sehari.") % {"n": DAILY_CAP_MAX}]
    if errors:
        raise ServiceError(_("Periksa kembali isian paket sponsor."), errors=errors)
    with transaction.atomic():
        package, created = SponsorPackage.objects.update_or_create(
            product=product,
            defaults={
                "placement": placement,
                "days": days,
                "priority": priority,
                "daily_cap": daily_cap,
                "active": bool(active),
            },  # fmt: skip
        )
        activity_record(
            action=ACTION_PACKAGE_SAVED, actor=actor, target=package,
            data={"product": product.pk, "placement": placement, "days": days, "created": created},
        )  # fmt: skip
    return package


def _clean_sponsor(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    out = {}
    for name, limit in (("title", TITLE_MAX), ("description", DESCRIPTION_MAX), ("cta_text", CTA_MAX),
                        ("sponsor_name", SPONSOR_NAME_MAX)):  # fmt: skip
        value = data.get(name)
        value = value.strip() if isinstance(value, str) else ""
        if has_refused_characters(value):
            errors[name] = [_("Isian berisi karakter yang tidak diizinkan.")]
        elif len(value) > limit:
            errors[name] = [_("Paling panjang %(n)s karakter.") % {"n": limit}]
        out[name] = value
    if not out["title"] and "title" not in errors:
        errors["title"] = [_("Judul wajib diisi.")]
    if not out["sponsor_name"] and "sponsor_name" not in errors:
        errors["sponsor_name"] = [_("Nama sponsor (usaha atau merek Anda) wajib diisi.")]
    try:
        out["link_url"] = validate_link(data.get("link_url") if isinstance(data.get("link_url"), str) else "")
    except ServiceError as exc:
        errors.update(exc.errors)
    if errors:
        raise ServiceError(_("Periksa kembali isian banner."), errors=errors)
    return out


def sponsor_banner_submit(*, user, package: SponsorPackage, source_ref: str, data: dict, image) -> Banner:
    """A buyer of a sponsor package submits the banner for one purchase; an admin reviews it before it runs."""
    if not (user and user.is_authenticated):
        raise NotAllowed(_("Masuk dulu untuk mengirim banner sponsor."))
    if not any(e.package.pk == package.pk and e.source_ref == source_ref for e in sponsor_entitlements(user=user)):
        raise NotAllowed(_("Pembelian paket sponsor ini tidak ditemukan atau sudah dipakai."))
    clean = _clean_sponsor(data)
    if image is None:
        message = _("Gambar banner wajib diunggah.")
        raise ServiceError(message, errors={"image": [message]})
    ext = validate_image(image)
    now = timezone.now()
    with transaction.atomic():
        banner = Banner(
            **clean, placement=package.placement, kind=Kind.SPONSOR, owner=user, package=package,
            source_ref=source_ref, review=Review.PENDING, start_at=now, priority=package.priority,
            daily_cap=package.daily_cap, created_by=user,
        )  # fmt: skip
        banner.image.save(f"banner.{ext}", image, save=False)
        banner.save()
        activity_record(action=ACTION_SPONSOR_SUBMITTED, actor=user, target=banner, data={"package": package.pk})
    return banner


def sponsor_banner_update(*, user, banner: Banner, data: dict, image=None) -> Banner:
    """The sponsor corrects a banner that waits for review or was rejected; it goes back to the review queue."""
    if not (user and user.is_authenticated and banner.owner_id == user.pk):
        raise NotAllowed(_("Ini bukan banner Anda."))
    if banner.review == Review.APPROVED:
        raise ServiceError(_("Banner yang sudah tayang tidak dapat diubah. Hubungi admin lewat tiket support."))
    clean = _clean_sponsor(data)
    ext = validate_image(image) if image is not None else None
    with transaction.atomic():
        for key, value in clean.items():
            setattr(banner, key, value)
        if ext:
            banner.image.save(f"banner.{ext}", image, save=False)
        banner.review = Review.PENDING
        banner.save()
        activity_record(action=ACTION_SPONSOR_SUBMITTED, actor=user, target=banner, data={"resubmitted": True})
    return banner


def banner_review(*, actor, banner: Banner, approve: bool, note: str = "", now=None) -> Banner:
    """The admin approves a sponsor banner (it runs from now for the package's days) or rejects it with a note the
    sponsor reads; the sponsor is told either way."""
    _require_admin(actor)
    note = (note or "").strip() if isinstance(note, str) else ""
    if has_refused_characters(note) or len(note) > REVIEW_NOTE_MAX:
        raise ServiceError(_("Catatan review paling panjang %(n)s karakter.") % {"n": REVIEW_NOTE_MAX})
    if banner.review != Review.PENDING:
        raise ServiceError(_("Banner ini tidak sedang menunggu review."))
    if not approve and not note:
        raise ServiceError(_("Tulis alasan penolakan agar sponsor dapat memperbaikinya."))
    now = now or timezone.now()
    with transaction.atomic():
        banner.review = Review.APPROVED if approve else Review.REJECTED
        banner.review_note = note
        if approve:
            days = banner.package.days if banner.package_id else 7
            banner.start_at, banner.end_at, banner.active = now, now + timedelta(days=days), True
        banner.save()
        activity_record(action=ACTION_REVIEWED, actor=actor, target=banner, data={"approved": approve})
        if banner.owner_id:
            notify(
                user=banner.owner, kind=kinds.APPROVED if approve else kinds.REJECTED,
                link="/iklan-saya", context={"title": banner.title, "note": note or "-"},
            )  # fmt: skip
    return banner


# --- announcing a banner as a notification -------------------------------------------------------------------------


def banner_announce(*, actor, banner: Banner, now=None) -> Banner:
    """Tells everyone the banner targets, once, as a notification (in the app, and by email / WhatsApp / push as each
    person's preferences allow): for maintenance, events and important promotions. The sending runs in the
    background after commit, in batches."""
    _require_admin(actor)
    now = now or timezone.now()
    with transaction.atomic():
        locked = Banner.objects.select_for_update().get(pk=banner.pk)
        if locked.announced_at:
            raise ServiceError(_("Banner ini sudah pernah diumumkan."))
        if locked.review != Review.APPROVED or not locked.active or (locked.end_at and locked.end_at <= now):
            raise ServiceError(_("Hanya banner aktif yang sudah disetujui yang dapat diumumkan."))
        locked.announced_at = now
        locked.save(update_fields=["announced_at"])
        activity_record(action=ACTION_ANNOUNCED, actor=actor, target=locked)
        from .tasks import banner_announce_task  # tasks import the services

        transaction.on_commit(lambda: banner_announce_task.delay(locked.pk), robust=True)
    return locked


def banner_announce_send(*, banner_id: int) -> int:
    """The background half of `banner_announce`: notifies the audience in batches and records how many were told.
    Runs once per announcement (a retry after the count is stored sends nothing)."""
    banner = Banner.objects.filter(pk=banner_id, announced_at__isnull=False, announced_count=0).first()
    if banner is None:
        return 0
    context = {"title": banner.title, "description": banner.description or banner.cta_text or ""}
    sent, last = 0, 0
    audience = announcement_audience(banner)
    while True:
        batch = list(audience.filter(pk__gt=last)[:ANNOUNCE_BATCH])
        if not batch:
            break
        notify_users(users=batch, kind=kinds.ANNOUNCEMENT, link=click_url(banner.pk), context=context)
        sent += len(batch)
        last = batch[-1].pk
    Banner.objects.filter(pk=banner.pk).update(announced_count=sent)
    return sent
