"""Live community over the websocket (/ws/komunitas/), through the notifications tests' copy of Channels'
communicator: new posts, comments and reactions reach the pages subscribed to their group after commit, and only
sockets whose user may read the group (checked on subscribe, again when a membership changes and when a plan
expired). Also the post page's fragment of new comments."""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async as database_sync_to_async
from channels.routing import URLRouter
from django.urls import path
from django.utils import timezone

from sanggar.access.models import Grant
from sanggar.community import services
from sanggar.community.consumers import CommunityConsumer
from sanggar.memberships.models import UserMembership
from sanggar.memberships.services import memberships_expire_sweep
from sanggar.notifications.tests.websocket import WebsocketCommunicator, sync

from .world import World

pytestmark = pytest.mark.django_db(transaction=True)  # events are published after commit

app = URLRouter([path("ws/komunitas/", CommunityConsumer.as_asgi())])


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.COMMUNITY_POST_RATE_LIMIT = settings.COMMUNITY_POST_IP_RATE_LIMIT = "1000/3600"
    return World(make_user, admin_user)


async def _connect(user):
    comm = WebsocketCommunicator(app, "/ws/komunitas/")
    comm.scope["user"] = user
    connected, _code = await comm.connect(timeout=10)
    assert connected
    return comm


async def _subscribe(comm, **spec):
    await comm.send_json_to({"type": "subscribe", **spec})
    return await comm.receive_json_from(timeout=10)


def run(fn, *args, **kwargs):
    return database_sync_to_async(fn)(*args, **kwargs)


@sync
async def test_anonymous_is_refused():
    from django.contrib.auth.models import AnonymousUser

    comm = WebsocketCommunicator(app, "/ws/komunitas/")
    comm.scope["user"] = AnonymousUser()
    connected, code = await comm.connect()
    assert not connected and code == 4401


@sync
async def test_feed_gets_new_posts_of_own_groups_only(world):
    premium = await _connect(world.premium)
    answer = await _subscribe(premium, feed=True)
    assert answer["type"] == "subscribed"
    assert set(answer["groups"]) == {world.public.pk, world.hidden.pk}  # joined + through the plan
    outsider = await _connect(world.outsider)
    assert (await _subscribe(outsider, feed=True)) == {"type": "subscribed", "groups": []}

    post = await run(services.post_create, user=world.premium, group=world.hidden, body="Khusus VIP")
    event = await premium.receive_json_from(timeout=10)
    assert event == {"type": "community.post", "post": post.pk, "group": world.hidden.pk}
    assert "body" not in event  # ids only: the page fetches the post over HTTP, access-checked
    assert await outsider.receive_nothing(timeout=1)
    await premium.disconnect()
    await outsider.disconnect()


@sync
async def test_subscribe_checks_access_per_group(world):
    outsider = await _connect(world.outsider)
    for slug in (world.hidden.slug, world.private.slug, "tidak-ada"):
        answer = await _subscribe(outsider, group=slug)
        assert answer["type"] == "community.error"
    hidden_post = await run(services.post_create, user=world.premium, group=world.hidden, body="Rahasia")
    assert (await _subscribe(outsider, post=hidden_post.pk))["type"] == "community.error"
    assert (await _subscribe(outsider, post="1"))["type"] == "community.error"
    # nothing of the refused groups reaches the outsider
    await run(services.comment_create, user=world.premium, post=hidden_post, body="Tambahan")
    assert await outsider.receive_nothing(timeout=1)
    # a public group is readable by every signed-in user
    assert (await _subscribe(outsider, group=world.public.slug)) == {"type": "subscribed", "groups": [world.public.pk]}
    await outsider.send_json_to({"type": "bukan"})
    assert (await outsider.receive_json_from(timeout=10))["type"] == "community.error"
    await outsider.send_input({"type": "websocket.receive", "text": "{rusak"})
    assert (await outsider.receive_json_from(timeout=10))["type"] == "community.error"
    await outsider.disconnect()


