"""The composer's "event" option: a real event of the group (events service) and the post announcing it, from the
group page and from `POST /api/v1/groups/{slug}/posts` with an `event` object; the group's permission decides."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.community import services
from sanggar.community.models import Post
from sanggar.community.tests.world import World
from sanggar.events.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return World(make_user, admin_user)


def later(days=2):
    return timezone.localtime(timezone.now() + timedelta(days=days)).replace(tzinfo=None, second=0, microsecond=0)


def test_api_event_post_creates_event_and_post(world, client):
    start = later()
    r = call(
        client,
        "post",
        f"/groups/{world.public.slug}/posts",
        {
            "body": "Klinik tanya jawab dokumen ekspor.",
            "event": {
                "title": "Klinik Dokumen",
                "starts_at": start.isoformat(),
                "location_kind": "online",
                "meeting_url": "https://zoom.us/j/999",
                "meeting_provider": "zoom",
                "capacity": 30,
            },
        },
        user=world.admin,
    )
    assert r.status_code == 201, r.content
    event = Event.objects.get(group=world.public)
    assert event.post_id == r.json()["id"]
    assert event.title == "Klinik Dokumen" and event.capacity == 30 and event.meeting_provider == "zoom"
    assert timezone.localtime(event.starts_at).replace(tzinfo=None) == start  # a naive time is WIB
    assert event.ends_at - event.starts_at == timedelta(hours=1)
    assert event.description == "Klinik tanya jawab dokumen ekspor."
    assert f"/event/{event.slug}" in r.json()["body_html"]
    assert r.json()["event"]["slug"] == event.slug and r.json()["event"]["url"] == f"/event/{event.slug}"
    listed = call(client, "get", f"/groups/{world.public.slug}/posts", user=world.admin).json()["results"]
    assert [p["event"]["slug"] for p in listed if p["event"]] == [event.slug]
    # a second event with the same title gets an address of its own
    again = call(
        client,
        "post",
        f"/groups/{world.public.slug}/posts",
        {"event": {"title": "Klinik Dokumen", "starts_at": start.isoformat(), "location_kind": "online"}},
        user=world.admin,
    )
    assert again.status_code == 201 and Event.objects.filter(group=world.public).count() == 2


def test_api_event_post_needs_the_group_permission_and_valid_values(world, client):
    path = f"/groups/{world.public.slug}/posts"
    event = {"title": "Acara", "starts_at": later().isoformat()}
    assert call(client, "post", path, {"event": event}, user=world.premium).status_code == 403
    past = {"title": "Acara", "starts_at": (later(-2)).isoformat()}
    assert call(client, "post", path, {"event": past}, user=world.admin).status_code in (400, 422)
    both = call(client, "post", path, {"event": event, "poll": ["Ya", "Tidak"]}, user=world.admin)
    assert both.status_code in (400, 422)
    offline = call(
        client, "post", path, {"event": {**event, "location_kind": "di-bulan"}}, user=world.admin
    ).status_code
    assert offline in (400, 422)
    scheduled = call(
        client,
        "post",
        f"/groups/{world.public.slug}/scheduled-posts",
        {"body": "x", "scheduled_at": later().isoformat(), "event": event},
        user=world.admin,
    )
    assert scheduled.status_code in (400, 422)
    assert not Event.objects.exists() and not Post.objects.filter(group=world.public).exists()
    # the group's permissions matrix lets members create events: now the member may
    services.group_permissions_update(actor=world.admin, group=world.public, permissions={"event": ["member"]})
    assert call(client, "post", path, {"event": event}, user=world.premium).status_code == 201


def test_page_composer_event_option(world, client):
    client.force_login(world.admin)
    page = client.get(f"/komunitas/grup/{world.public.slug}").content.decode()
    assert 'name="event_title"' in page
    client.force_login(world.premium)
    assert 'name="event_title"' not in client.get(f"/komunitas/grup/{world.public.slug}").content.decode()
    client.force_login(world.admin)
    client.post(
        f"/komunitas/grup/{world.public.slug}/posting",
        {
            "body": "Kopdar eksportir Surabaya.",
            "event_on": "1",
            "event_title": "Kopdar Surabaya",
            "event_starts_at": later(5).strftime("%Y-%m-%dT%H:%M"),
            "event_location_kind": "offline",
            "event_address": "Jl. Tunjungan 1, Surabaya",
            "event_capacity": "40",
        },
    )
    event = Event.objects.get(title="Kopdar Surabaya")
    assert event.location_kind == "offline" and event.capacity == 40 and event.group_id == world.public.pk
    assert event.post.group_id == world.public.pk and event.post.status == "published"
