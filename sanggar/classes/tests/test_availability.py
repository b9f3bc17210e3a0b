"""Tutor weekly availability: slots set by the tutor (page and API), meetings and section assignment only inside
them and never double-booked, the admin sees each tutor's availability when assigning."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.classes import services
from sanggar.classes.models import TutorAvailability
from sanggar.core.exceptions import NotAllowed, ServiceError

from .world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings):
    settings.PAYMENT_PROVIDERS = ["manual"]
    return World(make_user, admin_user)


def _next(weekday: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def test_slots_are_validated_and_limited(world, make_user, settings):
    add = services.availability_add
    slot = add(actor=world.tutor, tutor=world.tutor, weekday=0, start=time(18), end=time(21))
    with pytest.raises(ServiceError, match="bertabrakan"):
        add(actor=world.tutor, tutor=world.tutor, weekday=0, start=time(20), end=time(22))
    with pytest.raises(ServiceError, match="setelah jam mulai"):
        add(actor=world.tutor, tutor=world.tutor, weekday=1, start=time(20), end=time(19))
    with pytest.raises(ServiceError, match="Senin sampai Minggu"):
        add(actor=world.tutor, tutor=world.tutor, weekday=7, start=time(8), end=time(9))
    with pytest.raises(NotAllowed):
        add(actor=world.student, tutor=world.tutor, weekday=1, start=time(8), end=time(9))
    with pytest.raises(ServiceError, match="peran Mentor"):
        add(actor=world.admin, tutor=world.student, weekday=1, start=time(8), end=time(9))
    settings.CLASSES_MAX_AVAILABILITY_SLOTS = 2
    add(actor=world.admin, tutor=world.tutor, weekday=1, start=time(8), end=time(9))
    with pytest.raises(ServiceError, match="Paling banyak 2 slot"):
        add(actor=world.tutor, tutor=world.tutor, weekday=2, start=time(8), end=time(9))
    services.availability_remove(actor=world.tutor, slot=slot)
    assert TutorAvailability.objects.filter(tutor=world.tutor).count() == 1


def test_scheduling_and_assignment_respect_availability(world, make_user):
    services.availability_add(actor=world.tutor, tutor=world.tutor, weekday=0, start=time(18), end=time(21))
    monday = _next(0, 19)
    with pytest.raises(ServiceError, match="tidak tersedia"):
        services.meeting_schedule(
            actor=world.admin, section=world.section, starts_at=_next(1, 19), minutes=60, url="https://zoom.us/j/1"
        )
    with pytest.raises(ServiceError, match="tidak tersedia"):  # runs past the slot's end
        services.meeting_schedule(
            actor=world.admin, section=world.section, starts_at=monday, minutes=150, url="https://zoom.us/j/1"
        )
    services.meeting_schedule(
        actor=world.admin, section=world.section, starts_at=monday, minutes=90, url="https://zoom.us/j/1"
    )
    # a second section of the same tutor cannot take the same hour (double booking)
    other = services.section_create(actor=world.admin, template=world.template)
    services.meeting_schedule(
        actor=world.admin, section=other, starts_at=monday, minutes=60, url="https://zoom.us/j/2"
    )  # no tutor yet: allowed
    with pytest.raises(ServiceError, match="sudah punya jadwal"):
        services.section_assign_tutor(actor=world.admin, section=other, tutor=world.tutor)
    second = make_user("mentor", full_name="Bu Rina", email="rina@example.com")
    services.availability_add(actor=second, tutor=second, weekday=2, start=time(8), end=time(12))
    with pytest.raises(ServiceError, match="Bu Rina tidak tersedia"):
        services.section_assign_tutor(actor=world.admin, section=other, tutor=second)
    services.availability_add(actor=second, tutor=second, weekday=0, start=time(18), end=time(22))
    assert services.section_assign_tutor(actor=world.admin, section=other, tutor=second).tutor == second


def test_availability_page_api_and_admin_view(world, client):
    client.force_login(world.tutor)
    assert "Belum ada slot" in client.get("/mentor/kelas-live/ketersediaan").content.decode()
    client.post("/mentor/kelas-live/ketersediaan", {"action": "add", "weekday": "2", "start": "18:00", "end": "21:00"})
    r = client.post(
        "/mentor/kelas-live/ketersediaan", {"action": "add", "weekday": "2", "start": "20:00", "end": "22:00"}
    )
    page = client.get(r.url).content.decode()
    assert "Rabu 18:00-21:00 WIB" in page and "bertabrakan" in page
    bad = client.post("/mentor/kelas-live/ketersediaan", {"action": "add", "weekday": "x", "start": "zz"}, follow=True)
    assert "Isi jam mulai dan jam selesai" in bad.content.decode()
    assert client.post("/mentor/kelas-live/ketersediaan", {"weekday": "\x00"}).status_code == 400
    client.force_login(world.student)
    assert client.get("/mentor/kelas-live/ketersediaan").status_code in (302, 403)
    client.force_login(world.admin)
    admin_page = client.get(f"/admin/kelas-live/program/{world.template.slug}").content.decode()
    assert "Ketersediaan tutor" in admin_page and "Dr. Ahmad</span>: Rabu 18:00-21:00" in admin_page

    assert call(client, "get", "/tutor/availability", user=world.student).status_code == 403
    r = call(
        client,
        "post",
        "/tutor/availability",
        {"weekday": 4, "start_time": "09:00", "end_time": "11:00"},
        user=world.tutor,
    )
    assert r.status_code == 201 and r.json()["day"] == "Jumat"
    clash = call(
        client,
        "post",
        "/tutor/availability",
        {"weekday": 4, "start_time": "10:00", "end_time": "12:00"},
        user=world.tutor,
    )
    assert clash.status_code in (400, 409) and "bertabrakan" in clash.json()["message"]
    assert (
        call(client, "post", "/tutor/availability", {"weekday": 9, "start_time": "x"}, user=world.tutor).status_code
        == 422
    )
    rows = call(client, "get", "/tutor/availability", user=world.tutor).json()
    assert [row["day"] for row in rows] == ["Rabu", "Jumat"]
    assert call(client, "delete", f"/tutor/availability/{r.json()['id']}", user=world.tutor).status_code == 204
    assert call(client, "delete", f"/tutor/availability/{r.json()['id']}", user=world.tutor).status_code == 404
