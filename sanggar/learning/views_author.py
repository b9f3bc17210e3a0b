"""Authoring and review: mentors build their courses (five tabs: Informasi Kelas, Materi Kelas, Pengaturan Akses,
Pengaturan Harga, Status & Publikasi), submit them; admins see every course, a review queue, approve or reject with
a note, change status; students and their progress, the grading queue and statistics."""

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sanggar.accounts.selectors import users_with_role
from sanggar.catalog.constants import CommissionType
from sanggar.catalog.forms import post_rows
from sanggar.catalog.pixels import PIXEL_FIELDS, PIXEL_HELP
from sanggar.catalog.services import FollowUpInput
from sanggar.catalog.views.plans import follow_up_config, follow_up_rows
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.files import private_file_response
from sanggar.core.formatting import rupiah
from sanggar.core.listing import Filter, paginate
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role
from sanggar.notifications.selectors import message_template_get

from . import selectors, services
from . import video as videos
from .constants import (
    ADMIN_PAGE_SIZE,
    ApplicationStatus,
    CourseLevel,
    CourseStatus,
    LessonKind,
    Notify,
    QuestionKind,
    RoleAccess,
)
from .hooks import edit_tabs, study_groups
from .models import (
    Assignment,
    Course,
    CourseCategory,
    Lesson,
    LessonAttachment,
    MentorApplication,
    Module,
    Question,
    Quiz,
    QuizAttempt,
    Submission,
)

AUTHORS = (Role.MENTOR, Role.ADMIN)
TABS = (
    ("info", _("Informasi Kelas")),
    ("materi", _("Materi Kelas")),
    ("akses", _("Pengaturan Akses")),
    ("harga", _("Pengaturan Harga")),
    ("status", _("Status & Publikasi")),
)
TAB_FIELDS = {
    "info": ("title", "summary", "description", "category", "level", "language", "mentor"),
    "akses": ("role_access", "is_public"),
    "harga": (
        "price",
        "promo_price",
        "affiliate_enabled",
        "affiliate_commission_percent",
        "affiliate_commission_type",
        "affiliate_commission_flat",
        "mentor_share_percent",
        "certificate_enabled",
        *PIXEL_FIELDS,
    ),
}
# The shortcodes a course's follow-up may use (orders fills them when the order is paid).
COURSE_FOLLOW_UP_SHORTCODES = ("{name}", "{email}", "{whatsapp}", "{course}", "{invoice}", "{dashboard_link}")
CHECKBOXES = {"is_public", "affiliate_enabled", "certificate_enabled"}


def _editable(request, slug):
    course = selectors.course_by_slug(slug)
    if course is None or not services.can_edit(request.user, course):
        raise Http404
    return course


def _errors_message(request, exc: ServiceError) -> None:
    details = [f"{m}" for ms in exc.errors.values() for m in ms]
    messages.error(request, " ".join([exc.message, *details]))


def _form_values(post, names) -> dict:
    data = {}
    for name in names:
        if name in CHECKBOXES:
            data[name] = post.get(name) in ("on", "1", "true")
        elif name in post:
            data[name] = post.get(name)
    return data


@role_required(*AUTHORS)
@require_GET
def manage(request):
    status = Filter(request, "status", _("Status"), CourseStatus.choices)
    qs = selectors.editable_courses(user=request.user)
    if status.value:
        qs = qs.filter(status=status.value)
    page = paginate(request, qs, per_page=ADMIN_PAGE_SIZE)
    return render(
        request,
        "learning/author/manage.html",
        {
            "page_obj": page,
            "rows": page.object_list,
            "filters": [status],
            "is_admin": services.is_admin(request.user),
        },
    )


def _context(request, course=None, **extra) -> dict:
    return {
        "pixel_fields": [
            (name, label, PIXEL_HELP[name], (extra.get("post") or {}).get(name, getattr(course, name, "")))
            for name, (label, _pattern) in PIXEL_FIELDS.items()
        ],
        "course": course,
        "tabs": TABS,
        "levels": CourseLevel.choices,
        "role_accesses": RoleAccess.choices,
        "commission_types": CommissionType.choices,
        "statuses": [(v, label) for v, label in CourseStatus.choices if v != CourseStatus.PENDING],
        "categories": CourseCategory.objects.all()[:100],
        "mentors": list(users_with_role(role=Role.MENTOR).filter(is_active=True)[:200])
        if services.is_admin(request.user)
        else [],
        "is_admin": services.is_admin(request.user),
        "extra_tabs": extra_tabs(request, course),
        **_instructor_context(request, course),
        **extra,
    }


