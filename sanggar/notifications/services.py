"""Business writes of the notification system. Every capability tells people through `notify` / `notify_users`
with a registered notification kind (`registry.py`) whose texts are an admin-editable template; account emails go
through `email_send_template`. No message text is written in the code that sends it.

Flow: in-app Notifications (one insert for every recipient), plus the Delivery rows of the external channels the kind
and each user's preferences allow (one more insert), in the caller's transaction. After commit, each queued delivery
is handed to a Celery task (`delivery_send`) and each user's bell gets a realtime event."""

import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.audit.constants import Action
from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotAllowed, NotFound, ServiceError
from sanggar.core.roles import Role

from . import realtime, unsubscribe
from .audit import ROLE_RULES_CHANGED, SUPPRESSION_REMOVED
from .channels import get_channel
from .channels.base import SendResult
from .constants import (
    EMAIL_BODY_MAX_LENGTH,
    PUSH_BODY_MAX_LENGTH,
    RETRY_BASE_SECONDS,
    RETRY_MAX_SECONDS,
    SUBJECT_MAX_LENGTH,
    TEXT_FIELDS,
    WHATSAPP_BODY_MAX_LENGTH,
    Channel,
    DeliveryStatus,
)
from .models import Delivery, EmailSuppression, MessageTemplate, Notification, NotificationRoleRule, Subscription
from .registry import group_get, group_keys, kind_exists, kind_get, kinds, source_kind, source_parse
from .rendering import KNOWN_SHORTCODES, absolute_url, push_link_clean, render_shortcodes, user_shortcodes
from .selectors import (
    message_template_for_sending,
    role_rules_cache_clear,
    role_rules_disabled,
    suppressed_emails,
    unread_count,
    unread_counts,
    user_roles,
)

logger = logging.getLogger(__name__)

# Deliveries the sweep picks up: queued ones whose task should have run this long ago (a lost broker message).
SWEEP_GRACE = timedelta(minutes=5)
SWEEP_BATCH = 500


# --- rendering templates -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RenderedTemplate:
    """One kind's texts with the shortcodes filled, per channel (empty: that channel has nothing to send)."""

    key: str
    is_active: bool
    title: str
    body: str
    subject: str
    email_text: str
    whatsapp_text: str
    push_text: str

    @property
    def summary(self) -> str:
        return self.body


def _texts(template: MessageTemplate) -> dict[str, str]:
    return {field: getattr(template, field) or "" for field in TEXT_FIELDS}


def message_template_render(*, template: MessageTemplate, user=None, context: dict | None = None) -> RenderedTemplate:
    """Fills a template's shortcodes with the recipient's values and `context` (which wins)."""
    values = {**user_shortcodes(user), **{k: v for k, v in (context or {}).items() if v is not None}}
    kind = kind_get(template.key) if kind_exists(template.key) else None
    known = KNOWN_SHORTCODES | {code for code, _label in (kind.shortcodes if kind else ())}
    texts = _texts(template)

    def fill(field: str) -> str:
        return render_shortcodes(texts[field], values, known=known).strip()

    title = fill("inapp_title").replace("\n", " ")[:200]
    subject = fill("email_subject").replace("\n", " ")[:SUBJECT_MAX_LENGTH]
    body = fill("inapp_body")
    return RenderedTemplate(
        key=template.key,
        is_active=template.is_active or bool(kind and kind.required),
        title=title,
        body=body,
        subject=subject,
        email_text=fill("email_body"),
        whatsapp_text=fill("whatsapp_body"),
        push_text=fill("push_body")[:PUSH_BODY_MAX_LENGTH],
    )


# --- notify ------------------------------------------------------------------------------------------------


def _requested_channels(kind, channels) -> list[str]:
    if channels is None:
        return list(kind.channels)
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


def _enqueue_many(delivery_ids: list[int]) -> None:
    for delivery_id in delivery_ids:
        _enqueue(delivery_id)


