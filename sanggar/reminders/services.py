"""Reminder sequences and broadcasts: every write goes through here (pages, the beat task and the demo call these).
Messages leave through `sanggar.notifications.services.notify_text` (in-app row + one delivery per channel the user
has not switched off for the preference group)."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.accounts.constants import PROVINCES
from sanggar.audit.services import activity_record
from sanggar.core.exceptions import ServiceError
from sanggar.core.roles import Role
from sanggar.memberships.constants import MembershipStatus
from sanggar.memberships.models import UserMembership
from sanggar.notifications.constants import Channel
from sanggar.notifications.models import Delivery
from sanggar.notifications.services import notify_text
from sanggar.orders.constants import OrderStatus
from sanggar.orders.models import Order

from .constants import GROUP, Action, BroadcastStatus, SegmentStatus, SendStatus, StopOn, Trigger
from .models import Broadcast, BroadcastRecipient, ReminderSend, ReminderSequence, ReminderStep

User = get_user_model()

SHORTCODES = ("{name}", "{email}", "{plan}", "{ends_at}", "{days_left}", "{invoice}", "{total}")
SAMPLE = {
    "name": "Maya Lestari",
    "email": "maya@contoh.id",
    "plan": "Gold Tahunan",
    "ends_at": "12 Desember 2026",
    "days_left": "7",
    "invoice": "INV-2026-0042",
    "total": "Rp 1.500.000",
}


# --- validation ---------------------------------------------------------------------------------------------


def _clean_text(value, *, label, max_length, required=True) -> str:
    text = str(value or "").strip()
    if "\x00" in text:
        raise ServiceError(_("%(label)s berisi karakter yang tidak diizinkan.") % {"label": label})
    if required and not text:
        raise ServiceError(_("%(label)s wajib diisi.") % {"label": label})
    if len(text) > max_length:
        raise ServiceError(
            _("%(label)s terlalu panjang (maksimal %(n)s karakter).") % {"label": label, "n": max_length}
        )
    return text


def _clean_channels(channels) -> list[str]:
    if not isinstance(channels, list | tuple):
        raise ServiceError(_("Saluran tidak valid."))
    result = []
    for channel in channels:
        if channel not in Channel.values:
            raise ServiceError(_("Saluran tidak dikenal."))
        if channel not in result:
            result.append(channel)
    return result


# --- sequences ----------------------------------------------------------------------------------------------


@transaction.atomic
def sequence_save(
    *,
    actor,
    sequence=None,
    name,
    trigger,
    days=0,
    stop_on=StopOn.NONE,
    quiet_start=None,
    quiet_end=None,
    is_active=True,
) -> ReminderSequence:
    name = _clean_text(name, label=_("Nama"), max_length=120)
    if trigger not in Trigger.values:
        raise ServiceError(_("Pemicu tidak dikenal."))
    if stop_on not in StopOn.values:
        raise ServiceError(_("Kondisi berhenti tidak dikenal."))
    try:
        days = int(days or 0)
    except (TypeError, ValueError):
        raise ServiceError(_("Jumlah hari harus berupa angka.")) from None
    if not 0 <= days <= 365:
        raise ServiceError(_("Jumlah hari harus antara 0 dan 365."))
    if trigger == Trigger.MEMBERSHIP_EXPIRING and days < 1:
        raise ServiceError(_("Isi berapa hari sebelum keanggotaan berakhir (minimal 1)."))
    if (quiet_start is None) != (quiet_end is None):
        raise ServiceError(_("Isi jam mulai dan jam selesai jam tenang, atau kosongkan keduanya."))
    if quiet_start is not None and (not isinstance(quiet_start, time) or not isinstance(quiet_end, time)):
        raise ServiceError(_("Jam tenang tidak valid."))
    sequence = sequence or ReminderSequence()
    sequence.name, sequence.trigger, sequence.days, sequence.stop_on = name, trigger, days, stop_on
    sequence.quiet_start, sequence.quiet_end, sequence.is_active = quiet_start, quiet_end, bool(is_active)
    sequence.save()
    activity_record(action=Action.SEQUENCE_SAVED, actor=actor, target=sequence, target_label=sequence.name)
    return sequence


@transaction.atomic
def step_save(*, actor, sequence, step=None, delay_hours, channels, subject, body) -> ReminderStep:
    try:
        delay_hours = int(delay_hours)
    except (TypeError, ValueError):
        raise ServiceError(_("Jeda harus berupa angka jam.")) from None
    if not 0 <= delay_hours <= 24 * 365:
        raise ServiceError(_("Jeda harus antara 0 dan 8760 jam."))
    channels = _clean_channels(channels)
    subject = _clean_text(subject, label=_("Judul"), max_length=200)
    body = _clean_text(body, label=_("Isi pesan"), max_length=4000)
    if step is None:
        if sequence.steps.count() >= settings.REMINDERS_MAX_STEPS:
            raise ServiceError(_("Satu urutan paling banyak %(n)s langkah.") % {"n": settings.REMINDERS_MAX_STEPS})
        step = ReminderStep(sequence=sequence)
    step.delay_hours, step.channels, step.subject, step.body = delay_hours, channels, subject, body
    step.save()
    activity_record(action=Action.STEP_SAVED, actor=actor, target=sequence, target_label=sequence.name)
    return step


@transaction.atomic
def step_delete(*, actor, step) -> None:
    sequence = step.sequence
    step.delete()
    activity_record(action=Action.STEP_DELETED, actor=actor, target=sequence, target_label=sequence.name)


@transaction.atomic
def sequence_duplicate(*, actor, sequence) -> ReminderSequence:
    """A copy of a sequence with all its steps, switched off (so nothing goes out until an admin reviews it)."""
    copy = ReminderSequence.objects.create(
        name=(_("%(name)s (salinan)") % {"name": sequence.name})[:120],
        trigger=sequence.trigger,
        days=sequence.days,
        stop_on=sequence.stop_on,
        quiet_start=sequence.quiet_start,
        quiet_end=sequence.quiet_end,
        is_active=False,
    )
    ReminderStep.objects.bulk_create(
        [
            ReminderStep(
                sequence=copy, delay_hours=s.delay_hours, channels=list(s.channels), subject=s.subject, body=s.body
            )
            for s in sequence.steps.all()
        ]
    )
    activity_record(
        action=Action.SEQUENCE_DUPLICATED,
        actor=actor,
        target=copy,
        target_label=copy.name,
        data={"from": sequence.pk},
    )
    return copy


def step_test_send(*, actor, step):
    """Sends one step to the admin themselves, on its channels, filled with their own name and email and the sample
    values for the rest. Not counted in the sequence's log or statistics."""
    if not actor.is_admin:
        raise ServiceError(_("Hanya admin yang dapat mengirim uji coba."))
    context = {**SAMPLE, "name": actor.full_name, "email": actor.email}
    title = (_("[Uji coba] %(subject)s") % {"subject": render_text(step.subject, context)})[:200]
    notification = notify_text(
        user=actor,
        kind=GROUP,
        title=title,
        message=render_text(step.body, context),
        link="/dashboard",
        channels=list(step.channels),
    )
    activity_record(
        action=Action.STEP_TESTED,
        actor=actor,
        target=step.sequence,
        target_label=step.sequence.name,
        data={"step": step.pk},
    )
    return notification


