"""The learner's pages: Kursus Saya, the lesson player (mark complete, resume position, discussion), quizzes,
assignments, attachments, certificates and reviews. Every page asks the course policy on the server."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sanggar.access.policy import AccessDecision
from sanggar.access.views import render_locked
from sanggar.core.exceptions import NotAllowed, NotFound, ServiceError
from sanggar.core.files import private_file_response
from sanggar.core.listing import paginate
from sanggar.core.permissions import login_required, role_required
from sanggar.core.request_context import client_ip
from sanggar.core.roles import Role

from . import discussion, selectors, services
from . import video as videos
from .constants import PAGE_SIZE
from .models import (
    Assignment,
    Comment,
    Lesson,
    LessonAttachment,
    LessonProgress,
    MentorApplication,
    Module,
    Quiz,
    QuizAttempt,
    Submission,
)


def _course(request, slug):
    course = selectors.course_by_slug(slug)
    if course is None:
        raise Http404
    return course


def _locked(request, exc: ServiceError, title: str):
    return render_locked(request, AccessDecision(allowed=False, reason=exc.code, message=exc.message), title=title)


@login_required
@require_GET
def mine(request):
    page = paginate(request, selectors.my_enrollments(user=request.user), per_page=PAGE_SIZE)
    return render(request, "learning/mine.html", {"page_obj": page, "rows": page.object_list})


@role_required(Role.AFFILIATE, Role.ADMIN)
@require_GET
def affiliate(request):
    page = paginate(request, selectors.affiliate_courses(), per_page=PAGE_SIZE)
    code = getattr(getattr(request.user, "affiliate_profile", None), "code", "") or ""
    return render(request, "learning/affiliate.html", {"page_obj": page, "rows": page.object_list, "code": code})


@login_required
@require_GET
def resume(request, slug):
    course = _course(request, slug)
    outline = selectors.outline(user=request.user, course=course)
    if not outline.decision.allowed:
        return render_locked(request, outline.decision, title=course.title)
    row = outline.resume
    if row is None:
        messages.info(request, _("Kursus ini belum punya pelajaran yang bisa dibuka."))
        return redirect("learning:course_detail", slug=course.slug)
    return redirect("learning:lesson", slug=course.slug, lesson_id=row.lesson.pk)


def _lesson(course, lesson_id) -> Lesson:
    return get_object_or_404(Lesson.objects.select_related("module"), pk=lesson_id, course=course)


@require_GET
def lesson(request, slug, lesson_id):
    course = _course(request, slug)
    current = _lesson(course, lesson_id)
    outline = selectors.outline(user=request.user, course=course)
    signed_in = request.user.is_authenticated
    position = 0
    if current.is_preview:
        # A preview plays for anyone who may see the course page (visitors too, on a public course).
        if not selectors.can_see_page(request.user, course, outline.decision):
            raise Http404
        open_now = signed_in and outline.decision.allowed
    else:
        if not signed_in:
            return render_locked(request, outline.decision, title=current.title)
        open_now = True
    if open_now:
        try:
            outline.enrollment = services.lesson_open(user=request.user, lesson=current)
        except NotAllowed as exc:
            return _locked(request, exc, current.title)
        progress = LessonProgress.objects.filter(user=request.user, lesson=current).first()
        position = progress.position_seconds if progress else 0
    video_src = ""
    if current.video_file and (open_now or current.is_preview):
        video_src = videos.video_link(user=request.user, lesson=current)
    embed = None
    if current.video_url and not video_src:
        origin = f"{request.scheme}://{request.get_host()}"
        embed = videos.embed_player(video_url=current.video_url, position=position, page_origin=origin)
    previous, following = outline.neighbours(current.pk)
    selectors.module_ratings_fill(outline, user=request.user)
    module_row = next((m for m in outline.modules if m.module.pk == current.module_id), None)
    comments_page = paginate(request, selectors.lesson_comments(lesson=current), per_page=10)
    return render(
        request,
        "learning/lesson.html",
        {
            "course": course,
            "lesson": current,
            "row": outline.row(current.pk),
            "module_row": module_row,
            "can_rate": bool(open_now and outline.enrollment is not None),
            "outline": outline,
            "previous": previous,
            "next": following,
            "position": position,
            "video_src": video_src,
            "embed": embed,
            "can_save_position": bool(open_now),
            "attachments": list(current.attachments.all()),
            "comments": comments_page,
            "page_obj": comments_page,
            "can_moderate": request.user.is_authenticated and services.can_edit(request.user, course),
            "percent": int(100 * outline.done_count / outline.lesson_count) if outline.lesson_count else 0,
        },
    )


@login_required
@require_POST
def lesson_complete(request, slug, lesson_id):
    course = _course(request, slug)
    current = _lesson(course, lesson_id)
    try:
        services.lesson_complete(user=request.user, lesson=current)
    except NotAllowed as exc:
        return _locked(request, exc, current.title)
    outline = selectors.outline(user=request.user, course=course)
    _prev, following = outline.neighbours(current.pk)
    messages.success(request, _("Pelajaran ditandai selesai."))
    if following is not None and not following.locked:
        return redirect("learning:lesson", slug=course.slug, lesson_id=following.lesson.pk)
    return redirect("learning:lesson", slug=course.slug, lesson_id=current.pk)


@login_required
@require_POST
def lesson_position(request, slug, lesson_id):
    course = _course(request, slug)
    current = _lesson(course, lesson_id)
    try:
        services.lesson_position(user=request.user, lesson=current, seconds=request.POST.get("seconds", ""))
    except ServiceError as exc:
        return JsonResponse({"message": exc.message}, status=exc.status_code)
    return JsonResponse({"ok": True})


@login_required
@require_POST
def comment_post(request, slug, lesson_id):
    course = _course(request, slug)
    current = _lesson(course, lesson_id)
    parent = None
    parent_id = request.POST.get("parent", "")
    if parent_id:
        parent = Comment.objects.filter(pk=parent_id if parent_id.isdigit() else -1, lesson=current).first()
        if parent is None:
            messages.error(request, _("Komentar yang dibalas tidak ditemukan."))
            return redirect("learning:lesson", slug=course.slug, lesson_id=current.pk)
    try:
        services.comment_post(
            user=request.user,
            lesson=current,
            body=request.POST.get("body", ""),
            parent=parent,
            ip=client_ip(request) or "",
        )
        messages.success(request, _("Komentar terkirim."))
    except ServiceError as exc:
        messages.error(request, " ".join([exc.message, *[m for ms in exc.errors.values() for m in ms]]))
    return redirect(reverse("learning:lesson", args=[course.slug, current.pk]) + "#diskusi")


@login_required
@require_POST
def comment_hide(request, slug, comment_id):
    course = _course(request, slug)
    comment = get_object_or_404(Comment.objects.select_related("course"), pk=comment_id, course=course)
    try:
        services.comment_hide(actor=request.user, comment=comment, reason=request.POST.get("reason", ""))
        messages.success(request, _("Komentar disembunyikan."))
    except NotAllowed:
        raise Http404 from None
    except ServiceError as exc:
        messages.error(request, exc.message)
    if comment.lesson_id is None:
        return redirect(discussion.thread_link(course, comment.module) + "#diskusi")
    return redirect(reverse("learning:lesson", args=[course.slug, comment.lesson_id]) + "#diskusi")


def _thread(request, course, module):
    """The course's own discussion (module None) or a module's: the list (GET) and a new question or reply
    (POST). Only for those the course policy lets in."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    decision = services.course_decision(user=request.user, course=course)
    if not decision.allowed and not services.can_edit(request.user, course):
        return render_locked(request, decision, title=course.title)
    back = discussion.thread_link(course, module)
    if request.method == "POST":
        parent = None
        if request.POST.get("parent", ""):
            parent = discussion.thread_parent(course=course, module=module, parent_id=request.POST.get("parent"))
            if parent is None:
                messages.error(request, _("Komentar yang dibalas tidak ditemukan."))
                return redirect(back + "#diskusi")
        try:
            discussion.thread_comment_post(
                user=request.user,
                course=course,
                module=module,
                body=request.POST.get("body", ""),
                parent=parent,
                ip=client_ip(request) or "",
            )
            messages.success(request, _("Komentar terkirim."))
        except NotAllowed as exc:
            return _locked(request, exc, course.title)
        except ServiceError as exc:
            messages.error(request, " ".join([exc.message, *[m for ms in exc.errors.values() for m in ms]]))
        return redirect(back + "#diskusi")
    page = paginate(request, discussion.thread_comments(course=course, module=module), per_page=10)
    return render(
        request,
        "learning/discussion.html",
        {
            "course": course,
            "module": module,
            "modules": list(course.modules.only("pk", "title", "course_id")[:100]),
            "comments": page,
            "page_obj": page,
            "post_url": back,
            "can_moderate": services.can_edit(request.user, course),
        },
    )


