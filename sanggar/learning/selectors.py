"""Reads of the learning app for pages and the API: the visible catalogue, a course's outline with the caller's
lock state per lesson, my courses with progress and resume target, queues and statistics. Every list runs a fixed
number of queries."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Avg, CharField, Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Cast, Coalesce, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanggar.access.constants import ResourceKind
from sanggar.access.models import Resource
from sanggar.access.policy import AccessDecision, access_decisions
from sanggar.accounts.selectors import social_links
from sanggar.catalog.models import Product
from sanggar.core.roles import Role
from sanggar.notifications.selectors import is_subscribed
from sanggar.notifications.smart_rules import rule_state
from sanggar.orders.constants import ItemKind, OrderStatus
from sanggar.orders.models import OrderItem

from . import hooks
from .constants import CourseStatus, RoleAccess, Rule, SubmissionStatus
from .models import (
    Assignment,
    Certificate,
    Comment,
    Course,
    CourseBroadcast,
    Enrollment,
    Lesson,
    LessonProgress,
    Module,
    ModuleRating,
    Quiz,
    QuizAttempt,
    Review,
    Submission,
)
from .policy import via_membership  # noqa: F401  (re-exported for views)
from .services import can_edit, course_source, is_admin, lesson_available_at


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def catalogue(*, user, q: str = "", category: str = "", level: str = "") -> QuerySet[Course]:
    """Published courses the caller may see listed: visitors see those marked public (never affiliate ones);
    signed-in users also see internal ones; affiliates (and admins) also see affiliate courses."""
    qs = Course.objects.filter(status=CourseStatus.PUBLISHED).select_related("resource", "category", "mentor")
    if not _signed_in(user):
        qs = qs.filter(is_public=True).exclude(role_access=RoleAccess.AFFILIATE)
    elif not (user.has_role(Role.AFFILIATE) or user.has_role(Role.ADMIN)):
        qs = qs.exclude(role_access=RoleAccess.AFFILIATE)
    q = (q or "").replace("\x00", "").strip()[:100]
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    if category:
        qs = qs.filter(category__slug=category[:120])
    if level:
        qs = qs.filter(level=level[:10])
    return with_counts(qs).order_by("-published_at", "id")


def _count_per_course(model):
    """The number of `model` rows of each course, as a correlated subquery served by the course_id index."""
    rows = model.objects.filter(course=OuterRef("pk")).order_by().values("course").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows[:1], output_field=IntegerField()), 0)


def with_counts(qs: QuerySet[Course]) -> QuerySet[Course]:
    """Lessons and students of each course. Two counts over joins (Count("lessons") and Count("enrollments")) made
    PostgreSQL build every lesson × enrolment pair and group them: at 200 courses, 5,000 lessons and 20,000
    enrolments half a million rows sorted on disk, 1.4 s for one catalogue page. Each count is its own subquery."""
    return qs.annotate(lesson_count=_count_per_course(Lesson), student_count=_count_per_course(Enrollment))


def active_discussion_ids(course_ids, *, now=None) -> set[int]:
    """The courses among `course_ids` whose lessons got more than the smart rule's threshold (default 10) of visible
    comments in the last LEARNING_ACTIVE_DISCUSSION_DAYS days: they show the "Diskusi Aktif" badge (none while the
    rule is off). One query."""
    ids = list(course_ids)
    rule = rule_state(Rule.ACTIVE_DISCUSSION)
    if not ids or not rule.enabled:
        return set()
    since = (now or timezone.now()) - timedelta(days=settings.LEARNING_ACTIVE_DISCUSSION_DAYS)
    return set(
        Comment.objects.filter(course_id__in=ids, is_hidden=False, created_at__gte=since)
        .values("course_id")
        .annotate(n=Count("id"))
        .filter(n__gt=rule.value)
        .values_list("course_id", flat=True)
    )


def mark_active_discussion(courses) -> list:
    """Sets `active_discussion` on each course (one query for the list)."""
    courses = list(courses)
    active = active_discussion_ids(c.pk for c in courses)
    for course in courses:
        course.active_discussion = course.pk in active
    return courses


def following(*, user, course: Course, enrollment=None) -> bool | None:
    """Whether the user follows the course's notifications; None when they may not choose (not enrolled, not its
    author). One query."""
    if not _signed_in(user) or (enrollment is None and not can_edit(user, course)):
        return None
    return is_subscribed(user=user, source=course_source(course))


def affiliate_courses() -> QuerySet[Course]:
    """Published courses an affiliate may promote (affiliate enabled), for "Kursus Affiliate" and Link Saya."""
    return (
        Course.objects.filter(status=CourseStatus.PUBLISHED, affiliate_enabled=True)
        .select_related("resource", "category")
        .order_by("title", "id")
    )


def course_by_slug(slug: str) -> Course | None:
    return (
        Course.objects.select_related("resource", "category", "mentor", "created_by")
        .filter(slug=(slug or "")[:120])
        .first()
    )


def can_see_page(user, course: Course, decision: AccessDecision | None = None) -> bool:
    """The detail page: editors always; otherwise published (public ones for visitors, affiliate ones for those
    the policy lets in), private ones only for entitled users."""
    if _signed_in(user) and can_edit(user, course):
        return True
    if course.status == CourseStatus.PUBLISHED:
        if course.role_access == RoleAccess.AFFILIATE:
            return _signed_in(user)  # the page says "Anda tidak memiliki izin ..." to non-affiliates
        return course.is_public or _signed_in(user)
    if course.status == CourseStatus.PRIVATE:
        return bool(decision and decision.allowed)
    return False


def decisions_for(*, user, courses) -> dict[int, AccessDecision]:
    """course id → the caller's decision (a fixed number of queries)."""
    courses = list(courses)
    by_resource = access_decisions(user=user, resources=[c.resource for c in courses])
    return {c.pk: by_resource[c.resource_id] for c in courses}


