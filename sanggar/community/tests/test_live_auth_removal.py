"""The community websocket signs apps in with the API's JWT (`?token=` or a bearer header) like the bell does, and a
removed comment disappears live for everyone viewing the post."""

from datetime import UTC, datetime, timedelta

import pytest
from asgiref.sync import sync_to_async as database_sync_to_async
from channels.routing import URLRouter
from django.contrib.auth.models import AnonymousUser
from django.urls import path

from sanggar.api.tokens import ACCESS, _encode, token_pair_issue
from sanggar.community import services
from sanggar.community.consumers import CommunityConsumer
from sanggar.notifications.tests.websocket import WebsocketCommunicator, sync

from .world import World

pytestmark = pytest.mark.django_db(transaction=True)

app = URLRouter([path("ws/komunitas/", CommunityConsumer.as_asgi())])


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.COMMUNITY_POST_RATE_LIMIT = settings.COMMUNITY_POST_IP_RATE_LIMIT = "1000/3600"
    settings.COMMUNITY_AUTO_HIDE_REPORTS = 2
    return World(make_user, admin_user)


def run(fn, *args, **kwargs):
    return database_sync_to_async(fn)(*args, **kwargs)


def _socket(query="", headers=None, session_user=None):
    comm = WebsocketCommunicator(app, "/ws/komunitas/" + (f"?{query}" if query else ""), headers=headers or [])
    comm.scope["user"] = session_user or AnonymousUser()
    return comm


async def _subscribe(comm, **spec):
    await comm.send_json_to({"type": "subscribe", **spec})
    return await comm.receive_json_from(timeout=10)


@sync
async def test_session_and_jwt_sockets_receive_a_hidden_groups_events(world):
    pair = await run(token_pair_issue, user=world.premium)
    by_session = _socket(session_user=world.premium)
    by_query = _socket(f"token={pair.access}")
    by_header = _socket(headers=[(b"authorization", f"Bearer {pair.access}".encode())])
    sockets = [by_session, by_query, by_header]
    for comm in sockets:
        assert (await comm.connect(timeout=10))[0] is True
        assert (await _subscribe(comm, group=world.hidden.slug))["groups"] == [world.hidden.pk]
    post = await run(services.post_create, user=world.admin, group=world.hidden, body="Untuk anggota VIP")
    for comm in sockets:
        assert await comm.receive_json_from(timeout=10) == {
            "type": "community.post",
            "post": post.pk,
            "group": world.hidden.pk,
        }
        await comm.disconnect()


@sync
async def test_a_token_is_checked_like_the_api_does(world):
    """Invalid, refresh and expired tokens are refused (even with a session along); a JWT outsider is refused the
    hidden group like a session outsider."""
    pair = await run(token_pair_issue, user=world.premium)
    expired = await run(_encode, world.premium, ACCESS, datetime.now(tz=UTC) - timedelta(days=2))
    refused = []
    for comm in (
        _socket("token=rusak", session_user=world.premium),
        _socket(f"token={pair.refresh}"),
        _socket(f"token={expired}", session_user=world.premium),
        _socket(headers=[(b"authorization", f"Bearer {expired}".encode())]),
        _socket(headers=[(b"authorization", b"Bearer ")]),
        _socket(),
    ):
        refused.append(await comm.connect(timeout=10))
    assert refused == [(False, 4401)] * 6

    outsider_pair = await run(token_pair_issue, user=world.outsider)
    outsider = _socket(f"token={outsider_pair.access}")
    assert (await outsider.connect(timeout=10))[0] is True
    assert (await _subscribe(outsider, group=world.hidden.slug))["type"] == "community.error"
    await outsider.disconnect()


@sync
async def test_removed_comment_disappears_live_for_other_viewers(world):
    post = await run(services.post_create, user=world.premium, group=world.public, body="Cara hitung HS code?")
    await run(services.group_join, user=world.mentor, group=world.public)
    await run(services.group_join, user=world.free, group=world.public)
    by_author = await run(services.comment_create, user=world.mentor, post=post, body="Pakai BTKI 2022")
    by_free = await run(services.comment_create, user=world.free, post=post, body="Beli followers murah di sini")
    viewer_pair = await run(token_pair_issue, user=world.premium)
    viewer = _socket(f"token={viewer_pair.access}")
    assert (await viewer.connect(timeout=10))[0] is True
    assert (await _subscribe(viewer, post=post.pk))["groups"] == [world.public.pk]

    # the author removes their own comment
    await run(services.comment_remove, actor=world.mentor, comment=by_author)
    event = await viewer.receive_json_from(timeout=10)
    assert event == {
        "type": "community.comment_removed",
        "post": post.pk,
        "comment": by_author.pk,
        "group": world.public.pk,
        "comment_count": 1,
    }
    # a moderator (the admin owns the group) removes the spam
    await run(services.comment_remove, actor=world.admin, comment=by_free)
    event = await viewer.receive_json_from(timeout=10)
    assert (event["type"], event["comment"], event["comment_count"]) == ("community.comment_removed", by_free.pk, 0)
    # removing again publishes nothing
    await run(services.comment_remove, actor=world.admin, comment=by_free)
    assert await viewer.receive_nothing(timeout=1)
    await viewer.disconnect()


@sync
async def test_comment_hidden_after_reports_disappears_live(world, make_user):
    post = await run(services.post_create, user=world.premium, group=world.public, body="Info pameran")
    await run(services.group_join, user=world.free, group=world.public)
    comment = await run(services.comment_create, user=world.free, post=post, body="Spam")
    viewer = _socket(session_user=world.premium)
    assert (await viewer.connect(timeout=10))[0] is True
    await _subscribe(viewer, post=post.pk)
    await run(services.report_create, user=world.mentor, kind="comment", target_id=comment.pk)
    assert await viewer.receive_nothing(timeout=1)
    await run(services.report_create, user=world.outsider, kind="comment", target_id=comment.pk)
    event = await viewer.receive_json_from(timeout=10)
    assert (event["type"], event["comment"]) == ("community.comment_removed", comment.pk)
    await viewer.disconnect()


def test_post_page_script_drops_removed_comments(world, client):
    post = services.post_create(user=world.premium, group=world.public, body="Halo")
    client.force_login(world.premium)
    html = client.get(f"/komunitas/post/{post.pk}").content.decode()
    assert "community.comment_removed" in html and '"comment-" + event.comment' in html