def extra_tabs(request, course) -> list[dict]:
    """The tabs higher apps added to the course editor (hooks.edit_tab_register) this author sees: key, label, url."""
    if course is None:
        return []
    tabs = edit_tabs(is_admin=services.is_admin(request.user))
    return [{"key": key, "label": label, "url": reverse(url, args=[course.pk])} for key, label, url in tabs]


def course_tab_context(request, course, tab: str) -> dict:
    """What `learning/author/_tab_layout.html` needs: a higher app's tab of the course editor renders with it."""
    return {"course": course, "tabs": TABS, "extra_tabs": extra_tabs(request, course), "tab": tab}


def _instructor_context(request, course) -> dict:
    """The Informasi Kelas tab's co-instructor picker (admins and the course's owner; at most 200 mentors) and
    whether the caller may change the course in its state."""
    if course is None:
        return {"can_set_instructors": False, "editable": True}
    owner = services.is_owner(request.user, course)
    choices = []
    if owner:
        choices = list(
            users_with_role(role=Role.MENTOR)
            .exclude(pk__in=[pk for pk in (course.mentor_id,) if pk])
            .only("pk", "full_name", "email")[:200]
        )
    return {
        "can_set_instructors": owner,
        "instructor_choices": choices,
        "instructor_selected": services.instructor_ids(course),
        "editable": services.editable_state(request.user, course),
        "read_only_reason": services.read_only_reason(request.user, course),
        "can_delete_link": services.is_owner(request.user, course),
    }


@role_required(*AUTHORS)
def create(request):
    # Admins may adopt a placeholder course resource (a plan's "dasar-ekspor"): picked from a list, it keeps its key.
    placeholders = list(services.course_placeholders()[:200]) if services.is_admin(request.user) else []
    if request.method == "POST":
        data = _form_values(request.POST, TAB_FIELDS["info"] + TAB_FIELDS["akses"])
        try:
            if request.POST.get("placeholder", ""):
                course = services.course_adopt(
                    actor=request.user, resource_id=request.POST.get("placeholder"), data=data
                )
            else:
                course = services.course_create(actor=request.user, data=data)
        except ServiceError as exc:
            return render(
                request,
                "learning/author/create.html",
                _context(request, error=exc, post=request.POST, placeholders=placeholders),
                status=400,
            )
        messages.success(request, _("Kursus dibuat. Lanjutkan dengan menyusun materi."))
        return redirect(f"{course_edit_url(course)}?tab=materi")
    return render(request, "learning/author/create.html", _context(request, post={}, placeholders=placeholders))


def course_edit_url(course) -> str:
    return reverse("learning:edit", args=[course.slug])


def _extras_context(request, course) -> dict:
    """The Pengaturan Akses tab's bonus products and study group pickers (at most 200 choices each)."""
    extras = selectors.course_extras(course)
    provider = study_groups()
    groups = provider.choices(user=request.user) if provider is not None else []
    if extras.study_group and extras.study_group.resource_id not in {rid for rid, _name in groups}:
        groups = [(extras.study_group.resource_id, extras.study_group.name), *groups]
    return {
        "extras": extras,
        "bonus_choices": list(services.bonus_product_choices(request.user)[:200]),
        "bonus_selected": {p.pk for p in extras.bonus_products},
        "group_choices": groups,
        "groups_available": provider is not None,
    }


@role_required(*AUTHORS)
def edit(request, slug):
    course = _editable(request, slug)
    tab = request.GET.get("tab", "info")
    tab = tab if tab in dict(TABS) else "info"
    error = None
    if request.method == "POST" and tab == "akses" and request.POST.get("section") == "extras":
        try:
            services.course_extras_set(
                actor=request.user,
                course=course,
                bonus_products=request.POST.getlist("bonus_products"),
                study_group=request.POST.get("study_group", ""),
            )
            messages.success(request, _("Bonus dan grup belajar disimpan."))
            return redirect(f"{course_edit_url(course)}?tab=akses")
        except ServiceError as exc:
            error = exc
    elif request.method == "POST" and tab in TAB_FIELDS:
        try:
            services.course_update(actor=request.user, course=course, data=_form_values(request.POST, TAB_FIELDS[tab]))
            if tab == "info" and "instructors_field" in request.POST and services.is_owner(request.user, course):
                services.course_instructors_set(
                    actor=request.user, course=course, user_ids=request.POST.getlist("instructors")
                )
            if tab == "info" and request.FILES.get("cover"):
                services.course_cover_set(actor=request.user, course=course, upload=request.FILES["cover"])
            messages.success(request, _("Perubahan disimpan."))
            return redirect(f"{course_edit_url(course)}?tab={tab}")
        except ServiceError as exc:
            error = exc
    outline = selectors.outline(user=request.user, course=course) if tab == "materi" else None
    return render(
        request,
        "learning/author/edit.html",
        _context(
            request,
            course,
            tab=tab,
            error=error,
            outline=outline,
            post=request.POST if error else None,
            lesson_kinds=LessonKind.choices,
            **(_extras_context(request, course) if tab == "akses" else {}),
        ),
        status=400 if error else 200,
    )


