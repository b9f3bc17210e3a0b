"""Smart rule "Pengingat event" with a fake clock: 24 h / 1 h / 15 min before the start by default, each once per
registrant and offset, the nearest only when late; the admin's offsets and switch change it; a registrant who
unfollowed the event ("Berhenti mengikuti" on the event page, or the API) is not reminded."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.community.tests.world import World
from sanggar.events import services
from sanggar.events.models import ReminderSent
from sanggar.notifications.models import Notification
from sanggar.notifications.smart_rules import smart_rules_save

from .test_events import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = World(make_user, admin_user)
    w.event = make_event(w, days=3)
    services.register(user=w.free, event=w.event)
    return w


def _reminders(user):
    return list(Notification.objects.filter(user=user, data__template="event_reminder").values_list("title", flat=True))


def test_default_offsets_each_once(world):
    start = world.event.starts_at
    assert services.reminders_send_due(now=start - timedelta(hours=25)) == 0
    assert services.reminders_send_due(now=start - timedelta(hours=23, minutes=59)) == 1
    assert services.reminders_send_due(now=start - timedelta(hours=23)) == 0
    assert services.reminders_send_due(now=start - timedelta(minutes=59)) == 1
    assert services.reminders_send_due(now=start - timedelta(minutes=14)) == 1
    assert services.reminders_send_due(now=start - timedelta(minutes=1)) == 0
    assert _reminders(world.free) == [
        "Klinik Dokumen dimulai 15 menit lagi",
        "Klinik Dokumen dimulai 60 menit lagi",
        "Klinik Dokumen dimulai 24 jam lagi",
    ]
    assert set(ReminderSent.objects.values_list("minutes", flat=True)) == {1440, 60, 15}


def test_admin_offsets_and_switch(world):
    start = world.event.starts_at
    smart_rules_save(actor=world.admin, values={"events.reminders": {"enabled": False, "value": "30"}})
    assert services.reminders_send_due(now=start - timedelta(minutes=10)) == 0  # off
    smart_rules_save(actor=world.admin, values={"events.reminders": {"enabled": True, "value": "30"}})
    assert services.reminders_send_due(now=start - timedelta(minutes=59)) == 0  # 60 is no longer an offset
    assert services.reminders_send_due(now=start - timedelta(minutes=29)) == 1
    assert _reminders(world.free) == ["Klinik Dokumen dimulai 30 menit lagi"]


def test_unfollowed_registrant_is_not_reminded_and_the_page_button(world, client):
    source = services.event_source(world.event)
    client.force_login(world.free)
    page = client.get(f"/event/{world.event.slug}").content.decode()
    assert f'data-follow-source="{source}" data-following="1"' in page
    client.post("/notifications/ikuti", {"source": source, "subscribed": "0", "next": f"/event/{world.event.slug}"})
    assert (
        f'data-follow-source="{source}" data-following="0"' in client.get(f"/event/{world.event.slug}").content.decode()
    )
    assert services.reminders_send_due(now=world.event.starts_at - timedelta(minutes=14)) == 0
    assert _reminders(world.free) == []
    assert call(client, "get", "/notifications/subscription", {"source": source}, user=world.free).json() == {
        "source": source,
        "subscribed": False,
    }


def test_only_registrants_follow_an_event(world, client):
    source = services.event_source(world.event)
    client.force_login(world.premium)  # not registered
    assert "data-follow-source" not in client.get(f"/event/{world.event.slug}").content.decode()
    denied = call(
        client, "put", "/notifications/subscription", {"source": source, "subscribed": False}, user=world.premium
    )
    assert denied.status_code == 403
    assert timezone.now() < world.event.starts_at
