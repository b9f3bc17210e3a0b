"""Chat events over the Channels layer. Each connected tab or app of a user joins `chat.user.<id>`; a message is
published to every participant's group after its transaction commits. Presence lives in the cache, refreshed by the
socket's heartbeats. Publishing never raises: the REST fallback (polling) still has every message."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)

_PRESENCE = "chat:presence:"
_LAST_SEEN = "chat:last-seen:"


def user_group(user_id: int) -> str:
    return f"chat.user.{user_id}"


def publish(user_ids, event: dict) -> None:
    try:
        layer = get_channel_layer()
        if layer is None:
            return
        for user_id in user_ids:
            async_to_sync(layer.group_send)(user_group(user_id), event)
    except Exception:  # realtime being down must never break the write
        logger.warning("Chat event not delivered", exc_info=True)


def presence_touch(user_id: int) -> None:
    cache.set(f"{_PRESENCE}{user_id}", 1, timeout=settings.CHAT_PRESENCE_TTL_SECONDS)
    cache.set(f"{_LAST_SEEN}{user_id}", timezone.now().isoformat(), timeout=60 * 60 * 24 * 30)


def presence_leave(user_id: int) -> None:
    cache.delete(f"{_PRESENCE}{user_id}")
    cache.set(f"{_LAST_SEEN}{user_id}", timezone.now().isoformat(), timeout=60 * 60 * 24 * 30)


def online_ids(user_ids) -> set[int]:
    ids = list(user_ids)
    found = cache.get_many([f"{_PRESENCE}{uid}" for uid in ids])
    return {uid for uid in ids if f"{_PRESENCE}{uid}" in found}


def last_seen(user_ids) -> dict[int, str]:
    ids = list(user_ids)
    found = cache.get_many([f"{_LAST_SEEN}{uid}" for uid in ids])
    return {uid: found[f"{_LAST_SEEN}{uid}"] for uid in ids if f"{_LAST_SEEN}{uid}" in found}
