"""Issue 14's realtime gaps, through Channels' communicator and a counting channel layer:
- presence counts connections (two tabs, one closes: still online; the last closes: offline, last seen now), the
  bell's socket of any signed-in page among them, and stops counting a socket whose heartbeats stopped;
- presence is published live to the user's two-person chat partners (never to group chats), and a socket that
  opens a conversation gets the other person's presence at once;
- a group chat's message, edit, typing and read go out with O(1) channel-layer sends whatever the group's size,
  and the members' sockets still receive them live; a member who leaves stops receiving them."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.layers import InMemoryChannelLayer
from channels.routing import URLRouter
from django.core.cache import cache
from django.urls import path

from sanggar.chat import realtime, registry, services
from sanggar.chat.consumers import ChatConsumer
from sanggar.chat.models import Participant
from sanggar.notifications.consumers import NotificationConsumer
from sanggar.notifications.tests.websocket import WebsocketCommunicator, sync

pytestmark = pytest.mark.django_db(transaction=True)  # events are published after commit

app = URLRouter([path("ws/chat/", ChatConsumer.as_asgi())])
bell_app = URLRouter([path("ws/notifications/", NotificationConsumer.as_asgi())])
KEY = "test-group:rt"


async def _connect(user, *, bell: bool = False):
    """The user's chat socket, or (`bell`) the bell's socket that every signed-in page opens."""
    comm = WebsocketCommunicator(bell_app, "/ws/notifications/") if bell else WebsocketCommunicator(app, "/ws/chat/")
    comm.scope["user"] = user
    connected, _code = await comm.connect()
    assert connected
    return comm


def _online(user) -> bool:
    return user.pk in realtime.online_ids([user.pk])


@pytest.fixture
def group_members(make_user):
    """Members of the test group (what the community app answers through the registry)."""

    def answer(user, key):
        return True if key == KEY else None

    registry.group_member_register(answer)
    yield lambda n: [make_user(full_name=f"Anggota {i}") for i in range(n)]
    registry._group_members.remove(answer)


async def _eventually_counted(user, sockets: int, wait=5.0) -> bool:
    """The user's live-socket count reaches `sockets` within `wait` seconds (the consumer counts a socket just after
    accepting it, beside the test)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    key = f"{realtime._PRESENCE}{user.pk}"
    while (await sync_to_async(cache.get)(key) or 0) < sockets:
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True


@sync
async def test_two_sockets_one_closes_the_user_stays_online(mentor, student):
    await sync_to_async(services.conversation_open)(user=mentor, other=student)
    tab_one = await _connect(student)
    tab_two = await _connect(student)
    assert await _eventually_counted(student, 2)
    await tab_one.disconnect()
    assert await sync_to_async(_online)(student)  # the other tab is still open
    seen_before = (await sync_to_async(realtime.last_seen)([student.pk]))[student.pk]
    await asyncio.sleep(0.01)
    await tab_two.disconnect()
    assert not await sync_to_async(_online)(student)
    assert (await sync_to_async(realtime.last_seen)([student.pk]))[student.pk] > seen_before


@sync
async def test_presence_reaches_chat_partners_live_but_not_group_chats(mentor, student, group_members):
    await sync_to_async(services.conversation_open)(user=mentor, other=student)
    (groupmate,) = await sync_to_async(group_members)(1)
    await sync_to_async(services.group_conversation_ensure)(
        group_key=KEY, title="UKM Ekspor", user_ids=[student.pk, groupmate.pk]
    )
    mentor_page = await _connect(mentor)
    groupmate_app = await _connect(groupmate)

    first = await _connect(student)
    assert await mentor_page.receive_json_from() == {
        "type": "chat.presence",
        "user": student.pk,
        "online": True,
        "last_seen": None,
    }
    second = await _connect(student)  # already online: no second event
    await second.disconnect()
    assert await mentor_page.receive_nothing(0.3)
    await first.disconnect()
    offline = await mentor_page.receive_json_from()
    assert offline["type"] == "chat.presence" and offline["user"] == student.pk and offline["online"] is False
    assert offline["last_seen"]
    assert await groupmate_app.receive_nothing(0.3)  # a group chat shares no presence

    # a page opening the conversation learns the other person's presence at once
    conversation_id = (await sync_to_async(services.conversation_open)(user=mentor, other=student))[0].pk
    await mentor_page.send_json_to({"type": "subscribe", "conversation": conversation_id})
    snapshot = await mentor_page.receive_json_from()
    assert snapshot["type"] == "chat.presence" and snapshot["user"] == student.pk and snapshot["online"] is False
    await groupmate_app.send_json_to({"type": "subscribe", "conversation": conversation_id})
    refused = await groupmate_app.receive_json_from()
    assert refused["type"] == "chat.error" and "tidak ditemukan" in refused["message"]
    await mentor_page.disconnect()
    await groupmate_app.disconnect()


