"""Authoring and review API for the mentors' and admins' apps: a course with every field of the editor's tabs, its
co-instructors and cover; modules, lessons (text / video, attachments, private video, preview, drip), quizzes with
questions of every kind, assignments; one reorder endpoint; submission for review, the admin's status changes and
review queue; a course's students with their progress. Every endpoint calls the services the editor pages call.
A mentor reaches only the courses they author, are responsible for or co-instruct (404 otherwise) and changes
them only in the states PRODUCT.md allows (409 with the reason otherwise); admins reach every course."""

from django.utils.translation import gettext as _
from ninja import File, Form, Query
from ninja.files import UploadedFile
from ninja.responses import Status

from sanggar.api.auth import jwt_auth
from sanggar.api.idempotency import idempotent
from sanggar.core.exceptions import NotAllowed, NotFound, ServiceError
from sanggar.core.site import absolute

from . import selectors, services
from . import video as videos
from .api import _ERRORS, _admin_course, _author, _page, _status, router
from .models import Assignment, Course, Lesson, LessonAttachment, Module, Question, Quiz
from .schemas import MentorCourseOut, PageIn
from .schemas_author import (
    AssignmentAuthorOut,
    AssignmentIn,
    AuthorOkOut,
    AuthorOrderIn,
    AuthorQuestionOut,
    CourseAuthorOut,
    CourseIn,
    InstructorsIn,
    LessonAuthorOut,
    LessonIn,
    LessonMoveIn,
    ModuleAuthorOut,
    ModuleIn,
    QuestionIn,
    QuizAuthorOut,
    QuizIn,
    ReviewFilters,
    ReviewPageOut,
    StatusIn,
    StudentPageOut,
)


def _route(method: str, path: str, out, summary: str, status: int = 200, operation_id: str | None = None):
    """Registers an endpoint on the courses router (the same router as api.py's: one path may not be split over
    two routers), signed in with a Bearer token; POST/PUT/PATCH take an Idempotency-Key (a DELETE is idempotent by
    HTTP's own rules). `operation_id`: a shorter name where the path's would pass the contract's 40 characters."""

    def register(view):
        view = idempotent(view) if method in ("post", "put", "patch") else view
        extra = {"operation_id": operation_id} if operation_id else {}
        return getattr(router, method)(
            path, response={status: out, **_ERRORS}, auth=jwt_auth, summary=summary, **extra
        )(view)

    return register


def _wrong_state(exc: ServiceError):
    """A refusal because of the course's state answers 409 (the request is fine, the course is not editable)."""
    if exc.code == "wrong_state":
        exc.status_code = 409
    return exc


def _run(fn, **kwargs):
    try:
        return fn(**kwargs)
    except NotAllowed:
        raise
    except ServiceError as exc:
        raise _wrong_state(exc) from None


def _course(request, slug: str) -> Course:
    """The course the caller may edit (mentors and admins only; 404 for someone else's course)."""
    _author(request)
    course = selectors.course_by_slug(slug)
    if course is None or not services.can_edit(request.auth, course):
        raise NotFound(_("Kursus tidak ditemukan."))
    return course


def _get(qs, **filters):
    """One row of the course (404 with a reason otherwise)."""
    row = qs.filter(**filters).first() if hasattr(qs, "filter") else qs.objects.filter(**filters).first()
    if row is None:
        raise NotFound(_("Materi tidak ditemukan."))
    return row


def _person(user) -> dict | None:
    return {"id": user.pk, "name": user.full_name or user.email} if user is not None else None


def _lesson_data(lesson: Lesson) -> dict:
    return {
        "id": lesson.pk,
        "module_id": lesson.module_id,
        "title": lesson.title,
        "kind": lesson.kind,
        "content": lesson.content,
        "video_url": lesson.video_url,
        "has_video_file": bool(lesson.video_file),
        "duration_minutes": lesson.duration_minutes,
        "is_preview": lesson.is_preview,
        "drip_days": lesson.drip_days,
        "available_on": lesson.available_on,
        "prerequisite": lesson.prerequisite_id,
        "position": lesson.position,
        "attachments": [{"id": a.pk, "title": a.title, "size": a.size} for a in lesson.attachments.all()],
    }


def _question_data(question: Question) -> dict:
    return {
        "id": question.pk,
        "kind": question.kind,
        "text": question.text,
        "explanation": question.explanation,
        "points": question.points,
        "choices": [
            {"id": c.pk, "text": c.text, "match_text": c.match_text, "is_correct": c.is_correct}
            for c in question.choices.all()
        ],
    }