@dataclass
class LessonRow:
    lesson: Lesson
    done: bool = False
    locked: bool = True
    opens_at: datetime | None = None


@dataclass
class ModuleRow:
    module: Module
    lessons: list[LessonRow] = field(default_factory=list)
    quizzes: list[Quiz] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    # filled by module_ratings_fill
    rating_average: float | None = None
    rating_count: int = 0
    my_rating: int | None = None


@dataclass
class Outline:
    course: Course
    decision: AccessDecision
    enrollment: Enrollment | None
    modules: list[ModuleRow]
    lesson_count: int
    done_count: int
    duration_minutes: int

    @property
    def lessons(self) -> list[LessonRow]:
        return [row for module in self.modules for row in module.lessons]

    def neighbours(self, lesson_id: int) -> tuple[LessonRow | None, LessonRow | None]:
        rows = self.lessons
        for index, row in enumerate(rows):
            if row.lesson.pk == lesson_id:
                return (rows[index - 1] if index else None, rows[index + 1] if index + 1 < len(rows) else None)
        return None, None

    def row(self, lesson_id: int) -> LessonRow | None:
        return next((r for r in self.lessons if r.lesson.pk == lesson_id), None)

    @property
    def resume(self) -> LessonRow | None:
        """Where to continue: the last lesson opened, else the first open lesson not done."""
        if self.enrollment is not None and self.enrollment.last_lesson_id:
            row = self.row(self.enrollment.last_lesson_id)
            if row is not None and not row.locked:
                return row
        return next((r for r in self.lessons if not r.locked and not r.done), None) or next(
            (r for r in self.lessons if not r.locked), None
        )


def outline(*, user, course: Course, decision: AccessDecision | None = None, now=None) -> Outline:
    """The curriculum with the caller's state: five queries (modules, lessons, quizzes, assignments, progress) plus
    the enrolment and the decision when not given."""
    now = now or timezone.now()
    if decision is None:
        decision = decisions_for(user=user, courses=[course])[course.pk]
    modules = list(
        course.modules.prefetch_related(
            Prefetch("lessons", queryset=Lesson.objects.order_by("position", "id").defer("content")),
            Prefetch("quizzes", queryset=Quiz.objects.order_by("position", "id")),
            Prefetch("assignments", queryset=Assignment.objects.order_by("position", "id")),
        )
    )
    enrollment = None
    done: set[int] = set()
    if _signed_in(user):
        enrollment = Enrollment.objects.filter(user=user, course=course).first()
        done = set(
            LessonProgress.objects.filter(user=user, course=course, completed_at__isnull=False).values_list(
                "lesson_id", flat=True
            )
        )
    editor = _signed_in(user) and can_edit(user, course)
    rows = []
    total = done_count = minutes = 0
    for module in modules:
        row = ModuleRow(module=module, quizzes=list(module.quizzes.all()), assignments=list(module.assignments.all()))
        for lesson in module.lessons.all():
            opens = None if editor else lesson_available_at(lesson=lesson, enrollment=enrollment)
            dripped = opens is not None and opens > now
            blocked = not editor and lesson.prerequisite_id is not None and lesson.prerequisite_id not in done
            locked = not (lesson.is_preview or (decision.allowed and not dripped and not blocked))
            row.lessons.append(LessonRow(lesson, lesson.pk in done, locked, opens if dripped else None))
            total += 1
            done_count += lesson.pk in done
            minutes += lesson.duration_minutes
        rows.append(row)
    return Outline(course, decision, enrollment, rows, total, done_count, minutes)


