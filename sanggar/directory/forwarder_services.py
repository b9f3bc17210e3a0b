"""Business writes of the forwarder directory (admins): forwarders and their rate cards; members open contacts
within their quota and like / report like in every directory."""

import re
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.guard import has_refused_characters
from sanggar.core.roles import Role

from . import imports
from . import services as shared
from .buyer_services import TRUE_WORDS, dedupe_key
from .constants import ACTION_FORWARDER_IMPORTED, ACTION_FORWARDER_SAVED, KIND_FORWARDER, ForwarderService, RateMode
from .countries import country_code
from .models import BuyerImport, Forwarder, ForwarderRate

FIELDS = (
    "name",
    "city",
    "province",
    "ports",
    "routes",
    "description",
    "contact_person",
    "email",
    "phone",
    "whatsapp",
    "website",
    "address",
)
LENGTHS = {f: Forwarder._meta.get_field(f).max_length or 2000 for f in FIELDS}
LENGTHS["description"] = 2000
MAX_PRICE = 10_000_000_000  # Rp 10 miliar per unit is surely a typo


def _admin(actor):
    if actor is None or not actor.is_authenticated or not actor.has_role(Role.ADMIN):
        raise NotAllowed(_("Hanya admin yang mengelola forwarder."))


def _clean(data: dict) -> dict:
    clean, errors = forwarder_clean(data)
    if errors:
        raise ServiceError(_("Periksa kembali isian forwarder."), errors=errors)
    return clean


def forwarder_clean(data: dict) -> tuple[dict, dict[str, list[str]]]:
    """Validates one forwarder (form, API or an import row) → (clean values, errors per field)."""
    clean, errors = {}, {}
    for field in FIELDS:
        text = str(data.get(field) or "").strip()
        if has_refused_characters(text):
            errors[field] = [_("Karakter tidak valid.")]
        elif len(text) > LENGTHS[field]:
            errors[field] = [_("Paling banyak %(max)s karakter.") % {"max": LENGTHS[field]}]
        clean[field] = text
    for field in ("name", "city"):
        if not clean[field] and field not in errors:
            errors[field] = [_("Wajib diisi.")]
    if clean["email"]:
        try:
            validate_email(clean["email"])
        except ValidationError:
            errors["email"] = [_("Alamat email tidak valid.")]
    for field in ("phone", "whatsapp"):
        if clean[field] and not re.fullmatch(r"\+?[\d\s\-().]{6,30}", clean[field]):
            errors[field] = [_("Nomor hanya boleh berisi angka, spasi, +, - dan tanda kurung.")]
    if clean["website"] and not re.match(r"^https?://", clean["website"], re.IGNORECASE):
        clean["website"] = "https://" + clean["website"]
    services = data.get("services") or []
    if isinstance(services, str):
        services = [s.strip() for s in services.split(",")]
    services = [s for s in services if s]
    if any(s not in ForwarderService.values for s in services):
        errors["services"] = [_("Layanan tidak dikenal.")]
    clean["services"] = ("," + ",".join(sorted(set(services))) + ",") if services else ""
    clean["is_verified"] = bool(data.get("is_verified"))
    clean["is_active"] = bool(data.get("is_active", True))
    return clean, errors


def forwarder_save(*, actor, data: dict, forwarder: Forwarder | None = None) -> Forwarder:
    _admin(actor)
    clean = _clean(data)
    with transaction.atomic():
        if forwarder is None:
            forwarder = Forwarder.objects.create(**clean)
        else:
            forwarder = Forwarder.objects.select_for_update().get(pk=forwarder.pk)
            for field, value in clean.items():
                setattr(forwarder, field, value)
            forwarder.save()
        activity_record(action=ACTION_FORWARDER_SAVED, actor=actor, target=forwarder, data={"name": forwarder.name})
    return forwarder


