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
    assert Comment.objects.count() == 4  # a lesson question and reply, a course-thread question and reply
    assert Comment.objects.filter(lesson__isnull=True, module__isnull=True).count() == 2
    basics = Course.objects.get(resource__key="dasar-ekspor")
    kinds = set(basics.quizzes.values_list("questions__kind", flat=True))
    assert {"single", "true_false", "short", "fill", "ordering", "matching", "essay"} <= kinds


def test_seed_demo_course_extras(settings, tmp_path):
    """The demo's bonus products, study group, WhatsApp follow-ups and mentor social links (idempotent)."""
    from sanggar.accounts.models import User
    from sanggar.learning import selectors, services

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo")
    call_command("seed_demo")
    basics = Course.objects.get(resource__key="dasar-ekspor")
    extras = selectors.course_extras(basics)
    assert [p.slug for p in extras.bonus_products] == ["ebook-panduan-ekspor-pemula"]
    assert extras.study_group is not None and extras.study_group.name == "Grup Belajar Dasar Ekspor"
    coffee = Course.objects.get(resource__key="ekspor-kopi-spesialti")
    assert [s.delay_days for s in services.course_follow_ups(coffee)] == [0, 3, 7]
    assert set(User.objects.get(email="mentor@sanggar.test").social_links) >= {"instagram", "youtube"}
