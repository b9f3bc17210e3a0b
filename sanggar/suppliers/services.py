"""Business writes of suppliers. Pages, the API, the checkout hooks and the sweep call these.

Registration → onboarding (type, five profile tabs, documents and photos, assessment) → submission → a mentor's
review (note, request changes, recommend) → an admin's decision (verified / limited / suspended, with a reason);
what the supplier may edit depends on the status (v1.2 "Edit rules"). Beside the review status, the Free / Premium
package: Premium periods (append-only) from paid orders, the trial or an admin; limits from SupplierSettings.
Products with images, catalogue files, categories, likes and views. Members reach a supplier through chat, whose own
rule lets only a premium supplier reply (this app tells chat who is premium, `apps.py`)."""

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sanggar.accounts.constants import PROVINCES
from sanggar.accounts.selectors import users_with_role
from sanggar.accounts.services import role_grant
from sanggar.audit.services import activity_record
from sanggar.catalog.richtext import sanitize_html
from sanggar.chat import services as chat_services
from sanggar.core import request_context
from sanggar.core.exceptions import NotAllowed, NotFound, RateLimited, ServiceError
from sanggar.core.formatting import tanggal
from sanggar.core.ratelimit import window_take
from sanggar.core.roles import Role
from sanggar.core.transactions import service_atomic
from sanggar.directory import services as directory
from sanggar.directory.exporters import ExporterProfile
from sanggar.directory.masking import mask_email, mask_phone, mask_text, mask_url
from sanggar.notifications.services import notify, notify_users

from . import constants as c
from . import hooks, spam, uploads, writers
from .constants import (
    APPROVED_STATUSES,
    FREE_EDIT_STATUSES,
    LISTED_STATUSES,
    WAITING_EDITABLE,
    BusinessField,
    DocumentKind,
    DocumentStatus,
    LegalForm,
    ProductStatus,
    ReviewAction,
    Status,
    SupplierType,
)
from .kinds import KIND
from .models import (
    AssessmentAnswer,
    AssessmentOption,
    AssessmentQuestion,
    DescriptionDraft,
    PremiumPeriod,
    ProductCategory,
    ProductLike,
    ReviewEntry,
    Supplier,
    SupplierDocument,
    SupplierFile,
    SupplierPlan,
    SupplierProduct,
    SupplierSettings,
    SupplierView,
)
from .notifications import CHANGES, DECIDED, PREMIUM_ACTIVE, RECOMMENDED, SUBMITTED

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------------------------
# Helpers


def _fail(field: str, message: str):
    raise ServiceError(message, errors={field: [message]})


def _text(value, *, field: str, label: str, max_length: int, required: bool = False) -> str:
    if value is not None and not isinstance(value, str | int):
        _fail(field, _("%(f)s tidak valid.") % {"f": label})
    text = str(value or "").strip()
    if "\x00" in text:
        _fail(field, _("%(f)s berisi karakter yang tidak diizinkan.") % {"f": label})
    if required and not text:
        _fail(field, _("%(f)s wajib diisi.") % {"f": label})
    if len(text) > max_length:
        _fail(field, _("%(f)s paling banyak %(n)s karakter.") % {"f": label, "n": max_length})
    return text


def _choice(value, choices, *, field: str, label: str, required: bool = False) -> str:
    text = str(value or "").strip()
    if not text:
        if required:
            _fail(field, _("Pilih %(f)s.") % {"f": label.lower()})
        return ""
    if text not in {v for v, _l in choices}:
        _fail(field, _("%(f)s tidak dikenal.") % {"f": label})
    return text


def _int(value, *, field: str, label: str, low: int = 0, high: int = 10**12) -> int | None:
    if value in (None, ""):
        return None
    raw = str(value).strip().replace(".", "").replace(",", "")
    if not raw.isdigit() or len(raw) > 13:
        _fail(field, _("%(f)s harus berupa angka.") % {"f": label})
    number = int(raw)
    if number < low or number > high:
        _fail(field, _("%(f)s harus antara %(a)s dan %(b)s.") % {"f": label, "a": low, "b": high})
    return number


