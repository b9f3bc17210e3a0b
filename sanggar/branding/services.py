"""Branding writes. The settings page and the API call these; each is one transaction with an audit row,
and the branding cache is cleared after commit."""

import re
import secrets
from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from sanggar.audit.constants import Action
from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.roles import Role

from .colors import contrast_ratio, normalize_hex
from .constants import (
    ALL_COLOR_FIELDS,
    COLOR_FIELDS_BY_SECTION,
    COLOR_LABELS,
    CONTRAST_PAIRS,
    DEFAULT_COLORS,
    FAVICON_FORMATS,
    FAVICON_MAX_BYTES,
    FILE_FIELDS,
    FILE_LABELS,
    IMAGE_MAX_SIDE,
    LOGO_FORMATS,
    LOGO_MAX_BYTES,
    MAX_LENGTHS,
    NUMBER_LABELS,
    NUMBER_RANGES,
    SECTION_COLORS,
    SECTION_COMPONENTS,
    SECTION_FIELDS,
    SECTION_IDENTITY,
    SECTION_TYPOGRAPHY,
    TEXT_FIELDS,
    TEXT_LABELS,
    TYPOGRAPHY_FIELDS,
    WCAG_AA_MIN_RATIO,
)
from .models import SINGLETON_ID, Branding
from .selectors import MODEL_COLOR_FIELDS, branding_cache_clear, branding_data_from

