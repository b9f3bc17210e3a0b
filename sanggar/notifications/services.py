"""Business writes of the notification system. Every capability notifies users through `notify` (or
`notify_from_template`); account emails go through `email_send_template`.

Flow: one in-app Notification, plus one Delivery row per external channel the user's preferences allow, all in the
caller's transaction. After commit, each queued delivery is handed to a Celery task (`delivery_send`) and the
user's bell gets a realtime event."""

import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.audit.constants import Action
from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotFound, ServiceError

from . import realtime
from .channels import get_channel
from .channels.base import SendResult
from .constants import (
    EMAIL_BODY_MAX_LENGTH,
    PUSH_BODY_MAX_LENGTH,
    REQUIRED_TEMPLATES,
    RETRY_BASE_SECONDS,
    RETRY_MAX_SECONDS,
    SUBJECT_MAX_LENGTH,
    WHATSAPP_BODY_MAX_LENGTH,
    Channel,
    DeliveryStatus,
    NotificationKind,
)
from .defaults import DEFAULT_TEMPLATES
from .models import Delivery, MessageTemplate, Notification
from .rendering import absolute_url, render_shortcodes, strip_whatsapp_bold, user_shortcodes, whatsapp_text
from .selectors import message_template_get, unread_count

logger = logging.getLogger(__name__)

# Deliveries the sweep picks up: queued ones whose task should have run this long ago (a lost broker message).
SWEEP_GRACE = timedelta(minutes=5)
SWEEP_BATCH = 500


# --- rendering templates -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RenderedTemplate:
    key: str
    is_active: bool
    subject: str
    email_text: str
    whatsapp_text: str

    @property
    def summary(self) -> str:
        """The short text for the bell and push: the WhatsApp text (without its bold markers) when there is one,
        else the email text."""
        return strip_whatsapp_bold(self.whatsapp_text) if self.whatsapp_text else self.email_text


def message_template_render(*, template: MessageTemplate, user=None, context: dict | None = None) -> RenderedTemplate:
    """Fills a template's shortcodes with the user's values and `context` (which wins)."""
    values = {**user_shortcodes(user), **{k: v for k, v in (context or {}).items() if v is not None}}
    return RenderedTemplate(
        key=template.key,
        is_active=template.is_active or template.key in REQUIRED_TEMPLATES,
        subject=render_shortcodes(template.email_subject, values).replace("\n", " ").strip()[:SUBJECT_MAX_LENGTH],
        email_text=render_shortcodes(template.email_body, values).strip(),
        whatsapp_text=render_shortcodes(template.whatsapp_body, values).strip(),
    )


# --- notify ------------------------------------------------------------------------------------------------


def _requested_channels(channels) -> list[str]:
    if channels is None:
        return list(Channel.values)
    requested = []
    for channel in channels:
        if channel not in Channel.values:
            raise ValueError(f"Unknown notification channel: {channel!r}")
        if channel not in requested:
            requested.append(str(channel))
    return requested


def _recipient(user, channel: str) -> str:
    if channel == Channel.EMAIL:
        return user.email or ""
    if channel == Channel.WHATSAPP:
        return user.whatsapp or ""
    return str(user.pk)


def _missing_recipient_reason(channel: str) -> str:
    if channel == Channel.WHATSAPP:
        return _("Pengguna belum mengisi nomor WhatsApp.")
    return _("Pengguna tidak memiliki alamat email.")


def _enqueue(delivery_id: int) -> None:
    from .tasks import delivery_send_task

    delivery_send_task.delay(delivery_id)


def _delivery_create(
    *,
    channel: str,
    recipient: str,
    subject: str,
    body: str,
    link: str = "",
    user=None,
    notification: Notification | None = None,
    template_key: str = "",
    skip_reason: str = "",
) -> Delivery:
    """One Delivery row; a queued one is sent by a Celery task after the transaction commits."""
    if not recipient and not skip_reason:
        skip_reason = _missing_recipient_reason(channel)
    delivery = Delivery.objects.create(
        notification=notification,
        user=user,
        channel=channel,
        provider=get_channel(channel).provider().name,
        template_key=template_key,
        recipient=recipient[:254],
        subject=subject[:SUBJECT_MAX_LENGTH],
        body=body,
        link=link[:500],
        status=DeliveryStatus.SKIPPED if skip_reason else DeliveryStatus.QUEUED,
        last_error=skip_reason,
    )
    if delivery.status == DeliveryStatus.QUEUED:
        transaction.on_commit(partial(_enqueue, delivery.pk), robust=True)
    return delivery


def _publish_new(notification: Notification) -> None:
    realtime.publish_new(notification=notification, unread=unread_count(user=notification.user))


