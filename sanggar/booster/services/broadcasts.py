"""Paid broadcast email to one's own leads. Credits are reserved when a broadcast is scheduled (or sent now),
charged per email sent, and what was not sent (failed, skipped, unsubscribed meanwhile) goes back at the end.

Each recipient row is claimed (`sending`) before its email goes out and marked `sent`/`failed` right after, one
batch at a time under a per-broadcast lock: an interrupted run resumes without sending anyone twice (a row left
`sending` by a crash is marked failed, not retried) and charges exactly the rows marked sent."""

from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.core.exceptions import NotAllowed, RateLimited, ServiceError
from sanggar.core.ratelimit import window_take
from sanggar.core.site import site_url
from sanggar.notifications.services import notify
from sanggar.reminders.constants import SendStatus
from sanggar.reminders.models import ReminderSend

from ..constants import NAME_MAX, SUBJECT_MAX, BroadcastStatus, LeadSource, LeadStatus, RecipientStatus
from ..models import REALM, Broadcast, BroadcastRecipient, Lead
from ..notifications import BROADCAST_DONE
from . import credits, recurrence
from .leads import clean_tag, clean_text
from .mail import Prepared, delivered, exclude_suppressed, render, send_email, suppressed_among

LOCK_SECONDS = 600
CHUNK = 1000


def _error(field: str, message: str) -> ServiceError:
    return ServiceError(message, errors={field: [message]})


def segment_clean(segment) -> dict:
    segment = segment if isinstance(segment, dict) else {}
    status = str(segment.get("status") or "")
    source = str(segment.get("source") or "")
    if status and status not in LeadStatus.values:
        raise _error("status", _("Status tidak dikenal."))
    if source and source not in LeadSource.values:
        raise _error("source", _("Sumber tidak dikenal."))
    return {"status": status, "source": source, "tag": clean_tag(segment.get("tag") or "")}


def segment_leads(*, affiliate, segment: dict):
    """Leads with an email who may receive marketing email: not unsubscribed, not suppressed (own or global)."""
    qs = Lead.objects.filter(affiliate=affiliate, unsubscribed_at__isnull=True).exclude(email="")
    if segment.get("status"):
        qs = qs.filter(status=segment["status"])
    if segment.get("source"):
        qs = qs.filter(source=segment["source"])
    if segment.get("tag"):
        qs = qs.filter(tags__tag=segment["tag"])
    return exclude_suppressed(qs, affiliate=affiliate).order_by("id")


def _own_draft(broadcast, affiliate) -> None:
    if broadcast.affiliate_id != affiliate.pk:
        raise NotAllowed(_("Broadcast ini bukan milik Anda."))
    if broadcast.status != BroadcastStatus.DRAFT:
        raise ServiceError(_("Hanya draf yang bisa diubah, dijadwalkan atau dihapus."), code="not_draft")


def broadcast_save(*, affiliate, broadcast=None, name, subject, body, segment, template=None) -> Broadcast:
    name = clean_text(name, max_length=NAME_MAX)
    subject = clean_text(subject, max_length=SUBJECT_MAX)
    body = str(body or "").replace("\x00", "").strip()
    if not name:
        raise _error("name", _("Beri nama broadcast."))
    if not subject:
        raise _error("subject", _("Tulis subjek email."))
    if not body:
        raise _error("body", _("Tulis isi email."))
    if len(body) > 20_000:
        raise _error("body", _("Isi email paling panjang 20.000 karakter."))
    segment = segment_clean(segment)
    if broadcast is None:
        wait = window_take(f"aff:{affiliate.pk}", setting="BOOSTER_BROADCAST_CREATE_RATE_LIMIT")
        if wait:
            raise RateLimited(_("Terlalu banyak broadcast dibuat. Coba lagi nanti."), retry_after=wait)
        return Broadcast.objects.create(
            affiliate=affiliate, name=name, subject=subject, body=body, segment=segment, template=template
        )
    _own_draft(broadcast, affiliate)
    broadcast.name, broadcast.subject, broadcast.body, broadcast.segment = name, subject, body, segment
    if template is not None:
        broadcast.template = template
    broadcast.save(update_fields=["name", "subject", "body", "segment", "template", "updated_at"])
    return broadcast


