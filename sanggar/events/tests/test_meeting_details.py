"""Meeting provider, passcode (registrants only, like the link) and the cover image (checked by content, re-encoded)
on the service, the pages and the API."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from sanggar.api.testing import call
from sanggar.community.tests.world import World
from sanggar.core.exceptions import ServiceError
from sanggar.events import services
from sanggar.events.models import Event


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return World(make_user, admin_user)


def png(size=(300, 200)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 60, 200)).save(buffer, format="PNG")
    return SimpleUploadedFile("sampul.png", buffer.getvalue(), content_type="image/png")


def data(**extra) -> dict:
    start = timezone.now() + timedelta(days=2)
    return {
        "title": "Webinar Zoom",
        "slug": "webinar-zoom",
        "starts_at": start,
        "ends_at": start + timedelta(hours=1),
        "meeting_url": "https://zoom.us/j/777",
        "meeting_provider": "zoom",
        "meeting_passcode": "RAHASIA42",
        **extra,
    }


def test_provider_passcode_and_cover_saved(world):
    event = services.event_create(actor=world.admin, data=data(), cover=png())
    assert event.meeting_provider == "zoom" and event.meeting_passcode == "RAHASIA42"
    assert event.cover.name.endswith(".jpg")
    with Image.open(event.cover.path) as stored:
        assert stored.format == "JPEG" and stored.size == (1200, 630)


def test_unknown_provider_and_fake_image_refused(world):
    with pytest.raises(ServiceError) as exc:
        services.event_create(actor=world.admin, data=data(meeting_provider="skype"))
    assert "meeting_provider" in exc.value.errors
    fake = SimpleUploadedFile("sampul.png", b"<?php echo 1; ?>" * 10, content_type="image/png")
    with pytest.raises(ServiceError):
        services.event_create(actor=world.admin, data=data(slug="lain"), cover=fake)
    assert not Event.objects.filter(slug="lain").exists() or not Event.objects.get(slug="lain").cover


def test_passcode_only_for_registrants_on_page_and_api(world, client):
    services.event_create(actor=world.admin, data=data())
    client.force_login(world.free)
    page = client.get("/event/webinar-zoom").content.decode()
    assert "RAHASIA42" not in page and "Zoom" in page
    body = call(client, "get", "/events/webinar-zoom", user=world.free).json()
    assert body["meeting_passcode"] is None and body["meeting_provider"] == "zoom"
    listed = call(client, "get", "/events", user=world.free).json()["results"][0]
    assert listed["meeting_passcode"] is None
    r = call(client, "post", "/events/webinar-zoom/register", user=world.free)
    assert r.json()["meeting_passcode"] == "RAHASIA42"
    assert "RAHASIA42" in client.get("/event/webinar-zoom").content.decode()
    assert call(client, "get", "/events/webinar-zoom", user=world.free).json()["meeting_passcode"] == "RAHASIA42"


def test_admin_form_uploads_cover_and_edits_provider(world, client):
    client.force_login(world.admin)
    start = timezone.localtime(timezone.now() + timedelta(days=3))
    fmt = "%Y-%m-%dT%H:%M"
    form = {
        "title": "Kelas Meet",
        "slug": "kelas-meet",
        "starts_at": start.strftime(fmt),
        "ends_at": (start + timedelta(hours=1)).strftime(fmt),
        "location_kind": "online",
        "meeting_url": "https://meet.google.com/abc-defg-hij",
        "meeting_provider": "meet",
        "meeting_passcode": "",
    }
    assert "meeting_provider" in client.get("/admin/event/baru").content.decode()
    client.post("/admin/event/baru", {**form, "cover": png()})
    event = Event.objects.get(slug="kelas-meet")
    assert event.meeting_provider == "meet" and event.cover
    assert 'id="event-cover"' in client.get("/event/kelas-meet").content.decode()
    client.logout()  # the page's <img> loads: a cover is public media, like a course cover (random name)
    shown = client.get(event.cover.url)
    assert shown.status_code == 200 and b"".join(shown.streaming_content)[:2] == b"\xff\xd8"
    client.force_login(world.admin)
    client.post("/admin/event/kelas-meet/ubah", {**form, "meeting_provider": "other", "remove_cover": "1"})
    event.refresh_from_db()
    assert event.meeting_provider == "other" and not event.cover
