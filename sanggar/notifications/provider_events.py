"""What the messaging providers report after a send (REM-D3): Fonnte's message-status webhook and OneSignal's web push
webhooks, applied to the Delivery rows by the provider's message id.

Neither provider signs its webhook the way the payment providers do, so each endpoint has a shared secret
(FONNTE_WEBHOOK_SECRET, ONESIGNAL_WEBHOOK_SECRET) sent as the `X-Webhook-Secret` header or the URL's `?secret=`,
compared in constant time; an empty secret refuses everything (the endpoint is off). Then:

- a body over DELIVERY_WEBHOOK_MAX_BYTES → 413; not a JSON object (or too deep, wrongly typed, NUL characters in an
  id) → 400, each with its reason; nothing is stored;
- an id no Delivery row carries, or a status we do not track → 200 "ignored" (providers retry on errors, and a
  message sent before this existed, or by another system on the same device, is not an error);
- a known id → the furthest status reached moves forward only (sent < delivered < read < clicked) and the
  `delivered_at` / `opened_at` / `clicked_at` moments are set once: a replay, or a late "sent" after "read",
  changes nothing (200 "unchanged").

Payloads, as documented:
- Fonnte (docs.fonnte.com/webhook-update-message-status): JSON `{"device", "id", "stateid", "status", "state"}`.
  The first report names the message `id` (the send answer's id) with its `stateid`; later reports of the state
  ("delivered", "read") may name only the `stateid`, so the first one stores it on the delivery.
- OneSignal (documentation.onesignal.com/docs/webhooks): JSON `{"event": "notification.willDisplay" |
  "notification.clicked" | "notification.dismissed", "notificationId" (older docs: "id"), "heading", "content",
  "additionalData", "actionId", "url"}`. Displayed (or dismissed) → delivered; clicked → opened and clicked (a push
  is "opened" by tapping it, as OneSignal counts it)."""

import hmac
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .constants import ProviderStatus
from .models import Delivery

SENT, DELIVERED, READ, CLICKED = (
    ProviderStatus.SENT,
    ProviderStatus.DELIVERED,
    ProviderStatus.READ,
    ProviderStatus.CLICKED,
)
RANK = {SENT: 1, DELIVERED: 2, READ: 3, CLICKED: 4}
FONNTE, ONESIGNAL = "fonnte", "onesignal"
SECRET_HEADER = "X-Webhook-Secret"
# What the providers' words mean here; any other word (pending, waiting, processing, invalid, expired…) is ignored.
FONNTE_STATUSES = {"sent": SENT, "delivered": DELIVERED, "read": READ, "played": READ}
ONESIGNAL_EVENTS = {
    "notification.willDisplay": DELIVERED,
    "notification.displayed": DELIVERED,  # the older docs' name
    "notification.dismissed": DELIVERED,  # it was shown before it was dismissed
    "notification.clicked": CLICKED,
}
IDENT = re.compile(r"[A-Za-z0-9._:-]{1,100}")
WORD_MAX = 40

# Who else wants to know when a delivery is first opened or clicked (reminders mark their send log); each is called
# as hook(delivery, opened=bool, clicked=bool, at=datetime) inside the update's transaction.
ENGAGEMENT_HOOKS: list[Callable] = []


@dataclass(frozen=True)
class WebhookAnswer:
    status_code: int
    outcome: str  # applied | unchanged | ignored | rejected
    detail: str


class _Refused(Exception):
    def __init__(self, status_code: int, detail: str):
        super().__init__(detail)
        self.status_code = status_code
        self.detail = detail


def _refused(exc: _Refused) -> WebhookAnswer:
    return WebhookAnswer(exc.status_code, "rejected", exc.detail)


def _verify(setting: str, headers, query_secret: str) -> None:
    expected = getattr(settings, setting, "") or ""
    if not expected:
        raise _Refused(403, _("webhook ini belum diaktifkan (rahasia belum diatur)"))
    given = headers.get(SECRET_HEADER) or query_secret or ""
    if not given:
        raise _Refused(401, _("rahasia webhook tidak ada"))
    if not hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8")):
        raise _Refused(403, _("rahasia webhook tidak valid"))


