"""Lists at a fixed number of queries, curriculum ordering, private attachments, expiry keeping progress, revenue."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sanggar.access.constants import DenyReason
from sanggar.learning import selectors, services
from sanggar.learning.models import AttachmentDownload, Course, LessonProgress, Module
from sanggar.memberships.services import memberships_expire_sweep

from .world import World, build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return World(make_user, admin_user)


def _many_courses(world, n):
    courses = [
        build_course(world.admin, f"Kursus Daftar {i}", modules=1, lessons=2, quiz=False, role_access="public")
        for i in range(n)
    ]
    for course in courses:
        services.lesson_complete(user=world.member, lesson=course.lessons.first())
    return courses


def test_list_pages_run_a_fixed_number_of_queries(world, client, django_assert_max_num_queries):
    _many_courses(world, 3)
    client.force_login(world.member)
    with django_assert_max_num_queries(20) as few:
        assert client.get(reverse("learning:mine")).status_code == 200
    small = len(few.captured_queries)
    more = _many_courses(world, 6)
    with django_assert_max_num_queries(small):  # nine courses cost what three did
        assert client.get(reverse("learning:mine")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("learning:certificates")).status_code == 200
    client.force_login(world.admin)
    for name in ("learning:manage", "learning:stats", "learning:grading", "learning:admin_review"):
        with django_assert_max_num_queries(25):
            assert client.get(reverse(name)).status_code == 200
    lesson = more[0].lessons.first()
    for i in range(8):
        services.comment_post(user=world.admin, lesson=lesson, body=f"Pertanyaan {i}")
    client.force_login(world.admin)
    with django_assert_max_num_queries(40):
        assert client.get(reverse("learning:lesson", args=[more[0].slug, lesson.pk])).status_code == 200


def test_reorder_modules_without_reload(world, client):
    modules = list(world.course.modules.order_by("position"))
    client.force_login(world.admin)  # the course is published: the admin's to change
    url = reverse("learning:reorder", args=[world.course.slug])
    ids = [m.pk for m in reversed(modules)]
    response = client.post(url, json.dumps({"kind": "modules", "ids": ids}), content_type="application/json")
    assert response.status_code == 200
    assert list(Module.objects.filter(course=world.course).order_by("position").values_list("pk", flat=True)) == ids
    other = build_course(world.admin, "Lain", modules=1, lessons=1, quiz=False)
    foreign = [other.modules.get().pk]
    bad = client.post(url, json.dumps({"kind": "modules", "ids": foreign}), content_type="application/json")
    assert bad.status_code == 400
    assert client.post(url, "[", content_type="application/json").status_code == 400
    client.force_login(world.member)
    assert (
        client.post(url, json.dumps({"kind": "modules", "ids": ids}), content_type="application/json").status_code
        == 403
    )


def test_attachment_is_private_and_logged(world, client):
    lesson = world.course.lessons.exclude(is_preview=True).first()
    upload = SimpleUploadedFile("checklist.pdf", b"%PDF-1.4 contoh", content_type="application/pdf")
    item = services.attachment_add(actor=world.admin, lesson=lesson, title="Checklist Dokumen", upload=upload)
    with pytest.raises(services.ServiceError):
        services.attachment_add(actor=world.admin, lesson=lesson, title="x", upload=SimpleUploadedFile("x.exe", b"MZ"))
    url = reverse("learning:attachment", args=[item.pk])
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(world.free)
    assert client.get(url).status_code == 403
    client.force_login(world.member)
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert AttachmentDownload.objects.filter(user=world.member, attachment=item).count() == 1


def test_expired_membership_locks_and_keeps_progress(world):
    lesson = world.course.lessons.first()
    services.lesson_complete(user=world.member, lesson=lesson)
    memberships_expire_sweep(now=timezone.now() + timedelta(days=800))
    decision = services.course_decision(
        user=world.member, course=world.course, now=timezone.now() + timedelta(days=800)
    )
    assert not decision.allowed and decision.reason == DenyReason.MEMBERSHIP_EXPIRED
    assert LessonProgress.objects.filter(user=world.member, lesson=lesson, completed_at__isnull=False).exists()


def test_stats_count_students_completion_and_revenue(world):
    services.lesson_complete(user=world.member, lesson=world.course.lessons.first())
    rows = selectors.course_stats(courses=Course.objects.filter(pk=world.course.pk))
    assert rows[0]["students"] == 1 and rows[0]["revenue"] == 0 and rows[0]["completion_rate"] == 0


def test_statistics_overview_active_popular_revenue_per_instructor_weekly(world, client, django_assert_max_num_queries):
    from sanggar.orders.services import ItemRequest, order_create, order_mark_paid

    services.lesson_complete(user=world.member, lesson=world.course.lessons.first())
    sold = build_course(
        world.admin, "Kursus Dijual", modules=1, lessons=1, quiz=False, role_access="public", price=200_000,
        mentor=world.mentor.pk,
    )  # fmt: skip
    order = order_create(buyer=world.free, items=[ItemRequest("course", sold.slug)], provider="manual")
    order_mark_paid(order=order, actor=world.admin)
    services.lesson_complete(user=world.free, lesson=sold.lessons.first())  # one lesson: the course is complete
    overview = selectors.learning_overview(courses=Course.objects.all())
    assert (overview["students"], overview["active"]) == (2, 2)
    assert overview["completion_rate"] == 50  # one of two enrolments complete
    assert overview["per_instructor"] == [("Mentor Budi", 200_000)]
    assert {c.title for c in overview["popular"]} == {"Dasar Ekspor", "Kursus Dijual"}
    assert len(overview["weeks"]) == 8 and overview["weeks"][-1]["active"] == 2
    assert sum(w["inactive"] for w in overview["weeks"]) >= 0
    mine = selectors.learning_overview(courses=selectors.editable_scope(user=world.mentor))
    assert mine["per_instructor"] == [("Mentor Budi", 200_000)] and mine["students"] == 2
    client.force_login(world.admin)
    with django_assert_max_num_queries(25) as few:
        page = client.get(reverse("learning:stats"))
    assert page.status_code == 200 and 'id="chart-weekly"' in page.content.decode()
    for i in range(4):
        build_course(world.admin, f"Kursus Statistik {i}", modules=1, lessons=1, quiz=False, mentor=world.mentor.pk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("learning:stats")).status_code == 200