def _delivery_build(
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
    """One unsaved Delivery row; a queued one is sent by a Celery task after the transaction commits."""
    if not recipient and not skip_reason:
        skip_reason = _missing_recipient_reason(channel)
    return Delivery(
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


def _deliveries_save(deliveries: list[Delivery], *, held: frozenset = frozenset()) -> list[Delivery]:
    """One insert for every delivery; the queued ones are handed to the task queue after commit, except those whose
    object id is in `held` (a broadcast batch sends its own through `deliveries_send_batch`)."""
    if not deliveries:
        return []
    created = Delivery.objects.bulk_create(deliveries)
    queued = [d.pk for d in created if d.status == DeliveryStatus.QUEUED and id(d) not in held]
    if queued:
        transaction.on_commit(partial(_enqueue_many, queued), robust=True)
    return created


def _publish_new(notifications: list[Notification]) -> None:
    """One realtime event per notification, with each user's unread count from one query."""
    user_ids = {n.user_id for n in notifications}
    counts = unread_counts(user_ids=user_ids)
    realtime.publish_new_many([(n, counts.get(n.user_id, 0)) for n in notifications])


def _channel_contents(rendered: RenderedTemplate) -> dict[str, tuple[str, str]]:
    """channel → (subject, body) of what a rendered kind sends; a channel with no text is left out."""
    contents = {}
    if rendered.email_text:
        contents[Channel.EMAIL] = (rendered.subject or rendered.title, rendered.email_text)
    if rendered.whatsapp_text:
        contents[Channel.WHATSAPP] = (rendered.subject or rendered.title, rendered.whatsapp_text)
    push = rendered.push_text or rendered.body[:PUSH_BODY_MAX_LENGTH]
    if push or rendered.title:
        contents[Channel.PUSH] = (rendered.title, push)
    return contents


@dataclass(frozen=True)
class _Message:
    """What one recipient gets: the in-app title and text, and (subject, body) per external channel."""

    title: str
    body: str
    contents: dict
    send: bool = True


@dataclass
class _Batch:
    """The recipients of one event and how each one's message is made."""

    users: list
    group: str
    channels: list[str]
    link: str
    data: dict
    template_key: str
    message_for: object  # user -> _Message
    source: str = ""
    marketing: bool = False  # a broadcast: unsubscribe link, never to a suppressed email address
    required: bool = False  # account security: role rules do not apply
    popup: bool = False  # an important kind: shown as a popup (live, else at the next page load)
    enqueue: bool = True  # False: the caller sends the queued deliveries itself (`deliveries_send_batch`)
    # The in-app display: "" as usual (toast), "silent" (in the list and the count, no toast), "none" (no in-app
    # notification for the member: the row is kept read and archived, as the record of the external deliveries)
    in_app: str = ""


def _create(
    *,
    users,
    group: str,
    channels: list[str],
    link: str,
    data: dict,
    template_key: str,
    message_for,
    marketing: bool = False,
    enqueue: bool = True,
):
    """Creates the notifications of `users` in one insert and their deliveries in one more; the queued deliveries
    and the realtime events start after commit."""
    batch = _Batch(
        list(users), group, channels, link, data, template_key, message_for, marketing=marketing, enqueue=enqueue
    )
    return _create_batches([batch])[0]


def _role_rules_apply(batches: list[_Batch]) -> None:
    """Leaves out, in place, the users the admin's role rules exclude from a batch's preference group (a user with
    several roles stays when any of them receives it; account-security kinds always go out). The rules are cached;
    one query for the users' roles, whatever the number of batches; none when no rule applies."""
    disabled = role_rules_disabled()
    role_batches = [b for b in batches if not b.required and b.users and disabled.get(b.group)]
    if not role_batches:
        return
    roles = user_roles(user_ids={u.pk for b in role_batches for u in b.users})
    for batch in role_batches:
        off = disabled[batch.group]
        batch.users = [u for u in batch.users if any(r not in off for r in roles.get(u.pk) or (Role.MEMBER,))]


def _create_batches(batches: list[_Batch]) -> list[list[Notification]]:
    """`_create` for several events at once: every notification in one insert, every delivery in one more, one
    realtime pass (one unread-count query) after commit. Returns the notifications of each batch."""
    _role_rules_apply(batches)
    rows = []  # (batch, user, message)
    for batch in batches:
        rows.extend((batch, user, batch.message_for(user)) for user in batch.users)
    if not rows:
        return [[] for _batch in batches]
    hidden_at = timezone.now()
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                user=user,
                kind=batch.group,
                title=m.title[:200],
                message=m.body,
                link=batch.link,
                data=batch.data,
                source=batch.source,
                popup_pending=batch.popup and batch.in_app != IN_APP_NONE,
                read_at=hidden_at if batch.in_app == IN_APP_NONE else None,
                archived_at=hidden_at if batch.in_app == IN_APP_NONE else None,
            )
            for batch, user, m in rows
        ]
    )
    deliveries, held = [], set()
    marketing_emails = [u.email for b, u, _m in rows if b.marketing and Channel.EMAIL in b.channels and u.email]
    suppressed = suppressed_emails(emails=marketing_emails) if marketing_emails else set()
    by_batch: dict[int, list[Notification]] = {id(batch): [] for batch in batches}
    abs_links: dict[int, str] = {}
    for (batch, user, message), notification in zip(rows, notifications, strict=True):
        notification.user = user
        by_batch[id(batch)].append(notification)
        if not message.send:
            continue  # switched off by the admin: still shown in the app, sent nowhere else
        for channel in batch.channels:
            if channel not in message.contents or not user.channel_enabled(batch.group, channel):
                continue
            # (subject, body[, the channel's own link[, the email button's text]])
            subject, body, *own_link = message.contents[channel]
            button_text = own_link[1] if len(own_link) > 1 else ""
            body_html = own_link[2] if len(own_link) > 2 and channel == Channel.EMAIL else ""  # sanitised by caller
            push_options = button_text if isinstance(button_text, dict) else {}  # push: {"icon_url", "deep_link"}
            button_text = "" if push_options else button_text
            own_link = [link for link in own_link[:1] if link]
            if id(batch) not in abs_links:
                abs_links[id(batch)] = absolute_url(batch.link)
            marketing_email = batch.marketing and channel == Channel.EMAIL
            skip = ""
            if marketing_email:
                skip = _("Alamat email berhenti berlangganan.") if (user.email or "").lower() in suppressed else ""
                body = f"{body}\n\n--\n{_('Berhenti menerima email seperti ini')}: {unsubscribe_url(user.email)}"
            delivery = _delivery_build(
                channel=channel,
                recipient=_recipient(user, channel),
                subject=subject,
                body=body,
                link=absolute_url(own_link[0]) if own_link else abs_links[id(batch)],
                user=user,
                notification=notification,
                template_key=batch.template_key,
                skip_reason=skip,
            )
            delivery.marketing = marketing_email
            delivery.button_text = str(button_text or "")[:60] if channel == Channel.EMAIL else ""
            delivery.body_html = str(body_html or "")
            if channel == Channel.PUSH and push_options:
                delivery.icon_url = push_link_clean(push_options.get("icon_url"))
                delivery.deep_link = push_link_clean(push_options.get("deep_link"))
            deliveries.append(delivery)
            if not batch.enqueue:
                held.add(id(delivery))
    _deliveries_save(deliveries, held=frozenset(held))
    popup_users = {n.user_id for n in notifications if n.popup_pending}
    if popup_users:
        transaction.on_commit(partial(popup_flags_set, popup_users), robust=True)
    live = [n for (batch, _u, _m), n in zip(rows, notifications, strict=True) if not batch.in_app]
    if live:
        transaction.on_commit(partial(_publish_new, live), robust=True)
    silent = {
        n.user_id for (batch, _u, _m), n in zip(rows, notifications, strict=True) if batch.in_app == IN_APP_SILENT
    }
    if silent:
        transaction.on_commit(partial(_publish_unread_counts, silent), robust=True)
    return [by_batch[id(batch)] for batch in batches]