def sequence_log(*, sequence, status: str = ""):
    """Every send of a sequence, newest first, with its user, step and the notification's deliveries (for a bounded
    number of queries per page: prefetch the deliveries)."""
    qs = (
        ReminderSend.objects.filter(step__sequence=sequence)
        .select_related("user", "step", "notification")
        .prefetch_related("notification__deliveries")
        .order_by("-created_at", "-id")
    )
    if status in SendStatus.values:
        qs = qs.filter(status=status)
    return qs


def render_text(text: str, context: dict) -> str:
    """Fills the known shortcodes; unknown ones stay as typed."""
    for key, value in context.items():
        text = text.replace("{" + key + "}", str(value))
    return text


def in_quiet_hours(sequence, now: datetime) -> bool:
    if sequence.quiet_start is None or sequence.quiet_end is None:
        return False
    local = timezone.localtime(now).time()
    start, end = sequence.quiet_start, sequence.quiet_end
    if start <= end:
        return start <= local < end
    return local >= start or local < end  # over midnight, e.g. 21:00–08:00


@dataclass(frozen=True)
class Candidate:
    user: object
    object_key: str
    anchor: datetime
    context: dict
    link: str


def _fmt_date(value) -> str:
    return timezone.localtime(value).strftime("%d-%m-%Y") if value else ""