def rate_save(*, actor, forwarder: Forwarder, data: dict, rate: ForwarderRate | None = None) -> ForwarderRate:
    """A rate card line: route (origin port → destination port, country), mode, price in rupiah, transit days."""
    _admin(actor)
    errors = {}
    values = {}
    for field, limit in (("origin_port", 100), ("destination_port", 100), ("notes", 200), ("source", 100)):
        text = str(data.get(field) or "").strip()
        if has_refused_characters(text) or len(text) > limit:
            errors[field] = [_("Isian tidak valid.")]
        values[field] = text
    for field in ("origin_port", "destination_port"):
        if not values[field] and field not in errors:
            errors[field] = [_("Wajib diisi.")]
    values["destination_country"] = country_code(str(data.get("destination_country") or ""))
    if not values["destination_country"]:
        errors["destination_country"] = [_("Negara tidak dikenal.")]
    values["mode"] = str(data.get("mode") or "")
    if values["mode"] not in RateMode.values:
        errors["mode"] = [_("Pilih moda.")]
    try:
        values["price"] = int(data.get("price"))
        if not 1 <= values["price"] <= MAX_PRICE:
            raise ValueError
    except (TypeError, ValueError):
        errors["price"] = [_("Harga dalam rupiah, angka bulat lebih dari 0.")]
    transit = data.get("transit_days")
    try:
        values["transit_days"] = None if transit in (None, "") else int(transit)
        if values["transit_days"] is not None and not 0 <= values["transit_days"] <= 365:
            raise ValueError
    except (TypeError, ValueError):
        errors["transit_days"] = [_("Lama transit 0–365 hari.")]
    valid_until = data.get("valid_until")
    if isinstance(valid_until, datetime):
        valid_until = valid_until.date()
    if valid_until in (None, ""):
        values["valid_until"] = None
    elif isinstance(valid_until, date):
        values["valid_until"] = valid_until
    else:
        try:
            values["valid_until"] = date.fromisoformat(str(valid_until))
        except ValueError:
            errors["valid_until"] = [_("Tanggal tidak valid.")]
    if errors:
        raise ServiceError(_("Periksa kembali tarif."), errors=errors)
    with transaction.atomic():
        if rate is None:
            if forwarder.rates.count() >= 200:
                raise ServiceError(_("Paling banyak 200 tarif per forwarder."))
            rate = ForwarderRate.objects.create(forwarder=forwarder, **values)
        else:
            for field, value in values.items():
                setattr(rate, field, value)
            rate.save()
        activity_record(
            action=ACTION_FORWARDER_SAVED,
            actor=actor,
            target=forwarder,
            data={"rate": rate.pk, "route": f"{rate.origin_port} → {rate.destination_port}", "price": rate.price},
        )
    return rate


def rate_delete(*, actor, rate: ForwarderRate) -> None:
    _admin(actor)
    with transaction.atomic():
        forwarder = rate.forwarder
        data = {"rate_deleted": rate.pk, "route": f"{rate.origin_port} → {rate.destination_port}"}
        rate.delete()
        activity_record(action=ACTION_FORWARDER_SAVED, actor=actor, target=forwarder, data=data)


def forwarder_open(*, user, forwarder: Forwarder) -> shared.OpenResult:
    if not forwarder.is_active and not user.has_role(Role.ADMIN):
        raise NotAllowed(_("Forwarder ini tidak tersedia."))
    result = shared.directory_open(user=user, kind=KIND_FORWARDER, object_id=forwarder.pk)
    Forwarder.objects.filter(pk=forwarder.pk).update(view_count=F("view_count") + 1)
    return result


def forwarder_like(*, user, forwarder: Forwarder, liked: bool) -> bool:
    delta = shared.like_set(user=user, kind=KIND_FORWARDER, object_id=forwarder.pk, liked=liked)
    if delta:
        Forwarder.objects.filter(pk=forwarder.pk).update(like_count=F("like_count") + delta)
    return liked


def forwarder_report(*, user, forwarder: Forwarder, reason: str, detail: str = ""):
    return shared.report_create(
        user=user,
        kind=KIND_FORWARDER,
        object_id=forwarder.pk,
        object_title=forwarder.name,
        reason=reason,
        detail=detail,
    )


def forwarder_hide(*, object_id: int, actor) -> None:
    """A report closed as "hidden": the forwarder leaves the members' list (the kind's `hide`)."""
    _admin(actor)
    with transaction.atomic():
        forwarder = Forwarder.objects.select_for_update().filter(pk=object_id, is_active=True).first()
        if forwarder is not None:
            forwarder.is_active = False
            forwarder.save(update_fields=["is_active", "updated_at"])
            activity_record(action=ACTION_FORWARDER_SAVED, actor=actor, target=forwarder, data={"hidden": True})


# --- import from a file (the shared machinery in imports.py, as for buyers) -----------------------------------------