def _rate(*, user, setting: str, ip_setting: str) -> None:
    waits = [window_take(f"user:{user.pk}", setting=setting)]
    ip = request_context.current().ip
    if ip:
        waits.append(window_take(f"ip:{ip}", setting=ip_setting))
    wait = max(waits)
    if wait:
        raise RateLimited(
            _("Terlalu banyak permintaan dalam waktu singkat. Coba lagi dalam %(m)s menit.")
            % {"m": max(1, (wait + 59) // 60)},
            retry_after=wait,
        )


def nib_clean(value) -> str:
    """NIB (Nomor Induk Berusaha, OSS): 13 digits."""
    raw = re.sub(r"[\s.\-]", "", str(value or ""))
    if not raw:
        return ""
    if not raw.isdigit() or len(raw) != 13:
        _fail("nib", _("NIB terdiri dari 13 angka (lihat dokumen NIB dari OSS)."))
    return raw


def npwp_clean(value) -> str:
    """NPWP: 15 digits (format 00.000.000.0-000.000) or 16 digits (the NIK-based NPWP since 2024)."""
    raw = re.sub(r"[\s.\-]", "", str(value or ""))
    if not raw:
        return ""
    if not raw.isdigit() or len(raw) not in (15, 16):
        _fail("npwp", _("NPWP terdiri dari 15 angka (00.000.000.0-000.000) atau 16 angka (NPWP berbasis NIK)."))
    return raw


def hs_clean(value) -> str:
    raw = re.sub(r"[\s.]", "", str(value or ""))
    if not raw:
        return ""
    if not raw.isdigit() or len(raw) not in (4, 6, 8, 10):
        _fail("hs_code", _("Kode HS terdiri dari 4, 6, 8 atau 10 angka, contoh 0904.11 atau 09041110."))
    return raw


def _phone(value) -> str:
    raw = re.sub(r"[\s\-()]", "", str(value or ""))
    if not raw:
        return ""
    if raw.startswith("+62"):
        raw = "0" + raw[3:]
    elif raw.startswith("62"):
        raw = "0" + raw[2:]
    if not raw.isdigit() or not raw.startswith("08") or not 10 <= len(raw) <= 15:
        _fail("whatsapp", _("Nomor WhatsApp tidak valid, contoh 081234567890."))
    return raw


def settings_get() -> SupplierSettings:
    obj, _created = SupplierSettings.objects.get_or_create(pk=1)
    return obj


def is_premium(supplier: Supplier | None, now: datetime | None = None) -> bool:
    return bool(supplier and supplier.premium_until and supplier.premium_until > (now or timezone.now()))


def is_listed(supplier: Supplier | None) -> bool:
    return bool(supplier and supplier.status in LISTED_STATUSES and supplier.user.is_active)


def limits(supplier: Supplier) -> dict:
    """The package limits that apply to this supplier now (0 = unlimited)."""
    s = settings_get()
    if is_premium(supplier):
        return {"products": s.premium_max_products, "images": s.premium_max_images,
                "catalogues": s.premium_max_catalogues, "premium": True}  # fmt: skip
    return {"products": s.free_max_products, "images": s.free_max_images, "catalogues": s.free_max_catalogues,
            "premium": False}  # fmt: skip


def premium_for_user(user) -> bool:
    """Registered with chat: True for a listed supplier (verified or limited, not suspended) whose package lets it
    chat: Premium, or Free when the admins give Free a weekly allowance of active chats (§7a; default 0 = none).
    The allowance itself is charged by `chat_allowance.gate`."""
    if user is None or not getattr(user, "pk", None):
        return False
    supplier = Supplier.objects.filter(user_id=user.pk).only("status", "premium_until").first()
    if not (supplier and supplier.status in LISTED_STATUSES):
        return False
    return is_premium(supplier) or settings_get().free_chats_week > 0


def auto_reply_for_user(user) -> str:
    """Registered with chat: the auto-reply of a premium, listed supplier (empty for a free one or none set). Chat
    posts it as the supplier's first message when a member opens a conversation."""
    if user is None or not getattr(user, "pk", None):
        return ""
    supplier = Supplier.objects.filter(user_id=user.pk).only("status", "premium_until", "chat_auto_reply").first()
    if not (supplier and supplier.status in LISTED_STATUSES and is_premium(supplier)):
        return ""
    return supplier.chat_auto_reply


@service_atomic
def auto_reply_set(*, supplier: Supplier, actor, text) -> Supplier:
    """The supplier's chat auto-reply (Premium, Supplier §5 "Template auto-reply"); empty switches it off."""
    if actor.pk != supplier.user_id and not is_admin(actor):
        raise NotAllowed(_("Anda tidak dapat mengubah supplier ini."))
    if not is_premium(supplier) and not is_admin(actor):
        raise NotAllowed(_("Balasan otomatis chat dibuka dengan Premium Supplier."))
    value = _text(text, field="chat_auto_reply", label=_("Balasan otomatis"), max_length=c.AUTO_REPLY_MAX)
    if value != supplier.chat_auto_reply:
        supplier.chat_auto_reply = value
        supplier.save(update_fields=["chat_auto_reply", "updated_at"])
        _record(c.ACTION_AUTO_REPLY, actor=actor, supplier=supplier, data={"on": bool(value)})
    return supplier


def can_review(user) -> bool:
    return bool(user and user.is_authenticated and user.role_set & {Role.MENTOR, Role.ADMIN})


def is_admin(user) -> bool:
    return bool(user and user.is_authenticated and Role.ADMIN in user.role_set)


def _record(action: str, *, actor, supplier: Supplier, data: dict | None = None) -> None:
    activity_record(action=action, actor=actor, target=supplier, data=data or {})


def _review(supplier, *, actor, action, note="", from_status="", to_status=""):
    ReviewEntry.objects.create(
        supplier=supplier, actor=actor, action=action, note=note, from_status=from_status, to_status=to_status
    )


RESERVED_SLUGS = frozenset({"daftar", "onboarding", "dasbor", "produk", "statistik", "paket", "berkas", "dokumen"})
# (the profile's own sub-paths "hubungi", "kontak", "laporkan" are product slugs never reached: those are POST only)


def _unique_slug(base: str, *, model=Supplier, exclude_pk=None, **scope) -> str:
    root = (slugify(base)[:50] or "supplier").strip("-") or "supplier"
    candidate = root if root not in RESERVED_SLUGS else f"{root}-usaha"
    for _i in range(20):
        qs = model.objects.filter(slug=candidate, **scope)
        if exclude_pk:
            qs = qs.exclude(pk=exclude_pk)
        if not qs.exists():
            return candidate
        candidate = f"{root[:44]}-{secrets.token_hex(2)}"
    return f"{root[:40]}-{secrets.token_hex(4)}"


# ---------------------------------------------------------------------------------------------------------------
# Registration and onboarding


@service_atomic
def supplier_register(*, user) -> Supplier:
    """A signed-in user becomes a supplier: role Supplier, status Draft (they keep their Member role). Idempotent."""
    existing = Supplier.objects.filter(user=user).first()
    if existing is not None:
        return existing
    ip = request_context.current().ip
    if ip and window_take(f"ip:{ip}", setting="SUPPLIER_REGISTER_IP_RATE_LIMIT"):
        raise RateLimited(_("Terlalu banyak pendaftaran dari alamat ini. Coba lagi nanti."), retry_after=3600)
    supplier = Supplier.objects.create(
        user=user,
        slug=_unique_slug(user.full_name or user.email.split("@")[0]),
        province=user.province or "",
        city=user.city or "",
        whatsapp=user.whatsapp or "",
        business_email=user.email,
        pic_name=user.full_name or "",
    )
    role_grant(user=user, role=Role.SUPPLIER, actor=user)
    _record(c.ACTION_REGISTERED, actor=user, supplier=supplier)
    return supplier


def _editable_by_supplier(supplier: Supplier, field: str) -> bool:
    if supplier.status in FREE_EDIT_STATUSES:
        return True
    if supplier.status == Status.WAITING_REVIEW:
        return field in WAITING_EDITABLE
    # approved: allowed and audited; recommended (locked until the admin decides) and suspended: not
    return supplier.status in APPROVED_STATUSES


def edit_rule(supplier: Supplier) -> str:
    """What the profile page says about editing in this status."""
    return {
        Status.DRAFT: _("Profil bebas diubah."),
        Status.ONBOARDING: _("Profil bebas diubah sampai Anda mengirimnya untuk direview."),
        Status.WAITING_REVIEW: _("Sedang direview: hanya kontak perusahaan yang masih bisa diubah."),
        Status.RECOMMENDED: _("Sudah direkomendasikan mentor: profil terkunci sampai admin memutuskan."),
        Status.VERIFIED: _("Perubahan tersimpan dan tercatat di log aktivitas."),
        Status.LIMITED: _("Perubahan tersimpan dan tercatat di log aktivitas."),
        Status.SUSPENDED: _("Akun supplier ditangguhkan: profil tidak bisa diubah. Hubungi tim support."),
    }[supplier.status]


@service_atomic
def supplier_set_type(*, supplier: Supplier, actor, supplier_type: str) -> Supplier:
    """Step 1. The supplier chooses while onboarding; afterwards only an admin changes it."""
    value = _choice(supplier_type, SupplierType.choices, field="supplier_type", label=_("Jenis usaha"), required=True)
    admin = is_admin(actor) and actor.pk != supplier.user_id
    if not admin and supplier.status not in FREE_EDIT_STATUSES:
        raise NotAllowed(_("Jenis usaha hanya dapat diubah oleh admin setelah onboarding dikirim."))
    if not admin and supplier.user_id != actor.pk:
        raise NotAllowed(_("Anda tidak dapat mengubah supplier ini."))
    old = supplier.supplier_type
    supplier.supplier_type = value
    fields = ["supplier_type", "updated_at"]
    if supplier.status == Status.DRAFT:
        supplier.status = Status.ONBOARDING
        fields.append("status")
    supplier.onboarding_step = max(supplier.onboarding_step, 1)
    fields.append("onboarding_step")
    supplier.save(update_fields=fields)
    if admin and old != value:
        _review(supplier, actor=actor, action=ReviewAction.TYPE_CHANGED, note=f"{old or '-'} → {value}")
        _record(c.ACTION_TYPE, actor=actor, supplier=supplier, data={"from": old, "to": value})
    return supplier


TABS = {
    "identitas": {
        "company_name": (_("Nama usaha"), 150, True),
        "legal_form": (_("Bentuk badan usaha"), None, True),
        "business_field": (_("Bidang usaha"), None, True),
        "main_products": (_("Produk utama"), 300, True),
        "year_founded": (_("Tahun berdiri"), None, False),
        "capacity": (_("Kapasitas produksi"), 200, False),
    },
    "alamat": {
        "address": (_("Alamat lengkap"), 300, True),
        "province": (_("Provinsi"), None, True),
        "city": (_("Kota/Kabupaten"), 100, True),
        "district": (_("Kecamatan"), 100, False),
        "postal_code": (_("Kode pos"), None, False),
        "production_address": (_("Alamat lokasi produksi"), 300, False),
    },
    "kontak": {
        "pic_name": (_("Nama PIC"), 120, True),
        "pic_position": (_("Jabatan PIC"), 120, False),
        "whatsapp": (_("WhatsApp"), None, True),
        "business_email": (_("Email bisnis"), None, True),
        "website": (_("Website"), None, False),
        "instagram": (_("Instagram"), 60, False),
        "facebook": (_("Facebook"), 100, False),
    },
    "legalitas": {
        "nib": (_("NIB"), None, False),
        "npwp": (_("NPWP"), None, False),
    },
    "profil": {
        "short_description": (_("Deskripsi singkat"), c.DESCRIPTION_MAX, True),
        "strengths": (_("Keunggulan produk"), c.SHORT_TEXT_MAX, False),
        "unique_value": (_("Nilai unik"), c.SHORT_TEXT_MAX, False),
    },
    # Premium: the English version of the public text (D-DIR-8: written by the supplier, no machine translation)
    "inggris": {
        "main_products_en": (_("Produk utama (English)"), 300, False),
        "short_description_en": (_("Deskripsi singkat (English)"), c.DESCRIPTION_MAX, False),
        "strengths_en": (_("Keunggulan produk (English)"), c.SHORT_TEXT_MAX, False),
        "unique_value_en": (_("Nilai unik (English)"), c.SHORT_TEXT_MAX, False),
    },
}
PREMIUM_TABS = frozenset({"inggris"})
TAB_LABELS = {
    "identitas": _("Identitas Usaha"),
    "alamat": _("Alamat & Lokasi"),
    "kontak": _("Kontak Perusahaan"),
    "legalitas": _("Legalitas"),
    "profil": _("Profil Singkat"),
    "inggris": _("Versi Inggris"),
}


def _clean_field(field: str, value, label, max_length):
    if field == "legal_form":
        return _choice(value, LegalForm.choices, field=field, label=label)
    if field == "business_field":
        return _choice(value, BusinessField.choices, field=field, label=label)
    if field == "province":
        text = str(value or "").strip()
        if text and text not in PROVINCES:
            _fail(field, _("Pilih provinsi dari daftar."))
        return text
    if field == "year_founded":
        return _int(value, field=field, label=label, low=1900, high=timezone.localdate().year)
    if field == "postal_code":
        text = str(value or "").strip()
        if text and (not text.isdigit() or len(text) != 5):
            _fail(field, _("Kode pos terdiri dari 5 angka."))
        return text
    if field == "whatsapp":
        return _phone(value)
    if field == "business_email":
        text = _text(value, field=field, label=label, max_length=254).lower()
        if text and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", text):
            _fail(field, _("Format email tidak valid, contoh: nama@perusahaan.co.id."))
        return text
    if field == "website":
        text = _text(value, field=field, label=label, max_length=200)
        if text and not text.startswith(("http://", "https://")):
            text = "https://" + text
        if text and not re.fullmatch(r"https?://[A-Za-z0-9.\-]+\.[A-Za-z]{2,}(/\S*)?", text):
            _fail(field, _("Alamat website tidak valid, contoh https://perusahaan.co.id."))
        return text
    if field == "nib":
        return nib_clean(value)
    if field == "npwp":
        return npwp_clean(value)
    return _text(value, field=field, label=label, max_length=max_length)


@service_atomic
def profile_update(*, supplier: Supplier, actor, tab: str, data: dict) -> Supplier:
    """Saves one profile tab. Required fields are checked at submission (a tab may be saved half-filled); formats
    are checked now. The status decides which fields the supplier may change; an admin may correct any."""
    if tab not in TABS:
        raise NotFound(_("Bagian profil tidak dikenal."))
    admin = is_admin(actor) and actor.pk != supplier.user_id
    if not admin and actor.pk != supplier.user_id:
        raise NotAllowed(_("Anda tidak dapat mengubah supplier ini."))
    if tab in PREMIUM_TABS and not admin and not is_premium(supplier) and any(data.get(f) for f in TABS[tab]):
        raise NotAllowed(_("Versi bahasa Inggris profil dibuka dengan Premium Supplier."))
    changed = {}
    errors: dict[str, list[str]] = {}
    for field, (label, max_length, _required) in TABS[tab].items():
        if field not in data:
            continue
        try:
            value = _clean_field(field, data[field], label, max_length)
        except ServiceError as exc:
            errors.update(exc.errors)
            continue
        current = getattr(supplier, field)
        if (value or None) == (current or None):
            continue
        if not admin and not _editable_by_supplier(supplier, field):
            errors[field] = [edit_rule(supplier)]
            continue
        changed[field] = value
    if not errors:  # §11 anti-spam on the public profile texts
        try:
            spam.texts_check(
                {f: v for f, v in changed.items() if f in SPAM_PROFILE_FIELDS}, settings_row=settings_get()
            )
        except ServiceError as exc:
            errors.update(exc.errors)
    if errors:
        raise ServiceError(_("Periksa kembali isian yang ditandai."), errors=errors)
    if not changed:
        return supplier
    for field, value in changed.items():
        setattr(supplier, field, value if value is not None else None)
    supplier.save(update_fields=[*changed, "updated_at"])
    if supplier.status not in FREE_EDIT_STATUSES or admin:
        _record(c.ACTION_PROFILE, actor=actor, supplier=supplier, data={"tab": tab, "fields": sorted(changed)})
    return supplier


def exporter_for_user(user):
    """Registered with directory: the exporter block of a new export document from an approved supplier's company
    profile (name, full address, PIC contact, NPWP), or None for a user without one."""
    if user is None or not getattr(user, "pk", None):
        return None
    supplier = Supplier.objects.filter(user_id=user.pk, status__in=APPROVED_STATUSES).first()
    if supplier is None or not supplier.company_name:
        return None
    address = ", ".join(v for v in (supplier.address, supplier.district, supplier.city, supplier.province,
                                    supplier.postal_code, supplier.country) if v)  # fmt: skip
    contact = " · ".join(v for v in (supplier.pic_name, supplier.business_email, supplier.whatsapp) if v)
    return ExporterProfile(name=supplier.company_name, address=address, contact=contact, npwp=supplier.npwp)


ENGLISH_FIELDS = ("main_products", "short_description", "strengths", "unique_value")


def english_text(supplier: Supplier) -> dict | None:
    """The supplier's own English version of the public text (field → text, "" where not written), or None when
    nothing is written."""
    values = {f: getattr(supplier, f"{f}_en") or "" for f in ENGLISH_FIELDS}
    return values if any(values.values()) else None


def public_text(supplier: Supplier, *, language: str) -> dict:
    """The profile text to show in a language: English where the (Premium) supplier wrote it, Indonesian for the
    rest of the fields."""
    english = english_text(supplier) if language == "en" and is_premium(supplier) else None
    return {f: (english or {}).get(f) or getattr(supplier, f) for f in ENGLISH_FIELDS}


def _files_editable(supplier: Supplier, actor) -> None:
    if is_admin(actor) and actor.pk != supplier.user_id:
        return
    if actor.pk != supplier.user_id:
        raise NotAllowed(_("Anda tidak dapat mengubah supplier ini."))
    if supplier.status in (Status.WAITING_REVIEW, Status.RECOMMENDED, Status.SUSPENDED):
        raise NotAllowed(edit_rule(supplier))


@service_atomic
def document_add(*, supplier: Supplier, actor, kind: str, file, number: str = "", valid_until=None):
    """A legal document or certificate (PDF, PNG or JPG; private). NIB and NPWP numbers are checked."""
    _files_editable(supplier, actor)
    kind = _choice(kind, DocumentKind.choices, field="kind", label=_("Jenis dokumen"), required=True)
    number = _text(number, field="number", label=_("Nomor dokumen"), max_length=60)
    if kind == DocumentKind.NIB and number:
        number = nib_clean(number)
    if kind == DocumentKind.NPWP and number:
        number = npwp_clean(number)
    if supplier.documents.count() >= 20:
        _fail("file", _("Paling banyak 20 dokumen. Hapus dokumen lama terlebih dahulu."))
    _rate(user=actor, setting="SUPPLIER_UPLOAD_RATE_LIMIT", ip_setting="SUPPLIER_UPLOAD_IP_RATE_LIMIT")
    extension = uploads.document(file, field="file", extensions=c.DOCUMENT_EXTENSIONS)
    doc = SupplierDocument(
        supplier=supplier, kind=kind, number=number, valid_until=valid_until,
        original_name=uploads.original_name(file), extension=extension, size=file.size or 0,
    )  # fmt: skip
    doc.file.save(f"{secrets.token_hex(16)}.{extension}", file, save=False)
    doc.save()
    if kind == DocumentKind.NIB and number and not supplier.nib:
        Supplier.objects.filter(pk=supplier.pk).update(nib=number)
        supplier.nib = number
    if kind == DocumentKind.NPWP and number and not supplier.npwp:
        Supplier.objects.filter(pk=supplier.pk).update(npwp=number)
        supplier.npwp = number
    _record(c.ACTION_DOCUMENT, actor=actor, supplier=supplier, data={"kind": kind, "op": "added"})
    return doc


@service_atomic
def document_remove(*, document: SupplierDocument, actor) -> None:
    _files_editable(document.supplier, actor)
    if document.status == DocumentStatus.VERIFIED and not is_admin(actor):
        raise NotAllowed(_("Dokumen yang sudah diverifikasi tidak bisa dihapus. Hubungi admin."))
    _record(c.ACTION_DOCUMENT, actor=actor, supplier=document.supplier, data={"kind": document.kind, "op": "removed"})
    name = document.file.name
    storage = document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(name) if name else None)


@service_atomic
def document_review(*, document: SupplierDocument, actor, verified: bool) -> SupplierDocument:
    if not is_admin(actor):
        raise NotAllowed(_("Hanya admin yang memverifikasi legalitas."))
    document.status = DocumentStatus.VERIFIED if verified else DocumentStatus.REJECTED
    document.reviewed_by = actor
    document.reviewed_at = timezone.now()
    document.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    _record(c.ACTION_DOCUMENT, actor=actor, supplier=document.supplier,
            data={"kind": document.kind, "op": document.status})  # fmt: skip
    return document


@service_atomic
def file_add(*, supplier: Supplier, actor, kind: str, file, product: SupplierProduct | None = None, caption=""):
    """A logo or banner (replacing the previous one), a company photo, a product image or a catalogue file, within
    the package's limits."""
    K = SupplierFile.Kind
    if kind not in K.values:
        _fail("file", _("Jenis file tidak dikenal."))
    if kind in (K.PRODUCT_IMAGE, K.CATALOGUE):
        if product is None or product.supplier_id != supplier.pk:
            raise NotFound(_("Produk tidak ditemukan."))
        if actor.pk != supplier.user_id and not is_admin(actor):
            raise NotAllowed(_("Anda tidak dapat mengubah supplier ini."))
        if supplier.status == Status.SUSPENDED:
            raise NotAllowed(edit_rule(supplier))
    else:
        _files_editable(supplier, actor)
        product = None
    caption = _text(caption, field="caption", label=_("Keterangan"), max_length=150)
    spam.texts_check({"caption": caption}, settings_row=settings_get())
    lim = limits(supplier)
    if kind == K.PHOTO and supplier.files.filter(kind=K.PHOTO).count() >= c.MAX_PHOTOS:
        _fail("file", _("Paling banyak %(n)s foto usaha.") % {"n": c.MAX_PHOTOS})
    if kind == K.PRODUCT_IMAGE:
        count = product.files.filter(kind=K.PRODUCT_IMAGE).count()
        if lim["images"] and count >= lim["images"]:
            _fail("file", _("Paket Anda memuat paling banyak %(n)s foto per produk. Buka batas ini dengan Premium "
                            "Supplier.") % {"n": lim["images"]})  # fmt: skip
    if kind == K.CATALOGUE:
        count = product.files.filter(kind=K.CATALOGUE).count()
        if not lim["catalogues"] or count >= lim["catalogues"]:
            _fail("file", _("Katalog PDF/DOC dibuka dengan Premium Supplier.") if not lim["catalogues"]
                  else _("Paling banyak %(n)s file katalog per produk.") % {"n": lim["catalogues"]})  # fmt: skip
    _rate(user=actor, setting="SUPPLIER_UPLOAD_RATE_LIMIT", ip_setting="SUPPLIER_UPLOAD_IP_RATE_LIMIT")
    if kind == K.CATALOGUE:
        extension = uploads.document(file, field="file", extensions=c.CATALOGUE_EXTENSIONS)
    else:
        extension = uploads.image(file, field="file", label=_("Gambar"))
    content_digest = spam.digest(file)
    if kind in (K.PHOTO, K.PRODUCT_IMAGE) and supplier.files.filter(kind=kind, digest=content_digest).exists():
        _fail("file", _("Gambar yang sama sudah Anda unggah. Unggah foto yang berbeda."))  # §11 image spam
    item = SupplierFile(
        supplier=supplier, product=product, kind=kind, caption=caption, original_name=uploads.original_name(file),
        extension=extension, size=getattr(file, "size", 0) or 0, digest=content_digest,
    )  # fmt: skip
    content = file if kind == K.CATALOGUE else uploads.compressed(file, extension)
    if content is not file:
        item.size = content.size
    item.file.save(f"{kind}-{secrets.token_hex(12)}.{extension}", content, save=False)
    item.save()
    if kind in (K.LOGO, K.BANNER):
        old = list(supplier.files.filter(kind=kind).exclude(pk=item.pk))
        for row in old:
            file_remove(item=row, actor=actor)
    return item


@service_atomic
def file_remove(*, item: SupplierFile, actor) -> None:
    if actor.pk != item.supplier.user_id and not is_admin(actor):
        raise NotAllowed(_("Anda tidak dapat mengubah supplier ini."))
    name, storage = item.file.name, item.file.storage
    item.delete()
    transaction.on_commit(lambda: storage.delete(name) if name else None)


def questions_for(supplier_type: str):
    return (
        AssessmentQuestion.objects.filter(Q(supplier_type="") | Q(supplier_type=supplier_type), is_active=True)
        .prefetch_related("options")
        .order_by("order", "id")
    )


@service_atomic
def answers_save(*, supplier: Supplier, actor, answers: dict) -> int:
    """Step 3. `answers` maps question id → option id. Returns how many questions remain unanswered."""
    if actor.pk != supplier.user_id:
        raise NotAllowed(_("Hanya supplier yang mengisi asesmen."))
    if supplier.status not in FREE_EDIT_STATUSES:
        raise NotAllowed(_("Asesmen sudah dikirim dan terkunci."))
    if not supplier.supplier_type:
        raise ServiceError(_("Pilih jenis usaha Anda terlebih dahulu."))
    if not isinstance(answers, dict) or len(answers) > 200:
        raise ServiceError(_("Jawaban tidak valid."))
    questions = {q.pk: q for q in questions_for(supplier.supplier_type)}
    for raw_q, raw_o in answers.items():
        try:
            qid, oid = int(str(raw_q)[:10]), int(str(raw_o)[:10])
        except (TypeError, ValueError):
            raise ServiceError(_("Jawaban tidak valid.")) from None
        question = questions.get(qid)
        if question is None or oid not in {o.pk for o in question.options.all()}:
            raise ServiceError(_("Jawaban tidak sesuai dengan pertanyaan asesmen."))
        AssessmentAnswer.objects.update_or_create(supplier=supplier, question=question, defaults={"option_id": oid})
    answered = set(AssessmentAnswer.objects.filter(supplier=supplier, question_id__in=questions).values_list(
        "question_id", flat=True))  # fmt: skip
    remaining = len(set(questions) - answered)
    if not remaining and supplier.onboarding_step < 3:
        Supplier.objects.filter(pk=supplier.pk).update(onboarding_step=3)
        supplier.onboarding_step = 3
    return remaining


def missing_for_submit(supplier: Supplier) -> list[str]:
    """What still blocks the submission, as Indonesian sentences."""
    missing = []
    if not supplier.supplier_type:
        missing.append(str(_("Pilih jenis usaha (langkah 1).")))
    for tab, fields in TABS.items():
        for field, (label, _max, required) in fields.items():
            if required and not getattr(supplier, field):
                missing.append(str(_("%(tab)s: %(f)s belum diisi.") % {"tab": TAB_LABELS[tab], "f": label}))
    if supplier.supplier_type:
        qids = set(questions_for(supplier.supplier_type).values_list("pk", flat=True))
        answered = set(supplier.answers.values_list("question_id", flat=True))
        if qids - answered:
            missing.append(str(_("Asesmen: %(n)s pertanyaan belum dijawab.") % {"n": len(qids - answered)}))
    return missing


@service_atomic
def supplier_submit(*, supplier: Supplier, actor) -> Supplier:
    if actor.pk != supplier.user_id:
        raise NotAllowed(_("Hanya supplier yang mengirim onboarding."))
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    if supplier.status not in FREE_EDIT_STATUSES:
        raise ServiceError(_("Onboarding sudah dikirim."))
    missing = missing_for_submit(supplier)
    if missing:
        raise ServiceError(_("Lengkapi dulu: %(items)s") % {"items": " ".join(missing)})
    score = sum(a.option.score for a in supplier.answers.select_related("option"))
    old = supplier.status
    supplier.status = Status.WAITING_REVIEW
    supplier.submitted_at = timezone.now()
    supplier.assessment_score = score
    supplier.save(update_fields=["status", "submitted_at", "assessment_score", "updated_at"])
    _review(supplier, actor=actor, action=ReviewAction.SUBMITTED, from_status=old, to_status=supplier.status)
    _record(c.ACTION_SUBMITTED, actor=actor, supplier=supplier)
    mentors = list(users_with_role(role=Role.MENTOR)[:200])
    link = reverse("suppliers:mentor_review", args=[supplier.pk])
    notify_users(users=mentors, kind=SUBMITTED, link=link, context={"company": supplier.company_name})
    return supplier


# ---------------------------------------------------------------------------------------------------------------
# Review


@service_atomic
def mentor_note(*, supplier: Supplier, actor, note: str) -> ReviewEntry:
    if not can_review(actor):
        raise NotAllowed(_("Hanya mentor dan admin yang mereview supplier."))
    note = _text(note, field="note", label=_("Catatan"), max_length=c.NOTE_MAX, required=True)
    entry = ReviewEntry.objects.create(supplier=supplier, actor=actor, action=ReviewAction.NOTE, note=note)
    _record(c.ACTION_REVIEWED, actor=actor, supplier=supplier)
    return entry


@service_atomic
def mentor_request_changes(*, supplier: Supplier, actor, note: str) -> Supplier:
    """Sends the supplier back to onboarding with the mentor's note (the profile opens again)."""
    if not can_review(actor):
        raise NotAllowed(_("Hanya mentor dan admin yang mereview supplier."))
    note = _text(note, field="note", label=_("Catatan perbaikan"), max_length=c.NOTE_MAX, required=True)
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    if supplier.status != Status.WAITING_REVIEW:
        raise ServiceError(_("Hanya supplier yang menunggu review yang bisa diminta perbaikan."))
    supplier.status = Status.ONBOARDING
    supplier.save(update_fields=["status", "updated_at"])
    _review(supplier, actor=actor, action=ReviewAction.CHANGES, note=note, from_status=Status.WAITING_REVIEW,
            to_status=Status.ONBOARDING)  # fmt: skip
    _record(c.ACTION_REVIEWED, actor=actor, supplier=supplier, data={"changes": True})
    user, link = supplier.user, reverse("suppliers:onboarding")
    notify(user=user, kind=CHANGES, link=link, context={"company": supplier.company_name, "note": note[:300]})
    return supplier


@service_atomic
def mentor_recommend(*, supplier: Supplier, actor, note: str) -> Supplier:
    """ "Verifikasi & Rekomendasikan": the profile locks and the admins decide."""
    if not can_review(actor):
        raise NotAllowed(_("Hanya mentor dan admin yang mereview supplier."))
    note = _text(note, field="note", label=_("Catatan rekomendasi"), max_length=c.NOTE_MAX, required=True)
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    if supplier.status != Status.WAITING_REVIEW:
        raise ServiceError(_("Supplier ini tidak sedang menunggu review."))
    supplier.status = Status.RECOMMENDED
    supplier.recommended_at = timezone.now()
    supplier.recommended_by = actor
    supplier.save(update_fields=["status", "recommended_at", "recommended_by", "updated_at"])
    _review(supplier, actor=actor, action=ReviewAction.RECOMMENDED, note=note, from_status=Status.WAITING_REVIEW,
            to_status=Status.RECOMMENDED)  # fmt: skip
    _record(c.ACTION_RECOMMENDED, actor=actor, supplier=supplier)
    admins = list(users_with_role(role=Role.ADMIN)[:50])
    link = reverse("suppliers:admin_detail", args=[supplier.pk])
    ctx = {"company": supplier.company_name, "mentor": actor.full_name or actor.email}
    notify_users(users=admins, kind=RECOMMENDED, link=link, context=ctx)
    return supplier


DECISIONS = (Status.VERIFIED, Status.LIMITED, Status.SUSPENDED)


@service_atomic
def admin_decide(*, supplier: Supplier, actor, status: str, reason: str) -> Supplier:
    """The final status after a mentor's recommendation (and later changes: suspend, reinstate)."""
    if not is_admin(actor):
        raise NotAllowed(_("Hanya admin yang menetapkan status supplier."))
    if status not in DECISIONS:
        _fail("status", _("Pilih Terverifikasi, Terbatas atau Ditangguhkan."))
    reason = _text(reason, field="reason", label=_("Alasan"), max_length=c.NOTE_MAX, required=True)
    supplier = Supplier.objects.select_for_update().select_related("user").get(pk=supplier.pk)
    if supplier.status not in (Status.RECOMMENDED, *DECISIONS):
        raise ServiceError(_("Supplier harus direview dan direkomendasikan mentor terlebih dahulu."))
    old = supplier.status
    supplier.status = status
    supplier.decided_at = timezone.now()
    supplier.decided_by = actor
    supplier.decision_reason = reason
    supplier.save(update_fields=["status", "decided_at", "decided_by", "decision_reason", "updated_at"])
    _review(supplier, actor=actor, action=ReviewAction.DECIDED, note=reason, from_status=old, to_status=status)
    _record(c.ACTION_DECIDED, actor=actor, supplier=supplier, data={"from": old, "to": status})
    user, label = supplier.user, str(Status(status).label)
    ctx = {"company": supplier.company_name, "status": label, "reason": reason[:300]}
    notify(user=user, kind=DECIDED, link=reverse("suppliers:home"), context=ctx)
    return supplier


@service_atomic
def question_create(*, actor, supplier_type: str, text: str, options: list[tuple[str, int]], order=0):
    """Mentors and admins add assessment questions (ABC or range answers, each with a hidden score)."""
    if not can_review(actor):
        raise NotAllowed(_("Hanya mentor dan admin yang menyusun asesmen."))
    supplier_type = _choice(supplier_type, SupplierType.choices, field="supplier_type", label=_("Jenis usaha"))
    text = _text(text, field="text", label=_("Pertanyaan"), max_length=300, required=True)
    cleaned = []
    for label, score in options or []:
        label = _text(label, field="options", label=_("Pilihan jawaban"), max_length=200)
        if label:
            cleaned.append((label, _int(score, field="options", label=_("Skor"), high=100) or 0))
    if not 2 <= len(cleaned) <= 6:
        _fail("options", _("Isi 2 sampai 6 pilihan jawaban."))
    _rate(user=actor, setting="SUPPLIER_QUESTION_RATE_LIMIT", ip_setting="SUPPLIER_QUESTION_IP_RATE_LIMIT")
    question = AssessmentQuestion.objects.create(
        supplier_type=supplier_type, text=text, created_by=actor,
        order=_int(order, field="order", label=_("Urutan"), high=999) or 0,
    )  # fmt: skip
    AssessmentOption.objects.bulk_create(
        [
            AssessmentOption(question=question, label=label, score=score, order=i)
            for i, (label, score) in enumerate(cleaned)
        ]  # fmt: skip
    )
    activity_record(action=c.ACTION_QUESTION, actor=actor, target=question, data={"op": "created"})
    return question


@service_atomic
def question_toggle(*, question: AssessmentQuestion, actor) -> AssessmentQuestion:
    if not can_review(actor):
        raise NotAllowed(_("Hanya mentor dan admin yang menyusun asesmen."))
    question.is_active = not question.is_active
    question.save(update_fields=["is_active"])
    activity_record(action=c.ACTION_QUESTION, actor=actor, target=question, data={"active": question.is_active})
    return question


# ---------------------------------------------------------------------------------------------------------------
# Products


def _product_editable(supplier: Supplier, actor) -> None:
    if actor.pk != supplier.user_id and not is_admin(actor):
        raise NotAllowed(_("Anda tidak dapat mengubah supplier ini."))
    if supplier.status not in APPROVED_STATUSES and not is_admin(actor):
        raise NotAllowed(_("Produk bisa ditambahkan setelah supplier disetujui admin."))


def _internal_link(value) -> str:
    text = _text(value, field="link_url", label=_("Tautan"), max_length=200)
    if text and (not text.startswith("/") or text.startswith("//") or "\\" in text or " " in text):
        _fail("link_url", _("Tautan harus halaman grup, kelas atau event di situs ini, contoh /kelas/dasar-ekspor."))
    return text


SPAM_PRODUCT_FIELDS = ("title", "description", "title_en", "description_en")
SPAM_PROFILE_FIELDS = frozenset({"main_products", "short_description", "strengths", "unique_value", "main_products_en",
                                 "short_description_en", "strengths_en", "unique_value_en"})  # fmt: skip


@service_atomic
def product_save(*, supplier: Supplier, actor, product: SupplierProduct | None = None, data: dict) -> SupplierProduct:
    _product_editable(supplier, actor)
    lim = limits(supplier)
    if product is None:
        if lim["products"] and supplier.products.count() >= lim["products"]:
            _fail("title", _("Paket Anda memuat paling banyak %(n)s produk. Tambah produk tanpa batas dengan Premium "
                             "Supplier.") % {"n": lim["products"]})  # fmt: skip
        _rate(user=actor, setting="SUPPLIER_PRODUCT_RATE_LIMIT", ip_setting="SUPPLIER_PRODUCT_IP_RATE_LIMIT")
    elif product.supplier_id != supplier.pk:
        raise NotFound(_("Produk tidak ditemukan."))
    errors: dict[str, list[str]] = {}
    values = {}

    def take(field, fn):
        try:
            values[field] = fn()
        except ServiceError as exc:
            errors.update(exc.errors or {field: [exc.message]})

    take("title", lambda: _text(data.get("title"), field="title", label=_("Nama produk"),
                                max_length=c.PRODUCT_TITLE_MAX, required=True))  # fmt: skip

    def description():
        raw = data.get("description") or ""
        if not isinstance(raw, str) or len(raw) > c.PRODUCT_DESCRIPTION_MAX or "\x00" in raw:
            _fail("description", _("Deskripsi paling banyak %(n)s karakter.") % {"n": c.PRODUCT_DESCRIPTION_MAX})
        return sanitize_html(raw)

    take("description", description)
    take("hs_code", lambda: hs_clean(data.get("hs_code")))
    take("moq", lambda: _int(data.get("moq"), field="moq", label=_("MOQ"), low=1, high=10**9))
    take("moq_unit", lambda: _text(data.get("moq_unit"), field="moq_unit", label=_("Satuan MOQ"), max_length=20))
    take("price_min", lambda: _int(data.get("price_min"), field="price_min", label=_("Harga terendah"), high=10**12))
    take("price_max", lambda: _int(data.get("price_max"), field="price_max", label=_("Harga tertinggi"), high=10**12))
    take("price_unit", lambda: _text(data.get("price_unit"), field="price_unit", label=_("Satuan harga"),
                                     max_length=20))  # fmt: skip
    take("capacity", lambda: _text(data.get("capacity"), field="capacity", label=_("Kapasitas"), max_length=120))
    take("status", lambda: _choice(data.get("status") or ProductStatus.DRAFT, ProductStatus.choices, field="status",
                                   label=_("Status")))  # fmt: skip
    premium_fields = {"title_en": data.get("title_en"), "description_en": data.get("description_en"),
                      "link_url": data.get("link_url")}  # fmt: skip
    if lim["premium"]:
        take("title_en", lambda: _text(premium_fields["title_en"], field="title_en", label=_("Nama (English)"),
                                       max_length=c.PRODUCT_TITLE_MAX))  # fmt: skip

        def description_en():
            raw = premium_fields["description_en"] or ""
            if not isinstance(raw, str) or len(raw) > c.PRODUCT_DESCRIPTION_MAX or "\x00" in raw:
                _fail("description_en", _("Deskripsi paling banyak %(n)s karakter.") % {"n": c.PRODUCT_DESCRIPTION_MAX})
            return sanitize_html(raw)

        take("description_en", description_en)
        take("link_url", lambda: _internal_link(premium_fields["link_url"]))
    elif any(premium_fields.values()) and (product is None or any(
            premium_fields[f] != getattr(product, f) for f in premium_fields if premium_fields[f])):  # fmt: skip
        errors["title_en"] = [_("Teks bahasa Inggris dan tautan ke grup/kelas/event dibuka dengan Premium Supplier.")]
    categories = data.get("categories") or []
    if not isinstance(categories, list | tuple) or len(categories) > 5:
        errors["categories"] = [_("Pilih paling banyak 5 kategori.")]
        categories = []
    valid = {v for v, _l in BusinessField.choices}
    if any(str(code) not in valid for code in categories):
        errors["categories"] = [_("Kategori tidak dikenal.")]
    pmin, pmax = values.get("price_min"), values.get("price_max")
    if pmin is not None and pmax is not None and pmax < pmin:
        errors["price_max"] = [_("Harga tertinggi tidak boleh lebih kecil dari harga terendah.")]
    if not errors:  # §11 anti-spam on the uploaded text
        try:
            spam.texts_check({f: values.get(f) for f in SPAM_PRODUCT_FIELDS}, settings_row=settings_get())
        except ServiceError as exc:
            errors.update(exc.errors)
    if errors:
        raise ServiceError(_("Periksa kembali isian yang ditandai."), errors=errors)
    is_new = product is None
    if is_new:
        product = SupplierProduct(supplier=supplier)
        product.slug = _unique_slug(values["title"], model=SupplierProduct, supplier=supplier)
    for field, value in values.items():
        setattr(product, field, value if value is not None else (None if field in ("moq", "price_min", "price_max")
                                                                 else ""))  # fmt: skip
    product.save()
    ProductCategory.objects.filter(product=product).exclude(code__in=categories).delete()
    existing = set(ProductCategory.objects.filter(product=product).values_list("code", flat=True))
    ProductCategory.objects.bulk_create(
        [ProductCategory(product=product, code=str(code)) for code in dict.fromkeys(categories) if code not in existing]
    )
    activity_record(action=c.ACTION_PRODUCT, actor=actor, target=product,
                    data={"op": "created" if is_new else "updated", "status": product.status})  # fmt: skip
    return product


@dataclass(frozen=True)
class Draft:
    text: str  # sanitised HTML for the description field
    writer: str  # "template" | "http" | ...
    writer_label: str
    fallback: bool  # the configured writer failed; the template wrote this one
    used: int  # drafts this month, this one included
    limit: int


def _month() -> str:
    return timezone.localdate().strftime("%Y-%m")


def drafts_allowance(supplier: Supplier) -> tuple[int, int]:
    """(drafts used this month in WIB, the package's monthly allowance; 0 = not available)."""
    s = settings_get()
    limit = s.premium_drafts_month if is_premium(supplier) else s.free_drafts_month
    return DescriptionDraft.objects.filter(supplier=supplier, month=_month()).count(), limit


@service_atomic
def description_draft(*, supplier: Supplier, actor, data: dict, language: str = "id",
                      product: SupplierProduct | None = None) -> Draft:  # fmt: skip
    """A first draft of a product description from the facts the supplier entered (Supplier §7c, §10: one draft =
    one unit of the package's monthly allowance). The configured writer writes it (`writers.py`); when that fails
    the local template does. Nothing is saved on the product: the draft fills the form and the supplier edits it."""
    _product_editable(supplier, actor)
    if product is not None and product.supplier_id != supplier.pk:
        raise NotFound(_("Produk tidak ditemukan."))
    conf = settings_get()
    if not conf.drafts_enabled:
        raise NotAllowed(_("Pembuat draf deskripsi sedang dinonaktifkan admin."))
    if language not in ("id", "en"):
        _fail("language", _("Bahasa draf tidak dikenal."))
    if language == "en" and not is_premium(supplier) and not is_admin(actor):
        raise NotAllowed(_("Draf bahasa Inggris dibuka dengan Premium Supplier."))
    errors: dict[str, list[str]] = {}
    values = {}
    for field, fn in (
        ("title", lambda: _text(data.get("title"), field="title", label=_("Nama produk"),
                                max_length=c.PRODUCT_TITLE_MAX, required=True)),
        ("hs_code", lambda: hs_clean(data.get("hs_code"))),
        ("moq", lambda: _int(data.get("moq"), field="moq", label=_("MOQ"), low=1, high=10**9)),
        ("moq_unit", lambda: _text(data.get("moq_unit"), field="moq_unit", label=_("Satuan MOQ"), max_length=20)),
        ("price_min", lambda: _int(data.get("price_min"), field="price_min", label=_("Harga terendah"), high=10**12)),
        ("price_max", lambda: _int(data.get("price_max"), field="price_max", label=_("Harga tertinggi"), high=10**12)),
        ("price_unit", lambda: _text(data.get("price_unit"), field="price_unit", label=_("Satuan harga"),
                                     max_length=20)),
        ("capacity", lambda: _text(data.get("capacity"), field="capacity", label=_("Kapasitas"), max_length=120)),
    ):  # fmt: skip
        try:
            values[field] = fn()
        except ServiceError as exc:
            errors.update(exc.errors or {field: [exc.message]})
    if errors:
        raise ServiceError(_("Lengkapi dulu nama produk dan perbaiki isian yang ditandai."), errors=errors)
    raw_categories = data.get("categories") or []
    labels = dict(BusinessField.choices)
    categories = tuple(
        str(labels[code]) for code in dict.fromkeys(map(str, raw_categories if isinstance(raw_categories, list | tuple)
                                                        else []))
        if code in labels
    )[:5]  # fmt: skip
    verified = supplier.documents.filter(status=DocumentStatus.VERIFIED).values_list("kind", flat=True)
    certificates = tuple(str(DocumentKind(kind).label) for kind in dict.fromkeys(verified))
    facts = writers.ProductFacts(
        **values, language=language, categories=categories, certificates=certificates,
        company=supplier.company_name, city=supplier.city, province=supplier.province,
        supplier_type=str(SupplierType(supplier.supplier_type).label) if supplier.supplier_type else "",
    )  # fmt: skip
    _rate(user=actor, setting="SUPPLIER_DRAFT_RATE_LIMIT", ip_setting="SUPPLIER_DRAFT_IP_RATE_LIMIT")
    Supplier.objects.select_for_update().filter(pk=supplier.pk).values_list("pk", flat=True).first()
    used, limit = drafts_allowance(supplier)
    if not limit:
        raise NotAllowed(_("Draf deskripsi otomatis belum termasuk paket Anda. Buka dengan Premium Supplier."))
    if used >= limit:
        raise NotAllowed(_("Jatah draf deskripsi bulan ini sudah habis (%(used)s dari %(limit)s). Jatah terisi lagi "
                           "tanggal 1 bulan depan.") % {"used": used, "limit": limit})  # fmt: skip
    writer, fallback = writers.writer_active(), False
    try:
        text = writer.write(facts)
    except writers.WriterError as exc:
        logger.warning("description writer %s failed: %s; the template wrote the draft", writer.key, exc)
        writer, fallback = writers.TemplateWriter(), True
        text = writer.write(facts)
    DescriptionDraft.objects.create(supplier=supplier, product=product, actor=actor, writer=writer.key,
                                    language=language, month=_month())  # fmt: skip
    _record(c.ACTION_DRAFT, actor=actor, supplier=supplier,
            data={"writer": writer.key, "language": language, "fallback": fallback})  # fmt: skip
    return Draft(text=sanitize_html(text), writer=writer.key, writer_label=str(writer.label), fallback=fallback,
                 used=used + 1, limit=limit)  # fmt: skip


@service_atomic
def product_delete(*, product: SupplierProduct, actor) -> None:
    supplier = product.supplier
    if actor.pk != supplier.user_id and not is_admin(actor):
        raise NotAllowed(_("Anda tidak dapat mengubah supplier ini."))
    activity_record(action=c.ACTION_PRODUCT, actor=actor, target=product, data={"op": "deleted"})
    files = [(f.file.storage, f.file.name) for f in product.files.all()]
    product.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files if name])