IN_APP_SILENT, IN_APP_NONE = "silent", "none"


def _publish_unread_counts(user_ids) -> None:
    """A silent notification: only the badge's count changes live (no toast)."""
    counts = unread_counts(user_ids=user_ids)
    for user_id in user_ids:
        realtime.publish_unread(user_id=user_id, unread=counts.get(user_id, 0))


@dataclass(frozen=True)
class Announcement:
    """One event of a registered kind for some users: the arguments of `notify_users`, for `notify_many`."""

    users: list
    kind: str
    link: str = ""
    context: dict | None = None
    data: dict | None = None
    channels: list | None = None
    source: str = ""  # "course:12": filtered in the notification centre; those who unfollowed it are left out


def unfollowed_user_ids(*, source: str, user_ids) -> set[int]:
    """Of `user_ids`, those who unfollowed `source` (one query)."""
    ids = [pk for pk in user_ids if pk is not None]
    if not source or not ids:
        return set()
    return set(
        Subscription.objects.filter(source=source, subscribed=False, user_id__in=ids).values_list("user_id", flat=True)
    )


def _kind_batch(announcement: Announcement) -> _Batch:
    spec = kind_get(announcement.kind)
    users = [u for u in announcement.users if u is not None]
    source = str(announcement.source or "")[:60]
    if source and users:
        muted = unfollowed_user_ids(source=source, user_ids=[u.pk for u in users])
        users = [u for u in users if u.pk not in muted]
    template = message_template_for_sending(key=spec.key) if users else None  # (nobody to tell: not read)
    link = str(announcement.link or "")[:500]
    values = {"link": absolute_url(link), **(announcement.context or {})}

    def message_for(user) -> _Message:
        rendered = message_template_render(template=template, user=user, context=values)
        return _Message(rendered.title, rendered.body, _channel_contents(rendered), rendered.is_active)

    return _Batch(
        users=users,
        group=spec.group,
        channels=_requested_channels(spec, announcement.channels),
        link=link,
        data={"template": spec.key, **(announcement.data or {})},
        template_key=spec.key,
        message_for=message_for,
        source=source,
        required=spec.required,
        popup=spec.popup,
    )


