"""The member directory: a member's opt-in card (which fields others see) and their product interests."""

from django.db import transaction
from django.utils.translation import gettext as _

from sanggar.audit.services import activity_record
from sanggar.core.exceptions import ServiceError
from sanggar.core.guard import has_refused_characters

from .constants import ACTION_PROFILE_SAVED
from .models import MemberProfile

TEXT = {"business_name": 200, "headline": 200, "products": 300, "interests": 300, "address": 300, "npwp": 30}
FLAGS = ("is_listed", "show_city", "show_whatsapp", "show_email", "show_bio", "show_products")


def profile_get(*, user) -> MemberProfile:
    """The member's card (not saved until they save it)."""
    return MemberProfile.objects.filter(user=user).first() or MemberProfile(user=user)


def profile_save(*, user, data: dict) -> MemberProfile:
    errors = {}
    values = {}
    for field, limit in TEXT.items():
        if field not in data:
            continue
        text = str(data.get(field) or "").strip()
        if has_refused_characters(text):
            errors[field] = [_("Karakter tidak valid.")]
        elif len(text) > limit:
            errors[field] = [_("Paling banyak %(max)s karakter.") % {"max": limit}]
        values[field] = text
    npwp = values.get("npwp", "")
    digits = "".join(c for c in npwp if c.isdigit())
    if npwp and len(digits) not in (15, 16):
        errors["npwp"] = [_("NPWP berisi 15 atau 16 angka.")]
    for flag in FLAGS:
        if flag in data:
            values[flag] = bool(data.get(flag))
    if values.get("is_listed") and not (values.get("business_name") or values.get("headline")):
        profile = MemberProfile.objects.filter(user=user).first()
        if not (profile and (profile.business_name or profile.headline)) and "business_name" in data:
            errors["business_name"] = [_("Isi nama usaha atau judul profil agar bisa tampil di direktori.")]
    if errors:
        raise ServiceError(_("Periksa kembali isian profil."), errors=errors)
    with transaction.atomic():
        profile, _created = MemberProfile.objects.select_for_update().get_or_create(user=user)
        for field, value in values.items():
            setattr(profile, field, value)
        profile.save()
        activity_record(action=ACTION_PROFILE_SAVED, actor=user, target=profile, data={"listed": profile.is_listed})
    return profile
