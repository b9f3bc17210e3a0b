"""Presence from the bell's socket. Every signed-in page keeps a socket to /ws/notifications/ open; an app that counts
who is online (chat: "online" and "terakhir dilihat" beside a person) registers here what a connection coming up, a
heartbeat and a connection going down mean to it, so a user reading a course or the feed shows online to their chat
partners as in any messenger, not only while a chat page is open. The notifications app knows nothing of chat: chat
sits above it and registers at start-up (`ChatConfig.ready`).

A socket counts from its connect until it closes, or until it sends no `{"type": "ping"}` for `ttl_seconds()`
(the bell pings every 30 seconds); a ping after that counts it again. `PresenceSocket` is that counting, shared by
the bell's consumer (with the registered hooks) and chat's (with its own)."""

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from channels.db import database_sync_to_async

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PresenceHooks:
    up: Callable[[int], object]  # one more live connection of the user (or its heartbeats resumed)
    beat: Callable[[int], object]  # a heartbeat of a counted connection
    down: Callable[[int], object]  # one live connection fewer (closed, or its heartbeats stopped)
    ttl_seconds: Callable[[], float]  # a connection without a heartbeat for this long stops counting


_hooks: list[PresenceHooks] = []


def presence_register(hooks: PresenceHooks) -> PresenceHooks:
    if hooks not in _hooks:
        _hooks.append(hooks)
    return hooks


def presence_unregister(hooks: PresenceHooks) -> None:
    if hooks in _hooks:
        _hooks.remove(hooks)


def presence_hooks() -> tuple[PresenceHooks, ...]:
    return tuple(_hooks)


_closing: set[asyncio.Task] = set()  # closed sockets waiting out their grace (kept from the garbage collector)


def _hook(func):
    """A presence hook run on a thread of the pool (cache and database work off the event loop)."""
    return database_sync_to_async(func, thread_sensitive=False)


class PresenceSocket:
    """A websocket consumer's part in its user's presence: `presence_start()` once the socket is accepted,
    `presence_beat()` on each ping, `presence_stop()` on disconnect. It counts from the start until the stop
    (`close_grace` seconds later, when set), or until no ping came for the hooks' TTL; a ping after that counts it
    again. Subclasses name their hooks (`presence_hooks_for`)."""

    present = False  # this connection counts in the user's presence
    watchdog: asyncio.Task | None = None
    close_grace: Callable[[], float] = staticmethod(lambda: 0)
    hooks: tuple[PresenceHooks, ...] = ()

    def presence_hooks_for(self) -> tuple[PresenceHooks, ...]:
        return presence_hooks()

    async def presence_start(self):
        self.hooks = self.presence_hooks_for()
        if self.hooks:
            self.beat = time.monotonic()
            await self._presence(lambda hooks: hooks.up, present=True)
            self.watchdog = asyncio.ensure_future(self._presence_watch())

    async def presence_beat(self):
        if self.hooks:
            self.beat = time.monotonic()
            if self.present:
                await self._presence(lambda hooks: hooks.beat)
            else:
                await self._presence(lambda hooks: hooks.up, present=True)

    async def presence_stop(self):
        if self.watchdog is not None:
            self.watchdog.cancel()
        if not self.present:
            return
        grace = self.close_grace()
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

    async def _presence_watch(self):
        """Heartbeats stopped (a tab in the background, a dead network that never closed the socket): after the
        TTL this connection stops counting, so the user goes offline unless another connection of theirs lives."""
        ttl = min(hooks.ttl_seconds() for hooks in self.hooks)
        while True:
            await asyncio.sleep(max(ttl / 4, 0.05))
            if self.present and time.monotonic() - self.beat > ttl:
                await self._presence(lambda hooks: hooks.down, present=False)