def _candidates(sequence, *, now, window_start) -> list[Candidate]:
    """The trigger objects whose moment (anchor) lies between `window_start` and `now`, without those the stop
    condition ends."""
    trigger, result = sequence.trigger, []
    if trigger in (Trigger.MEMBERSHIP_STARTED, Trigger.MEMBERSHIP_EXPIRING, Trigger.MEMBERSHIP_EXPIRED):
        qs = UserMembership.objects.select_related("user", "plan")
        if trigger == Trigger.MEMBERSHIP_STARTED:
            qs = qs.filter(status=MembershipStatus.ACTIVE, starts_at__gte=window_start, starts_at__lte=now)
        elif trigger == Trigger.MEMBERSHIP_EXPIRING:
            shift = timedelta(days=sequence.days)
            qs = qs.filter(status=MembershipStatus.ACTIVE, ends_at__gt=now, ends_at__lte=now + shift)
            qs = qs.filter(ends_at__gte=window_start + shift)
        else:
            qs = qs.filter(status=MembershipStatus.EXPIRED, ends_at__gte=window_start, ends_at__lte=now)
            if sequence.stop_on == StopOn.RENEWED:
                active = UserMembership.objects.filter(user_id=OuterRef("user_id"), status=MembershipStatus.ACTIVE)
                qs = qs.exclude(Exists(active))
        for m in qs[: settings.REMINDERS_MAX_PER_RUN]:
            if trigger == Trigger.MEMBERSHIP_STARTED:
                anchor = m.starts_at
            elif trigger == Trigger.MEMBERSHIP_EXPIRING:
                anchor = m.ends_at - timedelta(days=sequence.days)
            else:
                anchor = m.ends_at
            days_left = max(0, (m.ends_at - now).days + (1 if (m.ends_at - now).seconds else 0)) if m.ends_at else ""
            result.append(
                Candidate(
                    user=m.user,
                    object_key=f"m:{m.pk}:{m.ends_at.isoformat() if m.ends_at else '-'}",
                    anchor=anchor,
                    context={"plan": m.plan.title, "ends_at": _fmt_date(m.ends_at), "days_left": days_left},
                    link="/dashboard",
                )
            )
    else:
        qs = Order.objects.select_related("buyer")
        if trigger == Trigger.ORDER_PENDING:
            qs = qs.filter(status=OrderStatus.PENDING, created_at__gte=window_start, created_at__lte=now)
        else:
            qs = qs.filter(status=OrderStatus.PAID, paid_at__gte=window_start, paid_at__lte=now)
        for o in qs[: settings.REMINDERS_MAX_PER_RUN]:
            anchor = o.created_at if trigger == Trigger.ORDER_PENDING else o.paid_at
            result.append(
                Candidate(
                    user=o.buyer,
                    object_key=f"o:{o.pk}",
                    anchor=anchor,
                    context={"invoice": o.invoice_number, "total": f"Rp {o.total:,}".replace(",", ".")},
                    link="/dashboard",
                )
            )
    return result


def _still_applies(sequence, candidate) -> bool:
    """The stop condition, read again just before a step is sent (the object may have changed since the query)."""
    kind, pk = candidate.object_key.split(":")[:2]
    if sequence.stop_on == StopOn.PAID and kind == "o":
        return Order.objects.filter(pk=pk, status=OrderStatus.PENDING).exists()
    if sequence.stop_on == StopOn.RENEWED and kind == "m":
        if sequence.trigger == Trigger.MEMBERSHIP_EXPIRED:
            return not UserMembership.objects.filter(user=candidate.user, status=MembershipStatus.ACTIVE).exists()
        ends = candidate.object_key.split(":", 2)[2]
        m = UserMembership.objects.filter(pk=pk).first()
        return m is not None and m.status == MembershipStatus.ACTIVE and (m.ends_at and m.ends_at.isoformat()) == ends
    return True


