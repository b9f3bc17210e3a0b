"""The bell's websocket at /ws/notifications/: a signed-in user's tabs (session) and apps (`?token=<JWT access>` or
an `Authorization: Bearer` header) join that user's group and receive `notification.new` (a new notification and the
unread count) and `notification.unread` (the count changed). The page acknowledges an important notification's popup
with `{"type": "popup.seen", "id": <id>}`, so the next page load does not show it again.

The socket also counts in the user's presence (`presence.py`, what chat shows as "online"): from its connect until it
closes (`PRESENCE_CLOSE_GRACE_SECONDS` later: a page change closes one socket and opens the next), or until it sends
no `{"type": "ping"}` (answered `{"type": "pong"}`) for the registered TTL; the bell pings every 30 seconds, and an
app that wants to show online while its bell socket is open pings the same way."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from .presence import PresenceSocket
from .realtime import user_group
from .services import notification_popups_seen
from .socket_auth import socket_user


class NotificationConsumer(PresenceSocket, AsyncJsonWebsocketConsumer):
    group: str | None = None
    user = None
    close_grace = staticmethod(lambda: settings.PRESENCE_CLOSE_GRACE_SECONDS)

    async def connect(self):
        user = await socket_user(self.scope)
        if user is None:
            await self.close(code=4401)
            return
        self.user = user
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.presence_start()

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)
        await self.presence_stop()

    async def receive_json(self, content, **kwargs):
        # Popup acknowledgements and heartbeats are read; anything else sent to the socket is ignored.
        if not isinstance(content, dict) or self.user is None:
            return
        if content.get("type") == "ping":
            await self.presence_beat()
            await self.send_json({"type": "pong"})
            return
        if content.get("type") != "popup.seen":
            return
        notification_id = content.get("id")
        if isinstance(notification_id, int) and not isinstance(notification_id, bool) and notification_id > 0:
            await database_sync_to_async(notification_popups_seen)(user=self.user, notification_ids=[notification_id])

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        try:
            await super().receive(text_data=text_data, bytes_data=bytes_data, **kwargs)
        except ValueError:  # not JSON: ignored
            return

    async def notification_new(self, event):
        await self.send_json(
            {"type": "notification.new", "notification": event["notification"], "unread": event["unread"]}
        )

    async def notification_unread(self, event):
        await self.send_json({"type": "notification.unread", "unread": event["unread"]})
