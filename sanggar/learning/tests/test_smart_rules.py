"""Smart rules of courses (PRD v7.3 part 10), with a fake clock: inactive N days → one reminder per idle stretch;
more than N comments → "Diskusi Aktif" once per course (badge and notification follow the setting); a mentor update →
students (off: refused; the same update twice a day: once); a new comment in a thread → the popup "Ada komentar baru
di kelasmu!" to the others in it; the course page's "Ikuti notifikasi" / "Berhenti mengikuti" and the generic API."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.core.exceptions import ServiceError
from sanggar.learning import selectors, services
from sanggar.learning.constants import Notify
from sanggar.notifications.models import Notification, SmartRuleFiring
from sanggar.notifications.smart_rules import smart_rules_save

from .world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LEARNING_COMMENT_RATE_LIMIT = "1000/3600"
    settings.LEARNING_BROADCAST_RATE_LIMIT = "100/3600"
    w = World(make_user, admin_user)
    w.lesson = w.course.lessons.order_by("pk").first()
    return w


def _set(world, key, *, enabled=True, value=None):
    smart_rules_save(actor=world.admin, values={key: {"enabled": enabled, "value": value}})


def test_inactive_three_days_reminds_once_per_idle_stretch(world):
    _set(world, "learning.inactive", value=3)  # the spec's "3 hari" (the default is PRODUCT.md's 7)
    t0 = timezone.now() - timedelta(days=10)
    services.lesson_open(user=world.member, lesson=world.lesson, now=t0)
    assert services.study_reminders_sweep(now=t0 + timedelta(days=2, hours=23)) == 0  # not yet 3 days
    assert services.study_reminders_sweep(now=t0 + timedelta(days=3, hours=1)) == 1
    assert services.study_reminders_sweep(now=t0 + timedelta(days=4)) == 0  # once
    assert SmartRuleFiring.objects.filter(rule="learning.inactive").count() == 1
    services.lesson_open(user=world.member, lesson=world.lesson, now=t0 + timedelta(days=5))  # a new stretch
    assert services.study_reminders_sweep(now=t0 + timedelta(days=7)) == 0
    assert services.study_reminders_sweep(now=t0 + timedelta(days=8, hours=1)) == 1
    assert Notification.objects.filter(user=world.member, data__template=Notify.REMINDER).count() == 2


def test_inactive_setting_changes_behaviour(world):
    t0 = timezone.now() - timedelta(days=10)
    services.lesson_open(user=world.member, lesson=world.lesson, now=t0)
    _set(world, "learning.inactive", enabled=False, value=3)
    assert services.study_reminders_sweep(now=t0 + timedelta(days=4)) == 0  # off
    _set(world, "learning.inactive", value=5)
    assert services.study_reminders_sweep(now=t0 + timedelta(days=4)) == 0  # 4 < 5 days
    assert services.study_reminders_sweep(now=t0 + timedelta(days=5, hours=1)) == 1


def _comments(world, n, user=None):
    return [services.comment_post(user=user or world.member, lesson=world.lesson, body=f"Tanya {i}") for i in range(n)]


def test_active_discussion_fires_once_per_course_past_the_threshold(world):
    _set(world, "learning.active_discussion", value=3)
    services.lesson_open(user=world.member, lesson=world.lesson)
    _comments(world, 3)
    assert not Notification.objects.filter(data__template=Notify.ACTIVE_DISCUSSION).exists()
    assert selectors.active_discussion_ids([world.course.pk]) == set()
    _comments(world, 1)  # 4 > 3
    told = Notification.objects.filter(data__template=Notify.ACTIVE_DISCUSSION)
    assert set(told.values_list("user_id", flat=True)) == {world.member.pk, world.mentor.pk}
    assert told.first().title == "Kelas Dasar Ekspor kini Diskusi Aktif" and told.first().popup_pending
    assert selectors.active_discussion_ids([world.course.pk]) == {world.course.pk}
    _comments(world, 3)
    assert told.count() == 2  # once per course


def test_active_discussion_off_means_no_badge_and_no_notification(world, client):
    _set(world, "learning.active_discussion", enabled=False, value=1)
    _comments(world, 3)
    assert selectors.active_discussion_ids([world.course.pk]) == set()
    assert not Notification.objects.filter(data__template=Notify.ACTIVE_DISCUSSION).exists()
    client.force_login(world.member)
    assert "data-active-discussion" not in client.get(reverse("learning:catalogue")).content.decode()
    _set(world, "learning.active_discussion", enabled=True, value=1)
    assert "data-active-discussion" in client.get(reverse("learning:catalogue")).content.decode()


def test_mentor_update_reaches_students_once_and_the_switch_holds(world):
    services.lesson_open(user=world.member, lesson=world.lesson)
    assert services.course_broadcast(actor=world.mentor, course=world.course, message="Live Kamis 19.00") == 1
    assert services.course_broadcast(actor=world.mentor, course=world.course, message="Live Kamis 19.00") == 0
    assert services.course_broadcast(actor=world.mentor, course=world.course, message="Materi baru") == 1
    assert Notification.objects.filter(user=world.member, data__template=Notify.BROADCAST).count() == 2
    _set(world, "learning.mentor_update", enabled=False)
    with pytest.raises(ServiceError):
        services.course_broadcast(actor=world.mentor, course=world.course, message="Lagi")
    assert Notification.objects.filter(user=world.member, data__template=Notify.BROADCAST).count() == 2


def test_thread_notices_are_popups(world):
    services.lesson_open(user=world.member, lesson=world.lesson)
    question = services.comment_post(user=world.member, lesson=world.lesson, body="Pertanyaan")
    services.comment_post(user=world.admin, lesson=world.lesson, parent=question, body="Jawaban admin")
    services.comment_post(user=world.mentor, lesson=world.lesson, parent=question, body="Tambahan mentor")
    popups = Notification.objects.filter(data__template=Notify.THREAD).order_by("id")
    # the mentor hears of the admin's reply, the admin (earlier in the thread) of the mentor's; the asker got replies
    assert list(popups.values_list("user_id", "title")) == [
        (world.mentor.pk, "Ada komentar baru di kelasmu!"),
        (world.admin.pk, "Ada komentar baru di kelasmu!"),
    ]
    assert all(p.popup_pending for p in popups)


def test_course_page_and_generic_api_follow(world, client):
    services.lesson_open(user=world.member, lesson=world.lesson)
    source = services.course_source(world.course)
    client.force_login(world.member)
    page = client.get(reverse("learning:course_detail", args=[world.course.slug])).content.decode()
    assert "Berhenti mengikuti" in page
    client.post(reverse("learning:notifications_toggle", args=[world.course.slug]), {"subscribed": "0"})
    assert (
        "Ikuti notifikasi" in client.get(reverse("learning:course_detail", args=[world.course.slug])).content.decode()
    )
    got = call(client, "get", "/notifications/subscription", {"source": source}, user=world.member)
    assert got.json() == {"source": source, "subscribed": False}
    put = call(client, "put", "/notifications/subscription", {"source": source, "subscribed": True}, user=world.member)
    assert put.status_code == 200 and put.json()["subscribed"] is True
    assert call(client, "get", "/notifications/subscription", {"source": source}, user=world.free).status_code == 403