def product_like_toggle(*, product: SupplierProduct, user) -> bool:
    """Likes or unlikes; returns whether the user likes it now."""
    if not product.status == ProductStatus.ACTIVE or not is_listed(product.supplier):
        raise NotFound(_("Produk tidak ditemukan."))
    with transaction.atomic():
        deleted, _rows = ProductLike.objects.filter(product=product, user=user).delete()
        if deleted:
            SupplierProduct.objects.filter(pk=product.pk, likes_count__gt=0).update(likes_count=F("likes_count") - 1)
            return False
        try:
            with transaction.atomic():
                ProductLike.objects.create(product=product, user=user)
        except IntegrityError:
            return True
        SupplierProduct.objects.filter(pk=product.pk).update(likes_count=F("likes_count") + 1)
        return True


def view_record(*, supplier: Supplier, viewer, product: SupplierProduct | None = None, ip: str | None = None) -> bool:
    """Counts one view per viewer, page and day (the supplier's own views are not counted)."""
    if viewer is not None and viewer.is_authenticated:
        if viewer.pk == supplier.user_id:
            return False
        key = f"u{viewer.pk}"
    elif ip:
        key = "ip" + hashlib.sha256(ip.encode()).hexdigest()[:30]
    else:
        return False
    try:
        with transaction.atomic():
            SupplierView.objects.create(
                supplier=supplier, product_id=product.pk if product else 0, viewer_key=key, day=timezone.localdate()
            )
    except IntegrityError:
        return False
    if product is not None:
        SupplierProduct.objects.filter(pk=product.pk).update(views_count=F("views_count") + 1)
    else:
        Supplier.objects.filter(pk=supplier.pk).update(views_count=F("views_count") + 1)
    return True