@transaction.atomic
def notify_users(
    *, users, kind: str, link: str = "", context=None, data=None, channels=None, source: str = ""
) -> list[Notification]:
    """Tells each of `users` about one event of `kind` (a registered notification kind): in the app always; on
    email, WhatsApp and push as far as the kind's channels (or `channels`), its template's texts and each user's
    preferences allow. The texts come from the kind's template (admin-edited, or its defaults); `context` fills its
    shortcodes. Every notification is created in ONE insert and every delivery in one more, whatever the number of
    users; sending happens after commit, in the background."""
    announcement = Announcement(
        users=list(users), kind=kind, link=link, context=context, data=data, channels=channels, source=source
    )
    return notify_many([announcement])[0]


@transaction.atomic
def notify_many(announcements: list[Announcement]) -> list[list[Notification]]:
    """`notify_users` for several events at once (a paid order: the buyer's receipt and every admin's new sale):
    the notifications of all of them in ONE insert, their deliveries in one more, one realtime pass after commit.
    Returns the notifications of each announcement, in order."""
    batches = [_kind_batch(announcement) for announcement in announcements]
    return _create_batches(batches)


def notify(*, user, kind: str, link: str = "", context=None, data=None, channels=None, source: str = ""):
    """`notify_users` for one user: the Notification, or None when the user unfollowed `source`."""
    sent = notify_users(
        users=[user], kind=kind, link=link, context=context, data=data, channels=channels, source=source
    )
    return sent[0] if sent else None


@transaction.atomic
def subscription_set(*, user, source: str, subscribed: bool) -> Subscription:
    """The user follows (or unfollows) a source's notifications ("course:12"). The caller checks the user may see
    the source; an unknown kind or malformed key is refused."""
    if source_parse(source) is None:
        raise ServiceError(_("Sumber notifikasi tidak dikenal."), errors={"source": [_("Tidak dikenal.")]})
    row, _created = Subscription.objects.update_or_create(
        user=user, source=source, defaults={"subscribed": bool(subscribed)}
    )
    return row


def subscription_state(*, user, source: str) -> bool:
    """Whether `user` follows `source` (followed unless they unfollowed it)."""
    return not Subscription.objects.filter(user=user, source=source, subscribed=False).exists()


def _followable(user, source: str):
    parsed = source_parse(source)
    entry = source_kind(parsed[0]) if parsed else None
    if entry is None:
        raise ServiceError(_("Sumber notifikasi tidak dikenal."), errors={"source": [_("Tidak dikenal.")]})
    if not (user and user.is_authenticated and entry.may_follow and entry.may_follow(user, parsed[1])):
        raise NotAllowed(_("Anda belum dapat mengikuti notifikasi ini. Bergabung atau daftar dulu."))
    return entry, parsed[1]


def subscription_follow_state(*, user, source: str) -> bool:
    """`subscription_state` for a user who may follow `source` (the source's own check); NotAllowed otherwise."""
    _followable(user, source)
    return subscription_state(user=user, source=source)


@transaction.atomic
def subscription_follow(*, user, source: str, subscribed: bool) -> bool:
    """The user follows ("Ikuti notifikasi") or unfollows ("Berhenti mengikuti") a group, course or event: only a
    source the user may follow (its registered check: a member of the group, a learner of the course, a registrant
    of the event); the source's own hook runs after the change. Returns the new state."""
    entry, key = _followable(user, source)
    subscription_set(user=user, source=source, subscribed=subscribed)
    if entry.on_change:
        entry.on_change(user, key, bool(subscribed))
    return bool(subscribed)


def notify_from_template(*, user, key: str, kind: str | None = None, link="", context=None, channels=None):
    """`notify` under its former name (`key` is the notification kind; `kind`, the group, comes from it now)."""
    if kind is not None and kind != kind_get(key).group:
        raise ValueError(f"Notification kind {key!r} belongs to group {kind_get(key).group!r}, not {kind!r}")
    return notify(user=user, kind=key, link=link, context=context, channels=channels)


@dataclass(frozen=True)
class TextMessage:
    """One recipient of `notify_texts`: the texts a person wrote, filled for this user, and their links. `data` is
    stored on the notification; `extra_contents` overrides the text per channel (channel → (subject, body[, link[,
    the email button's text]]))."""

    user: object
    title: str
    message: str = ""
    link: str = ""
    data: dict | None = None
    extra_contents: dict | None = None