@role_required(*AUTHORS)
@require_POST
def submit(request, slug):
    course = _editable(request, slug)
    try:
        services.course_submit(actor=request.user, course=course)
        messages.success(request, _("Kursus diajukan. Admin akan mereviewnya."))
    except ServiceError as exc:
        _errors_message(request, exc)
    return redirect(f"{course_edit_url(course)}?tab=status")


@role_required(Role.ADMIN)
@require_POST
def status(request, slug):
    course = _editable(request, slug)
    action = request.POST.get("action", "")
    try:
        if action == "approve":
            services.course_approve(actor=request.user, course=course)
            messages.success(request, _("Kursus disetujui dan terbit."))
        elif action == "reject":
            services.course_reject(actor=request.user, course=course, note=request.POST.get("note", ""))
            messages.success(request, _("Kursus dikembalikan ke mentor dengan catatan."))
        else:
            services.course_set_status(actor=request.user, course=course, status=request.POST.get("status", ""))
            messages.success(request, _("Status kursus diubah."))
    except ServiceError as exc:
        _errors_message(request, exc)
    if request.POST.get("next") == "review":
        return redirect("learning:admin_review")
    return redirect(f"{course_edit_url(course)}?tab=status")


@role_required(*AUTHORS)
def follow_ups(request, slug):
    """The course's WhatsApp follow-ups: catalog's step editor (the same as plans' and products'); admins edit,
    the course's mentor reads them."""
    course = _editable(request, slug)
    errors: dict = {}
    if request.method == "POST":
        rows = post_rows(request.POST, "step", ("id", "delay_days", "message"))
        try:
            services.course_follow_ups_set(actor=request.user, course=course, steps=[FollowUpInput(**r) for r in rows])
        except NotAllowed:
            raise Http404 from None
        except ServiceError as exc:
            errors = exc.errors or {"steps": [exc.message]}
        else:
            messages.success(request, _("Urutan follow-up WhatsApp disimpan."))
            return redirect("learning:follow_ups", slug=course.slug)
    else:
        rows = follow_up_rows(services.course_follow_ups(course))
    return render(
        request,
        "catalog/admin/follow_ups.html",
        {
            "course": course,
            "tabs": TABS,
            "extra_tabs": extra_tabs(request, course),
            "rows_config": follow_up_config(rows, errors),
            "shortcodes": COURSE_FOLLOW_UP_SHORTCODES,
            "owner_kind": "course",
            "layout": "learning/author/_follow_ups_layout.html",
            "can_edit_follow_ups": services.is_admin(request.user),
        },
        status=400 if errors else 200,
    )


@role_required(*AUTHORS)
def delete(request, slug):
    """The confirmation page of deleting a course (GET), and the deletion (POST). When the course may not be deleted
    the page says why and, for admins, offers archiving instead."""
    course = _editable(request, slug)
    refusal = services.course_delete_refusal(actor=request.user, course=course)
    if request.method == "POST" and not refusal:
        title = course.title
        try:
            services.course_delete(actor=request.user, course=course)
        except ServiceError as exc:
            refusal = exc.message
        else:
            messages.success(request, _("Kursus “%(title)s” dihapus.") % {"title": title})
            return redirect("learning:manage")
    elif request.method == "POST":
        messages.error(request, refusal)
    can_archive = services.is_admin(request.user) and course.status != CourseStatus.ARCHIVED
    return render(
        request,
        "learning/author/delete.html",
        {"course": course, "refusal": refusal, "can_archive": bool(refusal) and can_archive},
        status=409 if refusal and request.method == "POST" else 200,
    )


# --- curriculum ------------------------------------------------------------------------------------------------------


def _back(course, anchor=""):
    return redirect(f"{course_edit_url(course)}?tab=materi{anchor}")


@role_required(*AUTHORS)
@require_POST
def module_save(request, slug, module_id=None):
    course = _editable(request, slug)
    module = get_object_or_404(Module, pk=module_id, course=course) if module_id else None
    try:
        if request.POST.get("action") == "delete" and module is not None:
            services.module_delete(actor=request.user, module=module)
            messages.success(request, _("Modul dihapus."))
        else:
            services.module_save(actor=request.user, course=course, title=request.POST.get("title", ""), module=module)
            messages.success(request, _("Modul disimpan."))
    except ServiceError as exc:
        _errors_message(request, exc)
    return _back(course)