def contact(*, supplier: Supplier, member, product=None):
    """ "Hubungi Supplier": opens (or reopens) the chat. Chat's rule decides: only a premium supplier receives;
    a refused attempt is counted by chat and reminds the free supplier to upgrade. Raises NotAllowed with the
    member's message. The conversation records what the member asks about (`product`, one of the supplier's active
    products, or the supplier itself), shown in its header and as the API's `context`."""
    if not is_listed(supplier):
        raise NotFound(_("Supplier tidak ditemukan."))
    if member.pk == supplier.user_id:
        raise NotAllowed(_("Ini profil supplier Anda sendiri."))
    if product is not None:
        if product.supplier_id != supplier.pk or product.status != ProductStatus.ACTIVE:
            raise NotFound(_("Produk tidak ditemukan."))
        context = chat_services.Context(
            kind="supplier_product",
            object_id=product.pk,
            label=_("Produk: %(t)s") % {"t": product.title},
            url=reverse("suppliers:product", args=[supplier.slug, product.slug]),
        )
    else:
        context = chat_services.Context(
            kind="supplier",
            object_id=supplier.pk,
            label=_("Supplier: %(n)s") % {"n": supplier.company_name or supplier.user.full_name},
            url=reverse("suppliers:profile", args=[supplier.slug]),
        )
    try:
        conversation, _created = chat_services.conversation_open(user=member, other=supplier.user, context=context)
    except NotAllowed:
        raise  # chat counted a refused attempt: the reminders engine's "refused chat" trigger reads it
    return conversation


