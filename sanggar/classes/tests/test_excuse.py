"""Izin told ahead: a student reports an excused absence for an upcoming meeting with a reason; told at least the
program's notice hours before, the tutor's sheet shows it pre-filled and it follows "izin memakai kuota"; told later
(or not at all) an izin mark counts as absen. Fake clock: every service takes `now`."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.classes import services
from sanggar.classes.models import Attendance, ExcuseNotice
from sanggar.core.exceptions import NotFound, ServiceError
from sanggar.orders.services import ItemRequest, order_create, order_mark_paid

from .world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings):
    settings.PAYMENT_PROVIDERS = ["manual"]
    return World(make_user, admin_user, max_students=10, excused_notice_hours=24, excused_consumes=False)


def _active(world, student):
    entry = services.approve(actor=world.admin, entry=services.register(user=student, template=world.template))
    order = order_create(buyer=student, items=[ItemRequest("kelas", str(entry.pk))], provider="manual")
    order_mark_paid(order=order, actor=world.admin)
    entry.refresh_from_db()
    return entry


def _meeting(world, starts_at):
    return services.meeting_schedule(
        actor=world.admin, section=world.section, starts_at=starts_at, minutes=60, url="https://zoom.us/j/1"
    )


def test_in_time_izin_prefills_and_follows_the_switch_late_izin_counts_as_absen(world, make_user):
    early, late, silent = world.student, world.new_student(make_user), world.new_student(make_user)
    entries = {u: _active(world, u) for u in (early, late, silent)}
    now = timezone.now()
    start = now + timedelta(days=2)
    meeting = _meeting(world, start)

    on_time = services.excuse_report(
        user=early, meeting=meeting, reason="Ujian sekolah", now=start - timedelta(hours=24)
    )
    assert on_time.in_time
    too_late = services.excuse_report(
        user=late, meeting=meeting, reason="Sakit", now=start - timedelta(hours=23, minutes=59)
    )
    assert not too_late.in_time
    # again: the reason changes, the first report's time stands
    again = services.excuse_report(
        user=late, meeting=meeting, reason="Sakit demam", now=start - timedelta(days=1, hours=1)
    )
    assert (again.pk, again.reason, again.in_time) == (too_late.pk, "Sakit demam", False)

    marks = {entries[u].pk: "excused" for u in (early, late, silent)}
    services.attendance_mark(actor=world.tutor, meeting=meeting, marks=marks, now=start + timedelta(hours=1))
    rows = {a.enrollment_id: (a.status, a.consumes) for a in Attendance.objects.filter(meeting=meeting)}
    assert rows == {
        entries[early].pk: ("excused", False),  # in time: izin, and this program's izin uses no meeting
        entries[late].pk: ("absent", True),
        entries[silent].pk: ("absent", True),
    }
    assert [services.meetings_used(entries[u]) for u in (early, late, silent)] == [0, 1, 1]

    # the program switched to "izin memakai kuota": an in-time izin now uses a meeting
    world.template.excused_consumes = True
    world.template.save(update_fields=["excused_consumes"])
    second = _meeting(world, start + timedelta(days=1))
    services.excuse_report(user=early, meeting=second, reason="Acara keluarga", now=start)
    services.attendance_mark(
        actor=world.tutor, meeting=second, marks={entries[early].pk: "excused"}, now=start + timedelta(days=2)
    )
    assert Attendance.objects.get(meeting=second).status == "excused" and services.meetings_used(entries[early]) == 1


def test_excuse_is_refused_after_the_start_for_others_and_without_reason(world, make_user):
    entry = _active(world, world.student)
    now = timezone.now()
    meeting = _meeting(world, now + timedelta(days=2))
    with pytest.raises(ServiceError):
        services.excuse_report(user=world.student, meeting=meeting, reason="   ", now=now)
    with pytest.raises(ServiceError):
        services.excuse_report(user=world.student, meeting=meeting, reason="x", now=meeting.starts_at)
    with pytest.raises(NotFound):
        services.excuse_report(user=world.new_student(make_user), meeting=meeting, reason="Sakit", now=now)
    services.attendance_mark(actor=world.tutor, meeting=meeting, marks={entry.pk: "present"}, now=now)
    with pytest.raises(ServiceError):  # already marked
        services.excuse_report(user=world.student, meeting=meeting, reason="Sakit", now=now)
    assert not ExcuseNotice.objects.exists()


def test_student_page_tutor_sheet_admin_monitor_and_api(world, client, make_user, django_assert_max_num_queries):
    entry = _active(world, world.student)
    other = world.new_student(make_user)
    _active(world, other)
    meeting = _meeting(world, timezone.now() + timedelta(days=3))
    client.force_login(world.student)
    card = client.get("/kelas-live/saya").content.decode()
    assert "Laporkan izin" in card and f"/kelas-live/saya/pertemuan/{meeting.pk}/izin" in card
    r = client.post(f"/kelas-live/saya/pertemuan/{meeting.pk}/izin", {"reason": "Ujian sekolah"})
    assert r.status_code == 302
    assert "tepat waktu, dicatat izin" in client.get("/kelas-live/saya").content.decode()
    assert client.post(f"/kelas-live/saya/pertemuan/{meeting.pk}/izin", {"reason": "\x00"}).status_code in (302, 400)
    assert client.post("/kelas-live/saya/pertemuan/999999/izin", {"reason": "x"}).status_code == 404

    client.force_login(world.tutor)
    with django_assert_max_num_queries(20):
        sheet = client.get("/mentor/kelas-live").content.decode()
    assert "Izin: Ujian sekolah" in sheet
    assert f'name="e_{entry.pk}"' in sheet
    block = sheet.split(f'name="e_{entry.pk}"')[1].split("</select>")[0]
    assert '<option value="excused" selected>' in block

    client.force_login(world.admin)
    assert "Izin dilaporkan: 1 tepat waktu, 0 terlambat" in client.get("/admin/kelas-live/kehadiran").content.decode()

    path = f"/me/classes/meetings/{meeting.pk}/excuse"
    assert call(client, "post", path, {"reason": "Sakit"}).status_code == 401
    assert call(client, "post", path, {"reason": ""}, user=other).status_code == 422
    assert call(client, "post", path, {"reason": "Sakit", "x": 1}, user=other).status_code == 422
    assert call(client, "post", path, {"reason": "a\x00b"}, user=other).status_code in (400, 422)
    assert (
        call(client, "post", "/me/classes/meetings/999999/excuse", {"reason": "Sakit"}, user=other).status_code == 404
    )
    r = call(client, "post", path, {"reason": "Sakit"}, user=other)
    assert r.status_code == 200, r.content
    body = r.json()
    assert (
        body["in_time"] and body["counts_as"] == "izin" and body["consumes"] is False and body["meeting"] == meeting.pk
    )
    outsider = world.new_student(make_user)
    assert call(client, "post", path, {"reason": "Sakit"}, user=outsider).status_code == 404
