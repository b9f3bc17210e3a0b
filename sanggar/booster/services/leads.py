"""Leads (the affiliate's mini CRM): unique per affiliate by email or WhatsApp, tags, status, notes, CSV import."""

import csv
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.accounts.validators import normalize_whatsapp
from sanggar.affiliates.constants import AffiliateStatus, ReferralSource
from sanggar.affiliates.models import Referral
from sanggar.affiliates.services.referrals import referral_bind
from sanggar.core.exceptions import RateLimited, ServiceError
from sanggar.core.ratelimit import window_take

from ..constants import IMPORT_MAX_BYTES, NAME_MAX, NOTES_MAX, TAG_MAX, TAGS_PER_LEAD, LeadSource, LeadStatus
from ..models import Lead, LeadTag


def clean_text(value, *, max_length: int) -> str:
    return str(value or "").replace("\x00", "").strip()[:max_length]


def clean_email(value) -> str:
    email = clean_text(value, max_length=254).lower()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        message = _("Alamat email tidak valid, contoh nama@gmail.com.")
        raise ServiceError(message, errors={"email": [message]}) from None
    return email


def clean_whatsapp(value) -> str:
    raw = clean_text(value, max_length=30)
    if not raw:
        return ""
    try:
        return normalize_whatsapp(raw)
    except ValidationError as exc:
        raise ServiceError(exc.messages[0], errors={"whatsapp": exc.messages}) from None


def clean_tag(value) -> str:
    tag = clean_text(value, max_length=TAG_MAX).lower().replace(",", " ")
    return " ".join(tag.split())


def _rate(user_id) -> None:
    wait = window_take(f"user:{user_id}", setting="BOOSTER_LEAD_CREATE_RATE_LIMIT")
    if wait:
        raise RateLimited(_("Terlalu banyak lead dibuat. Coba lagi sebentar lagi."), retry_after=wait)


def find_lead(affiliate, *, email: str, whatsapp: str) -> Lead | None:
    q = Q()
    if email:
        q |= Q(email=email)
    if whatsapp:
        q |= Q(whatsapp=whatsapp)
    return Lead.objects.filter(q, affiliate=affiliate).order_by("id").first() if q else None


def lead_upsert(
    *, affiliate, name="", email="", whatsapp="", source=LeadSource.MANUAL, form=None, notes="", status="",
    tags=(), rate_key=None,
) -> tuple[Lead, bool]:  # fmt: skip
    """Creates a lead, or (same email or WhatsApp for this affiliate) fills the known lead's missing details.
    Returns (lead, created). Automations for a new lead start here."""
    from .sequences import enroll_for_lead, enroll_for_tag

    name = clean_text(name, max_length=NAME_MAX)
    email, whatsapp = clean_email(email), clean_whatsapp(whatsapp)
    if not email and not whatsapp:
        message = _("Isi email atau nomor WhatsApp.")
        raise ServiceError(message, errors={"email": [message]})
    if status and status not in LeadStatus.values:
        raise ServiceError(_("Status tidak dikenal."), errors={"status": [_("Status tidak dikenal.")]})
    tags = [t for t in (clean_tag(t) for t in tags) if t][:TAGS_PER_LEAD]
    with transaction.atomic():
        lead = find_lead(affiliate, email=email, whatsapp=whatsapp)
        created = lead is None
        if created:
            if rate_key is not None:
                _rate(rate_key)
            if Lead.objects.filter(affiliate=affiliate).count() >= settings.BOOSTER_MAX_LEADS:
                raise ServiceError(_("Batas jumlah lead akun Anda sudah tercapai."), code="limit")
            try:
                with transaction.atomic():
                    lead = Lead.objects.create(
                        affiliate=affiliate, name=name, email=email, whatsapp=whatsapp, source=source, form=form,
                        notes=clean_text(notes, max_length=NOTES_MAX), status=status or LeadStatus.NEW,
                    )  # fmt: skip
            except IntegrityError:  # a concurrent submit of the same contact
                lead = find_lead(affiliate, email=email, whatsapp=whatsapp)
                created = False
        if not created:
            changed = []
            for field, value in (("name", name), ("email", email), ("whatsapp", whatsapp)):
                if value and not getattr(lead, field):
                    setattr(lead, field, value)
                    changed.append(field)
            if form is not None and lead.form_id is None:
                lead.form = form
                changed.append("form")
            if changed:
                try:
                    with transaction.atomic():
                        lead.save(update_fields=[*changed, "updated_at"])
                except IntegrityError:  # the new contact belongs to another lead of this affiliate
                    lead.refresh_from_db()
        new_tags = _tags_add(lead, tags)
        if created:
            enroll_for_lead(lead=lead, via_form=form)
        for tag in new_tags:
            enroll_for_tag(lead=lead, tag=tag)
    return lead, created