def module_ratings_fill(outline: Outline, *, user=None) -> Outline:
    """Each module's average rating and count (one grouped query) and, for a signed-in caller, their own (one)."""
    stats = {
        row["module_id"]: row
        for row in ModuleRating.objects.filter(course=outline.course)
        .values("module_id")
        .annotate(avg=Avg("rating"), count=Count("id"))
        .order_by()
    }
    mine = {}
    if _signed_in(user):
        mine = dict(ModuleRating.objects.filter(course=outline.course, user=user).values_list("module_id", "rating"))
    for row in outline.modules:
        data = stats.get(row.module.pk)
        row.rating_average = round(data["avg"], 1) if data else None
        row.rating_count = data["count"] if data else 0
        row.my_rating = mine.get(row.module.pk)
    return outline


def module_rating_summary(course: Course) -> list[Module]:
    """Every module of a course with `avg` and `count` of its ratings (one query)."""
    return list(course.modules.annotate(avg=Avg("ratings__rating"), count=Count("ratings")).order_by("position", "id"))


def module_feedback(course: Course, limit: int = 20) -> list[ModuleRating]:
    """The latest module ratings of a course with their feedback (for its mentor)."""
    return list(ModuleRating.objects.filter(course=course).select_related("user", "module")[:limit])


def course_broadcasts(*, course: Course):
    """The announcements sent to the course's students (services.course_broadcast), newest first, with who sent
    each (one query a page)."""
    return CourseBroadcast.objects.filter(course=course).select_related("mentor").order_by("-created_at", "-id")


@dataclass(frozen=True)
class StudyGroupRef:
    resource_id: int
    name: str
    url: str


@dataclass(frozen=True)
class CourseExtras:
    bonus_products: list = field(default_factory=list)  # catalog.Product, title order
    study_group: StudyGroupRef | None = None


def course_extras(course: Course) -> CourseExtras:
    """What comes with the course (`Resource.bundled`): its bonus products and its study group. Two queries (one
    more for the group's name and page when it has one)."""
    bundled = list(Resource.objects.filter(bundled_in=course.resource_id).only("pk", "kind", "title"))
    if not bundled:
        return CourseExtras()
    products = list(
        Product.objects.filter(resource_id__in=[r.pk for r in bundled if r.kind == ResourceKind.PRODUCT]).order_by(
            "title", "pk"
        )
    )
    group = next((r for r in bundled if r.kind == ResourceKind.GROUP), None)
    ref = None
    provider = hooks.study_groups()
    if group is not None and provider is not None:
        described = provider.describe(resource_ids=[group.pk]).get(group.pk)
        if described is not None:
            ref = StudyGroupRef(resource_id=group.pk, name=described[0], url=described[1])
    return CourseExtras(bonus_products=products, study_group=ref)


def course_rating(course: Course) -> dict:
    data = Review.objects.filter(course=course).aggregate(avg=Avg("rating"), count=Count("id"))
    return {"average": round(data["avg"] or 0, 1), "count": data["count"]}


def reviews_recent(course: Course, limit: int = 10):
    return list(Review.objects.filter(course=course).select_related("user")[:limit])


def my_enrollments(*, user) -> QuerySet[Enrollment]:
    return (
        Enrollment.objects.filter(user=user)
        .select_related("course", "course__resource", "last_lesson")
        .order_by("-last_activity_at", "-created_at", "-id")
    )


def lesson_comments(*, lesson: Lesson, include_hidden: bool = False) -> QuerySet[Comment]:
    """Questions of a lesson, newest first, each with its replies (two queries per page)."""
    replies = Comment.objects.select_related("user").order_by("created_at", "id")
    if not include_hidden:
        replies = replies.filter(is_hidden=False)
    qs = Comment.objects.filter(lesson=lesson, parent__isnull=True).select_related("user")
    if not include_hidden:
        qs = qs.filter(is_hidden=False)
    return qs.prefetch_related(Prefetch("replies", queryset=replies)).order_by("-created_at", "-id")