@require_http_methods(["GET", "POST"])
def course_discussion(request, slug):
    return _thread(request, _course(request, slug), None)


@require_http_methods(["GET", "POST"])
def module_discussion(request, slug, module_id):
    course = _course(request, slug)
    return _thread(request, course, get_object_or_404(Module, pk=module_id, course=course))


@login_required
@require_GET
def attachment(request, pk):
    item = get_object_or_404(LessonAttachment.objects.select_related("lesson__course__resource"), pk=pk)
    try:
        services.attachment_download(user=request.user, attachment=item, ip=client_ip(request))
    except NotAllowed as exc:
        return _locked(request, exc, item.title)
    except ServiceError:
        raise Http404 from None
    extension = item.file.name.rsplit(".", 1)[-1] if "." in item.file.name else ""
    return private_file_response(item.file, filename=f"{item.title}.{extension}".strip("."))


def _posted_answers(post, questions: list[dict]) -> list[dict]:
    """The quiz form's fields per question kind → the service's answer rows (unanswered questions left out)."""
    from .constants import CHOICE_KINDS, QuestionKind

    rows = []
    for q in questions:
        name = f"q{q['id']}"
        kind = q["kind"]
        if kind in CHOICE_KINDS:
            chosen = [int(v) for v in post.getlist(name) if v.isdigit() and len(v) <= 18]
            if chosen:
                rows.append({"question": q["id"], "choices": chosen})
        elif kind in (QuestionKind.SHORT, QuestionKind.ESSAY):
            text = post.get(name, "")
            if text.strip():
                rows.append({"question": q["id"], "text": text})
        elif kind == QuestionKind.FILL:
            texts = [post.get(f"{name}_{n}", "") for n in range(1, q["blanks"] + 1)]
            if any(t.strip() for t in texts):
                rows.append({"question": q["id"], "texts": texts})
        elif kind == QuestionKind.ORDERING:
            places = []
            for c in q["choices"]:
                value = post.get(f"{name}_pos_{c['id']}", "")
                places.append((int(value) if value.isdigit() and len(value) <= 3 else 99, c["id"]))
            rows.append({"question": q["id"], "order": [pk for _place, pk in sorted(places)]})
        elif kind == QuestionKind.MATCHING:
            pairs = {}
            for c in q["choices"]:
                value = post.get(f"{name}_m_{c['id']}", "")
                if value.isdigit() and len(value) <= 18:
                    pairs[str(c["id"])] = int(value)
            if pairs:
                rows.append({"question": q["id"], "pairs": pairs})
    return rows