@role_required(*AUTHORS)
@require_POST
def reorder(request, slug):
    course = _editable(request, slug)
    payload = _json_body(request)
    if payload is None:
        return JsonResponse({"message": _("Data urutan tidak valid.")}, status=400)
    try:
        services.reorder(actor=request.user, course=course, kind=str(payload.get("kind", "")), ids=payload.get("ids"))
    except ServiceError as exc:
        return JsonResponse({"message": exc.message}, status=exc.status_code)
    return JsonResponse({"ok": True})


def _confirm_delete(
    request, course, *, title: str, what: str, detail: str, action: str, value: str = "delete", hidden=None
):
    """A deletion's confirmation page (PRD: old data is never deleted without a confirmation; forms are pages,
    not popups); its button posts `action=<value>` (and the `hidden` fields) to the item's own form."""
    return render(
        request,
        "learning/author/confirm_delete.html",
        {
            "course": course,
            "heading": title,
            "what": what,
            "detail": detail,
            "action": action,
            "value": value,
            "hidden": sorted((hidden or {}).items()),
        },
    )


@role_required(*AUTHORS)
@require_GET
def module_delete_confirm(request, slug, module_id):
    course = _editable(request, slug)
    module = get_object_or_404(Module, pk=module_id, course=course)
    counts = {
        "lessons": module.lessons.count(),
        "quizzes": module.quizzes.count(),
        "assignments": module.assignments.count(),
    }
    return _confirm_delete(
        request,
        course,
        title=_("Hapus modul"),
        what=module.title,
        detail=_(
            "Modul ini dihapus permanen bersama %(lessons)s pelajaran, %(quizzes)s kuis dan %(assignments)s tugas di "
            "dalamnya. Modul yang sudah dipelajari member tidak bisa dihapus."
        )
        % counts,
        action=reverse("learning:module_edit", args=[course.slug, module.pk]),
    )


@role_required(*AUTHORS)
@require_GET
def lesson_delete_confirm(request, slug, module_id, lesson_id):
    course = _editable(request, slug)
    lesson = get_object_or_404(Lesson, pk=lesson_id, module_id=module_id, course=course)
    return _confirm_delete(
        request,
        course,
        title=_("Hapus pelajaran"),
        what=lesson.title,
        detail=_(
            "Pelajaran ini dihapus permanen bersama lampiran dan diskusinya. Pelajaran yang sudah diselesaikan member "
            "tidak bisa dihapus."
        ),
        action=reverse("learning:lesson_edit", args=[course.slug, lesson.module_id, lesson.pk]),
    )


@role_required(*AUTHORS)
@require_GET
def question_delete_confirm(request, slug, module_id, quiz_id, question_id):
    course = _editable(request, slug)
    question = get_object_or_404(
        Question, pk=question_id, quiz_id=quiz_id, quiz__module_id=module_id, quiz__course=course
    )
    return _confirm_delete(
        request,
        course,
        title=_("Hapus soal"),
        what=question.text,
        detail=_("Soal ini dan pilihan jawabannya dihapus permanen dari kuis “%(quiz)s”.")
        % {"quiz": question.quiz.title},
        action=reverse("learning:quiz_edit", args=[course.slug, module_id, quiz_id]),
        value="delete_question",
        hidden={"question_id": question.pk},
    )


@role_required(*AUTHORS)
@require_GET
def attachment_delete_confirm(request, slug, module_id, lesson_id, attachment_id):
    course = _editable(request, slug)
    lesson = get_object_or_404(Lesson, pk=lesson_id, module_id=module_id, course=course)
    attachment = get_object_or_404(LessonAttachment, pk=attachment_id, lesson=lesson)
    return _confirm_delete(
        request,
        course,
        title=_("Hapus lampiran"),
        what=attachment.title,
        detail=_("Berkas ini dihapus permanen dari pelajaran “%(lesson)s”; member tidak bisa mengunduhnya lagi.")
        % {"lesson": lesson.title},
        action=reverse("learning:lesson_edit", args=[course.slug, module_id, lesson.pk]),
        value="detach",
        hidden={"attachment_id": attachment.pk},
    )


def _json_body(request):
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None


