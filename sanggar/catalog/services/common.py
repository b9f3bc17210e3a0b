"""Building blocks shared by the catalog's services: the admin check, parsing and validating field values into
an error dict (Indonesian messages keyed by field), unique slugs, the audit row and deleting replaced files."""

import re
from collections.abc import Iterable
from datetime import datetime
from functools import partial

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sanggar.audit.constants import Action
from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.roles import Role

from ..constants import MONEY_MAX, CommissionType, DiscountType

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_VARIANT = re.compile(r"[A-Za-z0-9_\-.:]+")


class Errors(dict):
    """field → [messages]; `raise_if_any()` turns them into one ServiceError."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(str(message))

    def merge(self, exc: ServiceError) -> None:
        for field, messages in (exc.errors or {"__all__": [exc.message]}).items():
            for message in messages:
                self.add(field, message)

    def raise_if_any(self, message: str | None = None) -> None:
        if self:
            raise ServiceError(message or _("Periksa kembali isian yang ditandai."), errors=dict(self))


def require_admin(actor) -> None:
    if not (actor is not None and actor.is_authenticated and actor.is_active and actor.has_role(Role.ADMIN)):
        raise NotAllowed(_("Hanya admin yang bisa mengubah katalog."))


def check_unknown(values: dict, allowed: Iterable[str]) -> None:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise ServiceError(_("Isian tidak dikenal: %(fields)s.") % {"fields": ", ".join(unknown)})


def clean_text(value, *, field: str, label: str, errors: Errors, max_length: int, required: bool = False) -> str:
    text = _CONTROL.sub("", value if isinstance(value, str) else ("" if value is None else str(value))).strip()
    if required and not text:
        errors.add(field, _("%(label)s wajib diisi.") % {"label": label})
    elif len(text) > max_length:
        errors.add(field, _("%(label)s paling banyak %(max)s karakter.") % {"label": label, "max": max_length})
    return text


def parse_int(value) -> int | None:
    """An int from an int or a string of digits ("150.000" and "150,000" allowed as thousands separators);
    None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        if text[:2].lower() == "rp":
            text = text[2:]
        if re.fullmatch(r"-?\d{1,15}", text):
            return int(text)
        if re.fullmatch(r"\d{1,3}(?:\.\d{3}){1,4}", text) or re.fullmatch(r"\d{1,3}(?:,\d{3}){1,4}", text):
            return int(re.sub(r"[.,]", "", text))
    return None


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_int(
    value,
    *,
    field: str,
    label: str,
    errors: Errors,
    minimum: int = 0,
    maximum: int = MONEY_MAX,
    required: bool = True,
) -> int | None:
    """None when blank and not required; otherwise an int within [minimum, maximum] or an error."""
    if is_blank(value):
        if required:
            errors.add(field, _("%(label)s wajib diisi.") % {"label": label})
        return None
    number = parse_int(value)
    if number is None:
        errors.add(field, _("%(label)s harus bilangan bulat.") % {"label": label})
        return None
    if number < minimum:
        errors.add(field, _("%(label)s minimal %(min)s.") % {"label": label, "min": _number(minimum)})
        return None
    if number > maximum:
        errors.add(field, _("%(label)s maksimal %(max)s.") % {"label": label, "max": _number(maximum)})
        return None
    return number


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def clean_bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "on", "yes", "ya")
    return bool(value)


