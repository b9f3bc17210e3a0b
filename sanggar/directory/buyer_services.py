"""Business writes of the buyer database: create, edit, archive / restore, hide (a report's outcome), the member's
opening (quota), like and report, the xlsx / csv import (upload → validated preview → committed by a task with a
progress counter → result report) and the weekly new-buyer announcement. Pages, the API and tasks call these."""

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.guard import has_refused_characters
from sanggar.core.roles import Role
from sanggar.notifications.services import notify

from . import imports, selectors
from . import services as shared
from .constants import (
    ACTION_BUYER_ARCHIVED,
    ACTION_BUYER_EXPORTED,
    ACTION_BUYER_IMPORTED,
    ACTION_BUYER_SAVED,
    KIND_BUYER,
    BuyerStatus,
    ImportMode,
    Incoterm,
)
from .countries import country_code, country_name
from .kinds import directory_kind as directory_kind_get
from .models import Buyer, BuyerImport, MemberProfile
from .notifications import NEW_BUYERS

MANAGERS = (Role.ADMIN, Role.MENTOR)  # may add, edit and import buyers
ARCHIVERS = (Role.ADMIN,)  # may archive, restore and export

FIELDS = (
    "company",
    "country",
    "city",
    "products",
    "hs_codes",
    "annual_volume",
    "business_scale",
    "payment_terms",
    "shipping_terms",
    "description",
    "contact_person",
    "email",
    "phone",
    "whatsapp",
    "website",
    "address",
    "source",
    "notes",
    "is_verified",
    "rating",
)
MAX_LENGTHS = {f.name: f.max_length for f in Buyer._meta.get_fields() if getattr(f, "max_length", None)}
MAX_LENGTHS.update(description=2000, notes=2000, country=60)

# Column headers an import file may use (lower case) → field.
HEADERS = {
    "company": "company",
    "perusahaan": "company",
    "nama perusahaan": "company",
    "buyer": "company",
    "company name": "company",
    "nama buyer": "company",
    "country": "country",
    "negara": "country",
    "city": "city",
    "kota": "city",
    "products": "products",
    "product": "products",
    "produk": "products",
    "hs code": "hs_codes",
    "hs codes": "hs_codes",
    "hs_code": "hs_codes",
    "hs_codes": "hs_codes",
    "kode hs": "hs_codes",
    "annual volume": "annual_volume",
    "volume": "annual_volume",
    "volume tahunan": "annual_volume",
    "business scale": "business_scale",
    "skala": "business_scale",
    "skala bisnis": "business_scale",
    "payment terms": "payment_terms",
    "payment term": "payment_terms",
    "syarat pembayaran": "payment_terms",
    "shipping terms": "shipping_terms",
    "shipping term": "shipping_terms",
    "incoterm": "shipping_terms",
    "incoterms": "shipping_terms",
    "description": "description",
    "deskripsi": "description",
    "contact person": "contact_person",
    "kontak": "contact_person",
    "nama kontak": "contact_person",
    "email": "email",
    "e-mail": "email",
    "phone": "phone",
    "telepon": "phone",
    "telp": "phone",
    "whatsapp": "whatsapp",
    "wa": "whatsapp",
    "website": "website",
    "situs": "website",
    "address": "address",
    "alamat": "address",
    "source": "source",
    "sumber": "source",
    "notes": "notes",
    "catatan": "notes",
    "verified": "is_verified",
    "terverifikasi": "is_verified",
    "rating": "rating",
}
SCALES = {
    "kecil": "small",
    "small": "small",
    "menengah": "medium",
    "medium": "medium",
    "besar": "large",
    "large": "large",
}
TRUE_WORDS = {"1", "ya", "yes", "true", "y", "v", "✓", "terverifikasi", "verified"}
COMPANY_SUFFIXES = re.compile(
    r"\b(co|ltd|limited|inc|llc|gmbh|bv|b\.v|sa|srl|sarl|pte|pty|plc|corp|corporation|company|kk|k\.k|ag|spa|"
    r"trading|pt|cv)\b\.?"
)


def can_manage(user) -> bool:
    return bool(user is not None and user.is_authenticated and set(user.role_set) & set(MANAGERS))


def can_archive(user) -> bool:
    return bool(user is not None and user.is_authenticated and set(user.role_set) & set(ARCHIVERS))


