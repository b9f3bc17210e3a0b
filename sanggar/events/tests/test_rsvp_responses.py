"""EVT-D2: the RSVP answers "mungkin" (maybe) and "tidak hadir" (not going) besides going / waiting list / cancelled.
They take no seat, get no meeting link and no reminders; switching to going takes a seat or the waiting list, and a
seat given up goes to the first waiting."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.core.exceptions import ServiceError
from sanggar.events import selectors, services
from sanggar.events.models import Registration, ReminderSent

from .test_events import make_event, world  # noqa: F401 (the fixture)


def test_maybe_and_not_going_take_no_seat_and_switching_takes_one(world):  # noqa: F811
    event = make_event(world, capacity=1)
    assert services.respond(user=world.free, event=event, response="maybe").status == "maybe"
    assert services.respond(user=world.mentor, event=event, response="not_going").status == "not_going"
    assert not selectors.my_events(world.mentor).exists()  # "Event Saya" leaves out a "not going" answer
    assert selectors.my_events(world.free).get().status == "maybe"
    assert services.respond(user=world.premium, event=event).status == "going"  # the only seat is still free
    assert services.respond(user=world.free, event=event, response="going").status == "waitlist"
    assert services.respond(user=world.free, event=event, response="maybe").status == "maybe"
    assert services.respond(user=world.free, event=event, response="going").status == "waitlist"
    # the seat holder answers "maybe": the seat goes to the first waiting
    assert services.respond(user=world.premium, event=event, response="maybe").status == "maybe"
    assert Registration.objects.get(event=event, user=world.free).status == "going"
    assert Registration.objects.filter(event=event, status="going").count() == 1
    assert services.respond(user=world.premium, event=event, response="going").status == "waitlist"
    with pytest.raises(ServiceError):
        services.respond(user=world.free, event=event, response="hadir\x00")


def test_maybe_gets_no_link_and_no_reminder(world, client):  # noqa: F811
    event = make_event(world, days=0)
    event.starts_at = timezone.now() + timedelta(minutes=50)
    event.save(update_fields=["starts_at"])
    client.force_login(world.free)
    r = client.post("/event/klinik/daftar", {"response": "maybe"}, follow=True)
    page = r.content.decode()
    assert r.status_code == 200 and "zoom.us/j/123" not in page and "mungkin" in page
    assert Registration.objects.get(event=event, user=world.free).status == "maybe"
    assert services.reminders_send_due() == 0
    assert not ReminderSent.objects.filter(event=event).exists()
    client.post("/event/klinik/daftar", {"response": "not_going"})
    assert Registration.objects.get(event=event, user=world.free).status == "not_going"
    client.post("/event/klinik/daftar")
    assert "zoom.us/j/123" in client.get("/event/klinik").content.decode()
    r = client.post("/event/klinik/daftar", {"response": "hacker"}, follow=True)
    assert r.status_code == 200 and Registration.objects.get(event=event, user=world.free).status == "going"


def test_api_register_accepts_a_response_and_keeps_the_default(world, client):  # noqa: F811
    make_event(world, capacity=1)
    r = call(client, "post", "/events/klinik/register", {"response": "maybe"}, user=world.free)
    assert r.status_code == 200 and r.json() == {"status": "maybe", "meeting_url": None, "meeting_passcode": None}
    r = call(client, "post", "/events/klinik/register", {"response": "not_going"}, user=world.premium)
    assert r.json()["status"] == "not_going" and r.json()["meeting_url"] is None
    r = call(client, "post", "/events/klinik/register", user=world.premium)  # no body: going, as before
    assert r.json() == {"status": "going", "meeting_url": "https://zoom.us/j/123", "meeting_passcode": None}
    r = call(client, "post", "/events/klinik/register", {"response": "going"}, user=world.free)
    assert r.json()["status"] == "waitlist"
    bad = call(client, "post", "/events/klinik/register", {"response": "ya"}, user=world.free)
    assert 400 <= bad.status_code < 500
