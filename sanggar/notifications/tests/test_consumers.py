"""The bell's websocket: only signed-in users connect, and each receives only their own events."""

import asyncio

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.contrib.auth.models import AnonymousUser

from config.asgi import application
from sanggar.notifications import notifications as groups
from sanggar.notifications import realtime, services
from sanggar.notifications.consumers import NotificationConsumer
from sanggar.notifications.presence import PresenceHooks, presence_register, presence_unregister

from .websocket import WebsocketCommunicator

pytestmark = pytest.mark.django_db


def _communicator(user):
    communicator = WebsocketCommunicator(NotificationConsumer.as_asgi(), "/ws/notifications/")
    communicator.scope["user"] = user
    return communicator


def test_anonymous_is_rejected():
    async def run():
        communicator = _communicator(AnonymousUser())
        connected, code = await communicator.connect()
        await communicator.disconnect()
        return connected, code

    assert async_to_sync(run)() == (False, 4401)


def test_inactive_user_is_rejected(make_user):
    user = make_user(is_active=False)

    async def run():
        communicator = _communicator(user)
        connected, _code = await communicator.connect()
        await communicator.disconnect()
        return connected

    assert async_to_sync(run)() is False


def test_each_user_receives_only_their_own_events(make_user):
    alice, bob = make_user(full_name="Alice"), make_user(full_name="Bob")
    notification = services.notify_text(user=alice, kind=groups.CHAT, title="Pesan baru", message="Halo Alice")

    async def run():
        alice_socket, bob_socket = _communicator(alice), _communicator(bob)
        assert (await alice_socket.connect())[0] is True
        assert (await bob_socket.connect())[0] is True
        await sync_to_async(realtime.publish_new)(notification=notification, unread=1)
        received = await alice_socket.receive_json_from(timeout=2)
        bob_got_nothing = await bob_socket.receive_nothing(timeout=0.2)
        await sync_to_async(realtime.publish_unread)(user_id=bob.pk, unread=4)
        bob_received = await bob_socket.receive_json_from(timeout=2)
        alice_got_nothing = await alice_socket.receive_nothing(timeout=0.2)
        await alice_socket.disconnect()
        await bob_socket.disconnect()
        return received, bob_got_nothing, bob_received, alice_got_nothing

    received, bob_got_nothing, bob_received, alice_got_nothing = async_to_sync(run)()
    assert received == {
        "type": "notification.new",
        "unread": 1,
        "notification": {
            "id": notification.pk,
            "kind": "chat",
            "title": "Pesan baru",
            "message": "Halo Alice",
            "has_link": False,
            "popup": False,
            "read_url": f"/notifications/{notification.pk}/read",
            "created_at": notification.created_at.isoformat(),
        },
    }
    assert bob_got_nothing is True
    assert bob_received == {"type": "notification.unread", "unread": 4}
    assert alice_got_nothing is True


def test_messages_from_the_browser_are_ignored(make_user):
    user = make_user()

    async def run():
        socket = _communicator(user)
        await socket.connect()
        await socket.send_json_to({"type": "notification.new", "notification": {}, "unread": 99})
        nothing = await socket.receive_nothing(timeout=0.2)
        await socket.disconnect()
        return nothing

    assert async_to_sync(run)() is True


def test_the_asgi_route_authenticates_with_the_session_cookie(client, make_user, settings):
    user = make_user()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    async def connect(headers):
        socket = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
        connected, _code = await socket.connect()
        await socket.disconnect()
        return connected

    origin = (b"origin", b"http://localhost")
    assert async_to_sync(connect)([origin, (b"cookie", cookie.encode())]) is True
    assert async_to_sync(connect)([origin]) is False


def _app_socket(query: str = "", headers=None, session_user=None):
    url = "/ws/notifications/" + (f"?{query}" if query else "")
    communicator = WebsocketCommunicator(NotificationConsumer.as_asgi(), url, headers=headers or [])
    communicator.scope["user"] = session_user or AnonymousUser()
    return communicator