def broadcast_delete(*, affiliate, broadcast) -> None:
    _own_draft(broadcast, affiliate)
    broadcast.delete()


def _check_sender(account) -> None:
    if account.sending_suspended:
        raise NotAllowed(
            _("Pengiriman email akun Anda sedang dihentikan admin: %(reason)s")
            % {"reason": account.suspended_reason or _("hubungi admin")},
            code="suspended",
        )


@transaction.atomic
def broadcast_schedule(*, affiliate, broadcast, when: datetime | None = None, recurring: dict | None = None,
                       now: datetime | None = None) -> Broadcast:  # fmt: skip
    """DRAFT → SCHEDULED (at `when`, in the future) or, without `when`, sent now. Reserves one credit per current
    recipient; refused when the balance is short."""
    now = now or timezone.now()
    broadcast = Broadcast.objects.select_for_update().get(pk=broadcast.pk)
    _own_draft(broadcast, affiliate)
    if when is not None and when <= now:
        raise _error("scheduled_at", _("Waktu kirim harus di masa depan."))
    config = None
    if recurring:
        config = recurrence.clean(recurring, first=when or now)
        when = recurrence.first_at(config, when or now)
    account = credits.locked_account(affiliate)
    _check_sender(account)
    count = segment_leads(affiliate=affiliate, segment=broadcast.segment).count()
    if count == 0:
        raise _error("segment", _("Tidak ada lead dengan email yang bisa dikirimi di segmen ini."))
    if count > settings.BOOSTER_MAX_RECIPIENTS:
        raise _error(
            "segment",
            _("Satu broadcast paling banyak %(n)s penerima. Persempit segmennya.")
            % {"n": settings.BOOSTER_MAX_RECIPIENTS},
        )
    credits.credit_reserve(account=account, credits=count, ref=f"broadcast:{broadcast.pk}")
    broadcast.status = BroadcastStatus.SCHEDULED
    broadcast.scheduled_at = when or now
    broadcast.recurrence = config
    broadcast.credits_reserved = count
    broadcast.error = ""
    broadcast.save(update_fields=["status", "scheduled_at", "recurrence", "credits_reserved", "error", "updated_at"])
    if when is None:
        broadcast_start(broadcast=broadcast, now=now)
    return broadcast


@transaction.atomic
def broadcast_cancel(*, affiliate, broadcast) -> Broadcast:
    """SCHEDULED → DRAFT; the reserved credits go back."""
    broadcast = Broadcast.objects.select_for_update().get(pk=broadcast.pk)
    if broadcast.affiliate_id != affiliate.pk:
        raise NotAllowed(_("Broadcast ini bukan milik Anda."))
    if broadcast.status != BroadcastStatus.SCHEDULED:
        raise ServiceError(_("Hanya broadcast terjadwal yang bisa dibatalkan."))
    account = credits.locked_account(affiliate)
    credits.credit_release(
        account=account, credits=broadcast.credits_reserved, ref=f"broadcast:{broadcast.pk}", note="jadwal dibatalkan"
    )
    broadcast.status, broadcast.scheduled_at, broadcast.credits_reserved = BroadcastStatus.DRAFT, None, 0
    broadcast.save(update_fields=["status", "scheduled_at", "credits_reserved", "updated_at"])
    return broadcast


def _enqueue(broadcast_id: int) -> None:
    from .. import tasks

    transaction.on_commit(lambda: tasks.broadcast_send_task.delay(broadcast_id), robust=True)