def _text_batch(
    text: TextMessage, *, kind, channels, template_key, marketing, enqueue, in_app="", popup=False
) -> _Batch:
    title = str(text.title).strip()[:200]
    message = str(text.message or "").strip()
    link = str(text.link or "")[:500]
    abs_link = absolute_url(link)
    whatsapp = "\n\n".join(part for part in (f"*{title}*", message, abs_link) if part)
    contents = {
        Channel.EMAIL: (title, message),
        Channel.WHATSAPP: (title, whatsapp),
        Channel.PUSH: (title, message),
        **{channel: tuple(value) for channel, value in (text.extra_contents or {}).items()},
    }
    return _Batch(
        users=[text.user],
        group=kind,
        channels=channels,
        link=link,
        data=text.data or {},
        template_key=template_key,
        message_for=lambda _user: _Message(title, message, contents),
        marketing=marketing,
        enqueue=enqueue,
        in_app=in_app,
        popup=popup,
    )


@transaction.atomic
def notify_texts(
    *,
    kind: str,
    texts: list[TextMessage],
    channels=None,
    template_key="",
    marketing: bool = False,
    enqueue: bool = True,
    in_app: str = "",
    popup: bool = False,
) -> list[Notification | None]:
    """`notify_text` for many recipients at once, each with their own texts, links and data (a broadcast batch):
    every notification in ONE insert, every delivery in one more, the suppression list and the role rules read
    once for all of them, whatever their number. Returns, in the order of `texts`, each one's Notification (None
    when the admin's role rules leave that user out of `kind`)."""
    if group_get(kind) is None:
        raise ValueError(f"Unknown notification group: {kind!r}")
    if in_app not in ("", IN_APP_SILENT, IN_APP_NONE):
        raise ValueError(f"Unknown in-app display: {in_app!r}")
    requested = list(Channel.values) if channels is None else _requested_channels(None, channels)
    options = {"kind": kind, "channels": requested, "template_key": template_key, "marketing": marketing}
    options.update(in_app=in_app, popup=popup)
    batches = [_text_batch(text, enqueue=enqueue, **options) for text in texts]
    created = _create_batches(batches)
    return [notifications[0] if notifications else None for notifications in created]


def notify_text(
    *,
    user,
    kind: str,
    title,
    message="",
    link="",
    data=None,
    channels=None,
    extra_contents=None,
    template_key="",
    marketing: bool = False,
    enqueue: bool = True,
    in_app: str = "",
    popup: bool = False,
) -> Notification | None:
    """A notification whose text a person wrote and the platform stores (a product's follow-up step, which the admin
    edits on the product): the texts are passed in, not written in code. `kind` is a preference group. Platform
    messages never come here: they are kinds with templates (`notify`); a test walks the code to hold that.
    `extra_contents` overrides the text per channel (channel → (subject, body[, link[, email button text | push
    options {"icon_url", "deep_link"}[, the email's HTML body, already sanitised]]])), as the reminder builder
    writes one text per channel; `template_key` marks
    the deliveries (e.g. for the reminders' email open pixel).
    `marketing=True` (broadcasts): the email gets a signed unsubscribe link at its foot and is skipped for an address
    on the suppression list (checked again right before sending); transactional messages leave it False.
    `enqueue=False`: the queued deliveries are not handed to the task queue; the caller sends them with
    `deliveries_send_batch` (a broadcast batch, paced and over one SMTP connection; the sweep still picks up any
    left queued). `in_app`: "" (a toast), "silent" (no toast) or "none" (no in-app notification for the member: the
    row stays, read and archived, as the record of the deliveries); `popup`: shown as a popup. None when the admin's
    role rules leave the user out of `kind`. Many recipients: `notify_texts`."""
    text = TextMessage(user=user, title=title, message=message, link=link, data=data, extra_contents=extra_contents)
    return notify_texts(
        kind=kind,
        texts=[text],
        channels=channels,
        template_key=template_key,
        marketing=marketing,
        enqueue=enqueue,
        in_app=in_app,
        popup=popup,
    )[0]


@transaction.atomic
def email_send_template(*, to_email, key, context, user=None) -> Delivery:
    """A transactional email (email verification, password reset…). Ignores the user's preferences: the account
    needs it. Returns the delivery, which is sent after commit."""
    template = message_template_for_sending(key=key)
    rendered = message_template_render(template=template, user=user, context={"email": to_email, **(context or {})})
    delivery = _delivery_build(
        channel=Channel.EMAIL,
        recipient=(to_email or "").strip(),
        subject=rendered.subject,
        body=rendered.email_text,
        user=user if getattr(user, "pk", None) else None,
        template_key=key,
        skip_reason="" if rendered.is_active else _("Template pesan sedang nonaktif."),
    )
    delivery.save()
    if delivery.status == DeliveryStatus.QUEUED:
        transaction.on_commit(partial(_enqueue, delivery.pk), robust=True)
    return delivery


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