# ---------------------------------------------------------------------------------------------------------------
# Packages


@service_atomic
def settings_update(*, actor, **values) -> SupplierSettings:
    if not is_admin(actor):
        raise NotAllowed(_("Hanya admin yang mengatur paket supplier."))
    obj = settings_get()
    labels = {"free_max_products": _("Produk (Free)"), "free_max_images": _("Foto per produk (Free)"),
              "free_max_catalogues": _("File katalog (Free)"), "premium_max_products": _("Produk (Premium)"),
              "premium_max_images": _("Foto per produk (Premium)"),
              "premium_max_catalogues": _("File katalog (Premium)"), "trial_days": _("Hari uji coba"),
              "free_drafts_month": _("Draf deskripsi per bulan (Free)"),
              "premium_drafts_month": _("Draf deskripsi per bulan (Premium)"),
              "free_chats_week": _("Chat aktif per minggu (Free)"),
              "premium_chats_week": _("Chat aktif per minggu (Premium)"),
              "promo_percent": _("Diskon kupon promo (%)"), "promo_days": _("Masa berlaku kupon promo (hari)"),
              "spam_max_links": _("Tautan per teks")}  # fmt: skip
    errors = {}
    changed = {}
    for field, label in labels.items():
        if field not in values:
            continue
        try:
            number = _int(values[field], field=field, label=label, high=1000)
        except ServiceError as exc:
            errors.update(exc.errors)
            continue
        if number is None:
            errors[field] = [_("Wajib diisi.")]
            continue
        changed[field] = number
    if errors:
        raise ServiceError(_("Periksa kembali isian yang ditandai."), errors=errors)
    if changed.get("promo_percent") is not None and not 1 <= changed["promo_percent"] <= 100:
        errors["promo_percent"] = [_("Isi 1–100.")]
    if changed.get("promo_days") is not None and not 1 <= changed["promo_days"] <= 365:
        errors["promo_days"] = [_("Isi 1–365 hari.")]
    steps = None
    if values.get("reminder_steps") is not None:
        try:
            steps = reminder_steps_clean(values["reminder_steps"])
        except ServiceError as exc:
            errors.update(exc.errors)
    if "spam_words" in values:
        try:
            changed["spam_words"] = spam.words_clean(values["spam_words"])
        except ServiceError as exc:
            errors.update(exc.errors)
    if errors:
        raise ServiceError(_("Periksa kembali isian yang ditandai."), errors=errors)
    if changed.get("free_max_products") == 0:
        raise ServiceError(_("Supplier Free minimal boleh 1 produk."), errors={"free_max_products": [_("Minimal 1.")]})
    for switch in ("drafts_enabled", "promo_enabled"):
        if switch in values:
            changed[switch] = bool(values[switch])
    for field, value in changed.items():
        setattr(obj, field, value)
    obj.updated_by = actor
    obj.save()
    activity_record(action=c.ACTION_SETTINGS, actor=actor, target=obj, data=dict(changed))
    enabled = values.get("reminders_enabled")
    if enabled is not None or steps is not None:  # the engine's supplier sequences (reminders' audited services)
        hooks.reminder_settings_write(actor=actor, enabled=None if enabled is None else bool(enabled), steps=steps)
    return obj