def _quiz_data(quiz: Quiz) -> dict:
    fields = ("title", "description", "pass_percent", "max_attempts", "time_limit_minutes", "shuffle")
    return {
        "id": quiz.pk,
        "module_id": quiz.module_id,
        **{name: getattr(quiz, name) for name in fields},
        "show_answers": quiz.show_answers,
        "is_required": quiz.is_required,
        "position": quiz.position,
        "questions": [_question_data(q) for q in quiz.questions.all()],
    }


def _assignment_data(item: Assignment) -> dict:
    return {
        "id": item.pk,
        "module_id": item.module_id,
        "title": item.title,
        "instructions": item.instructions,
        "max_points": item.max_points,
        "allow_file": item.allow_file,
        "position": item.position,
    }


def _course_data(request, course: Course) -> dict:
    course = selectors.course_by_slug(course.slug)
    modules = course.modules.prefetch_related(
        "lessons__attachments", "quizzes__questions__choices", "assignments"
    ).order_by("position", "id")
    fields = (
        "slug",
        "title",
        "summary",
        "description",
        "level",
        "language",
        "role_access",
        "is_public",
        "price",
        "promo_price",
        "affiliate_enabled",
        "affiliate_commission_percent",
        "mentor_share_percent",
        "certificate_enabled",
        "pixel_meta_id",
        "pixel_google_id",
        "pixel_tiktok_id",
        "status",
        "review_note",
    )
    return {
        **{name: getattr(course, name) for name in fields},
        "category": course.category_id,
        "cover_url": absolute(course.cover.url, request) if course.cover else "",
        "status_label": str(course.get_status_display()),
        "mentor": _person(course.mentor),
        "instructors": [_person(u) for u in course.instructors.order_by("full_name", "pk")],
        "editable": services.editable_state(request.auth, course),
        "can_set_instructors": services.is_owner(request.auth, course),
        "modules": [
            {
                "id": m.pk,
                "title": m.title,
                "position": m.position,
                "lessons": [_lesson_data(lesson) for lesson in m.lessons.all()],
                "quizzes": [_quiz_data(q) for q in m.quizzes.all()],
                "assignments": [_assignment_data(a) for a in m.assignments.all()],
            }
            for m in modules
        ],
    }


# --- courses ---------------------------------------------------------------------------------------------------------


@_route("post", "/mentor/courses", CourseAuthorOut, "Buat kursus", status=201)
def course_create(request, payload: CourseIn):
    _author(request)
    data = payload.dict(exclude_unset=True)
    course = _run(services.course_create, actor=request.auth, data=data)
    return Status(201, _course_data(request, course))


@_route("get", "/mentor/courses/{slug}", CourseAuthorOut, "Kursus untuk diedit")
def course_get(request, slug: str):
    return _course_data(request, _course(request, slug))


@_route("patch", "/mentor/courses/{slug}", CourseAuthorOut, "Ubah kursus")
def course_update(request, slug: str, payload: CourseIn):
    course = _course(request, slug)
    data = payload.dict(exclude_unset=True)
    data.pop("status", None)  # status changes through submit / the admin's status endpoint
    _run(services.course_update, actor=request.auth, course=course, data=data)
    return _course_data(request, course)


@_route("post", "/mentor/courses/{slug}/cover", CourseAuthorOut, "Unggah sampul kursus")
def course_cover(request, slug: str, file: File[UploadedFile]):
    course = _course(request, slug)
    _run(services.course_cover_set, actor=request.auth, course=course, upload=file)
    return _course_data(request, course)


@_route("delete", "/mentor/courses/{slug}", AuthorOkOut, "Hapus kursus")
def course_delete(request, slug: str):
    """Admins delete a course nothing holds (no students, orders, certificates, access given, plan, product or
    coupon including it); a mentor deletes their own draft without students. Otherwise 409 with the reason, which
    for admins offers archiving instead (`POST /admin/courses/{slug}/status` with `archived`)."""
    course = _course(request, slug)
    _run(services.course_delete, actor=request.auth, course=course)
    return {"ok": True}


@_route("put", "/mentor/courses/{slug}/instructors", CourseAuthorOut, "Atur instruktur pendamping")
def course_instructors(request, slug: str, payload: InstructorsIn):
    course = _course(request, slug)
    _run(services.course_instructors_set, actor=request.auth, course=course, user_ids=payload.instructors)
    return _course_data(request, course)