def dedupe_key(company: str, country: str) -> str:
    """ "PT. Acme Trading Co., Ltd." + JP → "acme|JP" (lower case, no punctuation, no legal-form words)."""
    text = (company or "").lower()
    text = COMPANY_SUFFIXES.sub(" ", re.sub(r"[^\w\s.]", " ", text))
    text = re.sub(r"[\W_]+", " ", text).strip()
    return f"{text[:250]}|{(country or '').upper()}"


def buyer_clean(data: dict) -> tuple[dict, dict[str, list[str]]]:
    """Validates one buyer (from a form, the API or an import row) → (clean values, errors per field)."""
    clean: dict = {}
    errors: dict[str, list[str]] = {}

    def err(field, message):
        errors.setdefault(field, []).append(str(message))

    for field in FIELDS:
        value = data.get(field)
        if field in ("is_verified", "rating"):
            continue
        text = "" if value is None else str(value).strip()
        if has_refused_characters(text):
            err(field, _("Karakter tidak valid."))
            continue
        if len(text) > MAX_LENGTHS.get(field, 300):
            err(field, _("Paling banyak %(max)s karakter.") % {"max": MAX_LENGTHS.get(field, 300)})
            continue
        clean[field] = text
    if not clean.get("company") and "company" not in errors:
        err("company", _("Nama perusahaan wajib diisi."))
    if not clean.get("products") and "products" not in errors:
        err("products", _("Produk wajib diisi."))
    if "country" not in errors:
        code = country_code(clean.get("country", ""))
        if not code:
            err("country", _("Negara tidak dikenal."))
        clean["country"] = code
    if clean.get("email"):
        clean["email"] = clean["email"].lower()
        try:
            validate_email(clean["email"])
        except ValidationError:
            err("email", _("Alamat email tidak valid."))
    for field in ("phone", "whatsapp"):
        if clean.get(field) and not re.fullmatch(r"\+?[\d\s\-().]{6,30}", clean[field]):
            err(field, _("Nomor hanya boleh berisi angka, spasi, +, - dan tanda kurung."))
    if clean.get("hs_codes"):
        codes = [c.strip().replace(".", "") for c in re.split(r"[,;/\s]+", clean["hs_codes"]) if c.strip()]
        if any(not re.fullmatch(r"\d{2,10}", c) for c in codes):
            err("hs_codes", _("Kode HS berupa 2–10 angka, dipisah koma."))
        clean["hs_codes"] = ", ".join(codes)
    scale = clean.get("business_scale", "").lower()
    if scale and scale not in SCALES:
        err("business_scale", _("Skala bisnis: kecil, menengah atau besar."))
    clean["business_scale"] = SCALES.get(scale, "")
    term = clean.get("shipping_terms", "").upper()
    if term and term not in Incoterm.values:
        err("shipping_terms", _("Incoterm tidak dikenal (mis. FOB, CIF)."))
    clean["shipping_terms"] = term if term in Incoterm.values else ""
    if clean.get("website"):
        site = clean["website"]
        if not re.match(r"^https?://", site, re.IGNORECASE):
            site = "https://" + site
        if not re.fullmatch(r"https?://[\w.-]+\.[a-z]{2,}(/\S*)?", site, re.IGNORECASE):
            err("website", _("Alamat situs tidak valid."))
        clean["website"] = site[: MAX_LENGTHS["website"]]
    verified = data.get("is_verified")
    clean["is_verified"] = verified if isinstance(verified, bool) else str(verified or "").strip().lower() in TRUE_WORDS
    rating = data.get("rating")
    if rating in (None, ""):
        clean["rating"] = None
    else:
        try:
            clean["rating"] = int(str(rating).strip())
            if not 1 <= clean["rating"] <= 5:
                raise ValueError
        except (TypeError, ValueError):
            err("rating", _("Rating 1 sampai 5."))
            clean["rating"] = None
    return clean, errors


def _duplicate_of(clean: dict, *, exclude: int | None = None) -> Buyer | None:
    key = dedupe_key(clean["company"], clean["country"])
    match = Q(dedupe_key=key)
    if clean.get("email"):
        match |= Q(email=clean["email"])
    rows = Buyer.objects.filter(match).exclude(status=BuyerStatus.ARCHIVED)
    if exclude:
        rows = rows.exclude(pk=exclude)
    return rows.order_by("id").first()


def _require(user, roles, message):
    if user is None or not user.is_authenticated or not set(user.role_set) & set(roles):
        raise NotAllowed(message)


