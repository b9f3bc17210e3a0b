"""A course's WhatsApp follow-ups, edited by admins on the course (page and API; its mentor reads them): the reminder
builder's follow-up sequence of the course (issue 14, one engine), no longer scheduled by orders."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.catalog.services import FollowUpInput
from sanggar.core.exceptions import NotAllowed
from sanggar.learning import services
from sanggar.notifications.models import Delivery
from sanggar.orders.models import FollowUp
from sanggar.orders.services import ItemRequest, follow_ups_send_due, order_refund

from .world import World, build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PAYMENT_PROVIDERS = ["manual"]
    w = World(make_user, admin_user)
    w.paid = build_course(
        admin_user, "Ekspor Rempah", modules=1, lessons=1, quiz=False, role_access="public", price=300_000
    )
    return w


def test_paid_course_is_followed_up_by_the_reminder_engine_not_orders(world):
    """Issue 14, one engine: the steps are the reminder builder's course sequence (its sending, once per step and
    student, is tested in reminders' `test_course_follow_ups_move.py`); orders schedules nothing for the line."""
    services.course_follow_ups_set(
        actor=world.admin,
        course=world.paid,
        steps=[
            FollowUpInput(delay_days=0, message="Halo {name}, selamat belajar {course}! ({invoice})"),
            FollowUpInput(delay_days=3, message="Sudah sampai modul 2 di {course}?"),
        ],
    )
    assert [(s.delay_days, s.message) for s in services.course_follow_ups(world.paid)] == [
        (0, "Halo {name}, selamat belajar {course}! ({invoice})"),
        (3, "Sudah sampai modul 2 di {course}?"),
    ]
    now = timezone.now()
    order = world.shop.buy_paid(world.free, ItemRequest("course", world.paid.slug), now=now)
    assert not FollowUp.objects.filter(order=order).exists()
    assert follow_ups_send_due(now=now + timedelta(days=4)) == 0
    order_refund(order=order, actor=world.admin, reason="Batal")
    assert not Delivery.objects.filter(user=world.free, channel="whatsapp").exists()


def test_a_course_without_steps_schedules_nothing_and_mentors_cannot_edit(world):
    order = world.shop.buy_paid(world.free, ItemRequest("course", world.paid.slug))
    assert not FollowUp.objects.filter(order=order).exists()
    with pytest.raises(NotAllowed):
        services.course_follow_ups_set(actor=world.mentor, course=world.course, steps=[])


def test_follow_up_page_and_api(world, client):
    url = reverse("learning:follow_ups", args=[world.paid.slug])
    client.force_login(world.admin)
    assert (
        'id="follow-ups-link"'
        in client.get(reverse("learning:edit", args=[world.paid.slug]) + "?tab=harga").content.decode()
    )
    page = client.get(url)
    assert page.status_code == 200 and "{course}" in page.content.decode()
    bad = client.post(url, {"step-count": "1", "step-0-id": "", "step-0-delay_days": "x", "step-0-message": ""})
    assert bad.status_code == 400
    ok = client.post(
        url, {"step-count": "1", "step-0-id": "", "step-0-delay_days": "1", "step-0-message": "Hai {name}"}
    )
    assert ok.status_code == 302
    assert [s.message for s in services.course_follow_ups(world.paid)] == ["Hai {name}"]
    # The course's mentor reads them (page and API) but cannot change them.
    client.force_login(world.mentor)
    assert client.get(reverse("learning:follow_ups", args=[world.course.slug])).status_code == 200
    assert client.post(reverse("learning:follow_ups", args=[world.course.slug]), {"step-count": "0"}).status_code == 404
    assert call(client, "get", f"/mentor/courses/{world.course.slug}/follow-ups", user=world.mentor).json() == {
        "steps": []
    }
    denied = call(client, "put", f"/admin/courses/{world.course.slug}/follow-ups", {"steps": []}, user=world.mentor)
    assert denied.status_code == 403
    saved = call(
        client,
        "put",
        f"/admin/courses/{world.paid.slug}/follow-ups",
        {"steps": [{"delay_days": 2, "message": "Lanjutkan {course} ya"}]},
        user=world.admin,
    )
    assert saved.status_code == 200 and saved.json()["steps"][0]["delay_days"] == 2
    empty = call(
        client,
        "put",
        f"/admin/courses/{world.paid.slug}/follow-ups",
        {"steps": [{"delay_days": 2, "message": "  "}]},
        user=world.admin,
    )
    assert empty.status_code == 400
    assert (
        call(
            client, "put", f"/admin/courses/{world.paid.slug}/follow-ups", {"steps": "x"}, user=world.admin
        ).status_code
        == 422
    )