def reminder_steps_clean(value) -> dict[str, dict]:
    """An admin's change to the upgrade step table of the API (`reminder_steps`), each step named over its current
    row (read from the reminder engine's supplier sequences): every key a known upgrade step, "days" 1–365 for the
    timed steps and 0–365 (the pause between two reminders, 0 = once) for "refused chat"; the days of "approved" /
    "first product" are ignored (always 0)."""
    if not isinstance(value, dict) or len(value) > len(c.UPGRADE_REMINDERS):
        _fail("reminder_steps", _("Format jadwal pengingat tidak valid."))
    current = hooks.reminder_settings_read()["reminder_steps"]
    steps = {}  # only the steps named change; each over its current row
    errors = {}
    for key, row in value.items():
        key = str(key)[:30]
        if key not in current or not isinstance(row, dict):
            errors[f"step_{key}"] = [_("Langkah pengingat tidak dikenal.")]
            continue
        steps[key] = dict(current[key])
        if "on" in row:
            steps[key]["on"] = bool(row["on"]) and row["on"] not in ("0", "false", "off")
        if "days" in row and key not in (c.ReminderKind.APPROVED, c.ReminderKind.FIRST_PRODUCT):
            low = 1 if key in c.TIMED_REMINDERS else 0
            try:
                days = _int(row["days"], field=f"step_{key}", label=_("Hari"), low=low, high=365)
            except ServiceError as exc:
                errors.update(exc.errors)
                continue
            if days is None:
                errors[f"step_{key}"] = [_("Wajib diisi.")]
                continue
            steps[key]["days"] = days
    if errors:
        raise ServiceError(_("Periksa kembali jadwal pengingat."), errors=errors)
    return steps


