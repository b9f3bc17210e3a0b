"""Events: editing (admins or the host; a new time tells the registrants and re-arms the reminders; cancellation and a
recording tell them too), the month calendar (WIB, hidden groups' events stay hidden), the recordings archive (open
to registrants)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.community.tests.world import World
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.events import services
from sanggar.events.models import Registration, ReminderSent
from sanggar.notifications.models import Notification

from .test_events import make_event


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return World(make_user, admin_user)


def _data(event, **changes):
    data = {
        "title": event.title,
        "description": event.description,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "location_kind": event.location_kind,
        "meeting_url": event.meeting_url,
        "address": event.address,
        "capacity": event.capacity,
        "recording_url": event.recording_url,
        "status": event.status,
    }
    data.update(changes)
    return data


def test_reschedule_tells_registrants_and_rearms_reminders(world):
    event = make_event(world)
    services.register(user=world.premium, event=event)
    ReminderSent.objects.create(event=event, user=world.premium, minutes=60)
    later = event.starts_at + timedelta(days=1)
    services.event_update(
        actor=world.admin, event=event, data=_data(event, starts_at=later, ends_at=later + timedelta(hours=2))
    )
    assert not ReminderSent.objects.filter(event=event).exists()
    assert Notification.objects.filter(user=world.premium, data__template="event_rescheduled").exists()
    with pytest.raises(NotAllowed):
        services.event_update(actor=world.premium, event=event, data=_data(event))
    with pytest.raises(ServiceError):
        services.event_update(actor=world.admin, event=event, data=_data(event, recording_url="javascript:alert(1)"))
    with pytest.raises(ServiceError):
        services.event_update(actor=world.admin, event=event, data=_data(event, status="hilang"))
    services.event_update(actor=world.admin, event=event, data=_data(event, status="cancelled"))
    assert Notification.objects.filter(user=world.premium, data__template="event_cancelled").exists()


def test_recordings_archive_for_registrants_only(world, client):
    event = make_event(world, days=-3)
    Registration.objects.create(event=event, user=world.premium, status="going")
    services.event_update(
        actor=world.admin, event=event, data=_data(event, recording_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    )
    assert Notification.objects.filter(user=world.premium, data__template="event_recording").exists()
    client.force_login(world.premium)
    assert "Tonton rekaman" in client.get("/event/rekaman").content.decode()
    client.force_login(world.free)
    page = client.get("/event/rekaman").content.decode()
    assert "Klinik Dokumen" not in page and "Belum ada rekaman" in page


def test_calendar_month_and_edit_page(world, client):
    event = make_event(world, days=1)
    hidden = make_event(world, slug="rahasia", group=world.hidden, days=1)
    month = timezone.localtime(event.starts_at).strftime("%Y-%m")
    client.force_login(world.free)
    page = client.get(f"/event/kalender?bulan={month}").content.decode()
    assert f"/event/{event.slug}" in page and f"/event/{hidden.slug}" not in page
    for bad in ("2026-13", "abc", "1800-01", "2026-1\x00"):
        assert client.get(f"/event/kalender?bulan={bad}").status_code in (200, 400)
    assert client.get(f"/admin/event/{event.slug}/ubah").status_code == 403
    client.force_login(world.admin)
    assert client.get(f"/admin/event/{event.slug}/ubah").status_code == 200
    start = timezone.localtime(event.starts_at)
    r = client.post(
        f"/admin/event/{event.slug}/ubah",
        {
            "title": "Klinik Dokumen Ekspor",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "location_kind": "online",
            "meeting_url": "https://zoom.us/j/123",
            "status": "published",
        },
    )
    assert r.status_code == 302
    event.refresh_from_db()
    assert event.title == "Klinik Dokumen Ekspor"
