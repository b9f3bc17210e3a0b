"""The day's visit point (PRODUCT: "daily visit 1"): once per member and WIB day, from the feed page and from the
app's feed; later visits that day neither query for it nor try the insert again."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.community import services
from sanggar.community.constants import PointAction
from sanggar.community.models import PointEntry

from .world import World

pytestmark = pytest.mark.django_db


def _visits(user) -> list[str]:
    return list(PointEntry.objects.filter(user=user, action=PointAction.DAILY_VISIT).values_list("key", flat=True))


def test_the_feed_page_awards_the_day_once_then_stays_quiet(make_user, admin_user, client):
    world = World(make_user, admin_user)
    client.force_login(world.premium)
    assert client.get("/komunitas").status_code == 200
    assert len(_visits(world.premium)) == 1 and services.points_total(world.premium.pk) == 1
    with CaptureQueriesContext(connection) as later:
        assert client.get("/komunitas").status_code == 200
    assert not [q for q in later.captured_queries if "community_pointentry" in q["sql"] and "INSERT" in q["sql"]]
    assert len(_visits(world.premium)) == 1


def test_a_process_that_has_not_seen_the_day_is_refused_by_the_key(make_user, admin_user):
    from django.core.cache import cache

    world = World(make_user, admin_user)
    services.daily_visit(user=world.free)
    cache.clear()  # another process, or the cache restarted
    services.daily_visit(user=world.free)
    assert len(_visits(world.free)) == 1


def test_a_new_day_is_a_new_visit(make_user, admin_user, monkeypatch):
    world = World(make_user, admin_user)
    services.daily_visit(user=world.free)
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(services.timezone, "localdate", lambda *a, **k: tomorrow)
    services.daily_visit(user=world.free)
    assert sorted(_visits(world.free))[-1].endswith(tomorrow.isoformat()) and len(_visits(world.free)) == 2


def test_the_app_feed_awards_the_visit_on_its_first_page_only(make_user, admin_user, client):
    world = World(make_user, admin_user)
    call(client, "get", "/feed?cursor=999999", user=world.premium)  # scrolling further down is not a visit
    assert _visits(world.premium) == []
    body = call(client, "get", "/feed", user=world.premium).json()
    assert "results" in body and len(_visits(world.premium)) == 1
