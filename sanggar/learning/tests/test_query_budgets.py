"""Every course list (pages and API) and the course and lesson pages run a fixed number of queries: measured with a
little data, then again with three times as much, the count may not grow (and stays under a ceiling)."""

import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanggar.api.testing import call
from sanggar.core.roles import Role
from sanggar.learning import services
from sanggar.learning.models import QuizAttempt

from .world import World, build_course

pytestmark = pytest.mark.django_db

CEILING = 50  # the lesson page (player, outline, discussion, module rating) runs 45


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LEARNING_COMMENT_RATE_LIMIT = "1000/3600"
    settings.LEARNING_COMMENT_IP_RATE_LIMIT = "1000/3600"
    return World(make_user, admin_user)


def _grow(world, make_user, n, start):
    """n more of everything each list shows: public and affiliate courses by the mentor, the member's enrolments,
    certificates, submissions and essay attempts waiting, questions on one lesson, students, module ratings,
    mentor applications."""
    lesson = world.course.lessons.first()
    module = world.course.modules.first()
    for i in range(start, start + n):
        course = build_course(
            world.admin, f"Kursus Anggaran {i}", modules=1, lessons=2, quiz=False, role_access="public",
            mentor=world.mentor.pk,
        )  # fmt: skip
        build_course(world.admin, f"Kursus Affiliate {i}", modules=1, lessons=1, quiz=False, role_access="affiliate")
        services.lesson_complete(user=world.member, lesson=course.lessons.first())
        services.certificate_issue(user=world.member, course=course)
        assignment = services.assignment_save(
            actor=world.admin, module=course.modules.first(), data={"title": f"Tugas {i}", "instructions": "Tulis."}
        )
        services.submission_submit(user=world.member, assignment=assignment, text=f"Jawaban {i}")
        student = make_user(full_name=f"Murid {i}", email=f"murid{i}@example.com")
        services.lesson_complete(user=student, lesson=course.lessons.first())
        question = services.comment_post(user=world.member, lesson=lesson, body=f"Tanya {i}")
        services.comment_post(user=world.mentor, lesson=lesson, body="Jawab", parent=question)
        services.comment_post(user=world.member, lesson=lesson, body=f"Pertanyaan {i}")
        services.module_rating_save(user=world.member if i == start else world.admin, module=module, rating=4)
        services.mentor_apply(user=student, expertise="Ekspor kopi", motivation="Berbagi pengalaman ekspor.")
        essay = services.quiz_save(
            actor=world.admin, module=course.modules.first(), data={"title": f"Kuis Esai {i}", "pass_percent": 50}
        )
        services.question_add(actor=world.admin, quiz=essay, kind="essay", text="Jelaskan FOB.", choices=[])
        attempt = services.quiz_attempt_start(user=world.member, quiz=essay)
        asked = essay.questions.get()
        services.quiz_attempt_submit(
            user=world.member, attempt=attempt, answers=[{"question": asked.pk, "text": "FOB adalah …"}]
        )
    assert QuizAttempt.objects.filter(needs_grading=True).count() >= n


def _shape(sql: str) -> str:
    """A query without its literals (to tell which query a larger page added)."""
    return re.sub(r"'[^']*'|\b\d+\b|s\d+_x\d+", "?", sql)[:300]


def _count(do) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = do()
    assert response.status_code == 200, (response.status_code, response.content[:300])
    return [q["sql"] for q in captured.captured_queries]


def test_every_list_runs_a_fixed_number_of_queries(world, client, make_user):
    from sanggar.accounts.services import role_grant

    lesson = world.course.lessons.first()
    course_slug = world.course.slug
    services.lesson_open(user=world.member, lesson=lesson)
    services.lesson_open(user=world.admin, lesson=lesson)
    role_grant(user=world.member, role=Role.AFFILIATE, actor=world.admin)

    def page(user, name, *args):
        def do():
            client.force_login(user)
            return client.get(reverse(name, args=args))

        return do

    def api(user, path):
        return lambda: call(client, "get", path, user=user)

    checks = {
        "catalogue (visitor)": lambda: (client.logout(), client.get(reverse("learning:catalogue")))[1],
        "catalogue (member)": page(world.member, "learning:catalogue"),
        "course page": page(world.member, "learning:course_detail", course_slug),
        "lesson page": page(world.member, "learning:lesson", course_slug, lesson.pk),
        "kursus saya": page(world.member, "learning:mine"),
        "kursus affiliate": page(world.member, "learning:affiliate"),
        "sertifikat saya": page(world.member, "learning:certificates"),
        "instructor": page(world.member, "learning:instructor", world.mentor.pk),
        "mentor courses": page(world.mentor, "learning:manage"),
        "mentor students": page(world.admin, "learning:students", course_slug),
        "grading": page(world.admin, "learning:grading"),
        "grading essays": lambda: (
            client.force_login(world.admin),
            client.get(reverse("learning:grading") + "?jenis=esai"),
        )[1],  # fmt: skip
        "statistics": page(world.admin, "learning:stats"),
        "review queue": page(world.admin, "learning:admin_review"),
        "mentor applications": page(world.admin, "learning:admin_mentor_applications"),
        "API courses": api(world.member, "/courses"),
        "API course": api(world.member, f"/courses/{course_slug}"),
        "API me/courses": api(world.member, "/me/courses"),
        "API me/certificates": api(world.member, "/me/certificates"),
        "API comments": api(world.member, f"/courses/{course_slug}/lessons/{lesson.pk}/comments"),
        "API mentor/courses": api(world.admin, "/mentor/courses"),
        "API mentor/submissions": api(world.admin, "/mentor/submissions"),
        "API mentor/quiz-attempts": api(world.admin, "/mentor/quiz-attempts"),
    }
    _grow(world, make_user, 2, 0)
    for do in checks.values():
        do()  # warm caches (settings rows, branding) so both rounds count a running server's request
    small = {name: _count(do) for name, do in checks.items()}
    _grow(world, make_user, 6, 2)
    for do in checks.values():
        do()  # saving courses cleared the cached pixel settings: warm again
    large = {name: _count(do) for name, do in checks.items()}
    grew = {
        name: list((Counter(map(_shape, large[name])) - Counter(map(_shape, small[name]))).elements())
        for name in checks
        if len(large[name]) > len(small[name])
    }
    assert grew == {}, grew
    over = {name: len(n) for name, n in large.items() if len(n) > CEILING}
    assert over == {}, over


def test_course_lists_count_lessons_and_students_without_joining_them(world, make_user):
    """Counting lessons and students through two joins multiplied the rows (lessons × enrolments per course: half
    a million rows sorted on disk, 1.4 s per catalogue page at the bench's scale). Each count is a subquery: the
    list's own query groups nothing and joins neither table."""
    from sanggar.learning import selectors

    for qs in (
        selectors.catalogue(user=world.member),
        selectors.editable_courses(user=world.admin),
        selectors.review_queue(),
    ):
        sql = str(qs.query)
        assert "GROUP BY" not in sql.split("(SELECT")[0]
        assert 'JOIN "learning_enrollment"' not in sql and 'JOIN "learning_lesson"' not in sql
    counted = {c.slug: (c.lesson_count, c.student_count) for c in selectors.catalogue(user=world.admin)}
    assert counted[world.course.slug] == (world.course.lessons.count(), world.course.enrollments.count())