@transaction.atomic
def notification_archive(*, user, notification_id, archived: bool = True) -> Notification:
    """Archives one of the user's notifications (it leaves the bell and the list for the "Arsip" filter, and counts
    as read), or with `archived=False` brings it back. Someone else's (or a missing one) is NotFound."""
    notification = notification_mark_read(user=user, notification_id=notification_id)
    value = timezone.now() if archived else None
    if (notification.archived_at is None) == bool(archived):
        Notification.objects.filter(pk=notification.pk).update(archived_at=value)
        notification.archived_at = value
    return notification


# --- popups (important notifications) --------------------------------------------------------------------


POPUP_FLAG = "notifications:popup:{}"


def popup_flags_set(user_ids) -> None:
    """Marks users who have a pending popup, so a page load of everyone else costs no query for it."""
    cache.set_many({POPUP_FLAG.format(pk): 1 for pk in user_ids}, settings.NOTIFICATIONS_POPUP_DAYS * 86400)


def notification_popups_seen(*, user, notification_ids) -> int:
    """The open page showed these popups (acknowledged over the websocket): they are not shown again."""
    ids = [int(i) for i in list(notification_ids)[:50] if str(i).isdigit()]
    if not ids:
        return 0
    return Notification.objects.filter(user=user, pk__in=ids, popup_pending=True).update(popup_pending=False)


def notification_popups_take(*, user, limit: int = 3) -> list[Notification]:
    """The fallback when no page was open: the user's pending popups (newest first, unread and not archived), which
    this page load shows; all pending ones are cleared (older ones stay in the bell). Two queries; none unless the
    user got a popup since the last time (a cache flag)."""
    flag = POPUP_FLAG.format(user.pk)
    if not cache.get(flag):
        return []
    cache.delete(flag)
    pending = list(
        Notification.objects.filter(user=user, popup_pending=True).order_by("-created_at", "-id")[: limit + 20]
    )
    if not pending:
        return []
    Notification.objects.filter(user=user, pk__in=[n.pk for n in pending]).update(popup_pending=False)
    shown = [n for n in pending if n.read_at is None and n.archived_at is None][:limit]
    return shown


# --- role rules ---------------------------------------------------------------------------------------------


@transaction.atomic
def role_rules_save(*, actor, enabled_pairs) -> int:
    """Saves the admin's grid: `enabled_pairs` is every (group, role) that receives notifications; every other pair
    of a registered group and a role is switched off. Recorded in the activity log; returns how many pairs changed."""
    wanted = {(str(g), str(r)) for g, r in enabled_pairs}
    current = {(r.group, r.role): r for r in NotificationRoleRule.objects.select_for_update()}
    changed = []
    for group in group_keys():
        for role in Role.values:
            enabled = (group, role) in wanted
            row = current.get((group, role))
            if (row.enabled if row else True) == enabled:
                continue
            NotificationRoleRule.objects.update_or_create(
                group=group, role=role, defaults={"enabled": enabled, "updated_by": actor}
            )
            changed.append(f"{group}:{role}:{'on' if enabled else 'off'}")
    if changed:
        activity_record(
            action=ROLE_RULES_CHANGED,
            actor=actor,
            target_label=str(_("Aturan notifikasi per peran")),
            data={"changed": changed},
        )
        role_rules_cache_clear()
        transaction.on_commit(role_rules_cache_clear)  # and again once committed (a concurrent read re-cached)
    return len(changed)


# --- email suppression (unsubscribe from broadcasts) ------------------------------------------------------------

# The signed links live in unsubscribe.py (the email channel needs them too); these names stay for callers.
UNSUBSCRIBE_SALT = unsubscribe.UNSUBSCRIBE_SALT
unsubscribe_token = unsubscribe.unsubscribe_token
unsubscribe_url = unsubscribe.unsubscribe_url
unsubscribe_email = unsubscribe.unsubscribe_email


@transaction.atomic
def suppression_add(*, email: str, reason: str = "unsubscribed", actor=None) -> EmailSuppression:
    """Puts an address on the suppression list (no marketing email); adding it twice keeps one row."""
    email = (email or "").strip().lower()
    if "@" not in email or len(email) > 254 or "\x00" in email:
        raise ServiceError(_("Alamat email tidak valid."), errors={"email": ["invalid"]})
    row, _created = EmailSuppression.objects.get_or_create(
        email=email, defaults={"reason": reason[:20], "created_by": actor}
    )
    return row


