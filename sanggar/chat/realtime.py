"""Chat events over the Channels layer and presence in the cache.

Groups: each connected tab or app of a user joins `chat.user.<id>` (direct, mentor and supplier chats, presence,
the user's own read marks) and `chat.conversation.<id>` of their group chats (a group's messages, edits and typing
go there ONCE, whatever the group's size; see README "Realtime"). Events are published after their transaction
commits. Publishing never raises: the REST fallback (polling) still has every message.

Presence: `chat:presence:<id>` counts the user's live chat connections and `chat:page-presence:<id>` their pages'
bell sockets (every socket adds one on connect and takes it back on disconnect or when its heartbeats stop); each
expires `CHAT_PRESENCE_TTL_SECONDS` after the last heartbeat of its connections, so a crashed process cannot keep
anyone online. A user is online while either counts, and in chat (no notification for a new message) while the
first does. It works on the Redis cache and on the single process's local memory cache alike."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)

_PRESENCE = "chat:presence:"
_PAGE_PRESENCE = "chat:page-presence:"
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


# The two counts: a chat socket (a chat page or the app's chat) and a page's socket (the bell's, on every signed-in
# page). Online = either; "in chat" (where a new message arrives live, so no notification is needed) = the first.
CHAT, PAGE = _PRESENCE, _PAGE_PRESENCE


def presence_up(user_id: int, kind: str = CHAT) -> bool:
    """One more live connection of the user. True when this made them online (their first one of either kind)."""
    key = f"{kind}{user_id}"
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
    return count == 1 and not _counted(_other(kind), user_id)


def presence_touch(user_id: int, kind: str = CHAT) -> bool:
    """A heartbeat: keeps the user online for another TTL. True when they had expired (back online)."""
    key = f"{kind}{user_id}"
    count = cache.get(key)
    came_back = not isinstance(count, int) or count < 1
    if came_back:
        cache.set(key, 1, timeout=_ttl())
    else:
        cache.touch(key, _ttl())
    _seen(user_id)
    return came_back and not _counted(_other(kind), user_id)


def presence_down(user_id: int, kind: str = CHAT) -> bool:
    """One live connection fewer (closed, or its heartbeats stopped). True when that was their last one of either
    kind: the user is offline now, last seen now."""
    key = f"{kind}{user_id}"
    try:
        count = cache.decr(key)
    except ValueError:  # already expired
        count = 0
    if count < 0:
        cache.set(key, 0, timeout=_ttl())
    _seen(user_id)
    return count <= 0 and not _counted(_other(kind), user_id)


def _other(kind: str) -> str:
    return PAGE if kind == CHAT else CHAT


def _counted(kind: str, user_id: int) -> bool:
    count = cache.get(f"{kind}{user_id}")
    return isinstance(count, int) and count > 0


def online_ids(user_ids) -> set[int]:
    """Who is online: a chat socket or a page's socket of theirs lives (what "online" beside a person shows)."""
    ids = list(user_ids)
    keys = [f"{kind}{uid}" for uid in ids for kind in (CHAT, PAGE)]
    found = cache.get_many(keys)
    return {uid for uid in ids if any((found.get(f"{kind}{uid}") or 0) > 0 for kind in (CHAT, PAGE))}


def in_chat_ids(user_ids) -> set[int]:
    """Who has a chat open (a chat socket lives): a new message reaches them live, so they get no notification for
    it. A member on any other page is online but not in chat, and is notified."""
    ids = list(user_ids)
    found = cache.get_many([f"{CHAT}{uid}" for uid in ids])
    return {uid for uid in ids if (found.get(f"{CHAT}{uid}") or 0) > 0}


def last_seen(user_ids) -> dict[int, str]:
    ids = list(user_ids)
    found = cache.get_many([f"{_LAST_SEEN}{uid}" for uid in ids])
    return {uid: found[f"{_LAST_SEEN}{uid}"] for uid in ids if f"{_LAST_SEEN}{uid}" in found}
