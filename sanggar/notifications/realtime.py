"""Realtime events to the bell through the Django Channels layer (Redis in production, in-process otherwise).

Each signed-in browser tab joins its user's group (see consumers.py). Publishing never raises: realtime being down
must not lose a notification (the page polls /notifications/badge when its socket is gone)."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.urls import reverse

logger = logging.getLogger(__name__)

# Event types; Channels calls the consumer method with the dot replaced by an underscore.
EVENT_NEW = "notification.new"
EVENT_UNREAD = "notification.unread"


def user_group(user_id: int) -> str:
    return f"notifications.user.{user_id}"


def notification_payload(notification) -> dict:
    """What the browser (and the mobile API) needs to show a toast for one notification."""
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "title": notification.title,
        "message": notification.message,
        "has_link": bool(notification.link),
        "popup": bool(getattr(notification, "popup_pending", False)),
        "read_url": reverse("notifications:read", args=[notification.pk]),
        "created_at": notification.created_at.isoformat() if notification.created_at else "",
    }


def publish_new(*, notification, unread: int) -> None:
    event = {"type": EVENT_NEW, "notification": notification_payload(notification), "unread": unread}
    _send(notification.user_id, event)


def publish_new_many(events: list[tuple]) -> None:
    """`publish_new` for several (notification, unread) pairs: one hand-over to the event loop for all of them
    (each event apart still only the channel layer's `group_send`; one that fails does not stop the others)."""
    _send_many(
        [
            (n.user_id, {"type": EVENT_NEW, "notification": notification_payload(n), "unread": unread})
            for n, unread in events
        ]
    )


def publish_unread(*, user_id: int, unread: int) -> None:
    _send(user_id, {"type": EVENT_UNREAD, "unread": unread})


def _send(user_id: int, event: dict) -> None:
    try:
        layer = get_channel_layer()
        if layer is None:
            return
        async_to_sync(layer.group_send)(user_group(user_id), event)
    except Exception:  # a realtime outage must never break the write that produced the event
        logger.warning("Realtime event for user %s not delivered", user_id, exc_info=True)


def _send_many(events: list[tuple[int, dict]]) -> None:
    if not events:
        return
    try:
        layer = get_channel_layer()
        if layer is None:
            return

        async def send_all():
            for user_id, event in events:
                try:
                    await layer.group_send(user_group(user_id), event)
                except Exception:
                    logger.warning("Realtime event for user %s not delivered", user_id, exc_info=True)

        async_to_sync(send_all)()
    except Exception:  # a realtime outage must never break the write that produced the events
        logger.warning("Realtime events for %s users not delivered", len(events), exc_info=True)