def buyer_create(*, actor, data: dict, allow_duplicate: bool = False) -> Buyer:
    _require(actor, MANAGERS, _("Hanya admin dan mentor yang dapat menambah buyer."))
    clean, errors = buyer_clean(data)
    if errors:
        raise ServiceError(_("Periksa kembali isian buyer."), errors=errors)
    if not allow_duplicate:
        existing = _duplicate_of(clean)
        if existing is not None:
            message = _("Buyer ini sudah ada: %(company)s (%(country)s).") % {
                "company": existing.company,
                "country": country_name(existing.country),
            }
            raise ServiceError(message, errors={"company": [message]}, code="duplicate")
    shared._rate(
        user=actor,
        setting="DIRECTORY_BUYER_CREATE_RATE_LIMIT",
        ip_setting="DIRECTORY_BUYER_CREATE_IP_RATE_LIMIT",
        what=_("buyer baru"),
    )
    with transaction.atomic():
        buyer = Buyer.objects.create(
            **clean, dedupe_key=dedupe_key(clean["company"], clean["country"]), created_by=actor
        )
        activity_record(action=ACTION_BUYER_SAVED, actor=actor, target=buyer, data={"created": True})
        transaction.on_commit(selectors.country_options_forget)
    return buyer


def buyer_update(*, actor, buyer: Buyer, data: dict) -> Buyer:
    _require(actor, MANAGERS, _("Hanya admin dan mentor yang dapat mengubah buyer."))
    clean, errors = buyer_clean(data)
    if errors:
        raise ServiceError(_("Periksa kembali isian buyer."), errors=errors)
    existing = _duplicate_of(clean, exclude=buyer.pk)
    if existing is not None:
        message = _("Data ini sama dengan buyer lain: %(company)s.") % {"company": existing.company}
        raise ServiceError(message, errors={"company": [message]}, code="duplicate")
    with transaction.atomic():
        buyer = Buyer.objects.select_for_update().get(pk=buyer.pk)
        changed = [f for f in FIELDS if getattr(buyer, f) != clean[f]]
        for field in FIELDS:
            setattr(buyer, field, clean[field])
        buyer.dedupe_key = dedupe_key(clean["company"], clean["country"])
        buyer.save()
        activity_record(action=ACTION_BUYER_SAVED, actor=actor, target=buyer, data={"changed": changed})
        transaction.on_commit(selectors.country_options_forget)
    return buyer


def buyer_set_status(*, actor, buyer: Buyer, status: str) -> Buyer:
    """Archive (admins), restore to active (admins) or hide / show (admins and mentors, e.g. after a report)."""
    if status not in BuyerStatus.values:
        raise ServiceError(_("Status tidak dikenal."))
    if status == BuyerStatus.ARCHIVED or buyer.status == BuyerStatus.ARCHIVED:
        _require(actor, ARCHIVERS, _("Hanya admin yang dapat mengarsipkan atau memulihkan buyer."))
    else:
        _require(actor, MANAGERS, _("Anda tidak dapat mengubah status buyer."))
    with transaction.atomic():
        buyer = Buyer.objects.select_for_update().get(pk=buyer.pk)
        if buyer.status == status:
            return buyer
        if status != BuyerStatus.ARCHIVED and buyer.status == BuyerStatus.ARCHIVED:
            clash = _duplicate_of(
                {"company": buyer.company, "country": buyer.country, "email": buyer.email}, exclude=buyer.pk
            )
            if clash is not None:
                raise ServiceError(
                    _("Tidak bisa dipulihkan: sudah ada buyer yang sama (%(c)s).") % {"c": clash.company}
                )
        old = buyer.status
        buyer.status = status
        buyer.save(update_fields=["status", "updated_at"])
        activity_record(
            action=ACTION_BUYER_ARCHIVED if status == BuyerStatus.ARCHIVED else ACTION_BUYER_SAVED,
            actor=actor,
            target=buyer,
            data={"status": [old, status]},
        )
        transaction.on_commit(selectors.country_options_forget)
    return buyer


# --- export (admins only; members never export) ---------------------------------------------------------------------

EXPORT_HEADER = [
    "id", "perusahaan", "negara", "kota", "produk", "kode_hs", "volume", "skala", "pembayaran", "incoterm", "kontak",
    "email", "telepon", "whatsapp", "website", "alamat", "sumber", "terverifikasi", "rating", "status", "dilihat",
    "disukai", "ditambahkan",
]  # fmt: skip


