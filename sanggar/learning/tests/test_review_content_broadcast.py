"""Issue 14: a new course review tells the course's mentors and the admins; a lesson added to a published course
tells its students once per course per day (bulk, after commit, following their course subscription); every mentor
announcement is recorded and listed on the page it is sent from and in the mentor API."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.core.roles import Role
from sanggar.learning import services
from sanggar.learning.constants import CourseStatus, Notify
from sanggar.learning.models import Course, CourseBroadcast, Enrollment
from sanggar.notifications.models import Notification
from sanggar.notifications.smart_rules import smart_rules_save

from .world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LEARNING_BROADCAST_RATE_LIMIT = "100/3600"
    w = World(make_user, admin_user)
    Course.objects.filter(pk=w.course.pk).update(status=CourseStatus.PUBLISHED)
    w.course.refresh_from_db()
    w.lesson = w.course.lessons.order_by("pk").first()
    services.lesson_open(user=w.member, lesson=w.lesson, now=timezone.now())
    return w


def _enroll(course, users):
    now = timezone.now()
    Enrollment.objects.bulk_create([Enrollment(user=u, course=course, source="admin", created_at=now) for u in users])


def _new_lesson(world, title, *, actor=None, **extra):
    module = world.lesson.module
    return services.lesson_save(
        actor=actor or world.admin,
        module=module,
        data={"title": title, "kind": "text", "content": "<p>x</p>", **extra},
    )


# --- reviews ---


def test_new_review_tells_mentors_and_admins_after_commit(world, make_user, django_capture_on_commit_callbacks):
    co = make_user(Role.MENTOR, full_name="Mentor Pendamping")
    services.course_instructors_set(actor=world.admin, course=world.course, user_ids=[co.pk])
    second_admin = make_user(Role.ADMIN, full_name="Admin Dua")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.review_save(user=world.member, course=world.course, rating=4, body="Materinya praktis")
    assert not Notification.objects.filter(data__template=Notify.REVIEW_POSTED).exists()  # only after commit
    for callback in callbacks:
        callback()
    told = set(Notification.objects.filter(data__template=Notify.REVIEW_POSTED).values_list("user_id", flat=True))
    assert {world.mentor.pk, co.pk, world.admin.pk, second_admin.pk} <= told
    assert world.member.pk not in told
    note = Notification.objects.filter(user=world.mentor, data__template=Notify.REVIEW_POSTED).get()
    assert note.title == "Ulasan baru untuk kursus Dasar Ekspor"
    assert "4/5" in note.message and "Materinya praktis" in note.message and "Member Premium" in note.message
    assert note.link.endswith("#ulasan")
    # the same rating with new words tells nobody again; a changed rating does
    with django_capture_on_commit_callbacks(execute=True):
        services.review_save(user=world.member, course=world.course, rating=4, body="Materinya praktis sekali")
    assert Notification.objects.filter(user=world.mentor, data__template=Notify.REVIEW_POSTED).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.review_save(user=world.member, course=world.course, rating=2, body="Ternyata kurang")
    assert Notification.objects.filter(user=world.mentor, data__template=Notify.REVIEW_POSTED).count() == 2


def test_review_notice_costs_the_same_queries_for_many_admins(world, make_user, django_capture_on_commit_callbacks):
    def cost():
        Notification.objects.filter(data__template=Notify.REVIEW_POSTED).delete()
        world.course.reviews.all().delete()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.review_save(user=world.member, course=world.course, rating=5)
        with CaptureQueriesContext(connection) as ctx:
            for callback in callbacks:
                callback()
        return len(ctx.captured_queries), Notification.objects.filter(data__template=Notify.REVIEW_POSTED).count()

    few, told_few = cost()
    for i in range(8):
        make_user(Role.ADMIN, full_name=f"Admin {i}")
    many, told_many = cost()
    assert told_many == told_few + 8
    assert many <= few


# --- content updates ---


def test_new_lesson_tells_students_once_a_day(world, make_user, django_capture_on_commit_callbacks):
    others = [make_user(full_name=f"Murid {i}") for i in range(3)]
    _enroll(world.course, others)
    with django_capture_on_commit_callbacks(execute=True):
        _new_lesson(world, "Negosiasi Harga FOB")
    told = Notification.objects.filter(data__template=Notify.CONTENT_UPDATED)
    assert set(told.values_list("user_id", flat=True)) == {world.member.pk, *(u.pk for u in others)}
    note = told.get(user=world.member)
    assert note.title == "Materi baru di kursus Dasar Ekspor" and "Negosiasi Harga FOB" in note.message
    assert note.source == services.course_source(world.course)
    with django_capture_on_commit_callbacks(execute=True):
        _new_lesson(world, "Pelajaran kedua hari ini")  # coalesced: the day's notice already went out
    assert Notification.objects.filter(data__template=Notify.CONTENT_UPDATED).count() == 4
    lesson = _new_lesson(world, "Besok")
    tomorrow = timezone.now() + timedelta(days=1)
    assert services.content_update_notify(lesson_id=lesson.pk, now=tomorrow) == 4


def test_content_update_leaves_out_who_unfollowed_the_course(world, django_capture_on_commit_callbacks):
    services.course_notifications_set(user=world.member, course=world.course, subscribed=False)
    with django_capture_on_commit_callbacks(execute=True):
        _new_lesson(world, "Sudah terbit")
    assert not Notification.objects.filter(user=world.member, data__template=Notify.CONTENT_UPDATED).exists()


def test_content_update_rules(world, make_user):
    later = _new_lesson(world, "Dibuka minggu depan", available_on=(timezone.now() + timedelta(days=7)).date())
    assert services.content_update_notify(lesson_id=later.pk) == 0
    Course.objects.filter(pk=world.course.pk).update(status=CourseStatus.DRAFT)
    lesson = _new_lesson(world, "Draf")
    assert services.content_update_notify(lesson_id=lesson.pk) == 0
    Course.objects.filter(pk=world.course.pk).update(status=CourseStatus.PUBLISHED)
    smart_rules_save(actor=world.admin, values={"learning.mentor_update": {"enabled": False, "value": None}})
    assert services.content_update_notify(lesson_id=lesson.pk) == 0
    smart_rules_save(actor=world.admin, values={"learning.mentor_update": {"enabled": True, "value": None}})
    assert services.content_update_notify(lesson_id=lesson.pk, actor_id=world.member.pk) == 0  # nobody else
    assert services.content_update_notify(lesson_id=lesson.pk) == 1


def test_content_update_queries_do_not_grow_with_students(world, make_user):
    lesson = _new_lesson(world, "Materi A")
    _enroll(world.course, [make_user(full_name=f"A{i}") for i in range(2)])

    def cost(day):
        with CaptureQueriesContext(connection) as ctx:
            told = services.content_update_notify(lesson_id=lesson.pk, now=timezone.now() + timedelta(days=day))
        return told, len(ctx.captured_queries)

    told_few, few = cost(1)
    _enroll(world.course, [make_user(full_name=f"B{i}") for i in range(25)])
    told_many, many = cost(2)
    assert (told_few, told_many) == (3, 28)
    assert many <= few


# --- broadcasts ---


def test_broadcasts_are_recorded_and_listed_on_the_page_and_api(world, client, make_user):
    services.course_broadcast(actor=world.mentor, course=world.course, message="Live Kamis 19.00 WIB")
    services.course_broadcast(actor=world.mentor, course=world.course, message="Live Kamis 19.00 WIB")  # double
    row = CourseBroadcast.objects.get()
    assert (row.mentor, row.course, row.message, row.recipients) == (
        world.mentor,
        world.course,
        "Live Kamis 19.00 WIB",
        1,
    )
    for i in range(6):
        services.course_broadcast(actor=world.admin, course=world.course, message=f"Kabar {i}")
    client.force_login(world.mentor)
    url = reverse("learning:students", args=[world.course.slug])
    page = client.get(url)
    html = page.content.decode()
    assert 'id="riwayat-pengumuman"' in html and "Kabar 5" in html and "Live Kamis" not in html
    assert "?pengumuman=2" in html
    older = client.get(url + "?pengumuman=2").content.decode()
    assert "Live Kamis 19.00 WIB" in older and "Mentor Budi" in older
    assert client.get(url + "?pengumuman=abc").status_code == 200

    body = call(client, "get", f"/mentor/courses/{world.course.slug}/broadcasts", user=world.mentor).json()
    assert body["count"] == 7 and body["next_page"] is None
    assert body["results"][0]["message"] == "Kabar 5" and body["results"][0]["sender"] == world.admin.full_name
    assert body["results"][-1] == {**body["results"][-1], "message": "Live Kamis 19.00 WIB", "recipients": 1}
    assert call(client, "get", f"/mentor/courses/{world.course.slug}/broadcasts", user=world.member).status_code in (
        403,
        404,
    )
    stranger = make_user(Role.MENTOR, full_name="Mentor Lain")
    assert call(client, "get", f"/mentor/courses/{world.course.slug}/broadcasts", user=stranger).status_code == 404
    assert (
        call(client, "get", f"/mentor/courses/{world.course.slug}/broadcasts?page=0", user=world.mentor).status_code
        == 422
    )


def test_broadcast_history_page_queries_are_bounded(world, client):
    client.force_login(world.mentor)
    url = reverse("learning:students", args=[world.course.slug])
    services.course_broadcast(actor=world.mentor, course=world.course, message="Satu")
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    few = len(ctx.captured_queries)
    for i in range(12):
        services.course_broadcast(actor=world.admin, course=world.course, message=f"Kabar {i}")
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    assert len(ctx.captured_queries) == few