@_route("put", "/mentor/courses/{slug}/order", AuthorOkOut, "Urutkan materi")
def course_order(request, slug: str, payload: AuthorOrderIn):
    """The new order of the course's modules, or of one module's lessons, quizzes or assignments (`ids`)."""
    course = _course(request, slug)
    _run(services.reorder, actor=request.auth, course=course, kind=payload.kind, ids=payload.ids)
    return {"ok": True}


@_route("post", "/admin/courses/{slug}/status", MentorCourseOut, "Ubah status kursus (admin)")
def admin_status(request, slug: str, payload: StatusIn):
    course = _admin_course(request, slug)
    services.course_set_status(actor=request.auth, course=course, status=payload.status)
    return _status(course)


@_route("get", "/admin/courses/review", ReviewPageOut, "Antrean review kursus")
def admin_review(request, filters: Query[ReviewFilters]):
    if not services.is_admin(request.auth):
        raise NotAllowed(_("Khusus admin."))
    count, next_page, rows = _page(selectors.review_list(status=filters.status), filters.page)
    return {
        "count": count,
        "next_page": next_page,
        "counts": selectors.review_counts(),
        "results": [
            {
                "slug": c.slug,
                "title": c.title,
                "status": c.status,
                "status_label": str(c.get_status_display()),
                "review_note": c.review_note,
                "mentor": _person(c.mentor or c.created_by),
                "lesson_count": c.lesson_count,
                "updated_at": c.updated_at,
            }
            for c in rows
        ],
    }


@_route("get", "/mentor/courses/{slug}/students", StudentPageOut, "Murid kursus dan progres")
def course_students(request, slug: str, filters: Query[PageIn]):
    course = _course(request, slug)
    count, next_page, rows = _page(selectors.course_students(course=course), filters.page)
    return {
        "count": count,
        "next_page": next_page,
        "results": [
            {
                "id": e.user_id,
                "name": e.user.full_name or e.user.email,
                "email": e.user.email,
                "source": e.source,
                "enrolled_at": e.created_at,
                "progress_percent": e.progress_percent,
                "completed_at": e.completed_at,
                "last_activity_at": e.last_activity_at,
                "last_lesson": {"id": e.last_lesson.pk, "title": e.last_lesson.title} if e.last_lesson else None,
            }
            for e in rows
        ],
    }


# --- modules ---------------------------------------------------------------------------------------------------------


def _module(course, module_id) -> Module:
    return _get(Module, pk=module_id, course=course)


def _module_data(module: Module) -> dict:
    return {
        "id": module.pk,
        "title": module.title,
        "position": module.position,
        "lessons": [],
        "quizzes": [],
        "assignments": [],
    }


@_route("post", "/mentor/courses/{slug}/modules", ModuleAuthorOut, "Tambah modul", status=201)
def module_create(request, slug: str, payload: ModuleIn):
    course = _course(request, slug)
    module = _run(services.module_save, actor=request.auth, course=course, title=payload.title)
    return Status(201, _module_data(module))


@_route("put", "/mentor/courses/{slug}/modules/{module_id}", AuthorOkOut, "Ubah judul modul")
def module_update(request, slug: str, module_id: int, payload: ModuleIn):
    course = _course(request, slug)
    _run(
        services.module_save, actor=request.auth, course=course, title=payload.title, module=_module(course, module_id)
    )
    return {"ok": True}


@_route("delete", "/mentor/courses/{slug}/modules/{module_id}", AuthorOkOut, "Hapus modul")
def module_delete(request, slug: str, module_id: int):
    course = _course(request, slug)
    _run(services.module_delete, actor=request.auth, module=_module(course, module_id))
    return {"ok": True}


# --- lessons ---------------------------------------------------------------------------------------------------------


def _lesson(course, lesson_id) -> Lesson:
    return _get(Lesson.objects.prefetch_related("attachments"), pk=lesson_id, course=course)


def _lesson_values(payload: LessonIn) -> dict:
    data = payload.dict()
    data["available_on"] = data["available_on"].isoformat() if data["available_on"] else None
    return data


