"""Business writes of the forwarder directory (admins): forwarders and their rate cards; members open contacts
within their quota and like / report like in every directory."""

import re
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.guard import has_refused_characters
from sanggar.core.roles import Role

from . import services as shared
from .constants import ACTION_FORWARDER_SAVED, KIND_FORWARDER, ForwarderService, RateMode
from .countries import country_code
from .models import Forwarder, ForwarderRate

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
    services = [s for s in (data.get("services") or []) if s]
    if any(s not in ForwarderService.values for s in services):
        errors["services"] = [_("Layanan tidak dikenal.")]
    clean["services"] = ("," + ",".join(sorted(set(services))) + ",") if services else ""
    clean["is_verified"] = bool(data.get("is_verified"))
    clean["is_active"] = bool(data.get("is_active", True))
    if errors:
        raise ServiceError(_("Periksa kembali isian forwarder."), errors=errors)
    return clean


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
    for field, limit in (("origin_port", 100), ("destination_port", 100), ("notes", 200)):
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