@role_required(*AUTHORS)
@require_POST
def lesson_move(request, slug):
    """The curriculum editor's drag of a lesson into another module: `{"lesson", "module", "position"}` (JSON)."""
    course = _editable(request, slug)
    payload = _json_body(request)
    if payload is None:
        return JsonResponse({"message": _("Data pemindahan tidak valid.")}, status=400)
    lesson_id, module_id = str(payload.get("lesson", "")), str(payload.get("module", ""))
    if not (lesson_id.isdigit() and module_id.isdigit() and len(lesson_id) < 12 and len(module_id) < 12):
        return JsonResponse({"message": _("Data pemindahan tidak valid.")}, status=400)
    lesson = Lesson.objects.filter(pk=int(lesson_id), course=course).select_related("course").first()
    module = Module.objects.filter(pk=int(module_id), course=course).first()
    if lesson is None or module is None:
        return JsonResponse({"message": _("Pelajaran atau modul tujuan bukan bagian dari kursus ini.")}, status=404)
    try:
        services.lesson_move(actor=request.user, lesson=lesson, module=module, position=payload.get("position"))
    except ServiceError as exc:
        return JsonResponse({"message": exc.message}, status=exc.status_code)
    return JsonResponse({"ok": True})


def _read_only(request, course, item) -> dict | None:
    """A lesson / quiz / assignment page of a course the caller may not change in its state: an existing item is
    shown read-only with the reason; a new one is not offered (None: go back to the curriculum)."""
    reason = services.read_only_reason(request.user, course)
    if not reason:
        return {"editable": True}
    if item is None:
        return None
    return {"editable": False, "read_only_reason": reason}


def _refuse_new(request, course):
    messages.error(request, services.read_only_reason(request.user, course))
    return _back(course)


@role_required(*AUTHORS)
def lesson_form(request, slug, module_id, lesson_id=None):
    course = _editable(request, slug)
    module = get_object_or_404(Module, pk=module_id, course=course)
    lesson = get_object_or_404(Lesson, pk=lesson_id, module=module) if lesson_id else None
    state = _read_only(request, course, lesson)
    if state is None:
        return _refuse_new(request, course)
    error = None
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action == "delete" and lesson is not None:
                services.lesson_delete(actor=request.user, lesson=lesson)
                messages.success(request, _("Pelajaran dihapus."))
                return _back(course)
            if action == "attach" and lesson is not None:
                services.attachment_add(
                    actor=request.user,
                    lesson=lesson,
                    title=request.POST.get("attachment_title", ""),
                    upload=request.FILES.get("attachment"),
                )
                messages.success(request, _("Lampiran ditambahkan."))
                return redirect("learning:lesson_edit", slug=course.slug, module_id=module.pk, lesson_id=lesson.pk)
            if action == "video" and lesson is not None:
                videos.lesson_video_set(actor=request.user, lesson=lesson, upload=request.FILES.get("video_file"))
                messages.success(request, _("Video diunggah. Video hanya diputar lewat link bertanda tangan."))
                return redirect("learning:lesson_edit", slug=course.slug, module_id=module.pk, lesson_id=lesson.pk)
            if action == "video_remove" and lesson is not None:
                videos.lesson_video_remove(actor=request.user, lesson=lesson)
                messages.success(request, _("Video unggahan dihapus."))
                return redirect("learning:lesson_edit", slug=course.slug, module_id=module.pk, lesson_id=lesson.pk)
            if action == "detach" and lesson is not None:
                item = get_object_or_404(LessonAttachment, pk=request.POST.get("attachment_id", "0"), lesson=lesson)
                services.attachment_delete(actor=request.user, attachment=item)
                messages.success(request, _("Lampiran dihapus."))
                return redirect("learning:lesson_edit", slug=course.slug, module_id=module.pk, lesson_id=lesson.pk)
            data = {
                k: request.POST.get(k, "")
                for k in (
                    "title",
                    "kind",
                    "content",
                    "video_url",
                    "duration_minutes",
                    "drip_days",
                    "available_on",
                    "prerequisite",
                )
            }
            data["is_preview"] = request.POST.get("is_preview") == "on"
            lesson = services.lesson_save(actor=request.user, module=module, data=data, lesson=lesson)
            messages.success(request, _("Pelajaran disimpan."))
            return redirect("learning:lesson_edit", slug=course.slug, module_id=module.pk, lesson_id=lesson.pk)
        except ServiceError as exc:
            error = exc
    return render(
        request,
        "learning/author/lesson_form.html",
        {
            "course": course,
            "module": module,
            "lesson": lesson,
            "error": error,
            "kinds": LessonKind.choices,
            "post": request.POST if error else None,
            "course_lessons": list(course.lessons.only("id", "title")[:300]),
            "attachments": list(lesson.attachments.all()) if lesson else [],
            **state,
        },
        status=400 if error else 200,
    )