@_route("post", "/mentor/courses/{slug}/modules/{module_id}/lessons", LessonAuthorOut, "Tambah pelajaran", status=201)
def lesson_create(request, slug: str, module_id: int, payload: LessonIn):
    course = _course(request, slug)
    module = _module(course, module_id)
    lesson = _run(services.lesson_save, actor=request.auth, module=module, data=_lesson_values(payload))
    return Status(201, _lesson_data(lesson))


@_route("get", "/mentor/courses/{slug}/lessons/{lesson_id}", LessonAuthorOut, "Pelajaran")
def lesson_get(request, slug: str, lesson_id: int):
    return _lesson_data(_lesson(_course(request, slug), lesson_id))


@_route("put", "/mentor/courses/{slug}/lessons/{lesson_id}", LessonAuthorOut, "Ubah pelajaran")
def lesson_update(request, slug: str, lesson_id: int, payload: LessonIn):
    course = _course(request, slug)
    lesson = _lesson(course, lesson_id)
    if payload.prerequisite == lesson.pk:
        raise ServiceError(
            _("Periksa kembali isian pelajaran."),
            errors={"prerequisite": [_("Pelajaran tidak bisa menjadi prasyaratnya sendiri.")]},
        )
    lesson = _run(
        services.lesson_save, actor=request.auth, module=lesson.module, data=_lesson_values(payload), lesson=lesson
    )
    return _lesson_data(_lesson(course, lesson.pk))


@_route(
    "post",
    "/mentor/courses/{slug}/lessons/{lesson_id}/move",
    LessonAuthorOut,
    "Pindahkan pelajaran ke modul lain",
    operation_id="mentor_lesson_move",
)
def lesson_move(request, slug: str, lesson_id: int, payload: LessonMoveIn):
    """Moves a lesson into another module of the same course (or to another place in its own) at `position`."""
    course = _course(request, slug)
    lesson = _lesson(course, lesson_id)
    module = _get(Module, pk=payload.module_id, course=course)
    _run(services.lesson_move, actor=request.auth, lesson=lesson, module=module, position=payload.position)
    return _lesson_data(_lesson(course, lesson.pk))


@_route("delete", "/mentor/courses/{slug}/lessons/{lesson_id}", AuthorOkOut, "Hapus pelajaran")
def lesson_delete(request, slug: str, lesson_id: int):
    course = _course(request, slug)
    _run(services.lesson_delete, actor=request.auth, lesson=_lesson(course, lesson_id))
    return {"ok": True}


@_route(
    "post",
    "/mentor/courses/{slug}/lessons/{lesson_id}/attachments",
    LessonAuthorOut,
    "Tambah lampiran pelajaran",
    status=201,
    operation_id="mentor_lesson_attachments_create",
)
def attachment_create(request, slug: str, lesson_id: int, file: File[UploadedFile], title: Form[str] = ""):
    course = _course(request, slug)
    lesson = _lesson(course, lesson_id)
    _run(services.attachment_add, actor=request.auth, lesson=lesson, title=title, upload=file)
    return Status(201, _lesson_data(_lesson(course, lesson_id)))


@_route(
    "delete",
    "/mentor/courses/{slug}/lessons/{lesson_id}/attachments/{attachment_id}",
    AuthorOkOut,
    "Hapus lampiran pelajaran",
    operation_id="mentor_lesson_attachments_delete",
)
def attachment_delete(request, slug: str, lesson_id: int, attachment_id: int):
    course = _course(request, slug)
    item = _get(LessonAttachment, pk=attachment_id, lesson=_lesson(course, lesson_id))
    _run(services.attachment_delete, actor=request.auth, attachment=item)
    return {"ok": True}


@_route(
    "post",
    "/mentor/courses/{slug}/lessons/{lesson_id}/video",
    LessonAuthorOut,
    "Unggah video pribadi pelajaran (MP4/WebM)",
)
def video_upload(request, slug: str, lesson_id: int, file: File[UploadedFile]):
    course = _course(request, slug)
    _run(videos.lesson_video_set, actor=request.auth, lesson=_lesson(course, lesson_id), upload=file)
    return _lesson_data(_lesson(course, lesson_id))


@_route("delete", "/mentor/courses/{slug}/lessons/{lesson_id}/video", LessonAuthorOut, "Hapus video unggahan pelajaran")
def video_remove(request, slug: str, lesson_id: int):
    course = _course(request, slug)
    _run(videos.lesson_video_remove, actor=request.auth, lesson=_lesson(course, lesson_id))
    return _lesson_data(_lesson(course, lesson_id))