def quiz_state(*, user, quiz: Quiz) -> dict:
    attempts = list(QuizAttempt.objects.filter(user=user, quiz=quiz, submitted_at__isnull=False)[:50])
    return {
        "attempts": attempts,
        "used": len(attempts),
        "best": max((a.score_percent for a in attempts), default=None),
        "passed": any(a.passed for a in attempts),
        "left": None if not quiz.max_attempts else max(0, quiz.max_attempts - len(attempts)),
    }


def editable_scope(*, user) -> QuerySet[Course]:
    """The courses `user` edits: every one for an admin, a mentor's own (responsible for or created)."""
    qs = Course.objects.all()
    return qs if is_admin(user) else qs.filter(authored_by(user))


def authored_by(user, prefix: str = "") -> Q:
    """The courses (through `prefix`, e.g. "quiz__course__") `user` authors, is responsible for or co-instructs;
    co-instruction as a subquery so no row repeats."""
    co = Course.instructors.through.objects.filter(user=user).values("course_id")
    return Q(**{f"{prefix}mentor": user}) | Q(**{f"{prefix}created_by": user}) | Q(**{f"{prefix}pk__in": co})


def editable_courses(*, user) -> QuerySet[Course]:
    qs = editable_scope(user=user).select_related("mentor", "category")
    return with_counts(qs).order_by("-updated_at", "-id")


def review_queue() -> QuerySet[Course]:
    return (
        Course.objects.filter(status=CourseStatus.PENDING)
        .select_related("mentor", "created_by")
        .annotate(lesson_count=_count_per_course(Lesson))
        .order_by("updated_at", "id")
    )


# The review queue's filters: value → (label, condition). "Ditolak" is a draft the reviewer sent back with a note.
REVIEW_FILTERS = {
    "pending": (gettext_lazy("Menunggu review"), Q(status=CourseStatus.PENDING)),
    "rejected": (gettext_lazy("Ditolak"), Q(status=CourseStatus.DRAFT) & ~Q(review_note="")),
    "published": (gettext_lazy("Terbit"), Q(status=CourseStatus.PUBLISHED)),
    "all": (gettext_lazy("Semua"), Q()),
}


def course_instructors(course: Course) -> list:
    """The course's active co-instructors (besides the responsible mentor), by name (one query)."""
    return list(course.instructors.filter(is_active=True).exclude(pk=course.mentor_id).order_by("full_name", "pk")[:20])


def review_list(*, status: str = "pending") -> QuerySet[Course]:
    """The admin's review queue filtered by `status` (REVIEW_FILTERS; pending first come first served, the others
    newest change first)."""
    _label, condition = REVIEW_FILTERS.get(status, REVIEW_FILTERS["pending"])
    qs = (
        Course.objects.filter(condition)
        .select_related("mentor", "created_by")
        .annotate(lesson_count=_count_per_course(Lesson))
    )
    return qs.order_by("updated_at", "id") if status == "pending" else qs.order_by("-updated_at", "-id")


def review_counts() -> dict[str, int]:
    """How many courses each review filter holds (one query)."""
    return Course.objects.aggregate(
        **{
            key: Count("id", filter=condition) if key != "all" else Count("id")
            for key, (_l, condition) in REVIEW_FILTERS.items()
        }
    )


def grading_queue(*, user) -> QuerySet[Submission]:
    qs = Submission.objects.filter(status=SubmissionStatus.SUBMITTED).select_related(
        "assignment", "assignment__course", "user"
    )
    if not is_admin(user):
        qs = qs.filter(authored_by(user, "assignment__course__"))
    return qs.order_by("submitted_at", "id")


def _stuck(cutoff):
    """An enrolment not completed whose last activity (or, never active, its start) is before `cutoff`."""
    return Q(completed_at__isnull=True) & (
        Q(last_activity_at__lt=cutoff) | Q(last_activity_at__isnull=True, created_at__lt=cutoff)
    )