@transaction.atomic
def broadcast_start(*, broadcast, now: datetime | None = None) -> Broadcast:
    """SCHEDULED → SENDING: the recipients are fixed now (the segment as it is at this moment), the reservation is
    matched to their number; FAILED when the credits do not cover them."""
    now = now or timezone.now()
    broadcast = Broadcast.objects.select_for_update().select_related("affiliate__user").get(pk=broadcast.pk)
    if broadcast.status != BroadcastStatus.SCHEDULED:
        return broadcast
    account = credits.locked_account(broadcast.affiliate)
    ref = f"broadcast:{broadcast.pk}"
    rows = list(
        segment_leads(affiliate=broadcast.affiliate, segment=broadcast.segment).values_list("id", "email")[
            : settings.BOOSTER_MAX_RECIPIENTS
        ]
    )
    need = len(rows) - broadcast.credits_reserved
    try:
        if account.sending_suspended:
            raise ServiceError(_("Pengiriman email akun ini dihentikan admin."))
        if need > 0:
            credits.credit_reserve(account=account, credits=need, ref=ref)
    except ServiceError as exc:
        credits.credit_release(account=account, credits=broadcast.credits_reserved, ref=ref, note="gagal dimulai")
        broadcast.status, broadcast.error, broadcast.credits_reserved = BroadcastStatus.FAILED, exc.message[:300], 0
        broadcast.completed_at = now
        broadcast.save(update_fields=["status", "error", "credits_reserved", "completed_at", "updated_at"])
        _done_notice(broadcast)
        _schedule_next(broadcast, now=now)
        return broadcast
    if need < 0:
        credits.credit_release(account=account, credits=-need, ref=ref, note="penerima berkurang")
    broadcast.credits_reserved = len(rows)
    for start in range(0, len(rows), CHUNK):
        BroadcastRecipient.objects.bulk_create(
            [
                BroadcastRecipient(broadcast=broadcast, lead_id=pk, email=email)
                for pk, email in rows[start : start + CHUNK]
            ],
            ignore_conflicts=True,
        )
    broadcast.status, broadcast.started_at, broadcast.total_recipients = BroadcastStatus.SENDING, now, len(rows)
    broadcast.save(update_fields=["status", "started_at", "total_recipients", "credits_reserved", "updated_at"])
    if not rows:
        _finish(broadcast, now=now)
    else:
        _enqueue(broadcast.pk)
    return broadcast


def sent_today(affiliate, now: datetime) -> int:
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return (
        BroadcastRecipient.objects.filter(
            broadcast__affiliate=affiliate, status=RecipientStatus.SENT, sent_at__gte=start
        ).count()
        + ReminderSend.objects.filter(
            step__sequence__realm=REALM,
            step__sequence__owner_id=affiliate.pk,
            status__in=(SendStatus.SENT, SendStatus.SENDING),
            created_at__gte=start,
        ).count()
    )


def daily_cap(account) -> int:
    return account.daily_cap if account.daily_cap is not None else settings.BOOSTER_DAILY_EMAIL_CAP


def _settle(broadcast_id: int) -> Broadcast:
    """Rows a crashed run left `sending` become failed; sent rows not yet charged are charged; counters refreshed."""
    with transaction.atomic():
        broadcast = Broadcast.objects.select_for_update().select_related("affiliate__user").get(pk=broadcast_id)
        account = credits.locked_account(broadcast.affiliate)
        recipients = BroadcastRecipient.objects.filter(broadcast=broadcast)
        recipients.filter(status=RecipientStatus.SENDING).update(
            status=RecipientStatus.FAILED, error=_("Pengiriman terputus; tidak dikirim ulang.")
        )
        to_charge = recipients.filter(status=RecipientStatus.SENT, charged=False).update(charged=True)
        credits.credit_charge_reserved(account=account, credits=to_charge, ref=f"broadcast:{broadcast.pk}")
        counts = recipients.aggregate(
            sent=Count("id", filter=Q(status=RecipientStatus.SENT)),
            delivered=Count("id", filter=Q(status=RecipientStatus.SENT, delivered_at__isnull=False)),
            failed=Count("id", filter=Q(status=RecipientStatus.FAILED)),
            skipped=Count("id", filter=Q(status=RecipientStatus.SKIPPED)),
        )
        broadcast.sent_count, broadcast.failed_count = counts["sent"], counts["failed"]
        broadcast.delivered_count, broadcast.skipped_count = counts["delivered"], counts["skipped"]
        broadcast.credits_used += to_charge
        broadcast.save(
            update_fields=["sent_count", "delivered_count", "failed_count", "skipped_count", "credits_used",
                           "updated_at"]
        )  # fmt: skip
        return broadcast


