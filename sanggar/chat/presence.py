"""Live presence: when a user comes online (their first socket connects, or heartbeats resume after an expiry) or
goes offline (their last socket closes, or its heartbeats stop for `CHAT_PRESENCE_TTL_SECONDS`), a `chat.presence`
event goes to the people they have a two-person conversation with (direct, ChatMentor, supplier), never to whole
group chats: at most `CHAT_PRESENCE_FANOUT_MAX` of their most recently active conversations, only to partners who
are online themselves, and never across a block. The counting itself lives in `realtime` (the cache)."""

from functools import partial

from django.conf import settings
from django.db.models import F, Q

from sanggar.notifications.presence import PresenceHooks

from . import realtime
from .constants import Kind
from .models import Block, Participant


def partners(user_id: int) -> list[int]:
    """The other people of the user's newest two-person conversations (bounded), blocked pairs left out."""
    conversation_ids = list(
        Participant.objects.filter(user_id=user_id, left_at__isnull=True)
        .exclude(conversation__kind=Kind.GROUP)
        .order_by(F("conversation__last_message_at").desc(nulls_last=True), "-conversation_id")
        .values_list("conversation_id", flat=True)[: settings.CHAT_PRESENCE_FANOUT_MAX]
    )
    if not conversation_ids:
        return []
    return _others(user_id, conversation_ids)


def _others(user_id: int, conversation_ids) -> list[int]:
    ids = set(
        Participant.objects.filter(conversation_id__in=conversation_ids, left_at__isnull=True)
        .exclude(user_id=user_id)
        .values_list("user_id", flat=True)
    )
    if ids:
        blocked = Block.objects.filter(
            Q(blocker_id=user_id, blocked_id__in=ids) | Q(blocked_id=user_id, blocker_id__in=ids)
        ).values_list("blocker_id", "blocked_id")
        ids -= {other for pair in blocked for other in pair}
    return sorted(ids)


def event(user_id: int, online: bool) -> dict:
    seen = None if online else realtime.last_seen([user_id]).get(user_id)
    return {"type": "chat.presence", "user": user_id, "online": online, "last_seen": seen}


def announce(user_id: int, online: bool) -> int:
    """Tells the user's partners who have a chat open (their chat sockets take the event); returns how many."""
    targets = realtime.in_chat_ids(partners(user_id))
    if targets:
        realtime.publish(sorted(targets), event(user_id, online))
    return len(targets)


# `kind`: realtime.CHAT for a chat socket, realtime.PAGE for a page's bell socket (the hooks registered with
# notifications.presence in ChatConfig.ready): that one shows the user online without putting them "in chat".


def connection_up(user_id: int, kind: str = realtime.CHAT) -> bool:
    came = realtime.presence_up(user_id, kind)
    if came:
        announce(user_id, True)
    return came


def heartbeat(user_id: int, kind: str = realtime.CHAT) -> bool:
    came = realtime.presence_touch(user_id, kind)
    if came:
        announce(user_id, True)
    return came


def connection_down(user_id: int, kind: str = realtime.CHAT) -> bool:
    gone = realtime.presence_down(user_id, kind)
    if gone:
        announce(user_id, False)
    return gone


def socket_hooks(kind: str) -> PresenceHooks:
    """What a socket of `kind` means to chat presence (`notifications.presence.PresenceSocket` runs them)."""
    return PresenceHooks(
        up=partial(connection_up, kind=kind),
        beat=partial(heartbeat, kind=kind),
        down=partial(connection_down, kind=kind),
        ttl_seconds=lambda: settings.CHAT_PRESENCE_TTL_SECONDS,
    )


def conversation_snapshot(user_id: int, conversation) -> list[dict]:
    """The current presence of the other person of a two-person conversation, as `chat.presence` events (sent to
    a socket that opens it, so a page or app that was away catches up). Nothing for a group chat."""
    if conversation.kind == Kind.GROUP:
        return []
    ids = _others(user_id, [conversation.pk])
    online, seen = realtime.online_ids(ids), realtime.last_seen(ids)
    return [
        {
            "type": "chat.presence",
            "user": uid,
            "online": uid in online,
            "last_seen": None if uid in online else seen.get(uid),
        }
        for uid in ids
    ]
