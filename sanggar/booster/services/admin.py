"""The admins' side: email and bio templates, credit packages, sending controls per affiliate, the global
suppression list, default automation sequences. Every change is audited."""

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.roles import Role
from sanggar.notifications.selectors import suppressed_emails
from sanggar.notifications.services import suppression_add as notification_suppression_add
from sanggar.notifications.services import suppression_remove as notification_suppression_remove

from ..constants import (
    ACTION_PACKAGE_SAVED,
    ACTION_SENDING_CHANGED,
    ACTION_SUPPRESSION,
    ACTION_TEMPLATE_SAVED,
    ButtonKind,
    Font,
    TemplateCategory,
    Theme,
)
from ..models import BioTemplate, CreditPackage, EmailTemplate
from . import credits
from .leads import clean_email, clean_text
from .pages import _color


def _admin(actor) -> None:
    if actor is None or not actor.has_role(Role.ADMIN):
        raise NotAllowed(_("Hanya admin."))


def _error(field, message) -> ServiceError:
    return ServiceError(message, errors={field: [message]})


@transaction.atomic
def email_template_save(*, actor, template=None, name, category, subject, body, is_published) -> EmailTemplate:
    _admin(actor)
    name, subject = clean_text(name, max_length=120), clean_text(subject, max_length=200)
    body = str(body or "").replace("\x00", "").strip()[:20_000]
    if not name or not subject or not body:
        raise _error("name", _("Nama, subjek dan isi wajib diisi."))
    if category not in TemplateCategory.values:
        raise _error("category", _("Kategori tidak dikenal."))
    template = template or EmailTemplate()
    template.name, template.category, template.subject, template.body = name, category, subject, body
    template.is_published = bool(is_published)
    template.save()
    activity_record(action=ACTION_TEMPLATE_SAVED, actor=actor, target=template, target_label=name,
                    data={"kind": "email", "published": template.is_published})  # fmt: skip
    return template


@transaction.atomic
def bio_template_save(*, actor, template=None, name, theme, primary_color, font, headline, bio, buttons,
                      is_published) -> BioTemplate:  # fmt: skip
    _admin(actor)
    name = clean_text(name, max_length=120)
    if not name:
        raise _error("name", _("Beri nama template."))
    if theme not in Theme.values or font not in Font.values:
        raise _error("theme", _("Tema atau huruf tidak dikenal."))
    clean_buttons = []
    for b in buttons or []:
        kind, label = str(b.get("kind", "")), clean_text(b.get("label"), max_length=80)
        if kind in ButtonKind.values and label:
            clean_buttons.append({"kind": kind, "label": label})
    template = template or BioTemplate()
    template.name, template.theme, template.font = name, theme, font
    template.primary_color = _color(primary_color, "primary_color")
    template.headline, template.bio = clean_text(headline, max_length=150), clean_text(bio, max_length=1000)
    template.buttons, template.is_published = clean_buttons[:20], bool(is_published)
    template.save()
    activity_record(action=ACTION_TEMPLATE_SAVED, actor=actor, target=template, target_label=name,
                    data={"kind": "bio", "published": template.is_published})  # fmt: skip
    return template


@transaction.atomic
def package_save(*, actor, package=None, name, price, credits_amount, is_active, position=0) -> CreditPackage:
    _admin(actor)
    name = clean_text(name, max_length=80)
    if not name:
        raise _error("name", _("Beri nama paket."))
    try:
        price, credits_amount, position = int(price), int(credits_amount), int(position or 0)
    except (TypeError, ValueError):
        raise _error("price", _("Harga dan jumlah kredit berupa angka.")) from None
    if not 1_000 <= price <= 100_000_000:
        raise _error("price", _("Harga antara Rp 1.000 dan Rp 100.000.000."))
    if not 1 <= credits_amount <= 1_000_000:
        raise _error("credits", _("Kredit antara 1 dan 1.000.000."))
    package = package or CreditPackage(slug=_unique_slug(name))
    package.name, package.price, package.credits = name, price, credits_amount
    package.is_active, package.position = bool(is_active), max(0, min(position, 1000))
    package.save()
    activity_record(action=ACTION_PACKAGE_SAVED, actor=actor, target=package, target_label=name,
                    data={"price": price, "credits": credits_amount, "active": package.is_active})  # fmt: skip
    return package


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "paket"
    slug, n = base, 2
    while CreditPackage.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def sending_control(*, actor, affiliate, suspended: bool, reason: str = "", daily_cap=None) -> None:
    _admin(actor)
    account = credits.locked_account(affiliate)
    if daily_cap is not None and not 0 <= int(daily_cap) <= 1_000_000:
        raise _error("daily_cap", _("Batas harian 0 sampai 1.000.000 (kosong: bawaan)."))
    account.sending_suspended = bool(suspended)
    account.suspended_reason = clean_text(reason, max_length=200) if suspended else ""
    account.daily_cap = int(daily_cap) if daily_cap is not None else None
    account.save(update_fields=["sending_suspended", "suspended_reason", "daily_cap", "updated_at"])
    activity_record(action=ACTION_SENDING_CHANGED, actor=actor, target=account, target_label=affiliate.code,
                    data={"suspended": account.sending_suspended, "daily_cap": account.daily_cap})  # fmt: skip


@transaction.atomic
def suppression_add(*, actor, email: str, reason: str = ""):
    """Blocks an address for every affiliate's email AND the platform's broadcasts: the global list is
    notifications' EmailSuppression (one list for all marketing email)."""
    _admin(actor)
    email = clean_email(email)
    if not email:
        raise _error("email", _("Isi alamat email."))
    if suppressed_emails(emails=[email]):
        raise _error("email", _("Alamat ini sudah ada di daftar."))
    row = notification_suppression_add(email=email, reason=clean_text(reason, max_length=20) or "admin", actor=actor)
    activity_record(action=ACTION_SUPPRESSION, actor=actor, target=row, target_label=email, data={"added": True})
    return row


@transaction.atomic
def suppression_remove(*, actor, row) -> None:
    """Takes an address off the global list (an EmailSuppression row)."""
    _admin(actor)
    activity_record(action=ACTION_SUPPRESSION, actor=actor, target_label=row.email, data={"added": False})
    notification_suppression_remove(suppression_id=row.pk, actor=actor)