def progress_monitor_courses(*, q: str = "", now=None, idle_days: int) -> QuerySet[Course]:
    """The admin's progress monitor, per course: students, average progress, completed, and members stuck (idle
    more than `idle_days` days). One query per page (aggregates over the enrolments)."""
    cutoff = (now or timezone.now()) - timedelta(days=idle_days)
    qs = Course.objects.exclude(status=CourseStatus.ARCHIVED)
    q = (q or "").replace("\x00", "").strip()[:100]
    if q:
        qs = qs.filter(title__icontains=q)
    return qs.annotate(
        students=Count("enrollments"),
        average_progress=Avg("enrollments__progress_percent"),
        completed=Count("enrollments", filter=Q(enrollments__completed_at__isnull=False)),
        stuck=Count(
            "enrollments",
            filter=Q(enrollments__completed_at__isnull=True)
            & (
                Q(enrollments__last_activity_at__lt=cutoff)
                | Q(enrollments__last_activity_at__isnull=True, enrollments__created_at__lt=cutoff)
            ),
        ),
    ).order_by("-students", "title", "id")


PROGRESS_STATES = ("macet", "aktif", "lulus")


def progress_monitor_members(*, course: Course, state: str = "", q: str = "", now=None, idle_days: int):
    """The enrolments of one course for the monitor: `state` "macet" (stuck: idle more than `idle_days` days),
    "aktif" (learning within them, not completed) or "lulus"; search by name or email. Most idle first. One
    query per page."""
    cutoff = (now or timezone.now()) - timedelta(days=idle_days)
    qs = Enrollment.objects.filter(course=course).select_related("user", "last_lesson")
    if state == "macet":
        qs = qs.filter(_stuck(cutoff))
    elif state == "aktif":
        qs = qs.filter(completed_at__isnull=True).exclude(_stuck(cutoff))
    elif state == "lulus":
        qs = qs.filter(completed_at__isnull=False)
    q = (q or "").replace("\x00", "").strip()[:100]
    if q:
        qs = qs.filter(Q(user__full_name__icontains=q) | Q(user__email__icontains=q))
    return qs.order_by(F("last_activity_at").asc(nulls_first=True), "id")


def course_students(*, course: Course) -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(course=course).select_related("user", "last_lesson").order_by("-created_at", "-id")


def course_stats(*, courses: QuerySet[Course], now=None) -> list[dict]:
    """Per course: students, active in the last 7 days, completed, completion rate, average quiz score, revenue
    from its own order lines (paid orders). Three queries whatever the number of courses."""
    now = now or timezone.now()
    week = now - timezone.timedelta(days=7)
    rows = list(
        courses.annotate(
            students=Count("enrollments", distinct=True),
            active=Count("enrollments", filter=Q(enrollments__last_activity_at__gte=week), distinct=True),
            completed=Count("enrollments", filter=Q(enrollments__completed_at__isnull=False), distinct=True),
        ).values("id", "title", "slug", "status", "students", "active", "completed")
    )
    scores = dict(
        QuizAttempt.objects.filter(quiz__course_id__in=[r["id"] for r in rows], submitted_at__isnull=False)
        .values("quiz__course_id")
        .annotate(avg=Avg("score_percent"))
        .values_list("quiz__course_id", "avg")
    )
    revenue = dict(
        OrderItem.objects.filter(
            kind=ItemKind.COURSE, ref__in=[str(r["id"]) for r in rows], order__status=OrderStatus.PAID
        )
        .values("ref")
        .annotate(total=Sum("amount"))
        .values_list("ref", "total")
    )
    for row in rows:
        row["revenue"] = revenue.get(str(row["id"]), 0)
        row["completion_rate"] = round(100 * row["completed"] / row["students"]) if row["students"] else 0
        row["quiz_average"] = round(scores[row["id"]]) if scores.get(row["id"]) is not None else None
    return rows


WEEKS = 8