@transaction.atomic
def suppression_remove(*, suppression_id, actor) -> None:
    """An admin takes an address off the suppression list (the member asked to receive broadcasts again)."""
    row = EmailSuppression.objects.filter(pk=suppression_id).first()
    if row is None:
        raise NotFound(_("Alamat tidak ditemukan di daftar."))
    activity_record(action=SUPPRESSION_REMOVED, actor=actor, target_label=row.email)
    row.delete()


def _publish_unread(user) -> None:
    realtime.publish_unread(user_id=user.pk, unread=unread_count(user=user))


# --- message templates -----------------------------------------------------------------------------------

TEMPLATE_FIELDS = ("name", *TEXT_FIELDS, "is_active")


def _clean_template_fields(template: MessageTemplate, fields: dict) -> dict:
    unknown = set(fields) - set(TEMPLATE_FIELDS)
    if unknown:
        raise TypeError(f"message_template_update() got unknown fields: {sorted(unknown)}")
    kind = kind_get(template.key)
    cleaned: dict = {}
    errors: dict[str, list[str]] = {}
    limits = {
        "name": (100, True, _("Nama template")),
        "inapp_title": (200, True, _("Judul notifikasi")),
        "inapp_body": (EMAIL_BODY_MAX_LENGTH, False, _("Isi notifikasi")),
        "email_subject": (SUBJECT_MAX_LENGTH, False, _("Subjek email")),
        "email_body": (EMAIL_BODY_MAX_LENGTH, False, _("Isi email")),
        "whatsapp_body": (WHATSAPP_BODY_MAX_LENGTH, False, _("Isi WhatsApp")),
        "push_body": (PUSH_BODY_MAX_LENGTH, False, _("Isi push")),
    }
    if kind.defaults.email_body:
        # A kind that ships an email keeps one (its subject and body are required); other channels may be emptied.
        limits["email_subject"] = (SUBJECT_MAX_LENGTH, True, _("Subjek email"))
        limits["email_body"] = (EMAIL_BODY_MAX_LENGTH, True, _("Isi email"))
    for field, value in fields.items():
        if field == "is_active":
            cleaned[field] = bool(value)
            if not value and kind.required:
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
        elif field in ("email_subject", "inapp_title") and "\n" in value:
            errors[field] = [_("%(label)s harus satu baris.") % {"label": label}]
        cleaned[field] = value
    email_body = cleaned.get("email_body", template.email_body)
    email_subject = cleaned.get("email_subject", template.email_subject)
    if email_body and not email_subject and "email_subject" not in errors:
        errors["email_subject"] = [_("Subjek email wajib diisi bila isi email diisi.")]
    if errors:
        raise ServiceError(_("Periksa kembali isian template."), errors=errors)
    return cleaned


def _template_defaults(kind) -> dict:
    d = kind.defaults
    return {
        "name": str(kind.label),
        "inapp_title": d.inapp_title,
        "inapp_body": d.inapp_body,
        "email_subject": d.email_subject,
        "email_body": d.email_body,
        "whatsapp_body": d.whatsapp,
        "push_body": d.push,
    }


def message_templates_sync() -> int:
    """Creates the template row of every registered kind that has none yet, with the kind's default texts; rows an
    admin edited are never touched. Runs after every `migrate` (post_migrate: `make run`, the test database, a
    deploy) and from `manage.py notifications_sync_templates`; safe to run twice or concurrently. Returns how many
    rows it created."""
    existing = set(MessageTemplate.objects.values_list("key", flat=True))
    missing = [MessageTemplate(key=k.key, **_template_defaults(k)) for k in kinds() if k.key not in existing]
    MessageTemplate.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def _template_locked(key: str) -> MessageTemplate:
    kind = kind_get(key)
    MessageTemplate.objects.get_or_create(key=key, defaults=_template_defaults(kind))
    return MessageTemplate.objects.select_for_update().get(key=key)


def _template_save(locked: MessageTemplate, values: dict, *, actor, reset: bool = False) -> MessageTemplate:
    changed = sorted(field for field, value in values.items() if getattr(locked, field) != value)
    if not changed:
        return locked
    for field in changed:
        setattr(locked, field, values[field])
    locked.updated_by = actor
    locked.save(update_fields=[*changed, "updated_by", "updated_at"])
    data = {"key": locked.key, "fields": changed}
    if reset:
        data["reset"] = True
    activity_record(action=Action.TEMPLATE_CHANGED, actor=actor, target=locked, target_label=locked.name, data=data)
    return locked


@transaction.atomic
def message_template_update(*, template: MessageTemplate, actor, **fields) -> MessageTemplate:
    """Saves an admin's changes to a message template and records them in the activity log."""
    cleaned = _clean_template_fields(template, fields)
    return _template_save(_template_locked(template.key), cleaned, actor=actor)


