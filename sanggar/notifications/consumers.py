"""The bell's websocket at /ws/notifications/: a signed-in user's tabs (session) and apps (`?token=<JWT access>` or
an `Authorization: Bearer` header) join that user's group and receive `notification.new` (a new notification and the
unread count) and `notification.unread` (the count changed). The page acknowledges an important notification's popup
with `{"type": "popup.seen", "id": <id>}`, so the next page load does not show it again.

The socket also counts in the user's presence (`presence.py`, what chat shows as "online"): from its connect until it
closes (`PRESENCE_CLOSE_GRACE_SECONDS` later: a page change closes one socket and opens the next), or until it sends
no `{"type": "ping"}` (answered `{"type": "pong"}`) for the registered TTL; the bell pings every 30 seconds, and an
app that wants to show online while its bell socket is open pings the same way."""

import asyncio
import logging
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from .presence import presence_hooks
from .realtime import user_group
from .services import notification_popups_seen
from .socket_auth import socket_user

logger = logging.getLogger(__name__)
_closing: set[asyncio.Task] = set()  # closed sockets waiting out their presence grace (kept from the collector)


def _hook(func):
    """A presence hook run on a thread of its own (cache and database work off the event loop)."""
    return database_sync_to_async(func, thread_sensitive=False)


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    group: str | None = None
    user = None
    present = False  # this connection counts in the user's presence
    watchdog: asyncio.Task | None = None

    async def connect(self):
        user = await socket_user(self.scope)
        if user is None:
            await self.close(code=4401)
            return
        self.user = user
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        self.hooks = presence_hooks()
        if self.hooks:
            self.beat = time.monotonic()
            await self._presence(lambda hooks: hooks.up, present=True)
            self.watchdog = asyncio.ensure_future(self._watch())

    async def disconnect(self, code):
        if self.watchdog is not None:
            self.watchdog.cancel()
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)
        if self.present:
            grace = settings.PRESENCE_CLOSE_GRACE_SECONDS
            if grace > 0:  # a page change: the next page's socket counts before this one stops
                self.present = False
                _closing.add(asyncio.ensure_future(self._down_after(grace)))
            else:
                await self._presence(lambda hooks: hooks.down, present=False)

    async def _down_after(self, seconds: float):
        try:
            await asyncio.sleep(seconds)
            await self._presence(lambda hooks: hooks.down)
        finally:
            _closing.discard(asyncio.current_task())

    async def _presence(self, pick, *, present: bool | None = None):
        """Runs one hook of every registered app; a failing hook (the cache away for a moment) is logged, and the
        count's own expiry still holds."""
        if present is not None:
            self.present = present
        for hooks in self.hooks:
            try:
                await _hook(pick(hooks))(self.user.pk)
            except Exception:
                logger.warning("Presence not updated", exc_info=True)

    async def _watch(self):
        """Heartbeats stopped (a tab in the background, a dead network that never closed the socket): after the
        TTL this connection stops counting, so the user goes offline unless another connection of theirs lives."""
        ttl = min(hooks.ttl_seconds() for hooks in self.hooks)
        while True:
            await asyncio.sleep(max(ttl / 4, 0.05))
            if self.present and time.monotonic() - self.beat > ttl:
                await self._presence(lambda hooks: hooks.down, present=False)

    async def _ping(self):
        if self.hooks:
            self.beat = time.monotonic()
            if self.present:
                await self._presence(lambda hooks: hooks.beat)
            else:
                await self._presence(lambda hooks: hooks.up, present=True)
        await self.send_json({"type": "pong"})

    async def receive_json(self, content, **kwargs):
        # Popup acknowledgements and heartbeats are read; anything else sent to the socket is ignored.
        if not isinstance(content, dict) or self.user is None:
            return
        if content.get("type") == "ping":
            await self._ping()
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