def learning_overview(*, courses: QuerySet[Course], now=None) -> dict:
    """The statistics page's summary over `courses` (every course for an admin, a mentor's own): active students
    (learned in the last 7 days), students, completion rate, the five most popular courses, revenue per instructor
    and the weekly activity of the last eight weeks (learners active that week vs enrolled but inactive). A fixed
    number of queries whatever the number of courses or learners."""
    now = now or timezone.now()
    enrollments = Enrollment.objects.filter(course__in=courses)
    totals = enrollments.aggregate(
        students=Count("user_id", distinct=True),
        active=Count("user_id", filter=Q(last_activity_at__gte=now - timezone.timedelta(days=7)), distinct=True),
        enrolled=Count("id"),
        completed=Count("id", filter=Q(completed_at__isnull=False)),
    )
    popular = list(
        courses.annotate(students=Count("enrollments")).filter(students__gt=0).order_by("-students", "title")[:5]
    )
    revenue = (
        OrderItem.objects.filter(
            kind=ItemKind.COURSE, order__status=OrderStatus.PAID, ref__in=courses.values_list(Cast("id", CharField()))
        )
        .values("ref")
        .annotate(total=Sum("amount"))
        .values_list("ref", "total")
    )
    by_course = {int(ref): total for ref, total in revenue}
    per_instructor: dict[str, int] = {}
    for course_id, name, email in courses.filter(pk__in=list(by_course)).values_list(
        "id", "mentor__full_name", "mentor__email"
    ):
        label = name or email or str(_("Tanpa mentor"))
        per_instructor[label] = per_instructor.get(label, 0) + by_course[course_id]
    today = timezone.localtime(now).date()
    start = today - timezone.timedelta(days=today.weekday() + 7 * (WEEKS - 1))  # the Monday 7 weeks before this one
    active_weeks = dict(
        LessonProgress.objects.filter(course__in=courses, updated_at__date__gte=start)
        .annotate(week=TruncWeek("updated_at"))
        .values("week")
        .annotate(n=Count("user_id", distinct=True))
        .values_list("week", "n")
    )
    active_by_day = {timezone.localtime(k).date() if hasattr(k, "tzinfo") else k: v for k, v in active_weeks.items()}
    joined = dict(
        enrollments.filter(created_at__date__gte=start)
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(n=Count("id"))
        .values_list("week", "n")
    )
    joined_by_day = {timezone.localtime(k).date() if hasattr(k, "tzinfo") else k: v for k, v in joined.items()}
    enrolled_before = enrollments.filter(created_at__date__lt=start).count()
    weeks = []
    running = enrolled_before
    for n in range(WEEKS):
        day = start + timezone.timedelta(days=7 * n)
        running += joined_by_day.get(day, 0)
        active = active_by_day.get(day, 0)
        weeks.append({"week": day, "active": active, "inactive": max(0, running - active)})
    return {
        "students": totals["students"],
        "active": totals["active"],
        "completion_rate": round(100 * totals["completed"] / totals["enrolled"]) if totals["enrolled"] else 0,
        "popular": popular,
        "per_instructor": sorted(per_instructor.items(), key=lambda kv: (-kv[1], kv[0]))[:10],
        "revenue_total": sum(by_course.values()),
        "weeks": weeks,
        "chart": {
            "labels": [w["week"].strftime("%d/%m") for w in weeks],
            "active": [w["active"] for w in weeks],
            "inactive": [w["inactive"] for w in weeks],
        },
    }


def certificates_of(*, user) -> QuerySet[Certificate]:
    return Certificate.objects.filter(user=user).select_related("course")


def certificate_by_code(code: str) -> Certificate | None:
    """The platform's codes are upper case and typed in any case; certificates imported from Tutor LMS keep their
    lower-case hex hash as the code (old verification links), so both spellings are looked up on the unique index."""
    code = (code or "").strip()[:20]
    if not code or "\x00" in code:
        return None
    return Certificate.objects.select_related("course").filter(code__in={code.upper(), code.lower()}).first()


def mentor_profile(*, mentor) -> dict:
    courses = list(catalogue(user=None).filter(mentor=mentor))
    rating = Review.objects.filter(course__mentor=mentor).aggregate(avg=Avg("rating"), count=Count("id"))
    students = Enrollment.objects.filter(course__mentor=mentor).values("user_id").distinct().count()
    return {
        "courses": courses,
        "social_links": social_links(mentor),
        "rating": round(rating["avg"] or 0, 1),
        "reviews": rating["count"],
        "students": students,
    }