def _parse(raw_body: bytes) -> dict:
    if len(raw_body) > settings.DELIVERY_WEBHOOK_MAX_BYTES:
        raise _Refused(413, _("isi terlalu besar (%(size)s byte)") % {"size": len(raw_body)})
    try:
        data = json.loads(raw_body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _Refused(400, _("isi bukan JSON yang terbaca")) from None
    if not isinstance(data, dict):
        raise _Refused(400, _("isi harus berupa objek JSON"))
    return data


def _ident(data: dict, key: str) -> str:
    """An id field: a number or a short string of letters, digits and . _ : - ; "" when absent."""
    value = data.get(key)
    if value is None or value == "":
        return ""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    if isinstance(value, str) and IDENT.fullmatch(value):
        return value
    raise _Refused(400, _("kolom %(key)s tidak valid") % {"key": key})


def _word(data: dict, key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > WORD_MAX or "\x00" in value:
        raise _Refused(400, _("kolom %(key)s tidak valid") % {"key": key})
    return value.strip()


def _apply(*, provider: str, level: str, message_id: str = "", state_id: str = "", now=None) -> WebhookAnswer:
    """Moves the delivery named by `message_id` (or, without it, by Fonnte's `state_id`) forward to `level`."""
    now = now or timezone.now()
    rows = Delivery.objects.filter(provider=provider)
    rows = rows.filter(provider_message_id=message_id) if message_id else rows.filter(provider_state_id=state_id)
    with transaction.atomic():
        delivery = rows.select_for_update().order_by("id").first()
        if delivery is None:
            return WebhookAnswer(200, "ignored", _("pengiriman tidak dikenal; diabaikan"))
        changed = []
        if state_id and not delivery.provider_state_id:
            delivery.provider_state_id = state_id
            changed.append("provider_state_id")
        if RANK[level] > RANK.get(delivery.provider_status, 0):
            delivery.provider_status = level
            changed.append("provider_status")
        opened = clicked = False
        if RANK[level] >= RANK[DELIVERED] and delivery.delivered_at is None:
            delivery.delivered_at = now
            changed.append("delivered_at")
        if RANK[level] >= RANK[READ] and delivery.opened_at is None:
            delivery.opened_at = now
            changed.append("opened_at")
            opened = True
        if level == CLICKED and delivery.clicked_at is None:
            delivery.clicked_at = now
            changed.append("clicked_at")
            clicked = True
        if not changed:
            return WebhookAnswer(200, "unchanged", _("sudah tercatat"))
        delivery.save(update_fields=changed)
        if opened or clicked:
            for hook in ENGAGEMENT_HOOKS:
                hook(delivery, opened=opened, clicked=clicked, at=now)
    label = delivery.get_provider_status_display()
    return WebhookAnswer(200, "applied", _("status \u201c%(status)s\u201d dicatat") % {"status": label})


def fonnte_status_receive(*, headers, query_secret: str, raw_body: bytes) -> WebhookAnswer:
    """`POST /webhooks/fonnte/status`: one Fonnte message-status report."""
    try:
        _verify("FONNTE_WEBHOOK_SECRET", headers, query_secret)
        data = _parse(raw_body)
        message_id, state_id = _ident(data, "id"), _ident(data, "stateid")
        words = [_word(data, "status").lower(), _word(data, "state").lower()]
    except _Refused as exc:
        return _refused(exc)
    if not message_id and not state_id:
        return WebhookAnswer(400, "rejected", _("id atau stateid wajib ada"))
    levels = [FONNTE_STATUSES[w] for w in words if w in FONNTE_STATUSES]
    if not levels:
        return WebhookAnswer(200, "ignored", _("status tidak dilacak; diabaikan"))
    level = max(levels, key=RANK.__getitem__)
    return _apply(provider=FONNTE, level=level, message_id=message_id, state_id=state_id)


def onesignal_event_receive(*, headers, query_secret: str, raw_body: bytes) -> WebhookAnswer:
    """`POST /webhooks/onesignal/events`: one OneSignal web push event (displayed, clicked, dismissed)."""
    try:
        _verify("ONESIGNAL_WEBHOOK_SECRET", headers, query_secret)
        data = _parse(raw_body)
        event = _word(data, "event")
        message_id = _ident(data, "notificationId") or _ident(data, "id")
    except _Refused as exc:
        return _refused(exc)
    if not message_id:
        return WebhookAnswer(400, "rejected", _("notificationId wajib ada"))
    level = ONESIGNAL_EVENTS.get(event)
    if level is None:
        return WebhookAnswer(200, "ignored", _("peristiwa tidak dilacak; diabaikan"))
    return _apply(provider=ONESIGNAL, level=level, message_id=message_id)