_INT = re.compile(r"\s*(\d{1,4})\s*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _require_admin(actor) -> None:
    if not (actor is not None and actor.is_authenticated and actor.is_active and actor.has_role(Role.ADMIN)):
        raise NotAllowed(_("Hanya admin yang bisa mengubah branding."))


def _locked_row() -> Branding:
    Branding.objects.get_or_create(pk=SINGLETON_ID)
    return Branding.objects.select_for_update().get(pk=SINGLETON_ID)


def _format_ratio(ratio: float) -> str:
    return f"{ratio:.2f}".replace(".", ",")


def _parse_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        match = _INT.fullmatch(value)
        return int(match.group(1)) if match else None
    return None


def _file_size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    return size


def validate_image_upload(file, *, field: str) -> str:
    """Opens the upload with Pillow and returns the file extension for its real format, or raises
    ServiceError naming the field. Logos: PNG, JPEG or WebP up to 2 MB; favicon: ICO or PNG up to 512 KB.
    SVG is never accepted (it can carry scripts)."""
    label = FILE_LABELS[field]
    formats, max_bytes, max_label = (
        (FAVICON_FORMATS, FAVICON_MAX_BYTES, "512 KB") if field == "favicon" else (LOGO_FORMATS, LOGO_MAX_BYTES, "2 MB")
    )
    type_message = (
        _("%(label)s harus berupa gambar ICO atau PNG (SVG tidak diterima).")
        if field == "favicon"
        else _("%(label)s harus berupa gambar PNG, JPEG atau WebP (SVG tidak diterima).")
    ) % {"label": label}

    def fail(message):
        raise ServiceError(message, errors={field: [message]})

    size = _file_size(file)
    if size == 0:
        fail(_("%(label)s: file kosong.") % {"label": label})
    if size > max_bytes:
        fail(_("Ukuran %(label)s maksimal %(max)s.") % {"label": label.lower(), "max": max_label})
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        fail(type_message)
    finally:
        file.seek(0)
    if image_format not in formats:
        fail(type_message)
    if width > IMAGE_MAX_SIDE or height > IMAGE_MAX_SIDE:
        message = _("%(label)s terlalu besar: paling besar %(max)s × %(max)s piksel.")
        fail(message % {"label": label, "max": IMAGE_MAX_SIDE})
    return formats[image_format]


def _clean_text(name: str, value, errors: dict) -> str | None:
    value = _CONTROL.sub("", value if isinstance(value, str) else "").strip()
    label = TEXT_LABELS[name]
    if not value and name != "tagline":
        errors.setdefault(name, []).append(_("%(label)s wajib diisi.") % {"label": label})
        return None
    if len(value) > MAX_LENGTHS[name]:
        errors.setdefault(name, []).append(
            _("%(label)s paling banyak %(max)s karakter.") % {"label": label, "max": MAX_LENGTHS[name]}
        )
        return None
    return value


def _clean_color(name: str, value, errors: dict) -> str | None:
    color = normalize_hex(value)
    if color is None:
        errors.setdefault(name, []).append(
            _("%(label)s harus kode warna hex, contoh #2047FC.") % {"label": COLOR_LABELS[name]}
        )
    return color


def _clean_number(name: str, value, errors: dict) -> int | None:
    number = _parse_int(value)
    low, high = NUMBER_RANGES[name]
    if number is None or not low <= number <= high:
        errors.setdefault(name, []).append(
            _("%(label)s harus bilangan bulat antara %(low)s dan %(high)s px.")
            % {"label": NUMBER_LABELS[name], "low": low, "high": high}
        )
        return None
    return number


def contrast_failures(colors: dict[str, str], *, only_fields=None) -> list[tuple[str, str, str, float]]:
    """Text/background pairs below WCAG AA (4.5:1), as (text field, background field, label, ratio).
    `colors` maps every colour field to #RRGGBB; with `only_fields`, only pairs touching one of them."""
    failures = []
    for text, background, label in CONTRAST_PAIRS:
        if only_fields is not None and text not in only_fields and background not in only_fields:
            continue
        foreground = text if text.startswith("#") else colors[text]
        ratio = contrast_ratio(foreground, colors[background])
        if ratio < WCAG_AA_MIN_RATIO:
            failures.append((text, background, str(label), ratio))
    return failures


def contrast_message(label: str, ratio: float) -> str:
    return _("Kontras %(pair)s hanya %(ratio)s:1, minimal 4,5:1 (WCAG AA) agar teks mudah dibaca.") % {
        "pair": label.lower(),
        "ratio": _format_ratio(ratio),
    }


def _stored_color(branding: Branding, name: str):
    if name in MODEL_COLOR_FIELDS:
        return getattr(branding, name)
    style = branding.component_style_json if isinstance(branding.component_style_json, dict) else {}
    return style.get(name)


def _delete_files(storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


@transaction.atomic
def branding_update(*, actor, section: str, **values) -> Branding:
    """Saves one section of the branding settings (one tab of the page).

    section "identity": platform_name, short_name, tagline, logo_main, logo_affiliate, favicon (uploaded files),
    remove_logo_main, remove_logo_affiliate, remove_favicon; "colors": primary_color, primary_text_color,
    secondary_color, secondary_text_color; "typography": heading_size, body_size; "components": border_radius,
    primary_hover_color, sidebar_bg, sidebar_text, sidebar_active_bg, sidebar_active_text, card_bg, page_bg.
    Values left out stay as they are. Colours are hex; every text/background pair a change touches must reach
    WCAG AA (4.5:1). Only admins may call it."""
    _require_admin(actor)
    if section not in SECTION_FIELDS:
        raise ServiceError(_("Bagian pengaturan branding tidak dikenal."))
    unknown = sorted(set(values) - set(SECTION_FIELDS[section]))
    if unknown:
        raise ServiceError(_("Isian tidak dikenal untuk bagian ini: %(fields)s.") % {"fields": ", ".join(unknown)})

    branding = _locked_row()
    current = branding_data_from(branding)
    errors: dict[str, list[str]] = {}
    new: dict = {}

    if section == SECTION_IDENTITY:
        for name in TEXT_FIELDS:
            if name in values:
                new[name] = _clean_text(name, values[name], errors)
        uploads = {}
        for name in FILE_FIELDS:
            upload = values.get(name)
            if upload:
                try:
                    uploads[name] = (upload, validate_image_upload(upload, field=name))
                except ServiceError as exc:
                    for field, messages in exc.errors.items():
                        errors.setdefault(field, []).extend(messages)
    elif section in (SECTION_COLORS, SECTION_COMPONENTS):
        for name in COLOR_FIELDS_BY_SECTION[section]:
            if name in values:
                new[name] = _clean_color(name, values[name], errors)
        if section == SECTION_COMPONENTS and "border_radius" in values:
            new["border_radius"] = _clean_number("border_radius", values["border_radius"], errors)
    elif section == SECTION_TYPOGRAPHY:
        for name in TYPOGRAPHY_FIELDS:
            if name in values:
                new[name] = _clean_number(name, values[name], errors)

    colors = {name: getattr(current, name) for name in ALL_COLOR_FIELDS}
    # Only colours that actually change are checked, and a failing pair is reported on the field that changed.
    changed_colors = {
        name: value
        for name, value in new.items()
        if name in ALL_COLOR_FIELDS and value is not None and value != colors[name]
    }
    if changed_colors and not errors:
        colors.update(changed_colors)
        for text, background, label, ratio in contrast_failures(colors, only_fields=set(changed_colors)):
            field = text if text in changed_colors else background
            errors.setdefault(field, []).append(contrast_message(label, ratio))
    if errors:
        raise ServiceError(_("Periksa kembali isian branding."), errors=errors)

    changes: dict[str, list] = {}
    for name in TEXT_FIELDS:
        if name in new and getattr(branding, name) != new[name]:
            changes[name] = [getattr(branding, name), new[name]]
            setattr(branding, name, new[name])
    for name in MODEL_COLOR_FIELDS:
        if name in new and getattr(branding, name) != new[name]:
            changes[name] = [getattr(branding, name), new[name]]
            setattr(branding, name, new[name])
    if section == SECTION_COMPONENTS:
        style = {
            "border_radius": current.border_radius,
            **{name: colors[name] for name in COLOR_FIELDS_BY_SECTION[SECTION_COMPONENTS]},
        }
        for name, value in new.items():
            old = _stored_color(branding, name) if name != "border_radius" else current.border_radius
            if old != value:
                changes[name] = [old, value]
            style[name] = value
        branding.component_style_json = style
    if section == SECTION_TYPOGRAPHY:
        typography = {"heading_size": current.heading_size, "body_size": current.body_size}
        stored = branding.typography_json if isinstance(branding.typography_json, dict) else {}
        for name, value in new.items():
            if stored.get(name) != value:
                changes[name] = [stored.get(name), value]
            typography[name] = value
        branding.typography_json = typography

    old_files: list[str] = []
    if section == SECTION_IDENTITY:
        for name in FILE_FIELDS:
            field_file = getattr(branding, name)
            if name in uploads:
                upload, extension = uploads[name]
                old_name = field_file.name or ""
                if old_name:
                    old_files.append(old_name)
                field_file.save(f"{name.replace('_', '-')}-{secrets.token_hex(8)}.{extension}", upload, save=False)
                changes[name] = [old_name, field_file.name]
            elif values.get(f"remove_{name}") and field_file.name:
                old_files.append(field_file.name)
                changes[name] = [field_file.name, ""]
                setattr(branding, name, "")

    if not changes:
        return branding
    branding.updated_by = actor
    branding.save()
    activity_record(
        action=Action.SETTINGS_CHANGED,
        actor=actor,
        target=branding,
        target_label=_("Branding"),
        data={
            "section": section,
            "fields": sorted(changes),
            "changes": {name: pair for name, pair in changes.items() if name not in FILE_FIELDS},
        },
    )
    transaction.on_commit(branding_cache_clear)
    if old_files:
        transaction.on_commit(partial(_delete_files, branding.logo_main.storage, old_files))
    return branding


@transaction.atomic
def branding_reset_colors(*, actor) -> Branding:
    """Puts every colour (theme and components) back to the Ekspor Yuk defaults; sizes and radius stay."""
    _require_admin(actor)
    branding = _locked_row()
    current = branding_data_from(branding)
    changes = {}
    for name in ALL_COLOR_FIELDS:
        stored = _stored_color(branding, name)
        if stored != DEFAULT_COLORS[name]:
            changes[name] = [stored, DEFAULT_COLORS[name]]
    if not changes:
        return branding
    for name in MODEL_COLOR_FIELDS:
        setattr(branding, name, DEFAULT_COLORS[name])
    branding.component_style_json = {
        "border_radius": current.border_radius,
        **{name: DEFAULT_COLORS[name] for name in COLOR_FIELDS_BY_SECTION[SECTION_COMPONENTS]},
    }
    branding.updated_by = actor
    branding.save()
    activity_record(
        action=Action.SETTINGS_CHANGED,
        actor=actor,
        target=branding,
        target_label=_("Branding"),
        data={"section": "colors_reset", "fields": sorted(changes), "changes": changes},
    )
    transaction.on_commit(branding_cache_clear)
    return branding
