"""Under real concurrency (PostgreSQL only): two members taking the last seat of an event at once (one gets it, the
other waits), and a reaction toggled twice at once (ends as two toggles in a row: the count equals the rows)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from sanggar.community import services as community
from sanggar.community.models import Post, Reaction
from sanggar.community.tests.world import World
from sanggar.events import services
from sanggar.events.models import Registration

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def _together(count: int, work) -> list:
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index):
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as exc:  # asserted by the test
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EVENTS_REGISTER_RATE_LIMIT = settings.EVENTS_REGISTER_IP_RATE_LIMIT = "1000/3600"
    settings.COMMUNITY_REACTION_RATE_LIMIT = settings.COMMUNITY_REACTION_IP_RATE_LIMIT = "1000/3600"
    return World(make_user, admin_user)


def test_two_members_taking_the_last_seat_one_succeeds(world):
    start = timezone.now() + timedelta(days=1)
    event = services.event_create(
        actor=world.admin,
        data={"title": "Kursi Terakhir", "starts_at": start, "ends_at": start + timedelta(hours=1), "capacity": 2},
    )
    services.register(user=world.outsider, event=event)  # one seat left
    users = [world.free, world.premium]
    results = _together(2, lambda i: services.register(user=users[i], event=event).status)
    assert sorted(results) == ["going", "waitlist"], results
    assert Registration.objects.filter(event=event, status="going").count() == 2


def test_reaction_toggled_twice_at_once_ends_consistent(world):
    post = community.post_create(user=world.premium, group=world.public, body="Balapan reaksi")
    results = _together(2, lambda i: community.reaction_toggle(user=world.premium, post=post, type="like"))
    assert sorted(results) == [False, True], results  # one set it, the other took it back
    post = Post.objects.get(pk=post.pk)
    assert Reaction.objects.filter(post=post).count() == 0 == post.reaction_count


def test_reactions_of_two_members_at_once_are_both_counted(world):
    post = community.post_create(user=world.premium, group=world.public, body="Dua reaksi")
    community.group_join(user=world.free, group=world.public)
    users = [world.free, world.admin]
    results = _together(2, lambda i: community.reaction_toggle(user=users[i], post=post, type="love"))
    assert results == [True, True], results
    post = Post.objects.get(pk=post.pk)
    assert Reaction.objects.filter(post=post).count() == 2 == post.reaction_count