# --- quizzes and questions -------------------------------------------------------------------------------------------


def _quiz(course, quiz_id) -> Quiz:
    return _get(Quiz.objects.prefetch_related("questions__choices"), pk=quiz_id, course=course)


@_route("post", "/mentor/courses/{slug}/modules/{module_id}/quizzes", QuizAuthorOut, "Tambah kuis", status=201)
def quiz_create(request, slug: str, module_id: int, payload: QuizIn):
    course = _course(request, slug)
    quiz = _run(services.quiz_save, actor=request.auth, module=_module(course, module_id), data=payload.dict())
    return Status(201, _quiz_data(_quiz(course, quiz.pk)))


@_route("get", "/mentor/courses/{slug}/quizzes/{quiz_id}", QuizAuthorOut, "Kuis")
def quiz_get(request, slug: str, quiz_id: int):
    return _quiz_data(_quiz(_course(request, slug), quiz_id))


@_route("put", "/mentor/courses/{slug}/quizzes/{quiz_id}", QuizAuthorOut, "Ubah kuis")
def quiz_update(request, slug: str, quiz_id: int, payload: QuizIn):
    course = _course(request, slug)
    quiz = _quiz(course, quiz_id)
    _run(services.quiz_save, actor=request.auth, module=quiz.module, data=payload.dict(), quiz=quiz)
    return _quiz_data(_quiz(course, quiz_id))


@_route("delete", "/mentor/courses/{slug}/quizzes/{quiz_id}", AuthorOkOut, "Hapus kuis")
def quiz_delete(request, slug: str, quiz_id: int):
    course = _course(request, slug)
    _run(services.quiz_delete, actor=request.auth, quiz=_quiz(course, quiz_id))
    return {"ok": True}


def _choices(payload: QuestionIn) -> list[tuple]:
    if payload.kind == "matching":
        return [(c.text, c.match_text) for c in payload.choices]
    return [(c.text, c.is_correct) for c in payload.choices]


@_route("post", "/mentor/courses/{slug}/quizzes/{quiz_id}/questions", AuthorQuestionOut, "Tambah soal", status=201)
def question_create(request, slug: str, quiz_id: int, payload: QuestionIn):
    course = _course(request, slug)
    question = _run(
        services.question_add,
        actor=request.auth,
        quiz=_quiz(course, quiz_id),
        kind=payload.kind,
        text=payload.text,
        choices=_choices(payload),
        explanation=payload.explanation,
        points=payload.points,
    )
    return Status(201, _question_data(question))


@_route("delete", "/mentor/courses/{slug}/quizzes/{quiz_id}/questions/{question_id}", AuthorOkOut, "Hapus soal")
def question_delete(request, slug: str, quiz_id: int, question_id: int):
    course = _course(request, slug)
    question = _get(Question, pk=question_id, quiz=_quiz(course, quiz_id))
    _run(services.question_delete, actor=request.auth, question=question)
    return {"ok": True}


# --- assignments -----------------------------------------------------------------------------------------------------


def _assignment(course, assignment_id) -> Assignment:
    return _get(Assignment, pk=assignment_id, course=course)


@_route(
    "post",
    "/mentor/courses/{slug}/modules/{module_id}/assignments",
    AssignmentAuthorOut,
    "Tambah tugas",
    status=201,
    operation_id="mentor_module_assignments_create",
)
def assignment_create(request, slug: str, module_id: int, payload: AssignmentIn):
    course = _course(request, slug)
    item = _run(services.assignment_save, actor=request.auth, module=_module(course, module_id), data=payload.dict())
    return Status(201, _assignment_data(item))


@_route("put", "/mentor/courses/{slug}/assignments/{assignment_id}", AssignmentAuthorOut, "Ubah tugas")
def assignment_update(request, slug: str, assignment_id: int, payload: AssignmentIn):
    course = _course(request, slug)
    item = _assignment(course, assignment_id)
    item = _run(services.assignment_save, actor=request.auth, module=item.module, data=payload.dict(), assignment=item)
    return _assignment_data(item)


@_route("delete", "/mentor/courses/{slug}/assignments/{assignment_id}", AuthorOkOut, "Hapus tugas")
def assignment_delete(request, slug: str, assignment_id: int):
    course = _course(request, slug)
    _run(services.assignment_delete, actor=request.auth, assignment=_assignment(course, assignment_id))
    return {"ok": True}