@login_required
def quiz(request, slug, quiz_id):
    course = _course(request, slug)
    item = get_object_or_404(Quiz, pk=quiz_id, course=course)
    decision = selectors.decisions_for(user=request.user, courses=[course])[course.pk]
    if not decision.allowed:
        return render_locked(request, decision, title=item.title)
    attempt = None
    result = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "start":
                attempt = services.quiz_attempt_start(user=request.user, quiz=item)
            else:
                attempt = get_object_or_404(
                    QuizAttempt, pk=request.POST.get("attempt", "0"), user=request.user, quiz=item
                )
                answers = _posted_answers(request.POST, selectors.attempt_questions(attempt))
                result = services.quiz_attempt_submit(user=request.user, attempt=attempt, answers=answers)
                attempt = None
        except ServiceError as exc:
            messages.error(request, exc.message)
    else:
        attempt = QuizAttempt.objects.filter(user=request.user, quiz=item, submitted_at__isnull=True).first()
    questions = selectors.attempt_questions(attempt) if attempt is not None else []
    review = selectors.attempt_review(result) if result is not None and item.show_answers else []
    return render(
        request,
        "learning/quiz.html",
        {
            "course": course,
            "quiz": item,
            "attempt": attempt,
            "questions": questions,
            "result": result,
            "review": review,
            "state": selectors.quiz_state(user=request.user, quiz=item),
        },
    )


@login_required
def assignment(request, slug, assignment_id):
    course = _course(request, slug)
    item = get_object_or_404(Assignment, pk=assignment_id, course=course)
    decision = selectors.decisions_for(user=request.user, courses=[course])[course.pk]
    if not decision.allowed:
        return render_locked(request, decision, title=item.title)
    error = None
    if request.method == "POST":
        try:
            services.submission_submit(
                user=request.user,
                assignment=item,
                text=request.POST.get("text", ""),
                upload=request.FILES.get("file"),
                ip=client_ip(request) or "",
            )
            messages.success(request, _("Jawaban tugas terkirim."))
            return redirect("learning:assignment", slug=course.slug, assignment_id=item.pk)
        except ServiceError as exc:
            error = exc
    submission = Submission.objects.filter(assignment=item, user=request.user).first()
    return render(
        request,
        "learning/assignment.html",
        {"course": course, "assignment": item, "submission": submission, "error": error},
        status=400 if error else 200,
    )


