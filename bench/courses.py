"""The courses part of the bench (issue 12): 200 published courses with 5,000 lessons in 1,000 modules and 20,000
enrolled members (the bench buyers, one enrolment each, three lessons done), so the catalogue, a course page and a
lesson page are measured at that size, and progress writes (`POST /api/v1/courses/{slug}/lessons/{id}/position`)
per second.

Built with `bulk_create` except the courses themselves (through `learning.services.course_create`, so each has
its access resource). Half the courses are public and free (any signed-in user opens them), half are member
courses priced for sale; the measured course is a public one so every bench member may open it. Idempotent."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from sanggar.accounts.models import User, UserRole
from sanggar.core.roles import Role
from sanggar.learning import services
from sanggar.learning.models import Course, Enrollment, Lesson, LessonProgress, Module

COURSES = 200
LESSONS = 5_000
ENROLLED = 20_000
MODULES_PER_COURSE = 5
SLUG_PREFIX = "kursus-bench-"  # the titles' slugs
BATCH = 2_000


def courses_build(*, courses: int = COURSES, lessons: int = LESSONS, enrolled: int = ENROLLED, log) -> None:
    if Course.objects.filter(slug__startswith=SLUG_PREFIX).count() >= courses:
        return
    from .dataset import ADMIN_EMAIL

    admin = User.objects.get(email=ADMIN_EMAIL)
    mentor = User.objects.filter(email__startswith="pembeli").order_by("-pk").first()
    UserRole.objects.get_or_create(user=mentor, role=Role.MENTOR)
    category = services.category_ensure(name="Ekspor Dasar")
    rng = random.Random(12)
    made = []
    for n in range(courses):
        public = n % 2 == 0
        made.append(
            services.course_create(
                actor=admin,
                data={
                    "title": f"Kursus Bench {n:03d}: Ekspor {['Kopi', 'Rempah', 'Furnitur', 'Kerajinan'][n % 4]}",
                    "summary": "Kursus untuk mengukur katalog, halaman kursus dan pemutar.",
                    "description": "<p>" + "Materi ekspor langkah demi langkah. " * 20 + "</p>",
                    "level": ["pemula", "menengah", "ahli"][n % 3],
                    "role_access": "public" if public else "member",
                    "price": None if public else 150_000 + 50_000 * (n % 5),
                    "mentor": mentor.pk,
                    "category": category.pk,
                },
            )
        )
    per_course = max(1, lessons // courses)
    with transaction.atomic():
        modules = Module.objects.bulk_create(
            [Module(course=c, title=f"Modul {m + 1}", position=m) for c in made for m in range(MODULES_PER_COURSE)]
        )
        rows = []
        for i, module in enumerate(modules):
            course_index, m = divmod(i, MODULES_PER_COURSE)
            count = per_course // MODULES_PER_COURSE + (1 if m < per_course % MODULES_PER_COURSE else 0)
            for k in range(count):
                rows.append(
                    Lesson(
                        module=module,
                        course=made[course_index],
                        title=f"Pelajaran {m + 1}.{k + 1}",
                        kind="video" if k == 0 else "text",
                        video_url="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" if k == 0 else "",
                        content="<p>" + "Isi pelajaran tentang dokumen, harga dan pengiriman. " * 30 + "</p>",
                        duration_minutes=8 + k,
                        is_preview=m == 0 and k == 0,
                        position=k,
                    )
                )
        Lesson.objects.bulk_create(rows, batch_size=BATCH)
    log(f"{len(made)} courses, {len(modules):,} modules, {len(rows):,} lessons")

    public = [c for c in made if c.role_access == "public"]
    firsts = {}
    ordered = Lesson.objects.filter(course__in=public).order_by("course_id", "module__position", "position")
    for course_id, lesson_id in ordered.values_list("course_id", "pk"):
        firsts.setdefault(course_id, []).append(lesson_id)
    users = list(
        User.objects.filter(email__startswith="pembeli").order_by("pk").values_list("pk", flat=True)[:enrolled]
    )
    now = timezone.now()
    for start in range(0, len(users), BATCH):
        part = users[start : start + BATCH]
        enrollments, progress = [], []
        for user_id in part:
            course = public[rng.randrange(len(public))]
            lesson_ids = firsts[course.pk]
            done = lesson_ids[:3]
            enrollments.append(
                Enrollment(
                    user_id=user_id,
                    course=course,
                    source="membership",
                    created_at=now - timedelta(days=rng.randrange(1, 90)),
                    progress_percent=int(100 * len(done) / len(lesson_ids)),
                    last_lesson_id=done[-1],
                    last_activity_at=now - timedelta(days=rng.randrange(0, 30)),
                )
            )
            progress.extend(
                LessonProgress(user_id=user_id, lesson_id=lid, course=course, completed_at=now) for lid in done
            )
        with transaction.atomic():
            Enrollment.objects.bulk_create(enrollments, ignore_conflicts=True)
            LessonProgress.objects.bulk_create(progress, ignore_conflicts=True)
    log(f"{len(users):,} members enrolled ({Enrollment.objects.count():,} enrolments, "
        f"{LessonProgress.objects.count():,} lesson progress rows)")  # fmt: skip


def measured() -> dict:
    """The course, lesson and members the targets use: the most-enrolled public bench course, its fourth lesson
    (three are done), and members enrolled in it (JWTs for progress writes, a session for the pages)."""
    from django.db.models import Count

    course = (
        Course.objects.filter(slug__startswith=SLUG_PREFIX, role_access="public")
        .annotate(n=Count("enrollments"))
        .order_by("-n", "pk")
        .first()
    )
    if course is None:
        return {}
    lessons = list(course.lessons.order_by("module__position", "position").values_list("pk", flat=True))
    members = list(User.objects.filter(enrollments__course=course).order_by("pk").values_list("pk", flat=True)[:1500])
    return {"course": course, "lessons": lessons, "members": members}