def _tags_add(lead, tags) -> list[str]:
    have = set(lead.tags.values_list("tag", flat=True)) if lead.pk else set()
    new = [t for t in dict.fromkeys(tags) if t not in have][: max(0, TAGS_PER_LEAD - len(have))]
    LeadTag.objects.bulk_create([LeadTag(lead=lead, tag=t) for t in new], ignore_conflicts=True)
    return new


@transaction.atomic
def lead_tag_add(*, lead, tag) -> bool:
    from .sequences import enroll_for_tag

    tag = clean_tag(tag)
    if not tag:
        raise ServiceError(_("Tag kosong."), errors={"tag": [_("Tag kosong.")]})
    if lead.tags.count() >= TAGS_PER_LEAD:
        raise ServiceError(_("Satu lead paling banyak %(n)s tag.") % {"n": TAGS_PER_LEAD})
    new = _tags_add(lead, [tag])
    for t in new:
        enroll_for_tag(lead=lead, tag=t)
    return bool(new)


def lead_tag_remove(*, lead, tag) -> None:
    LeadTag.objects.filter(lead=lead, tag=clean_tag(tag)).delete()


@transaction.atomic
def lead_update(*, lead, name=None, email=None, whatsapp=None, status=None, notes=None, follow_up_on=None,
                clear_follow_up=False) -> Lead:  # fmt: skip
    from .sequences import enrollments_stop

    changed = []
    if name is not None:
        lead.name = clean_text(name, max_length=NAME_MAX)
        changed.append("name")
    if email is not None:
        lead.email = clean_email(email)
        changed.append("email")
    if whatsapp is not None:
        lead.whatsapp = clean_whatsapp(whatsapp)
        changed.append("whatsapp")
    if not lead.email and not lead.whatsapp:
        raise ServiceError(_("Isi email atau nomor WhatsApp."), errors={"email": [_("Isi email atau nomor WhatsApp.")]})
    if notes is not None:
        lead.notes = clean_text(notes, max_length=NOTES_MAX)
        changed.append("notes")
    if follow_up_on is not None or clear_follow_up:
        lead.follow_up_on = follow_up_on
        changed.append("follow_up_on")
    if status is not None and status != lead.status:
        if status not in LeadStatus.values:
            raise ServiceError(_("Status tidak dikenal."), errors={"status": [_("Status tidak dikenal.")]})
        lead.status = status
        lead.last_contacted_at = timezone.now()  # the status changed: the affiliate was in touch
        changed += ["status", "last_contacted_at"]
        if status == LeadStatus.CONVERTED and lead.converted_at is None:
            lead.converted_at = timezone.now()
            changed.append("converted_at")
            enrollments_stop(leads=[lead.pk], reason="membeli")
    if changed:
        if find_lead_other(lead):
            message = _("Email atau WhatsApp ini sudah dipakai lead lain Anda.")
            raise ServiceError(message, errors={"email": [message]})
        lead.save(update_fields=[*dict.fromkeys(changed), "updated_at"])
    return lead