@sync
async def test_a_blocked_partner_does_not_see_presence(mentor, student):
    await sync_to_async(services.conversation_open)(user=mentor, other=student)
    await sync_to_async(services.user_block)(user=student, other=mentor)
    mentor_page = await _connect(mentor)
    student_app = await _connect(student)
    assert await mentor_page.receive_nothing(0.3)
    await student_app.disconnect()
    await mentor_page.disconnect()


@sync
async def test_a_socket_whose_heartbeats_stop_stops_counting(student, settings):
    settings.CHAT_PRESENCE_TTL_SECONDS = 60
    comm = await _connect(student)
    assert await _eventually_counted(student, 1)
    # no ping for longer than the TTL: the cache drops the count (done here, not slept for: a busy CI machine may
    # take longer than a short TTL between two lines)
    await sync_to_async(cache.delete)(f"{realtime._PRESENCE}{student.pk}")
    assert not await sync_to_async(_online)(student)
    await comm.send_json_to({"type": "ping"})
    assert (await comm.receive_json_from())["type"] == "pong"
    assert await sync_to_async(_online)(student)  # it counts again
    await comm.disconnect()
    assert not await sync_to_async(_online)(student)


@sync
async def test_the_bell_socket_of_any_page_counts_in_chat_presence(mentor, student, settings):
    settings.PRESENCE_CLOSE_GRACE_SECONDS = 0
    conversation, _created = await sync_to_async(services.conversation_open)(user=mentor, other=student)
    mentor_page = await _connect(mentor)
    bell = await _connect(student, bell=True)  # the student reads a course: only the bell's socket is open
    assert await mentor_page.receive_json_from() == {
        "type": "chat.presence",
        "user": student.pk,
        "online": True,
        "last_seen": None,
    }
    assert await sync_to_async(realtime.in_chat_ids)([student.pk]) == set()  # online, but no chat open: a new
    sent = await sync_to_async(services.message_send)(user=mentor, conversation_id=conversation.pk, body="Halo")
    theirs = await sync_to_async(Participant.objects.get)(conversation=conversation, user=student)
    assert sent.created and theirs.notified is True  # message still becomes a notification on their bell
    assert (await mentor_page.receive_json_from())["type"] == "chat.message"  # the sender's own tab
    assert (await bell.receive_json_from())["type"] == "notification.new"  # and the bell shows it
    chat_tab = await _connect(student)
    assert await _eventually_counted(student, 1)
    assert await mentor_page.receive_nothing(0.3)  # already online: no second event
    await chat_tab.disconnect()
    assert await sync_to_async(_online)(student)  # the page's bell keeps them online
    assert await mentor_page.receive_nothing(0.3)
    await bell.send_json_to({"type": "ping"})
    assert await bell.receive_json_from() == {"type": "pong"}
    await bell.disconnect()
    offline = await mentor_page.receive_json_from()
    assert offline["type"] == "chat.presence" and offline["user"] == student.pk and offline["online"] is False
    assert not await sync_to_async(_online)(student)
    await mentor_page.disconnect()