@role_required(*AUTHORS)
def quiz_form(request, slug, module_id, quiz_id=None):
    course = _editable(request, slug)
    module = get_object_or_404(Module, pk=module_id, course=course)
    quiz = get_object_or_404(Quiz, pk=quiz_id, module=module) if quiz_id else None
    state = _read_only(request, course, quiz)
    if state is None:
        return _refuse_new(request, course)
    error = None
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action == "question" and quiz is not None:
                correct = set(request.POST.getlist("correct"))
                choices = [(request.POST.get(f"choice_{i}", ""), str(i) in correct) for i in range(1, 7)]
                if request.POST.get("kind") == QuestionKind.MATCHING:
                    choices = [
                        (request.POST.get(f"choice_{i}", ""), request.POST.get(f"match_{i}", "")) for i in range(1, 7)
                    ]
                if request.POST.get("kind") == QuestionKind.TRUE_FALSE:
                    choices = [("", request.POST.get("tf_answer") == "true")]
                services.question_add(
                    actor=request.user,
                    quiz=quiz,
                    kind=request.POST.get("kind", ""),
                    text=request.POST.get("text", ""),
                    choices=choices,
                    explanation=request.POST.get("explanation", ""),
                    points=request.POST.get("points") or 1,
                )
                messages.success(request, _("Soal ditambahkan."))
            elif action == "delete_question" and quiz is not None:
                question = get_object_or_404(Question, pk=request.POST.get("question_id", "0"), quiz=quiz)
                services.question_delete(actor=request.user, question=question)
                messages.success(request, _("Soal dihapus."))
            else:
                data = {
                    k: request.POST.get(k, "")
                    for k in ("title", "description", "pass_percent", "max_attempts", "time_limit_minutes")
                }
                for name in ("shuffle", "show_answers", "is_required"):
                    data[name] = request.POST.get(name) == "on"
                quiz = services.quiz_save(actor=request.user, module=module, data=data, quiz=quiz)
                messages.success(request, _("Kuis disimpan."))
            return redirect("learning:quiz_edit", slug=course.slug, module_id=module.pk, quiz_id=quiz.pk)
        except ServiceError as exc:
            error = exc
    questions = list(quiz.questions.prefetch_related("choices")) if quiz else []
    return render(
        request,
        "learning/author/quiz_form.html",
        {
            "course": course,
            "module": module,
            "quiz": quiz,
            "questions": questions,
            "error": error,
            "kinds": QuestionKind.choices,
            "choice_slots": range(1, 7),
            "post": request.POST if error else None,
            **state,
        },
        status=400 if error else 200,
    )


@role_required(*AUTHORS)
def assignment_form(request, slug, module_id, assignment_id=None):
    course = _editable(request, slug)
    module = get_object_or_404(Module, pk=module_id, course=course)
    item = get_object_or_404(Assignment, pk=assignment_id, module=module) if assignment_id else None
    state = _read_only(request, course, item)
    if state is None:
        return _refuse_new(request, course)
    error = None
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in ("title", "instructions", "max_points")}
        data["allow_file"] = request.POST.get("allow_file") == "on"
        try:
            item = services.assignment_save(actor=request.user, module=module, data=data, assignment=item)
            messages.success(request, _("Tugas disimpan."))
            return _back(course)
        except ServiceError as exc:
            error = exc
    return render(
        request,
        "learning/author/assignment_form.html",
        {
            "course": course,
            "module": module,
            "assignment": item,
            "error": error,
            "post": request.POST if error else None,
            **state,
        },
        status=400 if error else 200,
    )


# --- people, grading, review, statistics ---


@role_required(*AUTHORS)
@require_GET
def students(request, slug):
    course = _editable(request, slug)
    page = paginate(request, selectors.course_students(course=course), per_page=ADMIN_PAGE_SIZE)
    stats = selectors.course_stats(courses=Course.objects.filter(pk=course.pk))[0]
    return render(
        request,
        "learning/author/students.html",
        {
            "course": course,
            "page_obj": page,
            "rows": page.object_list,
            "stats": stats,
            "cards": [
                ("students", _("Murid"), stats["students"], ""),
                ("active", _("Aktif 7 hari"), stats["active"], ""),
                ("completion", _("Tingkat lulus"), stats["completion_rate"], "%"),
                ("quiz-average", _("Rata-rata kuis"), stats["quiz_average"], "%"),
            ],
            "module_ratings": selectors.module_rating_summary(course),
            "feedback": selectors.module_feedback(course),
            # the announcements sent from this page, paginated on their own (?pengumuman=N)
            "broadcasts": Paginator(selectors.course_broadcasts(course=course), BROADCASTS_PER_PAGE).get_page(
                request.GET.get("pengumuman")
            ),
        },
    )