def _finish(broadcast, *, now) -> None:
    with transaction.atomic():
        broadcast = Broadcast.objects.select_for_update().select_related("affiliate__user").get(pk=broadcast.pk)
        if broadcast.status != BroadcastStatus.SENDING:
            return
        account = credits.locked_account(broadcast.affiliate)
        unused = broadcast.credits_reserved - broadcast.credits_used
        credits.credit_release(account=account, credits=unused, ref=f"broadcast:{broadcast.pk}", note="tidak terkirim")
        failed_all = broadcast.sent_count == 0 and broadcast.total_recipients > 0
        broadcast.status = BroadcastStatus.FAILED if failed_all else BroadcastStatus.SENT
        if failed_all and not broadcast.error:
            broadcast.error = _("Tidak ada email yang berhasil dikirim.")
        broadcast.completed_at = now
        broadcast.save(update_fields=["status", "completed_at", "error", "updated_at"])
        _done_notice(broadcast)
        _schedule_next(broadcast, now=now)


def _done_notice(broadcast) -> None:
    notify(
        user=broadcast.affiliate.user, kind=BROADCAST_DONE, link=reverse("booster:broadcast_edit", args=[broadcast.pk]),
        context={"broadcast": broadcast.name, "status": broadcast.get_status_display(), "sent": broadcast.sent_count,
                 "failed": broadcast.failed_count, "credits": broadcast.credits_used},
    )  # fmt: skip


def _schedule_next(broadcast, *, now) -> Broadcast | None:
    """A recurring broadcast creates its next occurrence (credits reserved when the balance allows; otherwise it
    tries again when it starts, and fails then)."""
    if not broadcast.recurrence or broadcast.scheduled_at is None:
        return None
    at = recurrence.next_at(broadcast.recurrence, broadcast.scheduled_at)
    while at is not None and at <= now:
        at = recurrence.next_at(broadcast.recurrence, at)
    if at is None:
        return None
    nxt = Broadcast.objects.create(
        affiliate=broadcast.affiliate, name=broadcast.name, subject=broadcast.subject, body=broadcast.body,
        template=broadcast.template, segment=broadcast.segment, status=BroadcastStatus.SCHEDULED, scheduled_at=at,
        recurrence=broadcast.recurrence, parent=broadcast.parent or broadcast,
    )  # fmt: skip
    account = credits.locked_account(broadcast.affiliate)
    count = segment_leads(affiliate=broadcast.affiliate, segment=broadcast.segment).count()
    try:
        with transaction.atomic():
            credits.credit_reserve(account=account, credits=count, ref=f"broadcast:{nxt.pk}")
        nxt.credits_reserved = count
        nxt.save(update_fields=["credits_reserved"])
    except ServiceError:
        pass
    return nxt


def broadcast_send_batch(*, broadcast_id: int, now: datetime | None = None, sender=None) -> int:
    """Sends one batch. Returns the number of rows handled (0: nothing to do now: done, paused by the daily cap or
    a suspension, or another worker holds the broadcast)."""
    sender = sender or send_email
    lock = f"booster:broadcast:{broadcast_id}:lock"
    if not cache.add(lock, 1, timeout=LOCK_SECONDS):
        return 0
    try:
        now = now or timezone.now()
        broadcast = Broadcast.objects.filter(pk=broadcast_id).first()
        if broadcast is None or broadcast.status != BroadcastStatus.SENDING:
            return 0
        broadcast = _settle(broadcast_id)
        affiliate = broadcast.affiliate
        account = credits.account_for(affiliate)
        if account.sending_suspended:
            return 0
        room = daily_cap(account) - sent_today(affiliate, now)
        pending = BroadcastRecipient.objects.filter(broadcast=broadcast, status=RecipientStatus.PENDING)
        if not pending.exists():
            _finish(broadcast, now=now)
            return 0
        if room <= 0:
            return 0
        ids = list(pending.values_list("id", flat=True)[: min(settings.BOOSTER_SEND_BATCH_SIZE, room)])
        rows = list(BroadcastRecipient.objects.filter(pk__in=ids).select_related("lead").order_by("id"))
        suppressed = suppressed_among(affiliate=affiliate, emails=[r.email for r in rows])
        prepared = Prepared(subject=broadcast.subject, body=broadcast.body, affiliate=affiliate, base_url=site_url())
        for row in rows:
            # Claimed one at a time, just before its email: a crash loses at most the row in flight (never resent).
            claimed = BroadcastRecipient.objects.filter(pk=row.pk, status=RecipientStatus.PENDING).update(
                status=RecipientStatus.SENDING
            )
            if not claimed:
                continue
            lead = row.lead
            if lead is None or lead.unsubscribed_at is not None or row.email in suppressed or not lead.email:
                BroadcastRecipient.objects.filter(pk=row.pk).update(
                    status=RecipientStatus.SKIPPED, error=_("Berhenti berlangganan atau tidak bisa dikirimi.")
                )
                continue
            subject, text, html = prepared.fill(lead=lead, kind="b", pk=row.pk)
            result = sender(to=lead.email, subject=subject, text=text, html=html, affiliate=affiliate)
            if result.ok:
                at = timezone.now()
                BroadcastRecipient.objects.filter(pk=row.pk).update(
                    status=RecipientStatus.SENT, sent_at=at, delivered_at=at if delivered(result) else None
                )
            else:
                BroadcastRecipient.objects.filter(pk=row.pk).update(
                    status=RecipientStatus.FAILED, error=(result.error or "")[:300]
                )
        _settle(broadcast_id)
        if not BroadcastRecipient.objects.filter(broadcast_id=broadcast_id, status=RecipientStatus.PENDING).exists():
            _finish(broadcast, now=now)
        return len(rows)
    finally:
        cache.delete(lock)