def _send(*, user, channels, subject, body, link):
    """Sends through notifications; returns (status, notification). A user who switched off every chosen channel
    for the group gets nothing (opt-out)."""
    enabled = [c for c in channels if user.channel_enabled(GROUP, c)]
    if channels and not enabled:
        return SendStatus.SKIPPED, None
    notification = notify_text(user=user, kind=GROUP, title=subject, message=body, link=link, channels=enabled)
    return SendStatus.SENT, notification


def reminders_send_due(*, now=None) -> int:
    """Sends every due step of every active sequence. A step is due when its trigger's moment + delay has passed
    and lies within `REMINDERS_CATCH_UP_HOURS` (a new sequence does not message the whole history). Idempotent: the
    `ReminderSend` row is inserted first; a rerun (or a parallel run) finds it and sends nothing. Returns sent."""
    now = now or timezone.now()
    catch_up = timedelta(hours=settings.REMINDERS_CATCH_UP_HOURS)
    sent = 0
    for sequence in ReminderSequence.objects.filter(is_active=True).prefetch_related("steps"):
        if in_quiet_hours(sequence, now):
            continue  # the step stays due and goes out after the quiet hours (within the catch-up window)
        steps = list(sequence.steps.all())
        if not steps:
            continue
        max_delay = timedelta(hours=max(s.delay_hours for s in steps))
        candidates = _candidates(sequence, now=now, window_start=now - max_delay - catch_up)
        if not candidates:
            continue
        done = set(
            ReminderSend.objects.filter(step__in=steps, object_key__in=[c.object_key for c in candidates]).values_list(
                "step_id", "user_id", "object_key"
            )
        )
        for candidate in candidates:
            for step in steps:
                due_at = candidate.anchor + timedelta(hours=step.delay_hours)
                if not (due_at <= now < due_at + catch_up):
                    continue
                if (step.pk, candidate.user.pk, candidate.object_key) in done:
                    continue
                if not _still_applies(sequence, candidate):
                    break
                sent += _send_step(step=step, candidate=candidate)
    return sent


def _send_step(*, step, candidate) -> int:
    context = {"name": candidate.user.full_name, "email": candidate.user.email, **candidate.context}
    try:
        with transaction.atomic():
            row = ReminderSend.objects.create(step=step, user=candidate.user, object_key=candidate.object_key)
            status, notification = _send(
                user=candidate.user,
                channels=step.channels,
                subject=render_text(step.subject, context),
                body=render_text(step.body, context),
                link=candidate.link,
            )
            row.status, row.notification = status, notification
            row.save(update_fields=["status", "notification"])
    except IntegrityError:
        return 0  # another run sent it
    return 1 if status == SendStatus.SENT else 0


def sequence_stats(*, sequence) -> dict:
    sends = ReminderSend.objects.filter(step__sequence=sequence)
    return _stats(sends, Delivery.objects.filter(notification__in=sends.values("notification_id")))


def _stats(rows, deliveries) -> dict:
    by_status = dict(deliveries.values_list("status").annotate(n=Count("id")))
    return {
        "recipients": rows.filter(status=SendStatus.SENT).count(),
        "opted_out": rows.filter(status=SendStatus.SKIPPED).count(),
        "sent": by_status.get("sent", 0) + by_status.get("logged", 0),
        "queued": by_status.get("queued", 0),
        "failed": by_status.get("failed", 0),
        "skipped": by_status.get("skipped", 0),
    }


# --- broadcasts ---------------------------------------------------------------------------------------------


def _clean_days(value, label) -> int:
    try:
        value = int(value or 0)
    except (TypeError, ValueError):
        raise ServiceError(_("%(label)s harus berupa angka.") % {"label": label}) from None
    if not 0 <= value <= 3650:
        raise ServiceError(_("%(label)s harus antara 0 dan 3650 hari.") % {"label": label})
    return value