@login_required
@require_POST
def review(request, slug):
    course = _course(request, slug)
    try:
        services.review_save(
            user=request.user, course=course, rating=request.POST.get("rating", ""), body=request.POST.get("body", "")
        )
        messages.success(request, _("Terima kasih, ulasan Anda tersimpan."))
    except ServiceError as exc:
        messages.error(request, " ".join([exc.message, *[m for ms in exc.errors.values() for m in ms]]))
    return redirect("learning:course_detail", slug=course.slug)


@login_required
@require_POST
def notifications_toggle(request, slug):
    """Follow or unfollow the course's notifications (discussion replies, mentor updates)."""
    course = _course(request, slug)
    on = request.POST.get("subscribed") == "1"
    try:
        services.course_notifications_set(user=request.user, course=course, subscribed=on)
        messages.success(
            request, _("Anda mengikuti notifikasi kelas ini.") if on else _("Notifikasi kelas ini tidak dikirim lagi.")
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("learning:course_detail", slug=course.slug)


@login_required
@require_POST
def study_group_open(request, slug):
    """ "Buka grup belajar": the learner joins the course's private study group (if not a member yet) and goes there."""
    course = _course(request, slug)
    ref = selectors.course_extras(course).study_group
    if ref is None:
        raise Http404
    try:
        services.study_group_open(user=request.user, course=course)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("learning:course_detail", slug=course.slug)
    return redirect(ref.url)


@login_required
@require_POST
def module_rate(request, slug, module_id):
    course = _course(request, slug)
    module = get_object_or_404(Module, pk=module_id, course=course)
    back = request.POST.get("lesson", "")
    try:
        services.module_rating_save(
            user=request.user, module=module, rating=request.POST.get("rating", ""), body=request.POST.get("body", "")
        )
        messages.success(request, _("Terima kasih, rating modul Anda tersimpan."))
    except NotAllowed as exc:
        return _locked(request, exc, module.title)
    except ServiceError as exc:
        messages.error(request, " ".join([exc.message, *[m for ms in exc.errors.values() for m in ms]]))
    lesson = module.lessons.filter(pk=back if back.isdigit() else 0).first() or module.lessons.first()
    if lesson is None:
        return redirect("learning:course_detail", slug=course.slug)
    return redirect(reverse("learning:lesson", args=[course.slug, lesson.pk]) + "#rating-modul")


@login_required
@require_GET
def certificates(request):
    page = paginate(request, selectors.certificates_of(user=request.user), per_page=PAGE_SIZE)
    return render(request, "learning/certificates.html", {"page_obj": page, "rows": page.object_list})


@login_required
def mentor_apply(request):
    error = None
    if request.method == "POST":
        try:
            services.mentor_apply(
                user=request.user,
                expertise=request.POST.get("expertise", ""),
                motivation=request.POST.get("motivation", ""),
            )
            messages.success(request, _("Pengajuan terkirim. Admin akan meninjaunya."))
            return redirect("learning:mentor_apply")
        except ServiceError as exc:
            error = exc
    applications = list(MentorApplication.objects.filter(user=request.user)[:10])
    return render(
        request,
        "learning/mentor_apply.html",
        {"applications": applications, "error": error, "post": request.POST if error else None},
        status=400 if error else 200,
    )


@require_GET
def video(request, token):
    """A lesson's private video through its signed link: the whole file (200) or the requested byte range (206),
    with Accept-Ranges so players can seek. Refusals are plain 403/404/416 (the player shows its own error)."""
    try:
        item = videos.video_open(user=request.user, token=token)
    except NotAllowed as exc:
        return HttpResponse(exc.message, status=403, content_type="text/plain; charset=utf-8")
    except NotFound as exc:
        return HttpResponse(exc.message, status=404, content_type="text/plain; charset=utf-8")
    try:
        wanted = videos.parse_range(request.headers.get("Range"), item.size)
    except videos.RangeNotSatisfiable:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{item.size}"
        response["Accept-Ranges"] = "bytes"
        return response
    start, end = wanted if wanted is not None else (0, item.size - 1)
    handle = item.file.storage.open(item.file.name, "rb")
    response = StreamingHttpResponse(
        videos.read_chunks(handle, start, end), status=206 if wanted else 200, content_type=item.content_type
    )
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    if wanted:
        response["Content-Range"] = f"bytes {start}-{end}/{item.size}"
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response
