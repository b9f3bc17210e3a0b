"""The bell's websocket at /ws/notifications/: a signed-in user's tabs (session) and apps (`?token=<JWT access>` or
an `Authorization: Bearer` header) join that user's group and receive `notification.new` (a new notification and the
unread count) and `notification.unread` (the count changed)."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .realtime import user_group
from .socket_auth import socket_user


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    group: str | None = None

    async def connect(self):
        user = await socket_user(self.scope)
        if user is None:
            await self.close(code=4401)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        # The socket only pushes to the browser; anything sent to it is ignored.
        return

    async def notification_new(self, event):
        await self.send_json(
            {"type": "notification.new", "notification": event["notification"], "unread": event["unread"]}
        )

    async def notification_unread(self, event):
        await self.send_json({"type": "notification.unread", "unread": event["unread"]})
