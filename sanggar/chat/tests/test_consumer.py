"""The chat websocket through Channels' communicator (the notifications tests' copy of channels.testing's
WebsocketCommunicator, which needs daphne): session and JWT clients, access refused to non-participants on connect
and on every frame, hostile frames, limits."""

import functools
from datetime import timedelta
from unittest import mock

import pytest
from asgiref.sync import async_to_sync
from asgiref.sync import sync_to_async as database_sync_to_async
from channels.routing import URLRouter
from django.urls import path
from django.utils import timezone

from sanggar.api.tokens import token_pair_issue
from sanggar.chat import registry, services
from sanggar.chat.consumers import ChatConsumer
from sanggar.chat.models import Message
from sanggar.notifications.tests.websocket import WebsocketCommunicator

pytestmark = pytest.mark.django_db(transaction=True)  # messages are published after commit


def sync(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        # Channels closes "old" database connections around each consumer call; the test's transaction needs its own.
        with mock.patch("channels.db.close_old_connections", lambda: None):
            return async_to_sync(fn)(*args, **kwargs)

    return wrapper


app = URLRouter([path("ws/chat/", ChatConsumer.as_asgi())])


def _token(user):
    return token_pair_issue(user=user).access


async def _connect(user=None, token=None, header=None):
    url = "/ws/chat/" + (f"?token={token}" if token else "")
    headers = [(b"authorization", f"Bearer {header}".encode())] if header else []
    comm = WebsocketCommunicator(app, url, headers=headers)
    if user is not None:
        comm.scope["user"] = user
    connected, code = await comm.connect()
    return comm, connected, code


async def frames_but_presence(comm, n: int) -> list[dict]:
    """The next `n` frames of a socket other than `chat.presence`. The other side's coming online is announced on a
    thread of its own just after its socket opened; when this socket already counts by then, it hears it too."""
    frames: list[dict] = []
    while len(frames) < n:
        frame = await comm.receive_json_from()
        if frame["type"] != "chat.presence":
            frames.append(frame)
    return frames


@sync
async def test_anonymous_and_bad_token_are_refused():
    comm, connected, code = await _connect()
    assert not connected and code == 4401
    comm, connected, code = await _connect(token="rusak")
    assert not connected and code == 4401


@sync
async def test_live_messages_between_session_and_jwt_clients(mentor, student):
    conversation, _ = await database_sync_to_async(services.conversation_open)(user=mentor, other=student)
    web, ok, _ = await _connect(user=mentor)
    assert ok
    token = await database_sync_to_async(_token)(student)
    app_client, ok, _ = await _connect(header=token)
    assert ok
    await app_client.send_json_to(
        {"type": "message.send", "conversation": conversation.pk, "body": "Halo Pak", "client_id": "m1"}
    )
    ack, got_own = await frames_but_presence(app_client, 2)
    assert {ack["type"], got_own["type"]} == {"chat.ack", "chat.message"}
    # the app coming online reached the mentor's open page (live presence), and so did the message; the presence
    # fan-out runs beside the message's publishing, so the two may arrive in either order
    frames = [await web.receive_json_from(), await web.receive_json_from()]
    frames.sort(key=lambda f: f["type"] != "chat.presence")
    assert frames[0] == {"type": "chat.presence", "user": student.pk, "online": True, "last_seen": None}
    received = frames[1]
    assert received["type"] == "chat.message" and received["message"]["body"] == "Halo Pak"
    # typing reaches the other side only
    await web.send_json_to({"type": "typing", "conversation": conversation.pk})
    (typing,) = await frames_but_presence(app_client, 1)
    assert typing == {"type": "chat.typing", "conversation": conversation.pk, "user": mentor.pk}
    await web.send_json_to({"type": "read", "conversation": conversation.pk})
    read = await app_client.receive_json_from()
    assert read["type"] == "chat.read" and read["user"] == mentor.pk
    await web.disconnect()
    await app_client.disconnect()


@sync
async def test_non_participant_is_refused_on_every_message(mentor, student, make_user):
    conversation, _ = await database_sync_to_async(services.conversation_open)(user=mentor, other=student)
    stranger = await database_sync_to_async(make_user)(full_name="Penyusup")
    comm, ok, _ = await _connect(token=await database_sync_to_async(_token)(stranger))
    assert ok
    for msg in (
        {"type": "message.send", "conversation": conversation.pk, "body": "hai"},
        {"type": "typing", "conversation": conversation.pk},
        {"type": "read", "conversation": conversation.pk},
    ):
        await comm.send_json_to(msg)
        err = await comm.receive_json_from()
        assert err["type"] == "chat.error" and "tidak ditemukan" in err["message"]
    assert await database_sync_to_async(Message.objects.count)() == 0
    await comm.disconnect()


@sync
async def test_hostile_frames_and_limits(mentor, student, settings):
    settings.CHAT_MESSAGE_RATE_LIMIT = settings.CHAT_NEW_ACCOUNT_MESSAGE_RATE_LIMIT = "2/60"
    conversation, _ = await database_sync_to_async(services.conversation_open)(user=mentor, other=student)
    comm, ok, _ = await _connect(user=mentor)
    assert ok
    await comm.send_input({"type": "websocket.receive", "text": "bukan json{"})
    assert (await comm.receive_json_from())["type"] == "chat.error"
    for bad in (
        [1, 2],
        {"type": 5},
        {"type": "message.send", "conversation": "1", "body": "x"},
        {"type": "message.send", "conversation": conversation.pk, "body": "a\x00"},
        {"type": "message.send", "conversation": conversation.pk, "body": "x" * 5000},
    ):
        await comm.send_json_to(bad)
        reply = await comm.receive_json_from()
        assert reply["type"] == "chat.error", (bad, reply)
    for n in range(2):
        await comm.send_json_to({"type": "message.send", "conversation": conversation.pk, "body": f"p{n}"})
        first, second = await comm.receive_json_from(5), await comm.receive_json_from(5)
        assert {first["type"], second["type"]} == {"chat.ack", "chat.message"}, (first, second)
    await comm.send_json_to({"type": "message.send", "conversation": conversation.pk, "body": "lagi"})
    err = await comm.receive_json_from()
    assert err["type"] == "chat.error" and err["retry_after"] > 0
    await comm.disconnect()


@sync
async def test_full_stack_origin_rules(mentor):
    """Through config.asgi: a browser from another site is refused; the app (no Origin) signs in with its JWT."""
    from config.asgi import application

    token = await database_sync_to_async(_token)(mentor)
    foreign = WebsocketCommunicator(
        application, f"/ws/chat/?token={token}", headers=[(b"origin", b"https://evil.example")]
    )
    connected, _code = await foreign.connect()
    assert not connected
    native = WebsocketCommunicator(application, f"/ws/chat/?token={token}")
    connected, _code = await native.connect()
    assert connected
    await native.send_json_to({"type": "ping"})
    assert (await native.receive_json_from())["type"] == "pong"
    await native.disconnect()
    anonymous = WebsocketCommunicator(application, "/ws/chat/")
    connected, code = await anonymous.connect()
    assert not connected and code == 4401


@sync
async def test_websocket_send_is_refused_while_muted_in_the_group(make_user):
    """The group's own mute (told by the community app through the registry) refuses websocket frames too."""
    ayu, bima = await database_sync_to_async(make_user)(full_name="Ayu"), await database_sync_to_async(make_user)()
    key = "test-ws-mute:1"

    def member(user, group_key):
        return True if group_key == key else None

    def muted(user, group_key):
        return timezone.now() + timedelta(hours=1) if group_key == key and user.pk == ayu.pk else None

    registry.group_member_register(member)
    registry.group_muted_until_register(muted)
    try:
        conversation = await database_sync_to_async(services.group_conversation_ensure)(
            group_key=key, title="UKM", user_ids=[ayu.pk, bima.pk]
        )
        comm, ok, _ = await _connect(user=ayu)
        assert ok
        await comm.send_json_to(
            {"type": "message.send", "conversation": conversation.pk, "body": "hai", "client_id": "a"}
        )
        err = await comm.receive_json_from()
        assert err["type"] == "chat.error" and "dibisukan" in err["message"] and err["client_id"] == "a"
        assert await database_sync_to_async(Message.objects.count)() == 0
        await comm.disconnect()
    finally:
        registry._group_members.remove(member)
        registry._group_mutes.remove(muted)