def buyer_export(*, actor, filters: dict, file_format: str = "csv") -> Iterable[list]:
    """The admin's filtered buyers with every contact, as rows under EXPORT_HEADER (the page's CSV / Excel button and
    the API). Admins only; each export is audited with its filters."""
    _require(actor, ARCHIVERS, _("Hanya admin yang dapat mengekspor buyer."))
    rows = selectors.buyer_list(filters=filters, admin=True)
    activity_record(
        action=ACTION_BUYER_EXPORTED,
        actor=actor,
        data={"filters": {k: v for k, v in filters.items() if v}, "format": file_format},
    )
    return (
        [
            b.pk,
            b.company,
            b.country,
            b.city,
            b.products,
            b.hs_codes,
            b.annual_volume,
            b.business_scale,
            b.payment_terms,
            b.shipping_terms,
            b.contact_person,
            b.email,
            b.phone,
            b.whatsapp,
            b.website,
            b.address,
            b.source,
            "ya" if b.is_verified else "tidak",
            b.rating or "",
            b.status,
            b.view_count,
            b.like_count,
            timezone.localdate(b.created_at).isoformat(),
        ]  # fmt: skip
        for b in rows.iterator(chunk_size=1000)
    )


# --- members ---------------------------------------------------------------------------------------------------------


def buyer_access_check(user) -> None:
    """The admins' role-access setting of the buyer database (L1718): NotAllowed for a user none of whose roles may
    open it. Member pages, the API and the member services below call it."""
    shared.role_access_check(user=user, kind=KIND_BUYER)


def buyer_open(*, user, buyer: Buyer, now: datetime | None = None) -> shared.OpenResult:
    """A member opens a buyer's contacts: one unit of the month's quota the first time this month."""
    buyer_access_check(user)
    if buyer.status != BuyerStatus.ACTIVE and not can_manage(user):
        raise NotAllowed(_("Buyer ini tidak tersedia."))
    result = shared.directory_open(user=user, kind=KIND_BUYER, object_id=buyer.pk, now=now)
    Buyer.objects.filter(pk=buyer.pk).update(view_count=F("view_count") + 1)
    return result


def buyer_like(*, user, buyer: Buyer, liked: bool) -> bool:
    """Likes / saves (or un-saves) a buyer; returns whether it is liked now."""
    buyer_access_check(user)
    if buyer.status != BuyerStatus.ACTIVE and liked:
        raise NotAllowed(_("Buyer ini tidak tersedia."))
    delta = shared.like_set(user=user, kind=KIND_BUYER, object_id=buyer.pk, liked=liked)
    if delta:
        Buyer.objects.filter(pk=buyer.pk).update(like_count=F("like_count") + delta)
    return liked


def buyer_report(*, user, buyer: Buyer, reason: str, detail: str = ""):
    buyer_access_check(user)
    if buyer.status != BuyerStatus.ACTIVE:
        raise NotAllowed(_("Buyer ini tidak tersedia."))
    return shared.report_create(
        user=user, kind=KIND_BUYER, object_id=buyer.pk, object_title=buyer.company, reason=reason, detail=detail
    )


def buyer_hide(*, object_id: int, actor) -> None:
    """A report closed as "hidden": the buyer leaves the members' list (the kind's `hide`)."""
    buyer = Buyer.objects.filter(pk=object_id).first()
    if buyer is not None and buyer.status == BuyerStatus.ACTIVE:
        buyer_set_status(actor=actor, buyer=buyer, status=BuyerStatus.HIDDEN)


def report_handle(*, actor, report_id: int, status: str, note: str = ""):
    """Admin: closes a report of any directory; "hidden" also hides the entry through its kind's `hide`."""
    _require(actor, (Role.ADMIN,), _("Hanya admin yang menangani laporan."))
    with transaction.atomic():
        report = shared.report_handle(actor=actor, report_id=report_id, status=status, note=note)
        entry = directory_kind_get(report.kind)
        if status == "hidden" and entry is not None and entry.hide is not None:
            entry.hide(object_id=report.object_id, actor=actor)
    return report


# --- import (the shared machinery in imports.py) --------------------------------------------------------------------