BROADCASTS_PER_PAGE = 5


@role_required(*AUTHORS)
@require_GET
def grading(request):
    essays = request.GET.get("jenis") == "esai"
    qs = selectors.essay_queue(user=request.user) if essays else selectors.grading_queue(user=request.user)
    page = paginate(request, qs, per_page=ADMIN_PAGE_SIZE)
    return render(
        request, "learning/author/grading.html", {"page_obj": page, "rows": page.object_list, "essays": essays}
    )


@role_required(*AUTHORS)
def essay_grade(request, pk):
    """The mentor reads a quiz attempt's answers and gives each essay its points (0 … the question's points)."""
    attempt = get_object_or_404(QuizAttempt.objects.select_related("quiz__course", "user"), pk=pk)
    if not services.can_edit(request.user, attempt.quiz.course) or attempt.submitted_at is None:
        raise Http404
    error = None
    if request.method == "POST":
        points = {key[len("points_") :]: value for key, value in request.POST.items() if key.startswith("points_")}
        try:
            services.attempt_grade(
                actor=request.user, attempt=attempt, points=points, feedback=request.POST.get("feedback", "")
            )
            messages.success(request, _("Nilai esai tersimpan dan dikirim ke member."))
            return redirect(reverse("learning:grading") + "?jenis=esai")
        except NotAllowed:
            raise Http404 from None
        except ServiceError as exc:
            error = exc
    return render(
        request,
        "learning/author/essay_grade.html",
        {"attempt": attempt, "review": selectors.attempt_review(attempt), "error": error, "post": request.POST},
        status=400 if error else 200,
    )


@role_required(*AUTHORS)
def grade(request, pk):
    submission = get_object_or_404(Submission.objects.select_related("assignment__course", "user"), pk=pk)
    if not services.can_edit(request.user, submission.assignment.course):
        raise Http404
    error = None
    if request.method == "POST":
        try:
            services.submission_grade(
                actor=request.user,
                submission=submission,
                points=request.POST.get("points"),
                feedback=request.POST.get("feedback", ""),
            )
            messages.success(request, _("Nilai tersimpan dan dikirim ke member."))
            return redirect("learning:grading")
        except NotAllowed:
            raise Http404 from None
        except ServiceError as exc:
            error = exc
    return render(
        request, "learning/author/grade.html", {"submission": submission, "error": error}, status=400 if error else 200
    )


@role_required(*AUTHORS)
@require_GET
def submission_file(request, pk):
    submission = get_object_or_404(Submission.objects.select_related("assignment__course"), pk=pk)
    allowed = submission.user_id == request.user.pk or services.can_edit(request.user, submission.assignment.course)
    if not allowed or not submission.file:
        raise Http404
    return private_file_response(submission.file)


@role_required(Role.ADMIN)
@require_GET
def admin_review(request):
    """The review queue: pending (default), rejected (sent back with a note), published or all courses, each
    filter with its count."""
    current = request.GET.get("status", "pending")
    current = current if current in selectors.REVIEW_FILTERS else "pending"
    page = paginate(request, selectors.review_list(status=current), per_page=ADMIN_PAGE_SIZE)
    counts = selectors.review_counts()
    return render(
        request,
        "learning/author/review.html",
        {
            "page_obj": page,
            "rows": page.object_list,
            "current": current,
            "review_filters": [(key, label, counts[key]) for key, (label, _c) in selectors.REVIEW_FILTERS.items()],
        },
    )


@role_required(Role.ADMIN)
@require_GET
def admin_progress(request):
    """The admin's progress monitor: per course (students, average progress, completed, stuck members idle more
    than N days, N from the reminder settings or `?hari=`), and one course's members filtered by state."""
    idle_days = services.reminder_settings().idle_days
    raw_days = request.GET.get("hari", "")
    if raw_days.isdigit() and 1 <= int(raw_days) <= services.REMINDER_DAYS_MAX:
        idle_days = int(raw_days)
    q = request.GET.get("q", "")[:100]
    course = None
    slug = request.GET.get("kursus", "")
    if slug:
        course = selectors.course_by_slug(slug[:120])
        if course is None:
            raise Http404
    state = Filter(
        request,
        "status",
        _("Status"),
        [("macet", _("Macet")), ("aktif", _("Sedang belajar")), ("lulus", _("Lulus"))],
    )
    if course is None:
        page = paginate(request, selectors.progress_monitor_courses(q=q, idle_days=idle_days), per_page=ADMIN_PAGE_SIZE)
    else:
        page = paginate(
            request,
            selectors.progress_monitor_members(course=course, state=state.value, q=q, idle_days=idle_days),
            per_page=ADMIN_PAGE_SIZE,
        )
    return render(
        request,
        "learning/author/progress.html",
        {
            "page_obj": page,
            "rows": page.object_list,
            "course": course,
            "filters": [state] if course else [],
            "idle_days": idle_days,
            "q": q,
        },
    )