IMPORT_HEADERS = {
    "name": "name", "nama": "name", "nama perusahaan": "name", "perusahaan": "name", "forwarder": "name",
    "company": "name", "city": "city", "kota": "city", "province": "province", "provinsi": "province",
    "services": "services", "layanan": "services", "ports": "ports", "pelabuhan": "ports", "routes": "routes",
    "rute": "routes", "tujuan": "routes", "description": "description", "deskripsi": "description",
    "contact person": "contact_person", "kontak": "contact_person", "nama kontak": "contact_person",
    "email": "email", "e-mail": "email", "phone": "phone", "telepon": "phone", "telp": "phone",
    "whatsapp": "whatsapp", "wa": "whatsapp", "website": "website", "situs": "website", "address": "address",
    "alamat": "address", "verified": "is_verified", "terverifikasi": "is_verified",
}  # fmt: skip
SERVICE_WORDS = {
    "fcl": "fcl", "sea fcl": "fcl", "sea freight fcl": "fcl", "lcl": "lcl", "sea lcl": "lcl",
    "sea freight lcl": "lcl", "air": "air", "udara": "air", "air freight": "air", "customs": "customs",
    "ppjk": "customs", "kepabeanan": "customs", "kepabeanan (ppjk)": "customs", "trucking": "trucking",
    "warehouse": "warehouse", "gudang": "warehouse", "fumigation": "fumigation", "fumigasi": "fumigation",
    "documents": "documents", "dokumen": "documents", "pengurusan dokumen": "documents", "courier": "courier",
    "kurir": "courier", "kurir internasional": "courier",
}  # fmt: skip


def forwarder_import_clean(data: dict) -> tuple[dict, dict[str, list[str]]]:
    """An import row: services as words ("FCL, LCL, udara"), "ya" / "tidak" for verified; imported forwarders
    are listed at once."""
    row = {k: v for k, v in data.items() if k not in ("services", "is_verified")}
    words = [w.strip().lower() for w in str(data.get("services") or "").replace(";", ",").split(",") if w.strip()]
    unknown = [w for w in words if w not in SERVICE_WORDS]
    row["services"] = [SERVICE_WORDS[w] for w in words if w in SERVICE_WORDS]
    row["is_verified"] = str(data.get("is_verified") or "").strip().lower() in TRUE_WORDS
    clean, errors = forwarder_clean(row)
    if unknown:
        errors["services"] = [_("Layanan tidak dikenal: %(w)s.") % {"w": ", ".join(unknown)[:100]}]
    return clean, errors


def forwarder_key(clean: dict) -> str:
    """ "PT Samudera Kargo" + "Jakarta Utara" → "samudera kargo|jakarta utara" (legal forms left out)."""
    return dedupe_key(clean["name"], "").rstrip("|") + "|" + " ".join(clean["city"].lower().split())


def _existing_forwarders(keys: list[str], emails: list[str]) -> tuple[dict, dict]:
    wanted_keys, wanted_emails = set(keys), {e.lower() for e in emails}
    by_key, by_email = {}, {}
    for pk, name, city, email in Forwarder.objects.order_by("id").values_list("id", "name", "city", "email"):
        key = forwarder_key({"name": name, "city": city})
        if key in wanted_keys:
            by_key.setdefault(key, pk)
        if email and email.lower() in wanted_emails:
            by_email.setdefault(email.lower(), pk)
    return by_key, by_email


def _update_forwarder(pk: int, clean: dict) -> None:
    values = {f: v for f, v in clean.items() if v not in ("", None) and f not in ("is_active",)}
    Forwarder.objects.filter(pk=pk).update(**values, updated_at=timezone.now())


FORWARDERS = imports.importer_register(
    imports.Importer(
        target="forwarder",
        model=Forwarder,
        headers=IMPORT_HEADERS,
        required_columns=("name", "city"),
        columns_message=_l("Baris pertama harus berisi judul kolom, minimal: Nama, Kota (lihat contoh templat)."),
        clean=forwarder_import_clean,
        key=forwarder_key,
        existing=_existing_forwarders,
        build=lambda clean, batch: Forwarder(**clean),
        update=_update_forwarder,
        preview=lambda clean: {
            "company": clean.get("name"),
            "country": clean.get("city"),
            "products": ", ".join(
                str(dict(ForwarderService.choices).get(s, s)) for s in clean.get("services", "").split(",") if s
            ),
            "email": clean.get("email"),
        },  # fmt: skip
        title_field="name",
        roles=(Role.ADMIN,),
        refused=_l("Hanya admin yang mengimpor forwarder."),
        action=ACTION_FORWARDER_IMPORTED,
    )
)


def forwarder_import_upload(*, actor, upload, mode: str = "skip") -> BuyerImport:
    """Admins: reads and validates a file of forwarders into a preview (nothing written yet)."""
    return imports.import_upload(importer=FORWARDERS, actor=actor, upload=upload, mode=mode)


def forwarder_import_start(*, actor, batch_id: int) -> BuyerImport:
    return imports.import_start(importer=FORWARDERS, actor=actor, batch_id=batch_id)


def forwarder_import_cancel(*, actor, batch_id: int) -> BuyerImport:
    return imports.import_cancel(importer=FORWARDERS, actor=actor, batch_id=batch_id)