def test_the_mobile_apps_sign_in_with_a_jwt(make_user):
    """The Flutter apps get the bell live: `?token=<JWT access>` or an `Authorization: Bearer` header; a bad or
    refresh token is refused even when a session cookie came along."""
    from unittest import mock

    from sanggar.api.tokens import token_pair_issue

    alice = make_user(full_name="Alice")
    pair = token_pair_issue(user=alice)
    notification = services.notify_text(user=alice, kind=groups.SYSTEM, title="Membership aktif")

    async def run():
        by_query = _app_socket(f"token={pair.access}")
        by_header = _app_socket(headers=[(b"authorization", f"Bearer {pair.access}".encode())])
        assert (await by_query.connect())[0] is True
        assert (await by_header.connect())[0] is True
        await sync_to_async(realtime.publish_new)(notification=notification, unread=1)
        got = [await by_query.receive_json_from(timeout=2), await by_header.receive_json_from(timeout=2)]
        refused = []
        for socket in (
            _app_socket("token=rusak", session_user=alice),
            _app_socket(f"token={pair.refresh}"),
            _app_socket(headers=[(b"authorization", b"Bearer ")]),
        ):
            refused.append(await socket.connect())
        await by_query.disconnect()
        await by_header.disconnect()
        return got, refused

    with mock.patch("channels.db.close_old_connections", lambda: None):
        got, refused = async_to_sync(run)()
    assert [g["notification"]["id"] for g in got] == [notification.pk, notification.pk]
    assert refused == [(False, 4401)] * 3


@pytest.fixture
def presence_spy():
    """An app's presence hooks that record what the bell's socket told them, with a short heartbeat TTL."""
    calls: list[tuple[str, int]] = []
    hooks = PresenceHooks(
        up=lambda uid: calls.append(("up", uid)),
        beat=lambda uid: calls.append(("beat", uid)),
        down=lambda uid: calls.append(("down", uid)),
        ttl_seconds=lambda: 0.2,
    )
    presence_register(hooks)
    yield calls
    presence_unregister(hooks)


async def _until(check, wait=5.0) -> bool:
    """`check()` holds within `wait` seconds (the watchdog runs beside the test)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while not check():
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True


def test_the_socket_counts_in_presence_until_it_closes_or_its_heartbeats_stop(make_user, presence_spy, settings):
    settings.PRESENCE_CLOSE_GRACE_SECONDS = 0
    user = make_user(full_name="Rina")
    mine = [("up", user.pk), ("down", user.pk)]

    async def run():
        socket = _communicator(user)
        assert (await socket.connect())[0] is True
        assert await _until(lambda: presence_spy[:1] == [("up", user.pk)])  # counted just after the accept
        # no ping for longer than the TTL: the connection stops counting
        assert await _until(lambda: presence_spy == mine)
        await socket.send_json_to({"type": "ping"})  # the tab is back: it counts again
        assert await socket.receive_json_from(timeout=2) == {"type": "pong"}
        assert presence_spy[:3] == [*mine, ("up", user.pk)]  # (a slow machine may have let the TTL pass again)
        await socket.send_json_to({"type": "ping"})  # a heartbeat of a counted connection
        assert await socket.receive_json_from(timeout=2) == {"type": "pong"}
        await socket.disconnect()
        return list(presence_spy)

    calls = async_to_sync(run)()
    assert calls[:3] == [*mine, ("up", user.pk)]
    assert calls[-1] == ("down", user.pk)  # closed: one connection fewer, once
    assert calls.count(("down", user.pk)) == calls.count(("up", user.pk))


def test_a_refused_socket_counts_nowhere(presence_spy):
    test_anonymous_is_rejected()
    assert presence_spy == []


def test_a_closed_socket_stops_counting_after_the_grace(make_user, presence_spy, settings):
    """A page change closes the bell's socket and the next page opens another: the closed one stops counting only
    after PRESENCE_CLOSE_GRACE_SECONDS, so the user's count never drops to zero between the two pages."""
    settings.PRESENCE_CLOSE_GRACE_SECONDS = 1
    user = make_user(full_name="Rina")

    async def run():
        first = _communicator(user)
        assert (await first.connect())[0] is True
        assert await _until(lambda: presence_spy[:1] == [("up", user.pk)])
        await first.send_json_to({"type": "ping"})
        assert await first.receive_json_from(timeout=2) == {"type": "pong"}
        await first.disconnect()
        assert ("down", user.pk) not in presence_spy  # not yet: the next page may be opening
        assert await _until(lambda: ("down", user.pk) in presence_spy)
        return list(presence_spy)

    calls = async_to_sync(run)()
    assert calls.count(("down", user.pk)) == 1