@role_required(Role.ADMIN)
def admin_reminder_settings(request):
    """Learning reminders: idle days, channels, the message (the "Pengingat belajar" template)."""
    config = services.reminder_settings()
    template = message_template_get(key=Notify.REMINDER)
    error = None
    if request.method == "POST":
        data = {
            "idle_days": request.POST.get("idle_days", ""),
            "email_enabled": request.POST.get("email_enabled") == "on",
            "whatsapp_enabled": request.POST.get("whatsapp_enabled") == "on",
            "title": request.POST.get("title", ""),
            "message": request.POST.get("message", ""),
        }
        if "send_hour" in request.POST:
            data["send_hour"] = request.POST["send_hour"]
        try:
            services.reminder_settings_save(actor=request.user, data=data)
            messages.success(request, _("Pengaturan pengingat belajar disimpan."))
            return redirect("learning:admin_reminder_settings")
        except ServiceError as exc:
            error = exc
    post = request.POST if error else None
    return render(
        request,
        "learning/author/reminder_settings.html",
        {
            "config": config,
            "error": error,
            "values": {
                "idle_days": post.get("idle_days") if post else config.idle_days,
                "send_hour": post.get("send_hour") if post else config.send_hour,
                "email_enabled": (post.get("email_enabled") == "on") if post else config.email_enabled,
                "whatsapp_enabled": (post.get("whatsapp_enabled") == "on") if post else config.whatsapp_enabled,
                "title": post.get("title") if post else template.inapp_title,
                "message": post.get("message") if post else template.inapp_body,
            },
            "shortcodes": ("{name}", "{course}", "{lesson}"),
            "hours": range(24),
        },
        status=400 if error else 200,
    )


@role_required(*AUTHORS)
@require_GET
def stats(request):
    page = paginate(request, selectors.editable_courses(user=request.user), per_page=ADMIN_PAGE_SIZE)
    ids = [c.pk for c in page.object_list]
    rows = selectors.course_stats(courses=Course.objects.filter(pk__in=ids)) if ids else []
    overview = selectors.learning_overview(courses=selectors.editable_scope(user=request.user))
    cards = [
        ("active", _("Murid aktif (7 hari)"), overview["active"], ""),
        ("students", _("Total murid"), overview["students"], ""),
        ("completion", _("Tingkat penyelesaian"), overview["completion_rate"], "%"),
        ("revenue", _("Pendapatan kursus"), rupiah(overview["revenue_total"]), ""),
    ]
    return render(
        request, "learning/author/stats.html", {"page_obj": page, "rows": rows, "o": overview, "cards": cards}
    )


@role_required(*AUTHORS)
@require_POST
def broadcast(request, slug):
    course = _editable(request, slug)
    try:
        count = services.course_broadcast(actor=request.user, course=course, message=request.POST.get("message", ""))
        messages.success(request, _("Pengumuman dikirim ke %(n)s murid.") % {"n": count})
    except ServiceError as exc:
        _errors_message(request, exc)
    return redirect("learning:students", slug=course.slug)


@role_required(Role.ADMIN)
def mentor_applications(request):
    if request.method == "POST":
        application = get_object_or_404(MentorApplication, pk=request.POST.get("application", "0") or "0")
        try:
            services.mentor_application_decide(
                actor=request.user,
                application=application,
                approve=request.POST.get("action") == "approve",
                note=request.POST.get("note", ""),
            )
            messages.success(request, _("Keputusan tersimpan dan dikirim ke pemohon."))
        except ServiceError as exc:
            _errors_message(request, exc)
        return redirect("learning:admin_mentor_applications")
    status = Filter(request, "status", _("Status"), ApplicationStatus.choices)
    qs = MentorApplication.objects.select_related("user", "decided_by")
    qs = qs.filter(status=status.value or ApplicationStatus.PENDING)
    page = paginate(request, qs, per_page=ADMIN_PAGE_SIZE)
    return render(
        request,
        "learning/author/mentor_applications.html",
        {"page_obj": page, "rows": page.object_list, "filters": [status]},
    )
