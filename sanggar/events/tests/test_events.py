"""Events: creation adopting placeholder keys, registration with quota and waiting list, meeting link for registrants
only, reminders once, attendance points; pages and API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.community.models import PointEntry
from sanggar.community.tests.world import World
from sanggar.core.exceptions import NotAllowed, NotFound, ServiceError
from sanggar.events import services
from sanggar.events.models import Registration, ReminderSent
from sanggar.notifications.models import Notification


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return World(make_user, admin_user)


def make_event(world, slug="klinik", capacity=None, group=None, days=3):
    start = timezone.now() + timedelta(days=days)
    return services.event_create(
        actor=world.admin,
        data={
            "title": "Klinik Dokumen",
            "slug": slug,
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
            "meeting_url": "https://zoom.us/j/123",
            "capacity": capacity,
        },
        group=group,
    )


def test_quota_waitlist_and_promotion(world):
    event = make_event(world, capacity=1)
    assert services.register(user=world.free, event=event).status == "going"
    assert services.register(user=world.premium, event=event).status == "waitlist"
    assert services.register(user=world.free, event=event).status == "going"  # again: no change
    services.cancel(user=world.free, event=event)
    assert Registration.objects.get(event=event, user=world.premium).status == "going"
    assert Notification.objects.filter(user=world.premium, data__template="event_promoted").exists()


def test_only_admin_creates_and_input_checked(world):
    with pytest.raises(NotAllowed):
        services.event_create(actor=world.free, data={})
    start = timezone.now()
    with pytest.raises(ServiceError):
        services.event_create(actor=world.admin, data={"title": "x\x00", "starts_at": start, "ends_at": start})
    with pytest.raises(ServiceError):
        services.event_create(
            actor=world.admin,
            data={"title": "x", "starts_at": start, "ends_at": start + timedelta(hours=1), "capacity": "10"},
        )


def test_event_in_plan_is_for_plan_members(world):
    event = make_event(world, slug="webinar-vip")
    world.shop.plan("Platinum", rank=3, resources=[event.resource], slug="platinum")
    with pytest.raises(NotAllowed):
        services.register(user=world.free, event=event)


def test_hidden_group_event_is_404_for_outsiders(world, client):
    event = make_event(world, slug="vip-only", group=world.hidden)
    with pytest.raises(NotFound):
        services.register(user=world.outsider, event=event)
    client.force_login(world.outsider)
    assert client.get("/event/vip-only").status_code == 404
    assert call(client, "post", "/events/vip-only/register", user=world.outsider).status_code == 404
    assert services.register(user=world.premium, event=event).status == "going"


def test_meeting_link_only_for_registrants(world, client):
    make_event(world)
    client.force_login(world.free)
    assert "zoom.us/j/123" not in client.get("/event/klinik").content.decode()
    client.post("/event/klinik/daftar")
    assert "zoom.us/j/123" in client.get("/event/klinik").content.decode()
    assert client.get("/event/klinik/kalender.ics").content.startswith(b"BEGIN:VCALENDAR")


def test_reminders_sent_once_per_offset(world):
    event = make_event(world, days=0)
    event.starts_at = timezone.now() + timedelta(minutes=50)
    event.save(update_fields=["starts_at"])
    services.register(user=world.free, event=event)
    assert services.reminders_send_due() == 1
    assert services.reminders_send_due() == 0
    assert ReminderSent.objects.filter(event=event, user=world.free, minutes=60).exists()
    assert services.reminders_send_due(now=event.starts_at - timedelta(minutes=10)) == 1


def test_attendance_awards_points_once(world):
    event = make_event(world)
    services.register(user=world.free, event=event)
    services.attendance_mark(actor=world.admin, event=event, user=world.free)
    services.attendance_mark(actor=world.admin, event=event, user=world.free)
    assert PointEntry.objects.filter(user=world.free, action="event_attended").count() == 1
    with pytest.raises(NotAllowed):
        services.attendance_mark(actor=world.free, event=event, user=world.free)


def test_api_events_and_register(world, client, django_assert_max_num_queries):
    for i in range(5):
        make_event(world, slug=f"e{i}")
    call(client, "get", "/events", user=world.free)
    with django_assert_max_num_queries(15):
        body = call(client, "get", "/events", user=world.free).json()
    assert body["count"] == 5 and body["results"][0]["meeting_url"] is None
    r = call(client, "post", "/events/e0/register", user=world.free)
    assert r.status_code == 200
    assert r.json() == {"status": "going", "meeting_url": "https://zoom.us/j/123", "meeting_passcode": None}
    assert call(client, "post", "/events/nope/register", user=world.free).status_code == 404


def test_pages_access(world, client):
    make_event(world)
    client.force_login(world.free)
    assert client.get("/event").status_code == 200
    assert client.get("/admin/event/baru").status_code == 403
    client.force_login(world.admin)
    assert client.get("/admin/event/baru").status_code == 200
    assert client.get("/admin/event/klinik/peserta").status_code == 200
