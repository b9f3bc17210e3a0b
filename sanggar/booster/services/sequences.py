"""Automation sequences on the one reminder engine (checklist §5.9): an affiliate's steps (delay after the previous
step, subject, body) started by a trigger (opt-in via a form or any form, any new lead, a tag), stored as the
engine's `ReminderSequence` / `ReminderStep` rows of realm "booster" and sent by the engine's minute sweep
(`reminders_send_due`) through the sender registered here (`realm_register` in `apps.ready`): the engine inserts the
unique log rows (`ReminderSend`, key `lead:<id>`) before anything is sent, this sender charges one credit per email,
sends from the platform's address with the affiliate's name, refunds a failure, and keeps the daily cap, the
per-affiliate and global suppression and the quiet hours (`BOOSTER_QUIET_HOURS`). A lead who bought, unsubscribed or
has no email is stopped. Admins keep default sequences that affiliates copy with one click.

Delays: affiliates set each step's delay after the previous step; the engine schedules from a trigger moment. A step
is stored with its delay after the trigger (the sum of the delays up to it), and after each send the sender moves the
enrollment's anchor to the send's moment minus that step's sum, so the next step goes its own delay after this send
(a step held back by quiet hours, credits or the cap pushes the following ones back, as before)."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.affiliates.models import AffiliateProfile
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.site import site_url
from sanggar.reminders.constants import SendStatus
from sanggar.reminders.engine import Candidate, step_delay
from sanggar.reminders.models import ReminderSend, ReminderStep
from sanggar.reminders.realms import Realm, realm_register
from sanggar.reminders.services import (
    realm_sequence_delete,
    realm_sequence_save,
    realm_sequence_set_active,
    reminders_send_due,
)

from ..constants import STEPS_MAX, EnrollmentStatus, SequenceTrigger
from ..models import REALM, Enrollment, Sequence
from . import credits
from .broadcasts import daily_cap, sent_today
from .mail import Prepared, delivered, send_email, suppressed_among


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


def catch_up() -> timedelta:
    """How long a step held back (credits, a suspension, the daily cap) stays due."""
    return timedelta(hours=settings.BOOSTER_SEQUENCE_CATCH_UP_HOURS)


def _steps(sequence) -> list[ReminderStep]:
    return sorted(sequence.steps.all(), key=lambda s: (s.sort_order, s.pk))


def _minutes(step) -> int:
    return int(step_delay(step).total_seconds() // 60)


# --- triggers: enrolling a lead -------------------------------------------------------------------------------


def _enroll(sequence, lead, now) -> Enrollment | None:
    if not sequence.steps.exists():
        return None
    try:
        with transaction.atomic():
            return Enrollment.objects.create(sequence=sequence, lead=lead, anchor_at=now)
    except IntegrityError:
        return None


def enroll_for_lead(*, lead, via_form=None, now=None) -> int:
    """A new lead: sequences on "any new lead", and on "opt-in" (all forms, or this form)."""
    now = now or timezone.now()
    n = 0
    active = Sequence.objects.filter(
        owner_id=lead.affiliate_id, is_active=True, trigger__in=(SequenceTrigger.LEAD_CREATED, SequenceTrigger.OPTIN)
    )
    for sequence in active:
        if sequence.trigger == SequenceTrigger.OPTIN and (
            via_form is None or sequence.form_id not in (None, via_form.pk)
        ):
            continue
        n += _enroll(sequence, lead, now) is not None
    return n


def enroll_for_tag(*, lead, tag: str, now=None) -> int:
    now = now or timezone.now()
    n = 0
    for sequence in Sequence.objects.filter(
        owner_id=lead.affiliate_id, is_active=True, trigger=SequenceTrigger.TAG_ADDED
    ):
        if sequence.tag == tag:
            n += _enroll(sequence, lead, now) is not None
    return n


def enrollments_stop(*, leads, reason: str) -> int:
    return Enrollment.objects.filter(lead_id__in=list(leads), status=EnrollmentStatus.ACTIVE).update(
        status=EnrollmentStatus.STOPPED, stop_reason=reason[:100]
    )


# --- sequences (affiliates' and admins' defaults) --------------------------------------------------------------


def _clean(value, n) -> str:
    return str(value or "").replace("\x00", "").strip()[:n]


def _owner(affiliate) -> int | None:
    return affiliate.pk if affiliate is not None else None


def sequence_save(*, affiliate, sequence=None, name, description="", trigger, form=None, tag="", steps) -> Sequence:
    """Creates or replaces a sequence and its steps ([{delay_minutes, subject, body}], each delay after the previous
    step). `affiliate` None: an admin's default sequence."""
    from .leads import clean_tag

    name = _clean(name, 120)
    if not name:
        raise ServiceError(_("Beri nama urutan."), errors={"name": [_("Wajib diisi.")]})
    if trigger not in SequenceTrigger.values:
        raise ServiceError(_("Pemicu tidak dikenal."), errors={"trigger": [_("Pemicu tidak dikenal.")]})
    if form is not None and (affiliate is None or form.affiliate_id != affiliate.pk):
        raise NotAllowed(_("Form ini bukan milik Anda."))
    tag = clean_tag(tag)
    if trigger == SequenceTrigger.TAG_ADDED and not tag:
        raise ServiceError(_("Tulis tag pemicunya."), errors={"tag": [_("Wajib untuk pemicu tag.")]})
    cleaned, total = [], 0
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
        total += delay
        cleaned.append((total, subject, body[:20_000]))
    if not cleaned:
        raise ServiceError(_("Tambahkan paling sedikit satu langkah email."), errors={"steps": [_("Wajib.")]})
    if len(cleaned) > STEPS_MAX:
        raise ServiceError(_("Paling banyak %(n)s langkah.") % {"n": STEPS_MAX})
    if sequence is None:
        sequence = Sequence(realm=REALM, owner_id=_owner(affiliate))
    elif sequence.realm != REALM or sequence.owner_id != _owner(affiliate):
        raise NotAllowed(_("Urutan ini bukan milik Anda."))
    params = {"form": form.pk if form else None, "tag": tag, "source": sequence.source_id}
    return realm_sequence_save(
        sequence=sequence, name=name, description=_clean(description, 300), trigger=trigger, params=params,
        steps=cleaned,
    )  # fmt: skip


