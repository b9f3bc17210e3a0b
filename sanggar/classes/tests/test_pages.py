"""The Kelas Live pages: a student registers, the admin approves, the student pays, the tutor marks attendance."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.classes import services
from sanggar.classes.constants import EnrollmentStatus
from sanggar.classes.models import Enrollment
from sanggar.orders.models import Order
from sanggar.orders.services import order_mark_paid

from .world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings):
    settings.PAYMENT_PROVIDERS = ["manual"]
    return World(make_user, admin_user, max_students=10)


def test_register_approve_pay_and_attendance_through_the_pages(world, client):
    client.force_login(world.student)
    page = client.get("/kelas-live")
    assert page.status_code == 200 and "Semi-Private Grammar" in page.content.decode()
    assert "0/10 siswa" in page.content.decode()
    r = client.post(f"/kelas-live/{world.template.slug}/daftar")
    assert r.status_code == 302
    entry = Enrollment.objects.get(student=world.student)
    assert "Menunggu review admin" in client.get("/kelas-live/saya").content.decode()
    assert client.get("/admin/kelas-live/daftar-tunggu").status_code in (302, 403)

    client.force_login(world.admin)
    waiting = client.get("/admin/kelas-live/daftar-tunggu").content.decode()
    assert "Siti Rahma" in waiting and "Section A: 0/10 siswa" in waiting
    client.post(f"/admin/kelas-live/daftar-tunggu/{entry.pk}", {"section": str(world.section.pk), "action": "approve"})
    entry.refresh_from_db()
    assert entry.status == EnrollmentStatus.APPROVED

    client.force_login(world.student)
    assert "Bayar Sekarang" in client.get("/kelas-live/saya").content.decode()
    r = client.post(f"/kelas-live/saya/{entry.pk}/bayar", {"provider": "manual"})
    assert r.status_code == 302 and "/invoice/" in r.url
    order_mark_paid(order=Order.objects.get(buyer=world.student), actor=world.admin)
    meeting = services.meeting_schedule(
        actor=world.admin,
        section=world.section,
        starts_at=timezone.now() - timedelta(minutes=5),
        minutes=60,
        url="https://meet.google.com/abc-defg-hij",
    )
    client.force_login(world.tutor)
    assert "Siti Rahma" in client.get("/mentor/kelas-live").content.decode()
    client.post(f"/mentor/kelas-live/pertemuan/{meeting.pk}/kehadiran", {f"e_{entry.pk}": "present"})
    client.force_login(world.student)
    card = client.get("/kelas-live/saya").content.decode()
    assert "Meeting: 1/8 (sisa 7)" in card and "Gabung Kelas" in card


def test_hostile_input_on_pages(world, client, make_user):
    entry = services.register(user=world.student, template=world.template)
    client.force_login(world.admin)
    r = client.post(
        f"/admin/kelas-live/daftar-tunggu/{entry.pk}", {"action": "reject", "reason": "a\x00b"}, follow=True
    )
    assert r.status_code == 400  # the house's guard refuses NUL characters before the view
    entry.refresh_from_db()
    assert entry.status == EnrollmentStatus.WAITING
    r = client.post(f"/admin/kelas-live/daftar-tunggu/{entry.pk}", {"action": "reject", "reason": ""}, follow=True)
    assert "wajib diisi" in r.content.decode()
    other = make_user(full_name="Orang Lain", email="lain@example.com")
    client.force_login(other)
    assert client.post(f"/kelas-live/saya/{entry.pk}/bayar", {"provider": "manual"}).status_code == 404
    r = client.post("/mentor/kelas-live/pertemuan/1/kehadiran", {"e_1": "present"})
    assert r.status_code in (302, 403)


def test_waiting_list_page_is_bounded(world, client, make_user, django_assert_max_num_queries):
    for n in range(30):
        t = services.template_create(actor=world.admin, data={"name": f"Program {n}", "subject": "Umum", "price": 1000})
        services.section_create(actor=world.admin, template=t)
        services.register(user=world.new_student(make_user), template=t)
    client.force_login(world.admin)
    with django_assert_max_num_queries(25):
        assert client.get("/admin/kelas-live/daftar-tunggu").status_code == 200
    client.force_login(world.student)
    with django_assert_max_num_queries(25):
        assert client.get("/kelas-live").status_code == 200
