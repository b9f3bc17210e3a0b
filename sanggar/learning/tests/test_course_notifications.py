"""Per-course notification subscriptions: an enrolled member follows a course's notifications (discussion replies,
mentor updates) until they unfollow (page toggle, API); notifications carry the course as their source, which the
notification centre ("Kelas" filter) and the API filter by."""

import pytest
from django.urls import reverse
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.learning import services
from sanggar.learning.constants import Notify
from sanggar.notifications.models import Notification, Subscription

from .world import World, build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LEARNING_BROADCAST_RATE_LIMIT = "100/3600"
    w = World(make_user, admin_user)
    w.lesson = w.course.lessons.order_by("pk").first()
    services.lesson_open(user=w.member, lesson=w.lesson, now=timezone.now())
    return w


def _reply(world, text="Jawaban mentor"):
    question = services.comment_post(user=world.member, lesson=world.lesson, body="Pertanyaan saya")
    services.comment_post(user=world.mentor, lesson=world.lesson, parent=question, body=text)


def test_unfollowing_stops_replies_and_mentor_updates(world, client):
    source = services.course_source(world.course)
    _reply(world)
    note = Notification.objects.get(user=world.member, data__template=Notify.REPLY)
    assert note.source == source
    client.force_login(world.member)
    detail = client.get(reverse("learning:course_detail", args=[world.course.slug])).content.decode()
    assert 'id="course-follow" data-following="1"' in detail
    response = client.post(reverse("learning:notifications_toggle", args=[world.course.slug]), {"subscribed": "0"})
    assert response.status_code == 302
    detail = client.get(reverse("learning:course_detail", args=[world.course.slug])).content.decode()
    assert 'data-following="0"' in detail
    _reply(world, "Balasan kedua")
    services.course_broadcast(actor=world.mentor, course=world.course, message="Live Kamis 19.00 WIB")
    assert Notification.objects.filter(user=world.member, source=source).count() == 1  # nothing new
    assert call(client, "get", f"/courses/{world.course.slug}/subscription", user=world.member).json() == {
        "subscribed": False,
        "source": source,
    }
    on = call(client, "put", f"/courses/{world.course.slug}/subscription", {"subscribed": True}, user=world.member)
    assert on.status_code == 200 and on.json()["subscribed"] is True
    services.course_broadcast(actor=world.mentor, course=world.course, message="Materi baru terbit")
    assert Notification.objects.filter(user=world.member, data__template=Notify.BROADCAST).count() == 1


def test_only_learners_and_authors_choose(world, client):
    outsider = world.free
    assert call(client, "get", f"/courses/{world.course.slug}/subscription", user=outsider).status_code == 403
    assert (
        call(
            client, "put", f"/courses/{world.course.slug}/subscription", {"subscribed": "x"}, user=world.member
        ).status_code
        == 422
    )
    client.force_login(outsider)
    client.post(reverse("learning:notifications_toggle", args=[world.course.slug]), {"subscribed": "0"})
    assert not Subscription.objects.filter(user=outsider).exists()
    assert call(client, "get", f"/courses/{world.course.slug}/subscription", user=world.mentor).json()["subscribed"]


def test_notification_centre_filters_by_course(world, client):
    other = build_course(world.admin, "Riset Pasar", modules=1, lessons=1, quiz=False, role_access="public")
    other_lesson = other.lessons.get()
    services.lesson_open(user=world.member, lesson=other_lesson)
    _reply(world)
    question = services.comment_post(user=world.member, lesson=other_lesson, body="Tanya")
    services.comment_post(user=world.admin, lesson=other_lesson, parent=question, body="Jawab")
    client.force_login(world.member)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "data-source-filter" in page and "Semua Kelas" in page and ">Riset Pasar<" in page
    source = services.course_source(other)
    filtered = client.get(reverse("notifications:list"), {"sumber": source}).content.decode()
    assert filtered.count('data-notification="') == 1
    assert Notification.objects.filter(user=world.member, source=source).count() == 1
    body = call(client, "get", "/notifications", {"source": source}, user=world.member).json()
    assert body["count"] == 1 and body["results"][0]["source"] == source
    assert call(client, "get", "/notifications", {"source": "bogus:1"}, user=world.member).json()["count"] >= 2
