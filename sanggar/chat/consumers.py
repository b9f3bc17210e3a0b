"""The chat websocket at /ws/chat/ for the browser (session) and the mobile apps (`?token=<JWT access>` or an
`Authorization: Bearer` header). Every action re-checks on the server that the user is a participant and may post.

Client → server: `{"type": "message.send", "conversation", "body", "client_id", "sticker"?}`,
`{"type": "read", "conversation"}`, `{"type": "typing", "conversation"}`, `{"type": "subscribe", "conversation"}`
(opening a conversation: follows a group chat beyond the ones joined on connect, and answers with the other
person's presence), `{"type": "ping"}` (the heartbeat that keeps presence; at least every
`CHAT_PRESENCE_TTL_SECONDS`, the browser sends one every 30 s).
Server → client: `chat.message`, `chat.message_updated`, `chat.read`, `chat.typing`, `chat.presence`, `chat.ack`
(with the client id), `chat.error`, `pong`.

Fan-out (README "Realtime"): the socket joins its user's group (two-person chats, presence, own read marks) and,
on connect, the groups of the user's `CHAT_SOCKET_GROUPS_MAX` most recently active group chats; a group chat's
events are published once to its conversation group. Presence counts connections: a user with two sockets who
closes one stays online; a socket whose heartbeats stop for the TTL stops counting (it counts again on its next
ping), so a silent app does not keep anyone online."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils.translation import gettext as _

from sanggar.core.exceptions import RateLimited, ServiceError
from sanggar.notifications.presence import PresenceSocket
from sanggar.notifications.socket_auth import socket_user

from . import presence, realtime, selectors, services
from .constants import Kind


def _db(func):
    """`func` (ORM work) on a thread of the pool instead of the one thread every thread-sensitive call of the
    process shares: with one shared thread, 500 clients' messages waited in one line on each other's queries (the
    bench's 9 messages/s at saturation, p95 50 s). Each call still runs, with its transaction, on one thread (its
    own database connection); a connection's messages are still handled one after the other."""
    return database_sync_to_async(func, thread_sensitive=False)


def _client_ip(scope) -> str | None:
    client = scope.get("client")
    return client[0] if client else None


# A chat socket puts its user "in chat" (realtime.CHAT).
_CHAT_SOCKET_HOOKS = (presence.socket_hooks(realtime.CHAT),)


class ChatConsumer(PresenceSocket, AsyncJsonWebsocketConsumer):
    user = None
    group: str | None = None

    def presence_hooks_for(self):
        return _CHAT_SOCKET_HOOKS

    async def connect(self):
        user = await socket_user(self.scope)
        if user is None:
            await self.close(code=4401)
            return
        self.user = user
        self.group = realtime.user_group(user.pk)
        self.conversations: set[int] = set()
        await self.channel_layer.group_add(self.group, self.channel_name)
        ids = await _db(selectors.socket_group_ids)(user_id=user.pk, limit=settings.CHAT_SOCKET_GROUPS_MAX)
        for conversation_id in ids:
            await self._join(conversation_id)
        await self.accept()
        await self.presence_start()

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            for conversation_id in list(self.conversations):
                await self._leave(conversation_id)
        await self.presence_stop()

    async def _join(self, conversation_id: int):
        self.conversations.add(conversation_id)
        await self.channel_layer.group_add(realtime.conversation_group(conversation_id), self.channel_name)

    async def _leave(self, conversation_id: int):
        self.conversations.discard(conversation_id)
        await self.channel_layer.group_discard(realtime.conversation_group(conversation_id), self.channel_name)

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict):
            await self._error(_("Format pesan tidak valid."))
            return
        kind = content.get("type")
        handler = {
            "message.send": self._send_message,
            "read": self._read,
            "typing": self._typing,
            "ping": self._ping,
            "subscribe": self._subscribe,
        }.get(kind if isinstance(kind, str) else "")
        if handler is None:
            await self._error(_("Jenis pesan tidak dikenal."))
            return
        try:
            await handler(content)
        except RateLimited as exc:
            await self._error(exc.message, retry_after=exc.retry_after, client_id=content.get("client_id"))
        except ServiceError as exc:
            await self._error(exc.message, client_id=content.get("client_id"))

    async def decode_json(self, text_data):
        try:
            return await super().decode_json(text_data)
        except ValueError:
            return None

    async def _error(self, message, **extra):
        await self.send_json({"type": "chat.error", "message": str(message), **{k: v for k, v in extra.items() if v}})

    @staticmethod
    def _conversation_id(content) -> int:
        value = content.get("conversation")
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ServiceError(_("Percakapan tidak valid."))
        return value

    async def _send_message(self, content):
        conversation_id = self._conversation_id(content)
        sent = await _db(services.message_send)(
            user=self.user,
            conversation_id=conversation_id,
            body=content.get("body"),
            client_id=content.get("client_id") or "",
            ip=_client_ip(self.scope),
            sticker=content.get("sticker"),
        )
        await self.send_json({"type": "chat.ack", "client_id": sent.message.client_id, "id": sent.message.pk})

    async def _read(self, content):
        await _db(services.conversation_mark_read)(user=self.user, conversation_id=self._conversation_id(content))

    async def _typing(self, content):
        conversation_id = self._conversation_id(content)
        group_chat, recipients = await _db(services.typing_target)(user=self.user, conversation_id=conversation_id)
        event = {"type": "chat.typing", "conversation": conversation_id, "user": self.user.pk}
        if group_chat:  # once to the group chat's members; each socket leaves out its own user
            await self.channel_layer.group_send(realtime.conversation_group(conversation_id), event)
            return
        for user_id in recipients:
            await self.channel_layer.group_send(realtime.user_group(user_id), event)

    async def _subscribe(self, content):
        conversation_id = self._conversation_id(content)
        participant = await _db(selectors.participant_for)(user=self.user, conversation_id=conversation_id)
        if participant is None:
            raise ServiceError(_("Percakapan tidak ditemukan."))
        if participant.conversation.kind == Kind.GROUP:
            await self._join(conversation_id)
        for frame in await _db(presence.conversation_snapshot)(self.user.pk, participant.conversation):
            await self.send_json(frame)

    async def _ping(self, content):
        await self.presence_beat()
        await self.send_json({"type": "pong"})

    # Events from the channel layer
    async def chat_message(self, event):
        await self.send_json({"type": "chat.message", "message": event["message"]})

    async def chat_message_updated(self, event):
        await self.send_json({"type": "chat.message_updated", "message": event["message"]})

    async def chat_read(self, event):
        await self.send_json(
            {
                "type": "chat.read",
                "conversation": event["conversation"],
                "user": event["user"],
                "message": event["message"],
            }
        )

    async def chat_typing(self, event):
        if event["user"] == self.user.pk:
            return
        await self.send_json({"type": "chat.typing", "conversation": event["conversation"], "user": event["user"]})

    async def chat_presence(self, event):
        await self.send_json(
            {"type": "chat.presence", "user": event["user"], "online": event["online"], "last_seen": event["last_seen"]}
        )

    # The user joined or left a group chat while connected (internal: nothing is sent to the client)
    async def chat_join(self, event):
        await self._join(event["conversation"])

    async def chat_leave(self, event):
        await self._leave(event["conversation"])