def _fan_out(*, user, kind: str, notification: Notification, channels, contents: dict, template_key: str = ""):
    """Creates the deliveries of one notification. `contents` maps channel → (subject, body); a channel missing
    from it has nothing to send (e.g. a template without WhatsApp text)."""
    link = absolute_url(notification.link)
    for channel in _requested_channels(channels):
        if channel not in contents or not user.channel_enabled(kind, channel):
            continue
        subject, body = contents[channel]
        _delivery_create(
            channel=channel,
            recipient=_recipient(user, channel),
            subject=subject,
            body=body,
            link=link,
            user=user,
            notification=notification,
            template_key=template_key,
        )


def _check_kind(kind: str) -> None:
    if kind not in NotificationKind.values:
        raise ValueError(f"Unknown notification kind: {kind!r}")


@transaction.atomic
def notify(*, user, kind, title, message="", link="", data=None, channels=None) -> Notification:
    """Notifies one user: always in the app (bell, notification centre); on email, WhatsApp and push as far as
    `channels` (default: all) and the user's preferences allow. Sending happens after commit, in the background."""
    _check_kind(kind)
    title = str(title).strip()[:200]
    message = str(message or "").strip()
    notification = Notification.objects.create(
        user=user, kind=kind, title=title, message=message, link=str(link or "")[:500], data=data or {}
    )
    abs_link = absolute_url(notification.link)
    contents = {
        Channel.EMAIL: (title, message),
        Channel.WHATSAPP: (title, whatsapp_text(title=title, message=message, link=abs_link)),
        Channel.PUSH: (title, message),
    }
    _fan_out(user=user, kind=kind, notification=notification, channels=channels, contents=contents)
    transaction.on_commit(partial(_publish_new, notification), robust=True)
    return notification


@transaction.atomic
def notify_from_template(*, user, key, kind, link="", context=None, channels=None) -> Notification:
    """Like `notify`, with the texts of the message template `key` (in-app title = the rendered email subject).
    A template switched off by the admin still shows in the app, but sends nothing."""
    _check_kind(kind)
    template = message_template_get(key=key)
    rendered = message_template_render(
        template=template, user=user, context={"link": absolute_url(link), **(context or {})}
    )
    notification = Notification.objects.create(
        user=user,
        kind=kind,
        title=rendered.subject[:200],
        message=rendered.summary,
        link=str(link or "")[:500],
        data={"template": key},
    )
    if rendered.is_active:
        contents = {
            Channel.EMAIL: (rendered.subject, rendered.email_text),
            Channel.PUSH: (rendered.subject, rendered.summary[:PUSH_BODY_MAX_LENGTH]),
        }
        if rendered.whatsapp_text:
            contents[Channel.WHATSAPP] = (rendered.subject, rendered.whatsapp_text)
        _fan_out(
            user=user, kind=kind, notification=notification, channels=channels, contents=contents, template_key=key
        )
    transaction.on_commit(partial(_publish_new, notification), robust=True)
    return notification


@transaction.atomic
def email_send_template(*, to_email, key, context, user=None) -> Delivery:
    """A transactional email (email verification, password reset…). Ignores the user's preferences: the account
    needs it. Returns the delivery, which is sent after commit."""
    template = message_template_get(key=key)
    rendered = message_template_render(template=template, user=user, context={"email": to_email, **(context or {})})
    return _delivery_create(
        channel=Channel.EMAIL,
        recipient=(to_email or "").strip(),
        subject=rendered.subject,
        body=rendered.email_text,
        user=user if getattr(user, "pk", None) else None,
        template_key=key,
        skip_reason="" if rendered.is_active else _("Template pesan sedang nonaktif."),
    )


# --- reading ------------------------------------------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, user, notification_id) -> Notification:
    """Marks one of the user's notifications read. Someone else's (or a missing one) is NotFound."""
    try:
        notification_id = int(notification_id)
    except (TypeError, ValueError):
        raise NotFound(_("Notifikasi tidak ditemukan.")) from None
    notification = Notification.objects.filter(user=user, pk=notification_id).first()
    if notification is None:
        raise NotFound(_("Notifikasi tidak ditemukan."))
    if notification.read_at is None:
        now = timezone.now()
        if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now):
            transaction.on_commit(partial(_publish_unread, user), robust=True)
        notification.read_at = now
    return notification


@transaction.atomic
def notification_mark_all_read(*, user) -> int:
    """Marks every unread notification of the user read; returns how many changed."""
    changed = Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    if changed:
        transaction.on_commit(partial(_publish_unread, user), robust=True)
    return changed


def _publish_unread(user) -> None:
    realtime.publish_unread(user_id=user.pk, unread=unread_count(user=user))


# --- message templates -----------------------------------------------------------------------------------

TEMPLATE_FIELDS = ("name", "email_subject", "email_body", "whatsapp_body", "is_active")