@transaction.atomic
def broadcast_save(
    *,
    actor,
    broadcast=None,
    title,
    subject,
    body,
    channels,
    segment_role="",
    segment_plan=None,
    segment_status="",
    segment_province="",
    segment_expiring_days=0,
    segment_inactive_days=0,
) -> Broadcast:
    if broadcast is not None and broadcast.status != BroadcastStatus.DRAFT:
        raise ServiceError(_("Broadcast yang sudah dikirim atau dijadwalkan tidak dapat diubah."))
    segment_province = str(segment_province or "")
    if segment_province and segment_province not in PROVINCES:
        raise ServiceError(_("Provinsi tidak dikenal."))
    segment_expiring_days = _clean_days(segment_expiring_days, _("Berakhir dalam"))
    segment_inactive_days = _clean_days(segment_inactive_days, _("Tidak aktif sejak"))
    title = _clean_text(title, label=_("Nama broadcast"), max_length=120)
    subject = _clean_text(subject, label=_("Judul"), max_length=200)
    body = _clean_text(body, label=_("Isi pesan"), max_length=4000)
    channels = _clean_channels(channels)
    if segment_role and segment_role not in Role.values:
        raise ServiceError(_("Peran tidak dikenal."))
    if segment_status not in SegmentStatus.values:
        raise ServiceError(_("Status keanggotaan tidak dikenal."))
    broadcast = broadcast or Broadcast(created_by=actor)
    broadcast.title, broadcast.subject, broadcast.body, broadcast.channels = title, subject, body, channels
    broadcast.segment_role, broadcast.segment_plan, broadcast.segment_status = (
        segment_role or "",
        segment_plan,
        segment_status,
    )
    broadcast.segment_province = segment_province
    broadcast.segment_expiring_days, broadcast.segment_inactive_days = segment_expiring_days, segment_inactive_days
    broadcast.save()
    activity_record(action=Action.BROADCAST_SAVED, actor=actor, target=broadcast, target_label=broadcast.title)
    return broadcast


def segment_users(*, broadcast):
    qs = User.objects.filter(is_active=True)
    if broadcast.segment_role:
        qs = qs.filter(roles__role=broadcast.segment_role)
    if broadcast.segment_plan_id:
        qs = qs.filter(memberships__plan_id=broadcast.segment_plan_id, memberships__status=MembershipStatus.ACTIVE)
    if broadcast.segment_status == SegmentStatus.ACTIVE:
        qs = qs.filter(memberships__status=MembershipStatus.ACTIVE)
    elif broadcast.segment_status == SegmentStatus.EXPIRED:
        active = UserMembership.objects.filter(user_id=OuterRef("pk"), status=MembershipStatus.ACTIVE)
        qs = qs.filter(memberships__status=MembershipStatus.EXPIRED).exclude(Exists(active))
    elif broadcast.segment_status == SegmentStatus.NONE:
        qs = qs.exclude(Exists(UserMembership.objects.filter(user_id=OuterRef("pk"))))
    if broadcast.segment_province:
        qs = qs.filter(province=broadcast.segment_province)
    now = timezone.now()
    if broadcast.segment_expiring_days:
        ending = UserMembership.objects.filter(
            user_id=OuterRef("pk"),
            status=MembershipStatus.ACTIVE,
            ends_at__gt=now,
            ends_at__lte=now + timedelta(days=broadcast.segment_expiring_days),
        )
        qs = qs.filter(Exists(ending))
    if broadcast.segment_inactive_days:
        cutoff = now - timedelta(days=broadcast.segment_inactive_days)
        qs = qs.filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
    return qs.distinct().order_by("pk")


def _enqueue_send(broadcast_id: int) -> None:
    from . import tasks

    transaction.on_commit(lambda: tasks.broadcast_send_task.delay(broadcast_id), robust=True)