def _existing_buyers(keys: list[str], emails: list[str]) -> tuple[dict, dict]:
    existing_keys: dict[str, int] = {}
    existing_emails: dict[str, int] = {}
    live = Buyer.objects.exclude(status=BuyerStatus.ARCHIVED)
    for i in range(0, len(keys), 1000):
        existing_keys.update(live.filter(dedupe_key__in=keys[i : i + 1000]).values_list("dedupe_key", "id"))
    for i in range(0, len(emails), 1000):
        existing_emails.update(live.filter(email__in=emails[i : i + 1000]).values_list("email", "id"))
    return existing_keys, existing_emails


def _build_buyer(clean: dict, batch: BuyerImport) -> Buyer:
    return Buyer(
        **clean,
        dedupe_key=dedupe_key(clean["company"], clean["country"]),
        created_by=batch.uploaded_by,
        import_batch=batch,
    )


def _update_buyer(pk: int, clean: dict) -> None:
    values = {f: v for f, v in clean.items() if v not in ("", None) and f != "notes"}
    Buyer.objects.filter(pk=pk).update(**values, updated_at=timezone.now())


BUYERS = imports.importer_register(
    imports.Importer(
        target="buyer",
        model=Buyer,
        headers=HEADERS,
        required_columns=("company", "country", "products"),
        columns_message=_l(
            "Baris pertama harus berisi judul kolom, minimal: Perusahaan, Negara, Produk (lihat contoh templat)."
        ),
        clean=buyer_clean,
        key=lambda clean: dedupe_key(clean["company"], clean["country"]),
        existing=_existing_buyers,
        build=_build_buyer,
        update=_update_buyer,
        preview=lambda clean: clean,
        title_field="company",
        roles=MANAGERS,
        refused=_l("Hanya admin dan mentor yang dapat mengimpor buyer."),
        action=ACTION_BUYER_IMPORTED,
        after_commit=selectors.country_options_forget,
    )
)


def buyer_import_upload(*, actor, upload, mode: str = ImportMode.SKIP) -> BuyerImport:
    """Reads and validates a file into a preview (nothing is written to the buyers yet)."""
    return imports.import_upload(importer=BUYERS, actor=actor, upload=upload, mode=mode)


def buyer_import_start(*, actor, batch_id: int) -> BuyerImport:
    """Commits a previewed import: a task writes the rows and moves the progress counter."""
    return imports.import_start(importer=BUYERS, actor=actor, batch_id=batch_id)


def buyer_import_cancel(*, actor, batch_id: int) -> BuyerImport:
    return imports.import_cancel(importer=BUYERS, actor=actor, batch_id=batch_id)


def buyer_import_run(*, batch_id: int) -> BuyerImport:
    """Writes a running import (any target; see imports.import_run)."""
    return imports.import_run(batch_id=batch_id)


# --- new-buyer announcements -----------------------------------------------------------------------------------------


def _interest_words(text: str) -> list[str]:
    return [w.strip().lower() for w in re.split(r"[,;]+", text or "") if len(w.strip()) >= 3][:10]


def buyers_digest_sweep(*, now: datetime | None = None) -> int:
    """Weekly: tells each member with product interests how many buyers matching them were added in the last
    7 days ("Ada 12 buyer baru di kategori produk kamu minggu ini"). Safe to run twice: a member is told at most
    once per 6 days. Returns how many members were told."""
    now = now or timezone.now()
    since = now - timedelta(days=7)
    told = 0
    fresh = Buyer.objects.filter(status=BuyerStatus.ACTIVE, created_at__gte=since)
    if not fresh.exists():
        return 0
    profiles = (
        MemberProfile.objects.exclude(interests="")
        .filter(Q(last_digest_at__isnull=True) | Q(last_digest_at__lt=now - timedelta(days=6)))
        .select_related("user")
        .order_by("pk")
    )
    for profile in profiles.iterator(chunk_size=200):
        words = _interest_words(profile.interests)
        if not words or not profile.user.is_active:
            continue
        match = Q()
        for word in words:
            match |= Q(products__icontains=word) | Q(hs_codes__icontains=word)
        count = fresh.filter(match).count()
        with transaction.atomic():
            updated = (
                MemberProfile.objects.filter(pk=profile.pk)
                .filter(Q(last_digest_at__isnull=True) | Q(last_digest_at__lt=now - timedelta(days=6)))
                .update(last_digest_at=now)
            )
            if updated and count:
                link = reverse("directory:buyers") + "?baru=1"
                notify(
                    user=profile.user,
                    kind=NEW_BUYERS,
                    context={"count": str(count), "interests": ", ".join(words)},
                    link=link,
                )
                told += 1
    return told