def _mine(affiliate, sequence) -> None:
    if sequence.realm != REALM or sequence.owner_id != _owner(affiliate):
        raise NotAllowed(_("Urutan ini bukan milik Anda."))


def sequence_set_active(*, affiliate, sequence, active: bool) -> Sequence:
    if affiliate is None:
        raise NotAllowed(_("Urutan ini bukan milik Anda."))
    _mine(affiliate, sequence)
    realm_sequence_set_active(sequence=sequence, is_active=active)
    if not active:
        Enrollment.objects.filter(sequence=sequence, status=EnrollmentStatus.ACTIVE).update(
            status=EnrollmentStatus.STOPPED, stop_reason="dimatikan"
        )
    return sequence


@transaction.atomic
def sequence_adopt(*, affiliate, default: Sequence) -> Sequence:
    """Copies an admin's default sequence to the affiliate, switched on."""
    if default.realm != REALM or default.owner_id is not None:
        raise NotAllowed(_("Ini bukan urutan bawaan."))
    existing = Sequence.objects.filter(owner_id=affiliate.pk, params__source=default.pk).first()
    if existing is not None:
        return sequence_set_active(affiliate=affiliate, sequence=existing, active=True)
    copy = realm_sequence_save(
        sequence=Sequence(realm=REALM, owner_id=affiliate.pk), name=default.name, description=default.description,
        trigger=default.trigger, params={"form": None, "tag": default.tag, "source": default.pk},
        steps=[(_minutes(s), s.subject, s.body) for s in _steps(default)],
    )  # fmt: skip
    return sequence_set_active(affiliate=affiliate, sequence=copy, active=True)


def sequence_delete(*, affiliate, sequence) -> None:
    _mine(affiliate, sequence)
    realm_sequence_delete(sequence=sequence)


def sequences_send_due(*, now: datetime | None = None) -> int:
    """The engine's minute sweep over the booster's sequences only (the beat runs the engine's whole sweep)."""
    return reminders_send_due(now=now, realm=REALM)


# --- the engine's realm: source, stop rule, sender ---------------------------------------------------------------


def _enrolled(sequence, *, now, lo, hi):
    """The leads enrolled in the sequence whose anchor is in the range (not stopped)."""
    qs = (
        Enrollment.objects.filter(sequence_id=sequence.pk, anchor_at__gte=lo, anchor_at__lte=min(hi, now))
        .exclude(status=EnrollmentStatus.STOPPED)
        .select_related("lead")
        .order_by("anchor_at", "id")
    )
    for enrollment in qs.iterator(chunk_size=1000):
        yield Candidate(
            user=None, recipient=enrollment.lead, object_key=f"lead:{enrollment.lead_id}",
            anchor=enrollment.anchor_at, link="",
        )  # fmt: skip