def broadcast_send_all(*, broadcast_id: int) -> int:
    total = 0
    while True:
        n = broadcast_send_batch(broadcast_id=broadcast_id)
        if not n:
            return total
        total += n


def broadcasts_due(*, now: datetime | None = None) -> int:
    """The minute sweep: starts scheduled broadcasts whose time has come and resumes unfinished ones."""
    now = now or timezone.now()
    started = 0
    for broadcast in Broadcast.objects.filter(status=BroadcastStatus.SCHEDULED, scheduled_at__lte=now).order_by(
        "scheduled_at"
    )[:50]:
        broadcast_start(broadcast=broadcast, now=now)
        started += 1
    for pk in Broadcast.objects.filter(status=BroadcastStatus.SENDING).values_list("pk", flat=True)[:50]:
        with transaction.atomic():
            _enqueue(pk)
    return started


def broadcast_test_send(*, affiliate, broadcast) -> None:
    """Sends the rendered email once to the affiliate's own address (free, rate limited)."""
    if broadcast.affiliate_id != affiliate.pk:
        raise NotAllowed(_("Broadcast ini bukan milik Anda."))
    wait = window_take(f"aff:{affiliate.pk}", setting="BOOSTER_TEST_SEND_RATE_LIMIT")
    if wait:
        raise RateLimited(_("Terlalu sering mengirim email uji. Coba lagi nanti."), retry_after=wait)
    sample = Lead(affiliate=affiliate, name=affiliate.user.full_name, email=affiliate.user.email)
    subject, text, html = render(subject=broadcast.subject, body=broadcast.body, lead=sample, affiliate=affiliate)
    result = send_email(to=affiliate.user.email, subject="[UJI] " + subject, text=text, html=html, affiliate=affiliate)
    if not result.ok:
        raise ServiceError(_("Email uji gagal dikirim: %(e)s") % {"e": result.error[:200]})


def mark_open(*, recipient_id: int, now=None) -> None:
    now = now or timezone.now()
    if BroadcastRecipient.objects.filter(pk=recipient_id, opened_at__isnull=True).update(opened_at=now):
        broadcast_id = BroadcastRecipient.objects.filter(pk=recipient_id).values_list("broadcast_id", flat=True).first()
        Broadcast.objects.filter(pk=broadcast_id).update(opened_count=F("opened_count") + 1)


def mark_click(*, recipient_id: int, now=None) -> None:
    now = now or timezone.now()
    mark_open(recipient_id=recipient_id, now=now)
    if BroadcastRecipient.objects.filter(pk=recipient_id, clicked_at__isnull=True).update(clicked_at=now):
        broadcast_id = BroadcastRecipient.objects.filter(pk=recipient_id).values_list("broadcast_id", flat=True).first()
        Broadcast.objects.filter(pk=broadcast_id).update(clicked_count=F("clicked_count") + 1)