@transaction.atomic
def broadcast_start(*, actor, broadcast, send_at=None) -> Broadcast:
    """Sends a draft now (in the background, in batches), or with a future `send_at` schedules it: the minute sweep
    (`broadcasts_start_due`) starts it then. A scheduled one can be sent at once as well."""
    broadcast = Broadcast.objects.select_for_update().get(pk=broadcast.pk)
    if broadcast.status not in (BroadcastStatus.DRAFT, BroadcastStatus.SCHEDULED):
        raise ServiceError(_("Broadcast ini sudah dikirim."))
    if send_at is not None:
        if not isinstance(send_at, datetime) or timezone.is_naive(send_at):
            raise ServiceError(_("Waktu kirim tidak valid."))
        if send_at <= timezone.now():
            raise ServiceError(_("Waktu kirim harus di masa depan."))
        if send_at > timezone.now() + timedelta(days=365):
            raise ServiceError(_("Waktu kirim paling lambat satu tahun dari sekarang."))
        broadcast.status, broadcast.send_at = BroadcastStatus.SCHEDULED, send_at
        broadcast.save(update_fields=["status", "send_at"])
        activity_record(
            action=Action.BROADCAST_SCHEDULED,
            actor=actor,
            target=broadcast,
            target_label=broadcast.title,
            data={"send_at": send_at.isoformat()},
        )
        return broadcast
    broadcast.status = BroadcastStatus.SENDING
    broadcast.save(update_fields=["status"])
    activity_record(action=Action.BROADCAST_SENT, actor=actor, target=broadcast, target_label=broadcast.title)
    _enqueue_send(broadcast.pk)
    return broadcast


@transaction.atomic
def broadcast_unschedule(*, actor, broadcast) -> Broadcast:
    """A scheduled broadcast goes back to draft (it can be edited again)."""
    broadcast = Broadcast.objects.select_for_update().get(pk=broadcast.pk)
    if broadcast.status != BroadcastStatus.SCHEDULED:
        raise ServiceError(_("Broadcast ini tidak sedang dijadwalkan."))
    broadcast.status, broadcast.send_at = BroadcastStatus.DRAFT, None
    broadcast.save(update_fields=["status", "send_at"])
    activity_record(action=Action.BROADCAST_UNSCHEDULED, actor=actor, target=broadcast, target_label=broadcast.title)
    return broadcast


def broadcasts_start_due(*, now=None) -> int:
    """The minute sweep: starts every scheduled broadcast whose time has come, and hands every broadcast still
    sending to a worker again (so one interrupted by a worker restart resumes; batches are serialised by the
    broadcast's row lock and a recipient row is never written twice). Returns how many were handed over."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Broadcast.objects.select_for_update(skip_locked=True)
            .filter(status=BroadcastStatus.SCHEDULED, send_at__lte=now)
            .values_list("pk", flat=True)
        )
        if due:
            Broadcast.objects.filter(pk__in=due).update(status=BroadcastStatus.SENDING)
    sending = list(Broadcast.objects.filter(status=BroadcastStatus.SENDING).values_list("pk", flat=True))
    with transaction.atomic():
        for pk in sending:
            _enqueue_send(pk)
    return len(sending)


def broadcast_send_batch(*, broadcast_id) -> int:
    """Sends one batch (`REMINDERS_BROADCAST_BATCH_SIZE`) to segment users without a recipient row yet; marks the
    broadcast sent when nobody is left. Returns the number of users handled (0: finished). Rerunning is safe."""
    with transaction.atomic():
        broadcast = Broadcast.objects.select_for_update().filter(pk=broadcast_id).first()
        if broadcast is None or broadcast.status != BroadcastStatus.SENDING:
            return 0
        done = BroadcastRecipient.objects.filter(broadcast=broadcast, user_id=OuterRef("pk"))
        users = list(
            segment_users(broadcast=broadcast).exclude(Exists(done))[: settings.REMINDERS_BROADCAST_BATCH_SIZE]
        )
        if not users:
            broadcast.status, broadcast.sent_at = BroadcastStatus.SENT, timezone.now()
            broadcast.save(update_fields=["status", "sent_at"])
            return 0
        for user in users:
            context = {"name": user.full_name, "email": user.email}
            status, notification = _send(
                user=user,
                channels=broadcast.channels,
                subject=render_text(broadcast.subject, context),
                body=render_text(broadcast.body, context),
                link="/notifications",
            )
            BroadcastRecipient.objects.create(broadcast=broadcast, user=user, status=status, notification=notification)
        return len(users)


def broadcast_send_all(*, broadcast_id) -> int:
    total = 0
    while True:
        n = broadcast_send_batch(broadcast_id=broadcast_id)
        if not n:
            return total
        total += n


def broadcast_stats(*, broadcast) -> dict:
    rows = BroadcastRecipient.objects.filter(broadcast=broadcast)
    return _stats(rows, Delivery.objects.filter(notification__in=rows.values("notification_id")))