def stops(sequence, candidates) -> set[int]:
    """The lead bought, unsubscribed or has no email (read again just before the batch; one query): stopped."""
    ids = {c.recipient.pk for c in candidates}
    gone = set(
        Enrollment.objects.filter(sequence_id=sequence.pk, lead_id__in=ids)
        .filter(
            Q(status=EnrollmentStatus.STOPPED)
            | Q(lead__converted_at__isnull=False)
            | Q(lead__unsubscribed_at__isnull=False)
            | Q(lead__email="")
        )
        .values_list("lead_id", flat=True)
    )
    if gone:
        enrollments_stop(leads=gone, reason="membeli / berhenti berlangganan")
    return {i for i, c in enumerate(candidates) if c.recipient.pk in gone}


def send_batch(*, sequence, step, items, now, log_insert) -> tuple[int, int]:
    """One step to a batch of leads of one affiliate: the suppressed are logged `unsub` and stopped; the rest go
    as far as the affiliate's credits and daily cap allow (the others are held: still due at the next sweeps). In
    one transaction under the affiliate's credit row: the log rows (unique: another sweep's rows are left out) and
    one charge for those inserted; then each email is sent, the rows marked sent / failed and the failures refunded
    in one entry. A few queries per batch plus one per failed email."""
    affiliate = AffiliateProfile.objects.select_related("user").filter(pk=sequence.owner_id).first()
    if affiliate is None or not items:
        return 0, 0
    suppressed = suppressed_among(affiliate=affiliate, emails=[c.recipient.email for c, _s, _t in items])
    unsub = [item for item in items if item[0].recipient.email.lower() in suppressed]
    wanted = [item for item in items if item[0].recipient.email.lower() not in suppressed]
    account = credits.account_for(affiliate)
    room = 0
    if wanted and not account.sending_suspended:
        room = daily_cap(account) - sent_today(affiliate, now)
    rows, held = [], len(wanted)
    with transaction.atomic():
        if wanted and room > 0:
            account = credits.locked_account(affiliate)
            available, _reserved = credits.balances(account)
            admitted = wanted[: max(0, min(room, available))]
            rows = log_insert(admitted, SendStatus.SENDING) if admitted else []
            held = len(wanted) - len(admitted)
            if rows:
                credits.credit_charge_now(account=account, credits=len(rows), ref=f"sequence:{sequence.pk}")
        if unsub:
            log_insert(unsub, SendStatus.UNSUBSCRIBED)
    if unsub:
        enrollments_stop(leads=[c.recipient.pk for c, _s, _t in unsub], reason="berhenti berlangganan")
    if not rows:
        return 0, held
    prepared = Prepared(subject=step.subject, body=step.body, affiliate=affiliate, base_url=site_url())
    ok, accepted, failed = [], [], []
    for row in rows:
        lead = row.candidate.recipient
        subject, text, html = prepared.fill_tracked(lead=lead, send_id=row.pk)
        result = send_email(to=lead.email, subject=subject, text=text, html=html, affiliate=affiliate)
        if result.ok:
            (accepted if delivered(result) else ok).append(row.pk)
        else:
            failed.append((row.pk, result.error))
    at = timezone.now()
    if ok:
        ReminderSend.objects.filter(pk__in=ok).update(status=SendStatus.SENT)
    if accepted:
        ReminderSend.objects.filter(pk__in=accepted).update(status=SendStatus.SENT, delivered_at=at)
    for pk, error in failed:
        ReminderSend.objects.filter(pk=pk).update(status=SendStatus.FAILED, error=str(error or "")[:300])
    if failed:
        with transaction.atomic():
            account = credits.locked_account(affiliate)
            credits.credit_refund_now(
                account=account, credits=len(failed), ref=f"sequence:{sequence.pk}", note="gagal terkirim"
            )
    # the next step goes its own delay after this send ("after the previous step")
    last = step.pk == _steps(sequence)[-1].pk
    moved = {"anchor_at": now - step_delay(step), **({"status": EnrollmentStatus.DONE} if last else {})}
    Enrollment.objects.filter(
        sequence_id=sequence.pk, lead_id__in=[row.candidate.recipient.pk for row in rows]
    ).exclude(status=EnrollmentStatus.STOPPED).update(**moved)
    return len(ok) + len(accepted), held


def realm_ready() -> None:
    """Registered at app-ready: the booster's triggers, stop rule and sender on the reminder engine."""
    source = _enrolled
    realm_register(
        Realm(
            name=REALM,
            sources=dict.fromkeys(SequenceTrigger.values, source),
            send_batch=send_batch,
            stops=stops,
            quiet_hours=quiet_hours,
            catch_up=catch_up,
            chained=True,
        )
    )