@transaction.atomic
def message_template_reset(*, key: str, actor) -> MessageTemplate:
    """Puts the kind's default texts back (and switches it on); recorded in the activity log."""
    locked = _template_locked(key)
    values = {**_template_defaults(kind_get(key)), "is_active": True}
    return _template_save(locked, values, actor=actor, reset=True)


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
        _send_locked([delivery])
    return delivery


def _send_locked(deliveries: list[Delivery]) -> None:
    """Sends locked, queued deliveries of one channel in one go (one SMTP connection for email) and records each
    one's result: a marketing email to an address unsubscribed meanwhile is skipped; a failure leaves that delivery
    queued with back-off, or `failed` after the last attempt, without touching the others."""
    marketing = [d.recipient for d in deliveries if d.marketing]
    suppressed = suppressed_emails(emails=marketing) if marketing else set()
    to_send = []
    for delivery in deliveries:
        if delivery.marketing and delivery.recipient.lower() in suppressed:
            # unsubscribed after the message was queued: checked again right before sending
            delivery.status, delivery.last_error = DeliveryStatus.SKIPPED, _("Alamat email berhenti berlangganan.")
            delivery.save(update_fields=["status", "last_error"])
        else:
            delivery.attempts += 1
            to_send.append(delivery)
    if not to_send:
        return
    try:
        channel = get_channel(to_send[0].channel)
        results = channel.send_many(to_send) if len(to_send) > 1 else [channel.send(to_send[0])]
    except Exception as exc:  # a bug or an unexpected library error must not lose the deliveries
        logger.exception("Deliveries %s: unexpected error while sending", [d.pk for d in to_send])
        results = [SendResult.failed(d.provider, f"{type(exc).__name__}: {exc}") for d in to_send]
    now = timezone.now()
    for delivery, result in zip(to_send, results, strict=True):
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
    _results_save(to_send)


# Results that differ per delivery only by their message id come in a few shapes (sent; failed with this error…):
# each shape is one UPDATE, up to this many; beyond that, one bulk update of them all.
RESULT_SHAPES = 8
RESULT_FIELDS = ("provider", "response", "last_error", "status", "next_attempt_at", "sent_at", "attempts")


def _results_save(deliveries: list[Delivery]) -> None:
    """Records the results of a batch in a few queries whatever its size: one UPDATE per distinct outcome (Django's
    `bulk_update` of every field builds one CASE branch per row and field: seconds for a 2,000-email batch), and one
    bulk update of the provider's message ids, the only value of its own per delivery. A delivery alone in its
    outcome (a single send) gets its message id in that same UPDATE: one query, as before."""
    shapes: dict[tuple, list[Delivery]] = {}
    for delivery in deliveries:
        key = tuple(repr(getattr(delivery, field)) for field in RESULT_FIELDS)
        shapes.setdefault(key, []).append(delivery)
    if len(shapes) > RESULT_SHAPES:
        Delivery.objects.bulk_update(deliveries, [*RESULT_FIELDS, "provider_message_id"])
        return
    with_ids = []
    for rows in shapes.values():
        values = {field: getattr(rows[0], field) for field in RESULT_FIELDS}
        if len(rows) == 1:
            values["provider_message_id"] = rows[0].provider_message_id
        else:
            with_ids.extend(row for row in rows if row.provider_message_id)
        Delivery.objects.filter(pk__in=[row.pk for row in rows]).update(**values)
    if with_ids:
        Delivery.objects.bulk_update(with_ids, ["provider_message_id"])


def deliveries_send_batch(*, delivery_ids) -> dict[str, int]:
    """Sends the queued deliveries among `delivery_ids` now, channel by channel: the emails of the batch over one
    SMTP connection (not one per email), each recipient's failure recorded on its own delivery (retried later by
    the back-off like any delivery). Rows are locked with SKIP LOCKED, so a delivery a task is sending at the same
    moment is left to it, and one no longer queued is left alone: never sent twice. Returns the count per status."""
    counts: dict[str, int] = {}
    ids = sorted({int(pk) for pk in delivery_ids})
    if not ids:
        return counts
    with transaction.atomic():
        rows = list(
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("notification")  # the email extras (open pixel) read it: no query per email
            .filter(pk__in=ids, status=DeliveryStatus.QUEUED)
            .order_by("pk")
        )
        by_channel: dict[str, list[Delivery]] = {}
        for row in rows:
            by_channel.setdefault(row.channel, []).append(row)
        for channel_rows in by_channel.values():
            _send_locked(channel_rows)
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    return counts


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
