"""Automation sequences: an affiliate's steps (delay, subject, body) started by a trigger (opt-in, any new lead, a
tag), sent by the minute sweep one credit per email, outside the quiet hours (the reminders engine's rule), and
stopped when the lead buys or unsubscribes. Admins keep default sequences that affiliates copy with one click."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.site import site_url
from sanggar.reminders.services import in_quiet_hours

from ..constants import STEPS_MAX, EnrollmentStatus, RecipientStatus, SequenceTrigger
from ..models import Enrollment, Sequence, SequenceSend, SequenceStep
from . import credits
from .broadcasts import daily_cap, sent_today
from .mail import delivered, is_suppressed, render, send_email


@dataclass(frozen=True)
class QuietHours:
    """The shape `reminders.services.in_quiet_hours` reads."""

    quiet_start: time | None
    quiet_end: time | None


def quiet_hours() -> QuietHours:
    raw = (settings.BOOSTER_QUIET_HOURS or "").strip()
    if "-" not in raw:
        return QuietHours(None, None)
    start, end = (p.strip() for p in raw.split("-", 1))
    try:
        return QuietHours(time.fromisoformat(start), time.fromisoformat(end))
    except ValueError:
        return QuietHours(None, None)


def _steps(sequence) -> list[SequenceStep]:
    return list(sequence.steps.order_by("position", "id"))


def _enroll(sequence, lead, now) -> Enrollment | None:
    steps = _steps(sequence)
    if not steps:
        return None
    try:
        with transaction.atomic():
            return Enrollment.objects.create(
                sequence=sequence,
                lead=lead,
                next_position=0,
                next_due_at=now + timedelta(minutes=steps[0].delay_minutes),
            )
    except IntegrityError:
        return None


def enroll_for_lead(*, lead, via_form=None, now=None) -> int:
    """A new lead: sequences on "any new lead", and on "opt-in" (all forms, or this form)."""
    now = now or timezone.now()
    q = Q(trigger=SequenceTrigger.LEAD_CREATED)
    if via_form is not None:
        q |= Q(trigger=SequenceTrigger.OPTIN) & (Q(form__isnull=True) | Q(form=via_form))
    n = 0
    for sequence in Sequence.objects.filter(q, affiliate_id=lead.affiliate_id, is_active=True):
        n += _enroll(sequence, lead, now) is not None
    return n


def enroll_for_tag(*, lead, tag: str, now=None) -> int:
    now = now or timezone.now()
    n = 0
    for sequence in Sequence.objects.filter(
        affiliate_id=lead.affiliate_id, is_active=True, trigger=SequenceTrigger.TAG_ADDED, tag=tag
    ):
        n += _enroll(sequence, lead, now) is not None
    return n


def enrollments_stop(*, leads, reason: str) -> int:
    return Enrollment.objects.filter(lead_id__in=list(leads), status=EnrollmentStatus.ACTIVE).update(
        status=EnrollmentStatus.STOPPED, stop_reason=reason[:100], next_due_at=None
    )


def _clean(value, n) -> str:
    return str(value or "").replace("\x00", "").strip()[:n]


@transaction.atomic
def sequence_save(*, affiliate, sequence=None, name, description="", trigger, form=None, tag="", steps) -> Sequence:
    """Creates or replaces a sequence and its steps ([{delay_minutes, subject, body}]). `affiliate` None: an admin's
    default sequence."""
    name = _clean(name, 120)
    if not name:
        raise ServiceError(_("Beri nama urutan."), errors={"name": [_("Wajib diisi.")]})
    if trigger not in SequenceTrigger.values:
        raise ServiceError(_("Pemicu tidak dikenal."), errors={"trigger": [_("Pemicu tidak dikenal.")]})
    if form is not None and (affiliate is None or form.affiliate_id != affiliate.pk):
        raise NotAllowed(_("Form ini bukan milik Anda."))
    from .leads import clean_tag

    tag = clean_tag(tag)
    if trigger == SequenceTrigger.TAG_ADDED and not tag:
        raise ServiceError(_("Tulis tag pemicunya."), errors={"tag": [_("Wajib untuk pemicu tag.")]})
    cleaned = []
    for i, step in enumerate(steps or []):
        subject, body = _clean(step.get("subject"), 200), str(step.get("body") or "").replace("\x00", "").strip()
        if not subject and not body:
            continue
        if not subject or not body:
            raise ServiceError(_("Langkah %(n)s: isi subjek dan isi email.") % {"n": i + 1})
        try:
            delay = int(step.get("delay_minutes") or 0)
        except (TypeError, ValueError):
            delay = -1
        if not 0 <= delay <= 60 * 24 * 90:
            raise ServiceError(_("Langkah %(n)s: jeda 0 menit sampai 90 hari.") % {"n": i + 1})
        cleaned.append((delay, subject, body[:20_000]))
    if not cleaned:
        raise ServiceError(_("Tambahkan paling sedikit satu langkah email."), errors={"steps": [_("Wajib.")]})
    if len(cleaned) > STEPS_MAX:
        raise ServiceError(_("Paling banyak %(n)s langkah.") % {"n": STEPS_MAX})
    if sequence is None:
        sequence = Sequence(affiliate=affiliate)
    elif sequence.affiliate_id != (affiliate.pk if affiliate else None):
        raise NotAllowed(_("Urutan ini bukan milik Anda."))
    sequence.name, sequence.description, sequence.trigger = name, _clean(description, 300), trigger
    sequence.form, sequence.tag = form, tag
    sequence.save()
    old = {s.position: s for s in sequence.steps.all()}
    for position, (delay, subject, body) in enumerate(cleaned):
        step = old.pop(position, None) or SequenceStep(sequence=sequence, position=position)
        step.delay_minutes, step.subject, step.body = delay, subject, body
        step.save()
    for step in old.values():
        step.delete()
    return sequence


def sequence_set_active(*, affiliate, sequence, active: bool) -> Sequence:
    if sequence.affiliate_id != affiliate.pk:
        raise NotAllowed(_("Urutan ini bukan milik Anda."))
    sequence.is_active = active
    sequence.save(update_fields=["is_active", "updated_at"])
    if not active:
        Enrollment.objects.filter(sequence=sequence, status=EnrollmentStatus.ACTIVE).update(
            status=EnrollmentStatus.STOPPED, stop_reason="dimatikan", next_due_at=None
        )
    return sequence


@transaction.atomic
def sequence_adopt(*, affiliate, default: Sequence) -> Sequence:
    """Copies an admin's default sequence to the affiliate, switched on."""
    if default.affiliate_id is not None:
        raise NotAllowed(_("Ini bukan urutan bawaan."))
    existing = Sequence.objects.filter(affiliate=affiliate, source=default).first()
    if existing is not None:
        return sequence_set_active(affiliate=affiliate, sequence=existing, active=True)
    copy = Sequence.objects.create(
        affiliate=affiliate, name=default.name, description=default.description, trigger=default.trigger,
        tag=default.tag, source=default, is_active=True,
    )  # fmt: skip
    SequenceStep.objects.bulk_create(
        [
            SequenceStep(
                sequence=copy, position=s.position, delay_minutes=s.delay_minutes, subject=s.subject, body=s.body
            )
            for s in default.steps.all()
        ]
    )
    return copy


