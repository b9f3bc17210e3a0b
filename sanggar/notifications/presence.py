"""Presence from the bell's socket. Every signed-in page keeps a socket to /ws/notifications/ open; an app that counts
who is online (chat: "online" and "terakhir dilihat" beside a person) registers here what a connection coming up, a
heartbeat and a connection going down mean to it, so a user reading a course or the feed shows online to their chat
partners as in any messenger, not only while a chat page is open. The notifications app knows nothing of chat: chat
sits above it and registers at start-up (`ChatConfig.ready`).

A socket counts from its connect until it closes, or until it sends no `{"type": "ping"}` for `ttl_seconds()`
(the bell pings every 30 seconds); a ping after that counts it again."""

from collections.abc import Callable
from dataclasses import dataclass


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