@sync
async def test_moving_between_pages_never_shows_a_user_offline(mentor, student, settings):
    settings.PRESENCE_CLOSE_GRACE_SECONDS = 1
    await sync_to_async(services.conversation_open)(user=mentor, other=student)
    mentor_page = await _connect(mentor)
    page_one = await _connect(student, bell=True)
    assert (await mentor_page.receive_json_from())["online"] is True
    await page_one.disconnect()  # the student opens another page: its bell connects a moment later
    page_two = await _connect(student, bell=True)
    assert await mentor_page.receive_nothing(1.5)  # no "offline" then "online" again
    assert await sync_to_async(_online)(student)
    await page_two.disconnect()  # the student leaves: offline once the grace has passed
    offline = await mentor_page.receive_json_from()
    assert offline["user"] == student.pk and offline["online"] is False
    await mentor_page.disconnect()


class CountingLayer(InMemoryChannelLayer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.sends: list[str] = []

    async def group_send(self, group, message):
        self.sends.append(group)
        await super().group_send(group, message)


@pytest.mark.parametrize("size", [3, 40])
def test_a_group_message_is_one_channel_layer_send_whatever_the_size(
    size, group_members, monkeypatch, django_capture_on_commit_callbacks
):
    layer = CountingLayer()
    monkeypatch.setattr(realtime, "get_channel_layer", lambda: layer)
    people = group_members(size)
    group = services.group_conversation_ensure(group_key=KEY, title="UKM Ekspor", user_ids=[u.pk for u in people])
    channels = []
    for _person in people[:3]:  # three members' sockets follow the group chat (as on connect)
        name = asyncio.run(layer.new_channel())
        asyncio.run(layer.group_add(realtime.conversation_group(group.pk), name))
        channels.append(name)
    layer.sends.clear()

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.message_send(user=people[0], conversation_id=group.pk, body="Buyer baru dari Jepang")
    assert layer.sends == [realtime.conversation_group(group.pk)]  # one send, not one per member
    for name in channels:
        received = asyncio.run(layer.receive(name))
        assert received["type"] == "chat.message" and received["message"]["id"] == sent.message.pk

    layer.sends.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.conversation_mark_read(user=people[1], conversation_id=group.pk)
    assert layer.sends == [realtime.user_group(people[1].pk)]  # no read receipts to the group: the reader's tabs
    layer.sends.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.message_edit(user=people[0], message_id=sent.message.pk, body="Buyer baru dari Korea")
    assert layer.sends == [realtime.conversation_group(group.pk)]


@sync
async def test_group_members_receive_live_and_a_leaver_stops(group_members):
    ayu, bima, citra = await sync_to_async(group_members)(3)
    group = await sync_to_async(services.group_conversation_ensure)(
        group_key=KEY, title="UKM Ekspor", user_ids=[ayu.pk, bima.pk, citra.pk]
    )
    a, b, c = await _connect(ayu), await _connect(bima), await _connect(citra)

    await a.send_json_to({"type": "message.send", "conversation": group.pk, "body": "Halo grup", "client_id": "g1"})
    own = {(await a.receive_json_from())["type"], (await a.receive_json_from())["type"]}
    assert own == {"chat.ack", "chat.message"}
    for member in (b, c):
        got = await member.receive_json_from()
        assert got["type"] == "chat.message" and got["message"]["body"] == "Halo grup"

    await a.send_json_to({"type": "typing", "conversation": group.pk})
    for member in (b, c):
        assert await member.receive_json_from() == {"type": "chat.typing", "conversation": group.pk, "user": ayu.pk}
    assert await a.receive_nothing(0.2)  # not one's own typing

    await b.send_json_to({"type": "read", "conversation": group.pk})
    assert (await b.receive_json_from())["type"] == "chat.read"  # Bima's own unread count
    assert await a.receive_nothing(0.2) and await c.receive_nothing(0.2)  # no receipts in a group chat

    await sync_to_async(services.group_participant_remove)(group_key=KEY, user_id=citra.pk)
    await asyncio.sleep(0.1)
    await a.send_json_to({"type": "message.send", "conversation": group.pk, "body": "Setelah Citra keluar"})
    await a.receive_json_from()
    await a.receive_json_from()
    assert (await b.receive_json_from())["message"]["body"] == "Setelah Citra keluar"
    assert await c.receive_nothing(0.3)
    for comm in (a, b, c):
        await comm.disconnect()