def _clean_template_fields(template: MessageTemplate, fields: dict) -> dict:
    unknown = set(fields) - set(TEMPLATE_FIELDS)
    if unknown:
        raise TypeError(f"message_template_update() got unknown fields: {sorted(unknown)}")
    cleaned: dict = {}
    errors: dict[str, list[str]] = {}
    limits = {
        "name": (100, True, _("Nama template")),
        "email_subject": (SUBJECT_MAX_LENGTH, True, _("Subjek email")),
        "email_body": (EMAIL_BODY_MAX_LENGTH, True, _("Isi email")),
        "whatsapp_body": (WHATSAPP_BODY_MAX_LENGTH, False, _("Isi WhatsApp")),
    }
    for field, value in fields.items():
        if field == "is_active":
            cleaned[field] = bool(value)
            if not value and template.key in REQUIRED_TEMPLATES:
                errors[field] = [
                    _("Template ini dipakai untuk verifikasi email dan reset kata sandi, jadi harus tetap aktif.")
                ]
            continue
        value = str(value or "").replace("\r\n", "\n").strip()
        limit, required, label = limits[field]
        if required and not value:
            errors[field] = [_("%(label)s wajib diisi.") % {"label": label}]
        elif len(value) > limit:
            errors[field] = [_("%(label)s paling banyak %(n)s karakter.") % {"label": label, "n": limit}]
        elif field == "email_subject" and "\n" in value:
            errors[field] = [_("Subjek email harus satu baris.")]
        cleaned[field] = value
    if errors:
        raise ServiceError(_("Periksa kembali isian template."), errors=errors)
    return cleaned


@transaction.atomic
def message_template_update(*, template: MessageTemplate, actor, **fields) -> MessageTemplate:
    """Saves an admin's changes to a message template and records them in the activity log."""
    cleaned = _clean_template_fields(template, fields)
    MessageTemplate.objects.get_or_create(key=template.key, defaults=DEFAULT_TEMPLATES[template.key])
    locked = MessageTemplate.objects.select_for_update().get(key=template.key)
    changed = sorted(field for field, value in cleaned.items() if getattr(locked, field) != value)
    if not changed:
        return locked
    for field in changed:
        setattr(locked, field, cleaned[field])
    locked.updated_by = actor
    locked.save(update_fields=[*changed, "updated_by", "updated_at"])
    activity_record(
        action=Action.TEMPLATE_CHANGED,
        actor=actor,
        target=locked,
        target_label=locked.name,
        data={"key": locked.key, "fields": changed},
    )
    return locked


# --- sending ----------------------------------------------------------------------------------------------


def retry_delay(attempts: int) -> timedelta:
    """Back-off after the n-th failed attempt: 30 s, 60 s, 120 s … at most an hour."""
    return timedelta(seconds=min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS))


def delivery_send(*, delivery_id: int) -> Delivery:
    """Sends one queued delivery through its channel's provider. Safe to retry and to run twice at once: the row is
    locked while sending, and a delivery that is no longer queued (sent, logged, skipped, failed) is left alone.
    A failure leaves it queued with `next_attempt_at` until NOTIFICATION_DELIVERY_MAX_ATTEMPTS, then `failed`."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None:
            raise NotFound(_("Data pengiriman tidak ditemukan."))
        if delivery.status != DeliveryStatus.QUEUED:
            return delivery
        delivery.attempts += 1
        try:
            result = get_channel(delivery.channel).send(delivery)
        except Exception as exc:  # a bug or an unexpected library error must not lose the delivery
            logger.exception("Delivery %s: unexpected error while sending", delivery.pk)
            result = SendResult.failed(delivery.provider, f"{type(exc).__name__}: {exc}")
        now = timezone.now()
        delivery.provider = result.provider[:30]
        delivery.response = dict(result.response)
        delivery.provider_message_id = result.provider_message_id[:200]
        delivery.last_error = result.error[:2000]
        if result.ok:
            delivery.status = result.status
            delivery.next_attempt_at = None
            if result.status in (DeliveryStatus.SENT, DeliveryStatus.LOGGED):
                delivery.sent_at = now
        elif delivery.attempts >= settings.NOTIFICATION_DELIVERY_MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        delivery.save()
    return delivery


@transaction.atomic
def delivery_retry(*, delivery: Delivery) -> Delivery:
    """An admin sends a failed delivery again (e.g. after fixing a provider key): it is queued with fresh attempts."""
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status != DeliveryStatus.FAILED:
        raise ServiceError(_("Hanya pengiriman yang gagal yang bisa dikirim ulang."))
    delivery.status = DeliveryStatus.QUEUED
    delivery.attempts = 0
    delivery.next_attempt_at = None
    delivery.last_error = ""
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "last_error"])
    transaction.on_commit(partial(_enqueue, delivery.pk), robust=True)
    return delivery


def deliveries_sweep(*, now=None) -> int:
    """Periodic sweep: hands queued deliveries whose task is overdue (a lost broker message, a worker that was down)
    to the task queue again. Safe to run twice or concurrently: `delivery_send` locks and re-checks each row."""
    now = now or timezone.now()
    cutoff = now - SWEEP_GRACE
    ids = list(
        Delivery.objects.filter(status=DeliveryStatus.QUEUED)
        .filter(Q(next_attempt_at__lte=cutoff) | Q(next_attempt_at__isnull=True, created_at__lte=cutoff))
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for delivery_id in ids:
        _enqueue(delivery_id)
    return len(ids)
