"""Chat events over the Channels layer and presence in the cache.

Groups: each connected tab or app of a user joins `chat.user.<id>` (direct, mentor and supplier chats, presence,
the user's own read marks) and `chat.conversation.<id>` of their group chats (a group's messages, edits and typing
go there ONCE, whatever the group's size; see README "Realtime"). Events are published after their transaction
commits. Publishing never raises: the REST fallback (polling) still has every message.

Presence: `chat:presence:<id>` counts the user's live connections (every socket adds one on connect and takes it
back on disconnect or when its heartbeats stop), and expires `CHAT_PRESENCE_TTL_SECONDS` after the last heartbeat
of any of them, so a crashed process cannot keep anyone online. It works on the Redis cache and on the single
process's local memory cache alike."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)

_PRESENCE = "chat:presence:"
_LAST_SEEN = "chat:last-seen:"
_LAST_SEEN_TTL = 60 * 60 * 24 * 30


def user_group(user_id: int) -> str:
    return f"chat.user.{user_id}"


def conversation_group(conversation_id: int) -> str:
    return f"chat.conversation.{conversation_id}"


def publish(user_ids, event: dict) -> None:
    """One send per user (their every socket): for two-person chats, presence and a user's own events."""
    try:
        layer = get_channel_layer()
        if layer is None:
            return
        for user_id in user_ids:
            async_to_sync(layer.group_send)(user_group(user_id), event)
    except Exception:  # realtime being down must never break the write
        logger.warning("Chat event not delivered", exc_info=True)


def publish_conversation(conversation_id: int, event: dict) -> None:
    """One send for a group chat, reaching every member's socket that joined the conversation's group."""
    try:
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(conversation_group(conversation_id), event)
    except Exception:  # realtime being down must never break the write
        logger.warning("Chat event not delivered", exc_info=True)


def _ttl() -> int:
    return settings.CHAT_PRESENCE_TTL_SECONDS


def _seen(user_id: int) -> str:
    now = timezone.now().isoformat()
    cache.set(f"{_LAST_SEEN}{user_id}", now, timeout=_LAST_SEEN_TTL)
    return now


def presence_up(user_id: int) -> bool:
    """One more live connection of the user. True when this made them online (their first one)."""
    key = f"{_PRESENCE}{user_id}"
    cache.add(key, 0, timeout=_ttl())
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        count = 0
    if count < 1:  # drifted below zero after an expiry: this connection is the one we know of
        cache.set(key, 1, timeout=_ttl())
        count = 1
    cache.touch(key, _ttl())
    _seen(user_id)
    return count == 1


def presence_touch(user_id: int) -> bool:
    """A heartbeat: keeps the user online for another TTL. True when they had expired (back online)."""
    key = f"{_PRESENCE}{user_id}"
    count = cache.get(key)
    came_back = not isinstance(count, int) or count < 1
    if came_back:
        cache.set(key, 1, timeout=_ttl())
    else:
        cache.touch(key, _ttl())
    _seen(user_id)
    return came_back


def presence_down(user_id: int) -> bool:
    """One live connection fewer (closed, or its heartbeats stopped). True when that was their last one: the
    user is offline now, last seen now."""
    key = f"{_PRESENCE}{user_id}"
    try:
        count = cache.decr(key)
    except ValueError:  # already expired
        count = 0
    if count < 0:
        cache.set(key, 0, timeout=_ttl())
    _seen(user_id)
    return count <= 0


def online_ids(user_ids) -> set[int]:
    ids = list(user_ids)
    found = cache.get_many([f"{_PRESENCE}{uid}" for uid in ids])
    return {uid for uid in ids if (found.get(f"{_PRESENCE}{uid}") or 0) > 0}


def last_seen(user_ids) -> dict[int, str]:
    ids = list(user_ids)
    found = cache.get_many([f"{_LAST_SEEN}{uid}" for uid in ids])
    return {uid: found[f"{_LAST_SEEN}{uid}"] for uid in ids if f"{_LAST_SEEN}{uid}" in found}
