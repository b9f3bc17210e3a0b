"""The bench's course data and targets work at a small size: courses through the services, lessons and enrolments
in bulk, and each course target answers in-process (the bench runs them at 200 / 5,000 / 20,000)."""

import pytest

from bench import courses, targets
from bench.dataset import ADMIN_EMAIL
from sanggar.core.roles import Role
from sanggar.learning.models import Enrollment, Lesson

pytestmark = pytest.mark.django_db


def test_course_bench_builds_and_every_course_target_answers(make_user):
    make_user(Role.ADMIN, email=ADMIN_EMAIL)
    for n in range(30):
        make_user(email=f"pembeli{n}@bench.test")
    courses.courses_build(courses=4, lessons=40, enrolled=30, log=lambda m: None)
    courses.courses_build(courses=4, lessons=40, enrolled=30, log=lambda m: None)  # idempotent
    assert (Lesson.objects.count(), Enrollment.objects.count()) == (40, 30)
    context = targets.Context(admin_cookie="", tokens=[], callback_token="", webhooks=[], **targets._course_pages())
    assert context.course_slug and context.learner_tokens
    counts = {
        t.key: targets.queries_per_request(t, context) for t in targets.TARGETS if t.key in targets.COURSE_TARGETS
    }
    print(counts)
    assert set(counts) == set(targets.COURSE_TARGETS) and all(0 < n <= 50 for n in counts.values()), counts