@service_atomic
def plan_save(*, actor, plan: SupplierPlan | None = None, name, duration_days, price, commission_percent=0,
              is_active=True) -> SupplierPlan:  # fmt: skip
    if not is_admin(actor):
        raise NotAllowed(_("Hanya admin yang mengatur paket supplier."))
    name = _text(name, field="name", label=_("Nama paket"), max_length=100, required=True)
    days = _int(duration_days, field="duration_days", label=_("Durasi (hari)"), low=1, high=3660)
    amount = _int(price, field="price", label=_("Harga"), low=0, high=10**10)
    commission = _int(commission_percent, field="commission_percent", label=_("Komisi affiliate"), high=100) or 0
    if days is None or amount is None:
        raise ServiceError(_("Durasi dan harga wajib diisi."))
    if plan is None:
        plan = SupplierPlan(slug=_unique_slug(name, model=SupplierPlan))
    plan.name, plan.duration_days, plan.price = name, days, amount
    plan.commission_percent, plan.is_active = commission, bool(is_active)
    plan.save()
    activity_record(action=c.ACTION_SETTINGS, actor=actor, target=plan, data={"plan": plan.slug, "price": amount})
    return plan


def plan_for_sale(*, slug: str) -> SupplierPlan:
    plan = SupplierPlan.objects.filter(slug=str(slug)[:60], is_active=True).first()
    if plan is None:
        raise NotFound(_("Paket Supplier Premium tidak ditemukan."))
    return plan