def clean_datetime(value, *, field: str, label: str, errors: Errors) -> datetime | None:
    """None when blank; an aware datetime (naive input is read in WIB) or an error."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = parse_datetime(value.strip())
        except ValueError:
            parsed = None
    else:
        parsed = None
    if parsed is None:
        errors.add(field, _("%(label)s: format tanggal dan jam tidak valid.") % {"label": label})
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def clean_choice(value, *, field: str, label: str, errors: Errors, choices, required: bool = True) -> str:
    valid = {str(v) for v, _l in choices}
    text = (value or "").strip() if isinstance(value, str) else ("" if value is None else str(value))
    if not text:
        if required:
            errors.add(field, _("Pilih %(label)s.") % {"label": label.lower()})
        return ""
    if text not in valid:
        errors.add(field, _("Pilihan %(label)s tidak valid.") % {"label": label.lower()})
        return ""
    return text


def clean_url(value, *, field: str, label: str, errors: Errors, max_length: int = 200) -> str:
    text = clean_text(value, field=field, label=label, errors=errors, max_length=max_length)
    if not text:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError:
        errors.add(field, _("%(label)s harus alamat web lengkap, diawali https://.") % {"label": label})
        return ""
    return text


def clean_slug(value, *, field: str, errors: Errors, max_length: int, reserved=frozenset()) -> str:
    """An admin-typed slug: lower-case letters, digits and single hyphens."""
    text = (value or "").strip().lower() if isinstance(value, str) else ""
    if not text:
        return ""
    if len(text) > max_length:
        errors.add(field, _("Slug paling banyak %(max)s karakter.") % {"max": max_length})
        return ""
    if not _SLUG.fullmatch(text):
        errors.add(field, _("Slug hanya boleh huruf kecil, angka dan tanda hubung, contoh: paket-gold."))
        return ""
    if text in reserved:
        errors.add(field, _("Slug “%(slug)s” dipakai sistem; pilih slug lain.") % {"slug": text})
        return ""
    return text


def unique_slug(base_text: str, *, queryset, max_length: int, reserved=frozenset(), fallback: str) -> str:
    """A slug generated from a title: slugify, then `-2`, `-3`… until it is free (and not reserved)."""
    base = slugify(base_text)[: max_length - 6].strip("-") or fallback
    candidate, number = base, 1
    while candidate in reserved or queryset.filter(slug=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def clean_commission(
    type_value, amount_value, *, errors: Errors, type_field: str, value_field: str, required: bool = True
) -> tuple[str, int | None]:
    """Affiliate commission: percent 0–100 or a flat rupiah amount. With `required=False` both may be blank
    (an override that is not used)."""
    commission_type = clean_choice(
        type_value,
        field=type_field,
        label=_("Jenis komisi"),
        errors=errors,
        choices=CommissionType.choices,
        required=required,
    )
    if not commission_type:
        if not required and not is_blank(amount_value):
            errors.add(type_field, _("Pilih jenis komisi untuk nilai komisi ini."))
        return "", None
    maximum = 100 if commission_type == CommissionType.PERCENT else MONEY_MAX
    value = clean_int(amount_value, field=value_field, label=_("Nilai komisi"), errors=errors, maximum=maximum)
    return commission_type, value


def clean_discount(type_value, amount_value, *, errors: Errors, type_field: str, value_field: str, label: str):
    discount_type = clean_choice(
        type_value, field=type_field, label=_("Jenis potongan"), errors=errors, choices=DiscountType.choices
    )
    maximum = 100 if discount_type == DiscountType.PERCENT else MONEY_MAX
    value = clean_int(amount_value, field=value_field, label=label, errors=errors, maximum=maximum)
    return discount_type, value


def clean_variant(value, *, field: str, errors: Errors) -> str:
    text = clean_text(value, field=field, label=_("ID varian Scalev"), errors=errors, max_length=80)
    if text and not _VARIANT.fullmatch(text):
        errors.add(field, _("ID varian Scalev hanya boleh huruf, angka, titik, titik dua, - dan _."))
        return ""
    return text


def clean_ids(value, *, field: str, label: str, errors: Errors, queryset) -> list[int]:
    """A list of primary keys that must all exist in `queryset` (duplicates dropped, order kept)."""
    ids: list[int] = []
    for item in value or ():
        number = parse_int(item) if not isinstance(item, int) else item
        if number is None:
            errors.add(field, _("Pilihan %(label)s tidak valid.") % {"label": label.lower()})
            return []
        if number not in ids:
            ids.append(number)
    if ids:
        found = set(queryset.filter(pk__in=ids).values_list("pk", flat=True))
        if found != set(ids):
            errors.add(field, _("Sebagian pilihan %(label)s tidak ditemukan.") % {"label": label.lower()})
            return []
    return ids


def record(*, actor, target, label: str, what: str, fields: Iterable[str] = (), **data) -> None:
    """The catalog's audit row: `settings.changed` with data {"what": ..., "fields": [...], ...}."""
    payload = {"what": what}
    fields = sorted(set(fields))
    if fields:
        payload["fields"] = fields
    payload.update({k: v for k, v in data.items() if v not in (None, "", [], {})})
    activity_record(action=Action.SETTINGS_CHANGED, actor=actor, target=target, target_label=label, data=payload)


def _delete_files(storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


def delete_files_after_commit(storage, names: list[str]) -> None:
    names = [n for n in names if n]
    if names:
        transaction.on_commit(partial(_delete_files, storage, names))


def clean_creator(value, *, errors: Errors, field: str = "creator_id") -> int | None:
    """The creator of a plan or product: blank (none) or the id of an active mentor."""
    if is_blank(value):
        return None
    number = value if isinstance(value, int) else parse_int(value)
    mentors = get_user_model().objects.filter(roles__role=Role.MENTOR, is_active=True)
    if number is None or not mentors.filter(pk=number).exists():
        errors.add(field, _("Pilih kreator dari daftar mentor aktif."))
        return None
    return number


ADMIN_FEE_MAX = 10_000_000


def clean_charges(values: dict, *, errors: Errors) -> dict:
    """A plan's or product's own tax percent (0–100) and admin fee (rupiah); blank = the global settings."""
    new = {}
    if "tax_percent" in values:
        new["tax_percent"] = clean_int(
            values["tax_percent"], field="tax_percent", label=_("Pajak (%)"), errors=errors, maximum=100, required=False
        )
    if "admin_fee" in values:
        new["admin_fee"] = clean_int(
            values["admin_fee"], field="admin_fee", label=_("Biaya admin"), errors=errors, maximum=ADMIN_FEE_MAX,
            required=False,
        )  # fmt: skip
    return new
