"""Courses API for the mobile apps: the catalogue and a course with the caller's access, lessons (403 with the reason
when locked), progress and resume, quizzes graded on the server, assignments, certificates, discussion and ratings;
mentor and admin endpoints for review and grading. Buying a course goes through `POST /orders` with
`{"kind": "course", "slug": ...}`."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from sanggar.accounts.selectors import social_links
from sanggar.api.auth import jwt_auth
from sanggar.api.idempotency import idempotent
from sanggar.api.schemas import ErrorOut
from sanggar.catalog.services import FollowUpInput
from sanggar.core.exceptions import NotAllowed, NotFound
from sanggar.core.request_context import client_ip
from sanggar.core.roles import Role
from sanggar.core.site import absolute

from . import selectors, services
from . import video as videos
from .certificates import verify_url
from .hooks import study_groups
from .models import (
    Assignment,
    Comment,
    Course,
    Enrollment,
    Lesson,
    LessonProgress,
    Module,
    Quiz,
    QuizAttempt,
    Submission,
)
from .policy import via_membership_decision
from .schemas import (
    PAGE_SIZE,
    AssignmentOut,
    AttemptOut,
    BroadcastIn,
    BroadcastOut,
    CertificateOut,
    CertificatePageOut,
    CommentIn,
    CommentOut,
    CommentPageOut,
    CourseBroadcastPageOut,
    CourseDetailOut,
    CourseFilters,
    CoursePageOut,
    EssayGradeIn,
    ExtrasIn,
    ExtrasOut,
    FollowUpsIn,
    FollowUpsOut,
    GradeIn,
    InstructorProfileOut,
    LessonOut,
    MentorCourseOut,
    MentorCoursePageOut,
    ModuleRatingOut,
    MyCoursePageOut,
    PageIn,
    PendingEssayPageOut,
    PendingSubmissionPageOut,
    PositionIn,
    ProgressOut,
    RejectIn,
    ResultOut,
    ReviewIn,
    ReviewOut,
    SubmissionIn,
    SubmissionOut,
    SubmitIn,
    SubscriptionIn,
    SubscriptionOut,
)

router = Router(tags=["kursus"])
API_ORDER = 75
# More endpoints (course and module discussion, admin video hosts and reminder settings) in api_extras.py.
API_ROUTERS = [router, "sanggar.learning.api_extras.router"]

_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def _viewer(request):
    """The signed-in user when a Bearer token is sent (a bad one is 401), else an anonymous visitor."""
    if not request.headers.get("Authorization", "").strip():
        return AnonymousUser()
    return jwt_auth(request)


def _page(qs, page: int):
    count = qs.count()
    start = (page - 1) * PAGE_SIZE
    rows = list(qs[start : start + PAGE_SIZE]) if start < count else []
    return count, (page + 1 if start + PAGE_SIZE < count else None), rows


def _access(decision) -> dict:
    return {
        "allowed": decision.allowed,
        "reason": str(decision.reason or ""),
        "message": str(decision.message or ""),
        "action_label": str(decision.action_label or ""),
        "action_url": str(decision.action_url or ""),
    }


def _course_data(request, course: Course, decision) -> dict:
    return {
        "slug": course.slug,
        "title": course.title,
        "summary": course.summary,
        "level": course.level,
        "level_label": str(course.get_level_display()),
        "category": course.category.name if course.category_id else None,
        "role_access": course.role_access,
        "price": course.sale_price,
        "regular_price": course.price,
        "cover_url": absolute(course.cover.url, request) if course.cover else "",
        "access": _access(decision),
        "active_discussion": getattr(course, "active_discussion", False),
    }


def _course(request, slug: str):
    user = _viewer(request)
    course = selectors.course_by_slug(slug)
    if course is None:
        raise NotFound(_("Kursus tidak ditemukan."))
    decision = selectors.decisions_for(user=user, courses=[course])[course.pk]
    if not selectors.can_see_page(user, course, decision):
        raise NotFound(_("Kursus tidak ditemukan."))
    return user, course, decision


@router.get("/courses", response={200: CoursePageOut, **_ERRORS}, summary="Daftar kursus", auth=None)
def course_list(request, filters: Query[CourseFilters]):
    user = _viewer(request)
    qs = selectors.catalogue(user=user, q=filters.q, category=filters.category, level=filters.level)
    count, next_page, rows = _page(qs, filters.page)
    rows = selectors.mark_active_discussion(rows)
    decisions = selectors.decisions_for(user=user, courses=rows)
    return {
        "count": count,
        "next_page": next_page,
        "results": [_course_data(request, c, decisions[c.pk]) for c in rows],
    }


@router.get("/courses/{slug}", response={200: CourseDetailOut, **_ERRORS}, summary="Detail kursus", auth=None)
def course_detail(request, slug: str):
    user, course, decision = _course(request, slug)
    selectors.mark_active_discussion([course])
    outline = selectors.module_ratings_fill(selectors.outline(user=user, course=course, decision=decision), user=user)
    rating = selectors.course_rating(course)
    extras = selectors.course_extras(course)
    group = extras.study_group
    return {
        **_course_data(request, course, decision),
        "bonus_products": [{"slug": p.slug, "title": p.title} for p in extras.bonus_products],
        "study_group": {"name": group.name, "url": absolute(group.url, request)} if group else None,
        "description": course.description,
        "language": course.language,
        "status": course.status,
        "instructor": _instructor(course.mentor) if course.mentor_id else None,
        "rating": rating["average"],
        "review_count": rating["count"],
        "via_membership": via_membership_decision(user=user, course=course, decision=decision),
        "progress_percent": outline.enrollment.progress_percent if outline.enrollment else None,
        "modules": [
            {
                "id": m.module.pk,
                "title": m.module.title,
                "lessons": [
                    {
                        "id": r.lesson.pk,
                        "title": r.lesson.title,
                        "kind": r.lesson.kind,
                        "is_preview": r.lesson.is_preview,
                        "locked": r.locked,
                        "done": r.done,
                        "duration_minutes": r.lesson.duration_minutes,
                        "opens_at": r.opens_at,
                    }
                    for r in m.lessons
                ],
                "quizzes": [{"id": q.pk, "title": q.title, "is_required": q.is_required} for q in m.quizzes],
                "assignments": [{"id": a.pk, "title": a.title} for a in m.assignments],
                "rating_average": m.rating_average,
                "rating_count": m.rating_count,
                "my_rating": m.my_rating,
            }
            for m in outline.modules
        ],
    }


def _instructor(mentor) -> dict:
    return {
        "id": mentor.pk,
        "name": mentor.full_name,
        "social_links": [{"network": n, "label": label, "url": url} for n, label, url in social_links(mentor)],
    }


@router.get(
    "/instructors/{user_id}",
    response={200: InstructorProfileOut, **_ERRORS},
    summary="Profil publik instruktur",
    auth=None,
)
def instructor_profile(request, user_id: int):
    mentor = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if mentor is None or not mentor.has_role(Role.MENTOR):
        raise NotFound(_("Instruktur tidak ditemukan."))
    profile = selectors.mentor_profile(mentor=mentor)
    courses = selectors.mark_active_discussion(profile["courses"][:PAGE_SIZE])
    decisions = selectors.decisions_for(user=_viewer(request), courses=courses)
    return {
        **_instructor(mentor),
        "bio": mentor.bio,
        "avatar_url": absolute(mentor.avatar.url, request) if mentor.avatar else "",
        "course_count": len(profile["courses"]),
        "rating": profile["rating"],
        "review_count": profile["reviews"],
        "students": profile["students"],
        "courses": [_course_data(request, c, decisions[c.pk]) for c in courses],
    }


def _followable(request, slug):
    user, course, _decision = _course(request, slug)
    enrollment = Enrollment.objects.filter(user=user, course=course).first()
    state = selectors.following(user=user, course=course, enrollment=enrollment)
    if state is None:
        raise NotAllowed(_("Mulai belajar di kursus ini dulu untuk mengatur notifikasinya."))
    return user, course, state


@router.get(
    "/courses/{slug}/subscription",
    response={200: SubscriptionOut, **_ERRORS},
    auth=jwt_auth,
    summary="Status ikuti notifikasi kursus",
)
def course_subscription(request, slug: str):
    _user, course, state = _followable(request, slug)
    return {"subscribed": state, "source": services.course_source(course)}


@router.put(
    "/courses/{slug}/subscription",
    response={200: SubscriptionOut, **_ERRORS},
    auth=jwt_auth,
    summary="Ikuti atau berhenti mengikuti notifikasi kursus",
)
@idempotent
def course_subscription_set(request, slug: str, payload: SubscriptionIn):
    user, course, _state = _followable(request, slug)
    on = services.course_notifications_set(user=user, course=course, subscribed=payload.subscribed)
    return {"subscribed": on, "source": services.course_source(course)}


def _lesson(course, lesson_id) -> Lesson:
    lesson = Lesson.objects.select_related("module", "course__resource").filter(pk=lesson_id, course=course).first()
    if lesson is None:
        raise NotFound(_("Pelajaran tidak ditemukan."))
    return lesson


@router.get(
    "/courses/{slug}/lessons/{lesson_id}", response={200: LessonOut, **_ERRORS}, summary="Isi pelajaran", auth=None
)
def lesson_detail(request, slug: str, lesson_id: int):
    user, course, decision = _course(request, slug)
    lesson = _lesson(course, lesson_id)
    position = 0
    done = False
    if lesson.is_preview and not (user.is_authenticated and decision.allowed):
        pass  # a preview plays for whoever may see the course
    else:
        if not user.is_authenticated:
            raise NotAllowed(_("Masuk terlebih dahulu untuk membuka kelas ini."), code="login_required")
        services.lesson_open(user=user, lesson=lesson)
        progress = LessonProgress.objects.filter(user=user, lesson=lesson).first()
        position = progress.position_seconds if progress else 0
        done = bool(progress and progress.completed_at)
    outline = selectors.outline(user=user, course=course, decision=decision)
    previous, following = outline.neighbours(lesson.pk)
    return {
        "id": lesson.pk,
        "title": lesson.title,
        "kind": lesson.kind,
        "content": lesson.content,
        # a host the admin removed from the allow-list plays nowhere: not on the page, not in the apps
        "video_url": lesson.video_url if lesson.video_url and videos.embed_player(video_url=lesson.video_url) else "",
        "video_stream_url": (
            absolute(videos.video_link(user=user, lesson=lesson, session_bound=False), request)
            if lesson.video_file
            else None
        ),
        "duration_minutes": lesson.duration_minutes,
        "position_seconds": position,
        "done": done,
        "attachments": [
            {
                "id": a.pk,
                "title": a.title,
                "size": a.size,
                "download_url": absolute(reverse("learning:attachment", args=[a.pk]), request),
            }
            for a in lesson.attachments.all()
        ],
        "previous_id": previous.lesson.pk if previous else None,
        "next_id": following.lesson.pk if following else None,
    }


def _progress(enrollment) -> dict:
    cert = enrollment.course.certificates.filter(user=enrollment.user).values_list("code", flat=True).first()
    return {
        "course": enrollment.course.slug,
        "progress_percent": enrollment.progress_percent,
        "completed": enrollment.completed_at is not None,
        "certificate_code": cert,
    }


@router.post(
    "/courses/{slug}/lessons/{lesson_id}/complete",
    response={200: ProgressOut, **_ERRORS},
    auth=jwt_auth,
    summary="Tandai pelajaran selesai",
    description="Idempoten: menandai pelajaran yang sudah selesai tidak mengubah apa pun.",
)
@idempotent
def lesson_complete(request, slug: str, lesson_id: int):
    _user, course, _decision = _course(request, slug)
    enrollment = services.lesson_complete(user=request.auth, lesson=_lesson(course, lesson_id))
    return _progress(enrollment)


@router.post(
    "/courses/{slug}/lessons/{lesson_id}/position",
    response={200: ProgressOut, **_ERRORS},
    auth=jwt_auth,
    summary="Simpan posisi video",
)
def lesson_position(request, slug: str, lesson_id: int, payload: PositionIn):
    _user, course, _decision = _course(request, slug)
    lesson = _lesson(course, lesson_id)
    services.lesson_position(user=request.auth, lesson=lesson, seconds=payload.seconds)
    return _progress(services.enrollment_ensure(user=request.auth, course=course))


@router.get("/me/courses", response={200: MyCoursePageOut, **_ERRORS}, auth=jwt_auth, summary="Kursus saya")
def my_courses(request, filters: Query[PageIn]):
    count, next_page, rows = _page(selectors.my_enrollments(user=request.auth), filters.page)
    decisions = selectors.decisions_for(user=request.auth, courses=[e.course for e in rows])
    return {
        "count": count,
        "next_page": next_page,
        "results": [
            {
                "slug": e.course.slug,
                "title": e.course.title,
                "progress_percent": e.progress_percent,
                "completed_at": e.completed_at,
                "resume": {
                    "lesson_id": e.last_lesson_id,
                    "lesson_title": e.last_lesson.title,
                    "seconds": e.last_position_seconds,
                }
                if e.last_lesson_id
                else None,
                "access": _access(decisions[e.course_id]),
            }
            for e in rows
        ],
    }


def _quiz(request, quiz_id) -> Quiz:
    quiz = Quiz.objects.select_related("course__resource").filter(pk=quiz_id).first()
    if quiz is None:
        raise NotFound(_("Kuis tidak ditemukan."))
    return quiz


def _attempt_data(attempt) -> dict:
    return {
        "id": attempt.pk,
        "quiz_id": attempt.quiz_id,
        "started_at": attempt.started_at,
        "time_limit_minutes": attempt.quiz.time_limit_minutes,
        "questions": selectors.attempt_questions(attempt),
    }


@router.post("/quizzes/{quiz_id}/attempts", response={201: AttemptOut, **_ERRORS}, auth=jwt_auth, summary="Mulai kuis")
@idempotent
def quiz_attempt_start(request, quiz_id: int):
    attempt = services.quiz_attempt_start(user=request.auth, quiz=_quiz(request, quiz_id))
    return Status(201, _attempt_data(attempt))


@router.post(
    "/quiz-attempts/{attempt_id}/submit",
    response={200: ResultOut, **_ERRORS},
    auth=jwt_auth,
    summary="Kumpulkan jawaban kuis",
    description="Dinilai di server; pilihan yang bukan milik kuis ini ditolak (400).",
)
@idempotent
def quiz_attempt_submit(request, attempt_id: int, payload: SubmitIn):
    attempt = QuizAttempt.objects.select_related("quiz").filter(pk=attempt_id, user=request.auth).first()
    if attempt is None:
        raise NotFound(_("Percobaan kuis tidak ditemukan."))
    answers = [
        {
            "question": a.question,
            "choices": a.choices,
            "text": a.text,
            "texts": a.texts,
            "order": a.order,
            "pairs": a.pairs,
        }
        for a in payload.answers
    ]
    result = services.quiz_attempt_submit(user=request.auth, attempt=attempt, answers=answers)
    return _result_data(result)


def _result_data(result) -> dict:
    quiz = result.quiz
    used = services.quiz_attempts_used(user=result.user, quiz=quiz)
    return {
        "id": result.pk,
        "score": result.score,
        "max_score": result.max_score,
        "score_percent": result.score_percent,
        "passed": result.passed,
        "pending_grading": result.needs_grading,
        "pass_percent": quiz.pass_percent,
        "attempts_left": max(0, quiz.max_attempts - used) if quiz.max_attempts else None,
    }


def _assignment(request, assignment_id) -> Assignment:
    item = Assignment.objects.select_related("course__resource").filter(pk=assignment_id).first()
    if item is None:
        raise NotFound(_("Tugas tidak ditemukan."))
    decision = selectors.decisions_for(user=request.auth, courses=[item.course])[item.course_id]
    if not decision.allowed:
        raise NotAllowed(decision.message, code=decision.reason)
    return item


def _submission_data(sub: Submission | None) -> dict | None:
    if sub is None:
        return None
    return {
        "id": sub.pk,
        "status": sub.status,
        "text": sub.text,
        "has_file": bool(sub.file),
        "points": sub.points,
        "feedback": sub.feedback,
        "submitted_at": sub.submitted_at,
    }


@router.get("/assignments/{assignment_id}", response={200: AssignmentOut, **_ERRORS}, auth=jwt_auth, summary="Tugas")
def assignment_detail(request, assignment_id: int):
    item = _assignment(request, assignment_id)
    sub = Submission.objects.filter(assignment=item, user=request.auth).first()
    return {
        "id": item.pk,
        "title": item.title,
        "instructions": item.instructions,
        "max_points": item.max_points,
        "allow_file": item.allow_file,
        "submission": _submission_data(sub),
    }


@router.post(
    "/assignments/{assignment_id}/submissions",
    response={201: SubmissionOut, **_ERRORS},
    auth=jwt_auth,
    summary="Kirim jawaban tugas (teks)",
)
@idempotent
def assignment_submit(request, assignment_id: int, payload: SubmissionIn):
    item = _assignment(request, assignment_id)
    sub = services.submission_submit(user=request.auth, assignment=item, text=payload.text, ip=client_ip(request) or "")
    return Status(201, _submission_data(sub))


@router.post(
    "/assignments/{assignment_id}/submissions/file",
    response={201: SubmissionOut, **_ERRORS},
    auth=jwt_auth,
    summary="Kirim jawaban tugas (berkas)",
    description="Multipart: `file` (PDF, ZIP, DOCX, XLSX, PPTX, PNG, JPG, TXT atau CSV; jenisnya diperiksa dari isi "
    "berkas, maksimal `LEARNING_SUBMISSION_MAX_BYTES`) dan `text` opsional. Tugas yang tidak menerima berkas dan "
    "tugas yang sudah dinilai dijawab 400.",
)
@idempotent
def assignment_submit_file(request, assignment_id: int, file: File[UploadedFile], text: Form[str] = ""):
    item = _assignment(request, assignment_id)
    sub = services.submission_submit(
        user=request.auth, assignment=item, text=text, upload=file, ip=client_ip(request) or ""
    )
    return Status(201, _submission_data(sub))


def _certificate_data(request, cert) -> dict:
    return {
        "code": cert.code,
        "learner_name": cert.learner_name,
        "course_title": cert.course_title,
        "issued_at": cert.issued_at,
        "verify_url": verify_url(cert, request),
        "pdf_url": absolute(reverse("learning:certificate_pdf", args=[cert.code]), request),
    }


@router.get("/me/certificates", response={200: CertificatePageOut, **_ERRORS}, auth=jwt_auth, summary="Sertifikat saya")
def my_certificates(request, filters: Query[PageIn]):
    count, next_page, rows = _page(selectors.certificates_of(user=request.auth), filters.page)
    return {"count": count, "next_page": next_page, "results": [_certificate_data(request, c) for c in rows]}


@router.get(
    "/certificates/{code}", response={200: CertificateOut, **_ERRORS}, auth=None, summary="Verifikasi sertifikat"
)
def certificate_verify(request, code: str):
    cert = selectors.certificate_by_code(code)
    if cert is None:
        raise NotFound(_("Sertifikat tidak ditemukan."))
    return _certificate_data(request, cert)


def _comment_data(comment, mentor_id) -> dict:
    return {
        "id": comment.pk,
        "author": comment.user.full_name or _("Member"),
        "body": comment.body,
        "is_mentor": comment.user_id == mentor_id,
        "created_at": comment.created_at,
    }


@router.get(
    "/courses/{slug}/lessons/{lesson_id}/comments",
    response={200: CommentPageOut, **_ERRORS},
    auth=jwt_auth,
    summary="Diskusi pelajaran",
)
def comment_list(request, slug: str, lesson_id: int, filters: Query[PageIn]):
    _user, course, decision = _course(request, slug)
    if not decision.allowed:
        raise NotAllowed(decision.message, code=decision.reason)
    lesson = _lesson(course, lesson_id)
    count, next_page, rows = _page(selectors.lesson_comments(lesson=lesson), filters.page)
    return {
        "count": count,
        "next_page": next_page,
        "results": [
            {
                **_comment_data(c, course.mentor_id),
                "replies": [_comment_data(r, course.mentor_id) for r in c.replies.all()],
            }
            for c in rows
        ],
    }


@router.post(
    "/courses/{slug}/lessons/{lesson_id}/comments",
    response={201: CommentOut, **_ERRORS},
    auth=jwt_auth,
    summary="Tulis pertanyaan atau balasan",
)
@idempotent
def comment_create(request, slug: str, lesson_id: int, payload: CommentIn):
    _user, course, _decision = _course(request, slug)
    lesson = _lesson(course, lesson_id)
    parent = None
    if payload.parent is not None:
        parent = Comment.objects.filter(pk=payload.parent, lesson=lesson).first()
        if parent is None:
            raise NotFound(_("Komentar yang dibalas tidak ditemukan."))
    comment = services.comment_post(
        user=request.auth, lesson=lesson, body=payload.body, parent=parent, ip=client_ip(request) or ""
    )
    return Status(201, {**_comment_data(comment, course.mentor_id), "replies": []})


@router.post(
    "/courses/{slug}/reviews", response={200: ReviewOut, **_ERRORS}, auth=jwt_auth, summary="Beri rating kursus"
)
@idempotent
def review_create(request, slug: str, payload: ReviewIn):
    _user, course, _decision = _course(request, slug)
    review = services.review_save(user=request.auth, course=course, rating=payload.rating, body=payload.body)
    return {"rating": review.rating, "body": review.body}


@router.post(
    "/courses/{slug}/modules/{module_id}/rating",
    response={200: ModuleRatingOut, **_ERRORS},
    auth=jwt_auth,
    summary="Beri rating modul",
)
@idempotent
def module_rating_create(request, slug: str, module_id: int, payload: ReviewIn):
    _user, course, _decision = _course(request, slug)
    module = Module.objects.filter(pk=module_id, course=course).first()
    if module is None:
        raise NotFound(_("Modul tidak ditemukan."))
    item = services.module_rating_save(user=request.auth, module=module, rating=payload.rating, body=payload.body)
    summary = next(m for m in selectors.module_rating_summary(course) if m.pk == module.pk)
    return {
        "module_id": module.pk,
        "rating": item.rating,
        "body": item.body,
        "rating_average": round(summary.avg or 0, 1),
        "rating_count": summary.count,
    }


# --- mentors and admins ---------------------------------------------------------------------------------------------


def _author(request):
    if not (services.is_admin(request.auth) or services.is_mentor(request.auth)):
        raise NotAllowed(_("Khusus mentor dan admin."))


@router.get(
    "/mentor/courses", response={200: MentorCoursePageOut, **_ERRORS}, auth=jwt_auth, summary="Kursus saya (mentor)"
)
def mentor_courses(request, filters: Query[PageIn]):
    _author(request)
    count, next_page, rows = _page(selectors.editable_courses(user=request.auth), filters.page)
    return {
        "count": count,
        "next_page": next_page,
        "results": [
            {
                "slug": c.slug,
                "title": c.title,
                "status": c.status,
                "status_label": str(c.get_status_display()),
                "review_note": c.review_note,
                "lesson_count": c.lesson_count,
                "student_count": c.student_count,
            }
            for c in rows
        ],
    }


def _editable(request, slug) -> Course:
    course = selectors.course_by_slug(slug)
    if course is None or not services.can_edit(request.auth, course):
        raise NotFound(_("Kursus tidak ditemukan."))
    return course


def _admin_course(request, slug) -> Course:
    """The course an admin endpoint acts on (403 for anyone but an admin)."""
    if not request.auth.has_role(Role.ADMIN):
        raise NotAllowed(_("Khusus admin."))
    return _editable(request, slug)


def _status(course) -> dict:
    course.refresh_from_db()
    return {
        "slug": course.slug,
        "title": course.title,
        "status": course.status,
        "status_label": str(course.get_status_display()),
        "review_note": course.review_note,
        "lesson_count": course.lessons.count(),
        "student_count": course.enrollments.count(),
    }


@router.post(
    "/mentor/courses/{slug}/submit",
    response={200: MentorCourseOut, **_ERRORS},
    auth=jwt_auth,
    summary="Ajukan kursus untuk review",
)
@idempotent
def mentor_submit(request, slug: str):
    course = _editable(request, slug)
    services.course_submit(actor=request.auth, course=course)
    return _status(course)


@router.post(
    "/admin/courses/{slug}/approve", response={200: MentorCourseOut, **_ERRORS}, auth=jwt_auth, summary="Setujui kursus"
)
@idempotent
def admin_approve(request, slug: str):
    course = _admin_course(request, slug)
    services.course_approve(actor=request.auth, course=course)
    return _status(course)


@router.post(
    "/admin/courses/{slug}/reject",
    response={200: MentorCourseOut, **_ERRORS},
    auth=jwt_auth,
    summary="Tolak kursus dengan catatan",
)
@idempotent
def admin_reject(request, slug: str, payload: RejectIn):
    course = _admin_course(request, slug)
    services.course_reject(actor=request.auth, course=course, note=payload.note)
    return _status(course)


def _extras_data(request, course) -> dict:
    extras = selectors.course_extras(course)
    provider = study_groups()
    groups = provider.choices(user=request.auth) if provider is not None else []
    return {
        "bonus_products": [{"id": p.pk, "title": p.title} for p in extras.bonus_products],
        "study_group": (
            {"id": extras.study_group.resource_id, "title": extras.study_group.name} if extras.study_group else None
        ),
        "bonus_product_choices": [
            {"id": p.pk, "title": p.title} for p in services.bonus_product_choices(request.auth)[:200]
        ],
        "study_group_choices": [{"id": rid, "title": name} for rid, name in groups],
    }


@router.get(
    "/mentor/courses/{slug}/extras",
    response={200: ExtrasOut, **_ERRORS},
    auth=jwt_auth,
    summary="Bonus produk dan grup belajar kursus",
)
def mentor_extras(request, slug: str):
    _author(request)
    return _extras_data(request, _editable(request, slug))


@router.put(
    "/mentor/courses/{slug}/extras",
    response={200: ExtrasOut, **_ERRORS},
    auth=jwt_auth,
    summary="Ubah bonus produk dan grup belajar kursus",
)
@idempotent
def mentor_extras_set(request, slug: str, payload: ExtrasIn):
    _author(request)
    course = _editable(request, slug)
    services.course_extras_set(
        actor=request.auth,
        course=course,
        bonus_products=payload.bonus_products,
        study_group=payload.study_group if payload.study_group is not None else "",
    )
    return _extras_data(request, course)


def _follow_ups_data(course) -> dict:
    return {
        "steps": [
            {"id": s.pk, "delay_days": s.delay_days, "message": s.message} for s in services.course_follow_ups(course)
        ]
    }


@router.get(
    "/mentor/courses/{slug}/follow-ups",
    response={200: FollowUpsOut, **_ERRORS},
    auth=jwt_auth,
    summary="Follow-up WhatsApp kursus",
)
def mentor_follow_ups(request, slug: str):
    _author(request)
    return _follow_ups_data(_editable(request, slug))


@router.put(
    "/admin/courses/{slug}/follow-ups",
    response={200: FollowUpsOut, **_ERRORS},
    auth=jwt_auth,
    summary="Ganti follow-up WhatsApp kursus (admin)",
)
@idempotent
def admin_follow_ups_set(request, slug: str, payload: FollowUpsIn):
    course = _admin_course(request, slug)
    services.course_follow_ups_set(
        actor=request.auth,
        course=course,
        steps=[FollowUpInput(delay_days=s.delay_days, message=s.message) for s in payload.steps],
    )
    return _follow_ups_data(course)


@router.get(
    "/mentor/submissions",
    response={200: PendingSubmissionPageOut, **_ERRORS},
    auth=jwt_auth,
    summary="Tugas menunggu penilaian",
)
def mentor_submissions(request, filters: Query[PageIn]):
    _author(request)
    count, next_page, rows = _page(selectors.grading_queue(user=request.auth), filters.page)
    return {
        "count": count,
        "next_page": next_page,
        "results": [
            {
                "id": s.pk,
                "learner": s.user.full_name or s.user.email,
                "assignment": s.assignment.title,
                "course": s.assignment.course.title,
                "text": s.text,
                "submitted_at": s.submitted_at,
            }
            for s in rows
        ],
    }


@router.post(
    "/mentor/submissions/{submission_id}/grade",
    response={200: SubmissionOut, **_ERRORS},
    auth=jwt_auth,
    summary="Nilai tugas",
)
@idempotent
def mentor_grade(request, submission_id: int, payload: GradeIn):
    _author(request)
    sub = Submission.objects.select_related("assignment__course", "user").filter(pk=submission_id).first()
    if sub is None or not services.can_edit(request.auth, sub.assignment.course):
        raise NotFound(_("Tugas tidak ditemukan."))
    sub = services.submission_grade(
        actor=request.auth, submission=sub, points=payload.points, feedback=payload.feedback
    )
    return _submission_data(sub)


def _essays(attempt) -> list[dict]:
    return [
        {
            "question": r["question"].pk,
            "text": r["question"].text,
            "answer": r["given"][0] if r["given"] else "",
            "max_points": r["question"].points,
            "points": r["points"],
        }
        for r in selectors.attempt_review(attempt)
        if r["question"].kind == "essay"
    ]


@router.get(
    "/mentor/quiz-attempts",
    response={200: PendingEssayPageOut, **_ERRORS},
    auth=jwt_auth,
    summary="Esai kuis menunggu penilaian",
)
def mentor_essays(request, filters: Query[PageIn]):
    _author(request)
    queue = selectors.essay_queue(user=request.auth).prefetch_related("quiz__questions__choices")
    count, next_page, rows = _page(queue, filters.page)
    return {
        "count": count,
        "next_page": next_page,
        "results": [
            {
                "id": a.pk,
                "learner": a.user.full_name or a.user.email,
                "quiz": a.quiz.title,
                "course": a.quiz.course.title,
                "submitted_at": a.submitted_at,
                "essays": _essays(a),
            }
            for a in rows
        ],
    }


@router.post(
    "/mentor/quiz-attempts/{attempt_id}/grade",
    response={200: ResultOut, **_ERRORS},
    auth=jwt_auth,
    summary="Nilai esai kuis",
)
@idempotent
def mentor_essay_grade(request, attempt_id: int, payload: EssayGradeIn):
    _author(request)
    attempt = QuizAttempt.objects.select_related("quiz__course", "user").filter(pk=attempt_id).first()
    if attempt is None or attempt.submitted_at is None or not services.can_edit(request.auth, attempt.quiz.course):
        raise NotFound(_("Percobaan kuis tidak ditemukan."))
    attempt = services.attempt_grade(
        actor=request.auth, attempt=attempt, points=payload.points, feedback=payload.feedback
    )
    return _result_data(attempt)


@router.get(
    "/mentor/courses/{slug}/broadcasts",
    response={200: CourseBroadcastPageOut, **_ERRORS},
    auth=jwt_auth,
    summary="Riwayat pengumuman kursus",
    description="Pengumuman yang pernah dikirim ke murid kursus ini (oleh mentor, instruktur, atau admin), terbaru "
    "dulu, 20 per halaman.",
)
def mentor_broadcasts(request, slug: str, filters: Query[PageIn]):
    course = _editable(request, slug)
    count, next_page, rows = _page(selectors.course_broadcasts(course=course), filters.page)
    return {
        "count": count,
        "next_page": next_page,
        "results": [
            {
                "id": b.pk,
                "message": b.message,
                "recipients": b.recipients,
                "sender": b.mentor.full_name if b.mentor else "",
                "created_at": b.created_at,
            }
            for b in rows
        ],
    }


@router.post(
    "/mentor/courses/{slug}/broadcast",
    response={200: BroadcastOut, **_ERRORS},
    auth=jwt_auth,
    summary="Kirim pengumuman ke murid kursus",
)
@idempotent
def mentor_broadcast(request, slug: str, payload: BroadcastIn):
    course = _editable(request, slug)
    return {"recipients": services.course_broadcast(actor=request.auth, course=course, message=payload.message)}


from . import api_author  # noqa: E402, F401  (the authoring and review endpoints, on this router)