def _recompute_premium(supplier: Supplier) -> None:
    until = supplier.premium_periods.filter(revoked_at__isnull=True).aggregate(m=Max("ends_at"))["m"]
    supplier.premium_until = until
    supplier.package = c.Package.PREMIUM if until and until > timezone.now() else c.Package.FREE
    supplier.save(update_fields=["premium_until", "package", "updated_at"])


@service_atomic
def premium_extend(*, supplier: Supplier, days: int, source: str, plan=None, invoice: str = "", actor=None,
                   now: datetime | None = None) -> PremiumPeriod:  # fmt: skip
    """Adds a Premium period after the current one (or from now)."""
    now = now or timezone.now()
    supplier = Supplier.objects.select_for_update().select_related("user").get(pk=supplier.pk)
    start = max(now, supplier.premium_until or now)
    period = PremiumPeriod.objects.create(
        supplier=supplier, source=source, plan=plan, invoice=invoice, starts_at=start,
        ends_at=start + timedelta(days=days),
    )  # fmt: skip
    _recompute_premium(supplier)
    _record(c.ACTION_PREMIUM, actor=actor, supplier=supplier,
            data={"source": source, "days": days, "invoice": invoice, "until": period.ends_at.isoformat()})  # fmt: skip
    user, ctx = supplier.user, {"company": supplier.company_name, "until": tanggal(period.ends_at)}
    notify(user=user, kind=PREMIUM_ACTIVE, link=reverse("suppliers:home"), context=ctx)
    return period


@service_atomic
def premium_revoke_invoice(*, invoice: str) -> int:
    """A refunded order: its periods are revoked (the rows stay)."""
    periods = list(PremiumPeriod.objects.filter(invoice=invoice, revoked_at__isnull=True).select_related("supplier"))
    for period in periods:
        period.revoked_at = timezone.now()
        period.save(update_fields=["revoked_at"])
        _recompute_premium(period.supplier)
        _record(c.ACTION_PREMIUM, actor=None, supplier=period.supplier, data={"revoked": invoice})
    return len(periods)


def premium_purchasable(*, user) -> Supplier:
    supplier = Supplier.objects.filter(user=user).first()
    if supplier is None:
        raise NotAllowed(_("Daftar sebagai supplier terlebih dahulu."))
    if supplier.status not in APPROVED_STATUSES:
        raise NotAllowed(_("Premium bisa dibeli setelah supplier disetujui admin."))
    return supplier


@service_atomic
def trial_start(*, supplier: Supplier, actor) -> PremiumPeriod:
    days = settings_get().trial_days
    if actor.pk != supplier.user_id:
        raise NotAllowed(_("Hanya supplier yang bisa memulai uji coba."))
    if not days:
        raise NotAllowed(_("Uji coba Premium sedang tidak tersedia."))
    if supplier.status not in APPROVED_STATUSES:
        raise NotAllowed(_("Uji coba bisa dimulai setelah supplier disetujui admin."))
    locked = Supplier.objects.select_for_update().get(pk=supplier.pk)
    if locked.trial_used or locked.premium_periods.exists():
        raise NotAllowed(_("Uji coba hanya untuk supplier yang belum pernah Premium."))
    Supplier.objects.filter(pk=supplier.pk).update(trial_used=True)
    return premium_extend(supplier=locked, days=days, source=PremiumPeriod.Source.TRIAL, actor=actor)


# ---------------------------------------------------------------------------------------------------------------
# Reminders: the upgrade and Premium-ending reminders are sequences of the one reminder engine (sanggar/reminders,
# supplier_triggers.py): it reads approvals, first products and chat's refusals itself, and the promo coupon after
# the third reminder comes from `promo.promo_for` through its `{promo}` step action.


@service_atomic
def slug_change(*, supplier: Supplier, actor, slug: str) -> Supplier:
    """The custom profile URL (`/supplier/<slug>`), a Premium feature."""
    if actor.pk != supplier.user_id and not is_admin(actor):
        raise NotAllowed(_("Anda tidak dapat mengubah supplier ini."))
    if not is_premium(supplier) and not is_admin(actor):
        raise NotAllowed(_("URL profil khusus dibuka dengan Premium Supplier."))
    value = str(slug or "").strip().lower()
    if not re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{1,48}[a-z0-9])", value) or "--" in value:
        _fail("slug", _("Gunakan 3–50 huruf kecil, angka atau tanda hubung, contoh: rempah-nusantara."))
    if value in RESERVED_SLUGS or Supplier.objects.filter(slug=value).exclude(pk=supplier.pk).exists():
        _fail("slug", _("URL ini sudah dipakai. Pilih yang lain."))
    old = supplier.slug
    supplier.slug = value
    supplier.save(update_fields=["slug", "updated_at"])
    _record(c.ACTION_PROFILE, actor=actor, supplier=supplier, data={"slug": [old, value]})
    return supplier


# ---------------------------------------------------------------------------------------------------------------
# Company contact through the shared directory quota


CONTACT_FIELDS = ("pic_name", "pic_position", "whatsapp", "business_email", "website", "address")


def _contact(supplier: Supplier, *, masked: bool) -> dict:
    values = {f: getattr(supplier, f) or "" for f in CONTACT_FIELDS}
    if not masked:
        return {**values, "masked": False}
    return {
        "pic_name": mask_text(values["pic_name"]), "pic_position": values["pic_position"],
        "whatsapp": mask_phone(values["whatsapp"]), "business_email": mask_email(values["business_email"]),
        "website": mask_url(values["website"]), "address": mask_text(values["address"]), "masked": True,
    }  # fmt: skip


def contact_view(*, supplier: Supplier, user) -> dict:
    """The company contact as this user may see it now: full for the supplier itself, mentors and admins, and for a
    member who opened it this month; otherwise masked on the server. Never charges."""
    if user is not None and user.is_authenticated and (user.pk == supplier.user_id or can_review(user)):
        return _contact(supplier, masked=False)
    opened = supplier.pk in directory.opened_ids(user=user, kind=KIND, object_ids=[supplier.pk])
    return _contact(supplier, masked=not opened)


def contact_open(*, supplier: Supplier, user) -> tuple:
    """A member opens a listed supplier's contact: one unit of the month's quota the first time this month
    (directory's ledger; raises directory.QuotaExhausted, a NotAllowed, when none is left)."""
    if not is_listed(supplier):
        raise NotFound(_("Supplier tidak ditemukan."))
    result = directory.directory_open(user=user, kind=KIND, object_id=supplier.pk)
    return _contact(supplier, masked=False), result.status


def supplier_report(*, supplier: Supplier, user, reason: str, detail: str = ""):
    if not is_listed(supplier):
        raise NotFound(_("Supplier tidak ditemukan."))
    if user.pk == supplier.user_id:
        raise NotAllowed(_("Ini profil supplier Anda sendiri."))
    return directory.report_create(user=user, kind=KIND, object_id=supplier.pk, object_title=supplier.company_name,
                                   reason=reason, detail=detail)  # fmt: skip


def supplier_save(*, supplier: Supplier, user, saved: bool) -> bool:
    """ "Simpan supplier": a member's favourite (the shared directory like). Returns whether it is saved now."""
    if not is_listed(supplier):
        raise NotFound(_("Supplier tidak ditemukan."))
    directory.like_set(user=user, kind=KIND, object_id=supplier.pk, liked=bool(saved))
    return bool(saved)
