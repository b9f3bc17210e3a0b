import pytest
from django.core.management import call_command

from sanggar.learning.models import Comment, Course, Enrollment, LessonProgress

pytestmark = pytest.mark.django_db


def test_seed_demo_courses_idempotent(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo")
    enrolments = Enrollment.objects.count()
    call_command("seed_demo")
    assert Enrollment.objects.count() == enrolments  # a second run adds nothing
    keys = set(Course.objects.values_list("resource__key", flat=True))
    assert {"dasar-ekspor", "strategi-ekspor", "kelas-buyer"} <= keys
    assert Course.objects.count() == 5
    # the plans' former placeholder resources are the courses' own (plans and grants keep working)
    course = Course.objects.get(resource__key="strategi-ekspor")
    assert course.resource.plans.filter(slug="gold").exists()
    assert course.lessons.count() == 4 and course.quizzes.count() == 1
    # the member's own course, plus the courses their Platinum training tier opens (trainings' demo)
    assert Enrollment.objects.filter(user__email="member@sanggar.test", course=course).count() == 1
    assert LessonProgress.objects.filter(user__email="member@sanggar.test", completed_at__isnull=False).count() == 3
    assert Comment.objects.count() == 2
    basics = Course.objects.get(resource__key="dasar-ekspor")
    kinds = set(basics.quizzes.values_list("questions__kind", flat=True))
    assert {"single", "true_false", "short", "fill", "ordering", "matching", "essay"} <= kinds
