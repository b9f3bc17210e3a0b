"""The chat websocket at /ws/chat/ for the browser (session) and the mobile apps (`?token=<JWT access>` or an
`Authorization: Bearer` header). Every action re-checks on the server that the user is a participant and may post.

Client → server: `{"type": "message.send", "conversation", "body", "client_id", "sticker"?}`,
`{"type": "read", "conversation"}`, `{"type": "typing", "conversation"}`, `{"type": "ping"}` (the heartbeat that
keeps presence).
Server → client: `chat.message`, `chat.read`, `chat.typing`, `chat.ack` (with the client id), `chat.error`, `pong`."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils.translation import gettext as _

from sanggar.core.exceptions import RateLimited, ServiceError
from sanggar.notifications.socket_auth import socket_user

from . import realtime, services


def _db(func):
    """`func` (ORM work) on a thread of the pool instead of the one thread every thread-sensitive call of the
    process shares: with one shared thread, 500 clients' messages waited in one line on each other's queries (the
    bench's 9 messages/s at saturation, p95 50 s). Each call still runs, with its transaction, on one thread (its
    own database connection); a connection's messages are still handled one after the other."""
    return database_sync_to_async(func, thread_sensitive=False)


def _client_ip(scope) -> str | None:
    client = scope.get("client")
    return client[0] if client else None


class ChatConsumer(AsyncJsonWebsocketConsumer):
    user = None
    group: str | None = None

    async def connect(self):
        user = await socket_user(self.scope)
        if user is None:
            await self.close(code=4401)
            return
        self.user = user
        self.group = realtime.user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await database_sync_to_async(realtime.presence_touch)(user.pk)

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            await database_sync_to_async(realtime.presence_leave)(self.user.pk)

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
        recipients = await _db(services.typing_recipients)(user=self.user, conversation_id=conversation_id)
        event = {"type": "chat.typing", "conversation": conversation_id, "user": self.user.pk}
        for user_id in recipients:
            await self.channel_layer.group_send(realtime.user_group(user_id), event)

    async def _ping(self, content):
        await database_sync_to_async(realtime.presence_touch)(self.user.pk)
        await self.send_json({"type": "pong"})

    # Events from the channel layer
    async def chat_message(self, event):
        await self.send_json({"type": "chat.message", "message": event["message"]})

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
        await self.send_json({"type": "chat.typing", "conversation": event["conversation"], "user": event["user"]})
