"""Dashboard cards: the tutor's meetings today, the student's next meeting and meetings left."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.classes import services
from sanggar.orders.services import ItemRequest, order_create, order_mark_paid

from .world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings):
    settings.PAYMENT_PROVIDERS = ["manual"]
    return World(make_user, admin_user)


def test_tutor_and_student_cards(world, client):
    client.force_login(world.tutor)
    assert "Tidak ada pertemuan hari ini" in client.get("/dashboard/").content.decode()
    entry = services.approve(actor=world.admin, entry=services.register(user=world.student, template=world.template))
    order = order_create(buyer=world.student, items=[ItemRequest("kelas", str(entry.pk))], provider="manual")
    order_mark_paid(order=order, actor=world.admin)
    client.force_login(world.student)
    assert "Belum ada jadwal berikutnya" in client.get("/dashboard/").content.decode()
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    meeting = services.meeting_schedule(
        actor=world.admin,
        section=world.section,
        starts_at=max(timezone.now() - timedelta(minutes=5), midnight),  # today in WIB, under way
        minutes=60,
        url="https://zoom.us/j/1",
    )
    services.attendance_mark(actor=world.tutor, meeting=meeting, marks={entry.pk: "present"})
    page = client.get("/dashboard/").content.decode()
    when = timezone.localtime(meeting.starts_at)
    assert "Meeting: 1/8 (sisa 7)" in page and "Jadwal berikutnya: " in page and f"{when:%H:%M} WIB" in page
    client.force_login(world.tutor)
    page = client.get("/dashboard/").content.decode()
    assert "Pertemuan kelas live hari ini" in page and f"{when:%H:%M} Semi-Private Grammar A" in page
