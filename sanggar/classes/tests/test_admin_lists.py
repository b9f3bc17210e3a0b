"""Admin enrolments list and attendance monitor: filters, pagination with a bounded query count, CSV, actions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.classes import services
from sanggar.classes.constants import EnrollmentStatus
from sanggar.classes.models import Enrollment
from sanggar.orders.services import ItemRequest, order_create, order_mark_paid

from .world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings):
    settings.PAYMENT_PROVIDERS = ["manual"]
    return World(make_user, admin_user, max_students=30)


def _csv(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_enrolments_list_filters_pages_csv_and_actions(world, client, make_user, django_assert_max_num_queries):
    entries = []
    for _ in range(25):
        e = services.register(user=world.new_student(make_user), template=world.template)
        entries.append(services.approve(actor=world.admin, entry=e, section=world.section))
    paid = entries[0]
    order_mark_paid(
        order=order_create(buyer=paid.student, items=[ItemRequest("kelas", str(paid.pk))], provider="manual"),
        actor=world.admin,
    )
    client.force_login(world.admin)
    with django_assert_max_num_queries(14):
        page = client.get("/admin/kelas-live/pendaftaran")
    assert page.status_code == 200 and "Menampilkan 1–20 dari 25" in page.content.decode()
    with django_assert_max_num_queries(14):
        assert client.get("/admin/kelas-live/pendaftaran?page=2").status_code == 200
    active = client.get("/admin/kelas-live/pendaftaran", {"status": "active"}).content.decode()
    assert "Siswa 1" in active and "Siswa 2 " not in active and "Meeting: 0/8" in active
    found = client.get("/admin/kelas-live/pendaftaran", {"q": "siswa7@"}).content.decode()
    assert "siswa7@example.com" in found and "siswa8@example.com" not in found
    hostile = client.get("/admin/kelas-live/pendaftaran", {"q": "a" * 5000, "status": "x" * 99, "program": "<b>"})
    assert hostile.status_code == 200 and "Tidak ada pendaftaran yang cocok" in hostile.content.decode()
    assert client.get("/admin/kelas-live/pendaftaran", {"q": "a\x00"}).status_code == 400
    csv = _csv(client.get("/admin/kelas-live/pendaftaran", {"status": "active", "format": "csv"}))
    lines = csv.strip().splitlines()
    assert lines[0].startswith("id,siswa,email") and len(lines) == 2 and "Siswa 1" in lines[1]

    client.post("/admin/kelas-live/pendaftaran", {"entry": paid.pk, "action": "suspend"})
    assert Enrollment.objects.get(pk=paid.pk).status == EnrollmentStatus.SUSPENDED
    client.post("/admin/kelas-live/pendaftaran", {"entry": paid.pk, "action": "resume"})
    assert Enrollment.objects.get(pk=paid.pk).status == EnrollmentStatus.ACTIVE
    client.post("/admin/kelas-live/pendaftaran", {"entry": entries[1].pk, "action": "cancel", "reason": "Permintaan"})
    assert Enrollment.objects.get(pk=entries[1].pk).status == EnrollmentStatus.CANCELLED
    r = client.post("/admin/kelas-live/pendaftaran", {"entry": entries[1].pk, "action": "suspend"}, follow=True)
    assert "Hanya kelas aktif" in r.content.decode()
    client.force_login(world.student)
    assert client.get("/admin/kelas-live/pendaftaran").status_code in (302, 403)


def test_attendance_monitor_counts_pages_and_csv(world, client, django_assert_max_num_queries):
    e = services.approve(actor=world.admin, entry=services.register(user=world.student, template=world.template))
    order_mark_paid(
        order=order_create(buyer=world.student, items=[ItemRequest("kelas", str(e.pk))], provider="manual"),
        actor=world.admin,
    )
    start = timezone.now() - timedelta(days=30)
    meetings = [
        services.meeting_schedule(
            actor=world.admin,
            section=world.section,
            starts_at=start + timedelta(days=n),
            minutes=60,
            url="https://zoom.us/j/1",
        )
        for n in range(25)
    ]
    told = meetings[-1].starts_at - timedelta(days=2)  # days ahead: the izin mark stands
    services.excuse_report(user=e.student, meeting=meetings[-1], reason="Sakit", now=told)
    services.attendance_mark(actor=world.tutor, meeting=meetings[-1], marks={e.pk: "excused"})
    client.force_login(world.admin)
    with django_assert_max_num_queries(12):
        page = client.get("/admin/kelas-live/kehadiran").content.decode()
    assert "Hadir 0 · Izin 1 · Absen 0 · siswa aktif 1" in page and "dari 25" in page
    with django_assert_max_num_queries(12):
        assert client.get("/admin/kelas-live/kehadiran", {"page": "2"}).status_code == 200
    day = timezone.localtime(meetings[-1].starts_at).date().isoformat()
    one = client.get("/admin/kelas-live/kehadiran", {"dari": day, "sampai": day}).content.decode()
    assert "dari 1" in one or one.count("data-meeting=") == 1
    assert client.get("/admin/kelas-live/kehadiran", {"dari": "kemarin", "program": "x" * 500}).status_code == 200
    assert client.get("/admin/kelas-live/kehadiran", {"dari": "\x00"}).status_code == 400
    csv = _csv(client.get("/admin/kelas-live/kehadiran", {"format": "csv", "dari": day, "sampai": day}))
    lines = csv.strip().splitlines()
    assert len(lines) == 2 and lines[1].endswith(",1,0,1,0")


def test_admin_enrolments_api_filters_and_is_bounded(world, client, make_user, django_assert_max_num_queries):
    for _ in range(25):
        e = services.register(user=world.new_student(make_user), template=world.template)
        services.approve(actor=world.admin, entry=e, section=world.section)
    assert call(client, "get", "/admin/classes/enrollments", user=world.student).status_code == 403
    with django_assert_max_num_queries(8):
        body = call(client, "get", "/admin/classes/enrollments", user=world.admin).json()
    assert body["count"] == 25 and body["next_page"] == 2 and len(body["results"]) == 20
    row = body["results"][0]
    assert row["status"] == "approved" and row["section"] == "A" and row["pay_before"] is not None
    found = call(client, "get", "/admin/classes/enrollments", {"q": "siswa7@"}, user=world.admin).json()
    assert [r["email"] for r in found["results"]] == ["siswa7@example.com"]
    none = call(client, "get", "/admin/classes/enrollments", {"status": "active"}, user=world.admin).json()
    assert none["count"] == 0
    assert call(client, "get", "/admin/classes/enrollments", {"status": "x"}, user=world.admin).status_code == 422
    assert call(client, "get", "/admin/classes/enrollments", {"q": "a" * 101}, user=world.admin).status_code == 422