def sequence_delete(*, affiliate, sequence) -> None:
    if sequence.affiliate_id != (affiliate.pk if affiliate else None):
        raise NotAllowed(_("Urutan ini bukan milik Anda."))
    sequence.delete()


def sequences_send_due(*, now: datetime | None = None, sender=None) -> int:
    """The minute sweep: sends each due step once (the log row is inserted first), one credit each; a lead who
    bought, unsubscribed or is suppressed is stopped; short credits, a suspension or the daily cap leave the step
    due for a later run."""
    now = now or timezone.now()
    sender = sender or send_email
    if in_quiet_hours(quiet_hours(), now):
        return 0
    due = list(
        Enrollment.objects.filter(status=EnrollmentStatus.ACTIVE, next_due_at__lte=now)
        .select_related("lead", "sequence__affiliate__user")
        .order_by("next_due_at")[: settings.BOOSTER_SEQUENCE_MAX_PER_RUN]
    )
    sent = 0
    base = site_url()
    room: dict[int, int] = {}
    for enrollment in due:
        lead, affiliate = enrollment.lead, enrollment.sequence.affiliate
        if affiliate is None:
            continue
        if (
            lead.converted_at
            or lead.unsubscribed_at
            or not lead.email
            or is_suppressed(affiliate=affiliate, email=lead.email)
        ):
            enrollments_stop(leads=[lead.pk], reason="membeli / berhenti berlangganan")
            continue
        steps = _steps(enrollment.sequence)
        if enrollment.next_position >= len(steps):
            Enrollment.objects.filter(pk=enrollment.pk).update(status=EnrollmentStatus.DONE, next_due_at=None)
            continue
        step = steps[enrollment.next_position]
        account = credits.account_for(affiliate)
        if account.sending_suspended:
            continue
        if affiliate.pk not in room:
            room[affiliate.pk] = daily_cap(account) - sent_today(affiliate, now)
        if room[affiliate.pk] <= 0:
            continue
        with transaction.atomic():
            account = credits.locked_account(affiliate)
            try:
                credits.credit_charge_now(account=account, credits=1, ref=f"sequence:{enrollment.sequence_id}")
            except ServiceError:
                continue  # paused until the affiliate tops up
            try:
                with transaction.atomic():
                    log = SequenceSend.objects.create(enrollment=enrollment, step=step, email=lead.email)
            except IntegrityError:  # already sent by an earlier run: give the credit back, move on
                credits.credit_refund_now(account=account, credits=1, ref=f"sequence:{enrollment.sequence_id}")
                log = None
        if log is not None:
            subject, text, html = render(
                subject=step.subject, body=step.body, lead=lead, affiliate=affiliate, kind="s", pk=log.pk, base_url=base
            )
            result = sender(to=lead.email, subject=subject, text=text, html=html, affiliate=affiliate)
            if result.ok:
                at = timezone.now()
                SequenceSend.objects.filter(pk=log.pk).update(
                    status=RecipientStatus.SENT, sent_at=at, delivered_at=at if delivered(result) else None
                )
                sent += 1
                room[affiliate.pk] -= 1
            else:
                SequenceSend.objects.filter(pk=log.pk).update(status=RecipientStatus.FAILED, error=result.error[:300])
                with transaction.atomic():
                    account = credits.locked_account(affiliate)
                    credits.credit_refund_now(
                        account=account, credits=1, ref=f"sequence:{enrollment.sequence_id}", note="gagal terkirim"
                    )
        nxt = enrollment.next_position + 1
        if nxt >= len(steps):
            Enrollment.objects.filter(pk=enrollment.pk).update(
                next_position=nxt, status=EnrollmentStatus.DONE, next_due_at=None
            )
        else:
            Enrollment.objects.filter(pk=enrollment.pk).update(
                next_position=nxt, next_due_at=now + timedelta(minutes=steps[nxt].delay_minutes)
            )
    return sent


def mark_open(*, send_id: int, now=None) -> None:
    SequenceSend.objects.filter(pk=send_id, opened_at__isnull=True).update(opened_at=now or timezone.now())


def mark_click(*, send_id: int, now=None) -> None:
    now = now or timezone.now()
    mark_open(send_id=send_id, now=now)
    SequenceSend.objects.filter(pk=send_id, clicked_at__isnull=True).update(clicked_at=now)