def attempt_questions(attempt: QuizAttempt) -> list[dict]:
    """The questions of an attempt as the learner sees them, never the key: choice kinds show their options;
    ordering its items shuffled; matching its left items and the right sides shuffled; fill the number of blanks;
    short and essay nothing. The shuffle is the same each time the attempt is shown. Two queries."""
    import random

    from .constants import BLANK, CHOICE_KINDS, QuestionKind

    by_id = {q.pk: q for q in attempt.quiz.questions.prefetch_related("choices")}
    shown = []
    for question in (by_id[i] for i in attempt.question_order if i in by_id):
        options = list(question.choices.all())
        shuffle = random.Random(f"{attempt.pk}:{question.pk}").shuffle
        row = {
            "id": question.pk,
            "kind": question.kind,
            "text": question.text,
            "choices": [],
            "match_options": [],
            "blanks": 0,
            "question": question,
        }
        if question.kind in CHOICE_KINDS:
            row["choices"] = [{"id": c.pk, "text": c.text} for c in options]
        elif question.kind == QuestionKind.ORDERING:
            items = [{"id": c.pk, "text": c.text} for c in options]
            shuffle(items)
            row["choices"] = items
        elif question.kind == QuestionKind.MATCHING:
            row["choices"] = [{"id": c.pk, "text": c.text} for c in options]
            right = [{"id": c.pk, "text": c.match_text} for c in options]
            shuffle(right)
            row["match_options"] = right
        elif question.kind == QuestionKind.FILL:
            row["blanks"] = question.text.count(BLANK)
        row["blank_numbers"] = range(1, row["blanks"] + 1)
        row["positions"] = range(1, len(row["choices"]) + 1)
        shown.append(row)
    return shown


def essay_queue(*, user) -> QuerySet[QuizAttempt]:
    """Submitted attempts whose essays wait for a grade, in the courses `user` may edit (oldest first)."""
    qs = QuizAttempt.objects.filter(needs_grading=True, submitted_at__isnull=False).select_related(
        "quiz__course", "user"
    )
    if not is_admin(user):
        qs = qs.filter(authored_by(user, "quiz__course__"))
    return qs.order_by("submitted_at", "id")


def attempt_review(attempt: QuizAttempt) -> list[dict]:
    """Per question of a submitted attempt: the learner's answer and the key, readable (for the result page, the
    mentor's grading page and the API's answer review)."""
    from .constants import CHOICE_KINDS, QuestionKind

    rows = []
    points = attempt.question_points or {}
    quiz = attempt.quiz
    prefetched = "questions" in getattr(quiz, "_prefetched_objects_cache", {})
    for question in quiz.questions.all() if prefetched else quiz.questions.prefetch_related("choices"):
        options = list(question.choices.all())
        by_id = {c.pk: c for c in options}
        answer = attempt.answers.get(str(question.pk))
        row = {
            "question": question,
            "points": points.get(str(question.pk)),
            "given": [],
            "key": [],
            "chosen": set(),
            "correct": set(),
        }
        if question.kind in CHOICE_KINDS:
            row["chosen"] = set(answer or [])
            row["correct"] = {c.pk for c in options if c.is_correct}
        elif question.kind == QuestionKind.ORDERING:
            row["given"] = [by_id[i].text for i in (answer or []) if i in by_id]
            row["key"] = [c.text for c in options]
        elif question.kind == QuestionKind.MATCHING:
            given = answer or {}
            row["given"] = [
                f"{c.text} → {by_id[given[str(c.pk)]].match_text if given.get(str(c.pk)) in by_id else '—'}"
                for c in options
            ]
            row["key"] = [f"{c.text} → {c.match_text}" for c in options]
        elif question.kind == QuestionKind.FILL:
            row["given"] = list(answer or [])
            row["key"] = [c.text.replace("|", " / ") for c in options]
        elif question.kind == QuestionKind.SHORT:
            row["given"] = [answer] if answer else []
            row["key"] = [c.text for c in options]
        else:  # essay
            row["given"] = [answer] if answer else []
        rows.append(row)
    return rows


def lesson_completions(*, user_ids, since) -> dict[int, list[tuple[int, datetime]]]:
    """Per user: (course id, moment) of every lesson they completed since `since` (one query for all of them; the
    reminders' usage condition counts these per batch of members)."""
    result: dict[int, list[tuple[int, datetime]]] = {}
    rows = LessonProgress.objects.filter(user_id__in=set(user_ids), completed_at__gte=since).values_list(
        "user_id", "course_id", "completed_at"
    )
    for user_id, course_id, completed_at in rows:
        result.setdefault(user_id, []).append((course_id, completed_at))
    return result


def plan_course_ids(*, plan_ids) -> dict[int, set[int]]:
    """Per membership plan: the ids of the courses it includes (its included access resources), in one query."""
    result: dict[int, set[int]] = {}
    rows = Course.objects.filter(resource__plans__in=set(plan_ids)).values_list("resource__plans", "pk")
    for plan_id, course_id in rows:
        result.setdefault(plan_id, set()).add(course_id)
    return result