def find_lead_other(lead) -> bool:
    q = Q()
    if lead.email:
        q |= Q(email=lead.email)
    if lead.whatsapp:
        q |= Q(whatsapp=lead.whatsapp)
    return Lead.objects.filter(q, affiliate_id=lead.affiliate_id).exclude(pk=lead.pk).exists()


def lead_delete(*, lead) -> None:
    lead.delete()


IMPORT_HEADERS = {
    "name": "name", "nama": "name", "email": "email", "whatsapp": "whatsapp", "wa": "whatsapp", "phone": "whatsapp",
    "telepon": "whatsapp", "hp": "whatsapp", "tags": "tags", "tag": "tags", "notes": "notes", "catatan": "notes",
}  # fmt: skip


def leads_import(*, affiliate, user, upload, consent: bool) -> dict:
    """CSV with a header row (nama/name, email, whatsapp, tags separated by ';', catatan). Returns counts and the
    first errors per line. The affiliate confirms the contacts agreed to be emailed."""
    if not consent:
        message = _("Centang pernyataan bahwa kontak ini setuju menerima email dari Anda.")
        raise ServiceError(message, errors={"consent": [message]})
    if upload is None or upload.size > IMPORT_MAX_BYTES:
        message = _("Unggah file CSV paling besar 2 MB.")
        raise ServiceError(message, errors={"file": [message]})
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    text = text.replace("\x00", "")
    try:
        sample = text[:2048]
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    columns = [IMPORT_HEADERS.get(str(h).strip().lower()) for h in (header or [])]
    if "email" not in columns and "whatsapp" not in columns:
        message = _("Baris pertama harus berisi judul kolom, mis. nama,email,whatsapp,tags.")
        raise ServiceError(message, errors={"file": [message]})
    created = updated = 0
    errors: list[str] = []
    for number, row in enumerate(reader, start=2):
        if number - 1 > settings.BOOSTER_IMPORT_MAX_ROWS:
            errors.append(
                _("Baris setelah %(n)s tidak dibaca (batas impor).") % {"n": settings.BOOSTER_IMPORT_MAX_ROWS}
            )
            break
        data = {c: v for c, v in zip(columns, row, strict=False) if c}
        if not any(str(v).strip() for v in data.values()):
            continue
        try:
            _lead, was_created = lead_upsert(
                affiliate=affiliate, name=data.get("name", ""), email=data.get("email", ""),
                whatsapp=data.get("whatsapp", ""), notes=data.get("notes", ""), source=LeadSource.IMPORT,
                tags=str(data.get("tags", "")).split(";"), rate_key=None,
            )  # fmt: skip
        except ServiceError as exc:
            if len(errors) < 20:
                errors.append(_("Baris %(n)s: %(msg)s") % {"n": number, "msg": exc.message})
            if exc.code == "limit":
                break
            continue
        created += was_created
        updated += not was_created
    return {"created": created, "updated": updated, "errors": errors}


def lead_referral_bind(*, user) -> None:
    """A new account whose email (or WhatsApp) is a lead: bound to the referral of the affiliate whose lead it
    became most recently, as if the lead's opt-in were the click (inside the attribution window only). An existing
    referral in force is left to the affiliates' rules."""
    if Referral.objects.filter(user=user, expires_at__gt=timezone.now()).exists():
        return
    q = Q(email=(user.email or "").lower())
    if getattr(user, "whatsapp", ""):
        q |= Q(whatsapp=user.whatsapp)
    lead = (
        Lead.objects.filter(q, affiliate__status=AffiliateStatus.ACTIVE)
        .select_related("affiliate")
        .order_by("-created_at")
        .first()
    )
    if lead is not None:
        referral_bind(user=user, code=lead.affiliate.code, clicked_at=lead.created_at, source=ReferralSource.LINK)