@sync
async def test_post_page_gets_comments_and_reaction_counts(world):
    post = await run(services.post_create, user=world.premium, group=world.public, body="Tips kemasan")
    await run(services.group_join, user=world.mentor, group=world.public)
    author = await _connect(world.premium)
    assert (await _subscribe(author, post=post.pk))["groups"] == [world.public.pk]

    comment = await run(services.comment_create, user=world.mentor, post=post, body="Terima kasih!")
    event = await author.receive_json_from(timeout=10)
    assert event["type"] == "community.comment"
    assert (event["post"], event["comment"], event["parent"], event["comment_count"]) == (post.pk, comment.pk, None, 1)

    await run(services.reaction_set, user=world.mentor, post=post, type="love")
    event = await author.receive_json_from(timeout=10)
    assert event["type"] == "community.reaction" and event["counts"] == {"love": 1} and event["comment"] is None
    await run(services.reaction_set, user=world.mentor, post=post, type="wow")  # changed: counts move
    assert (await author.receive_json_from(timeout=10))["counts"] == {"wow": 1}
    await run(services.reaction_unset, user=world.mentor, post=post)
    assert (await author.receive_json_from(timeout=10))["counts"] == {}
    await run(services.reaction_set, user=world.premium, post=post, type="like", comment=comment)
    event = await author.receive_json_from(timeout=10)
    assert event["comment"] == comment.pk and event["counts"] == {"like": 1}
    await author.disconnect()


@sync
async def test_banned_member_stops_receiving_at_once(world):
    await run(services.member_add, actor=world.admin, group=world.private, user=world.free)
    free = await _connect(world.free)
    assert (await _subscribe(free, group=world.private.slug))["groups"] == [world.private.pk]
    await run(services.post_create, user=world.admin, group=world.private, body="Sebelum")
    assert (await free.receive_json_from(timeout=10))["type"] == "community.post"

    await run(services.member_ban, actor=world.admin, group=world.private, user=world.free)
    await free.receive_nothing(timeout=1)  # the resync is handled
    await run(services.post_create, user=world.admin, group=world.private, body="Sesudah")
    assert await free.receive_nothing(timeout=1)
    await free.disconnect()


@sync
async def test_expired_plan_stops_events_of_its_group(world, settings):
    settings.COMMUNITY_LIVE_RECHECK_SECONDS = 0  # every event re-checks
    premium = await _connect(world.premium)
    assert world.hidden.pk in (await _subscribe(premium, feed=True))["groups"]

    def expire():  # the plan ran out: its end and its grants' end are in the past, then the sweep runs
        past = timezone.now() - timedelta(minutes=1)
        UserMembership.objects.filter(pk=world.membership.pk).update(ends_at=past)
        Grant.objects.filter(user=world.premium, ends_at__isnull=False).update(ends_at=past)
        memberships_expire_sweep()

    await run(expire)
    await run(services.post_create, user=world.admin, group=world.hidden, body="Setelah kedaluwarsa")
    assert await premium.receive_nothing(timeout=1)
    # the public group it joined itself still arrives
    await run(services.post_create, user=world.admin, group=world.public, body="Publik")
    assert (await premium.receive_json_from(timeout=10))["group"] == world.public.pk
    await premium.disconnect()


def test_comments_since_fragment_and_access(world, client):
    post = services.post_create(user=world.premium, group=world.hidden, body="Diskusi VIP")
    first = services.comment_create(user=world.premium, post=post, body="Komentar pertama")
    second = services.comment_create(user=world.premium, post=post, body="Komentar kedua", parent=first)
    client.force_login(world.premium)
    page = client.get(f"/komunitas/post/{post.pk}")
    assert page.status_code == 200
    assert f'data-after="{second.pk}"' in page.content.decode()
    assert 'data-post="' in page.content.decode() and "/ws/komunitas/" in page.content.decode()
    response = client.get(f"/komunitas/post/{post.pk}/komentar-baru?setelah={first.pk}")
    body = response.content.decode()
    assert response.status_code == 200
    assert f'data-new-comment="{second.pk}" data-parent="{first.pk}"' in body and "Komentar kedua" in body
    assert "Komentar pertama" not in body
    client.force_login(world.outsider)
    assert client.get(f"/komunitas/post/{post.pk}/komentar-baru?setelah=0").status_code == 404


def test_feed_polls_only_as_fallback(world, client):
    client.force_login(world.premium)
    html = client.get("/komunitas").content.decode()
    assert 'hx-trigger="live-refresh"' in html and "every 15s" not in html
    assert 'data-feed="1"' in html
