"""Course-level and module-level discussion threads: the same `Comment` rows, rate limits, moderation and
notifications as a lesson's discussion (`services.comment_post`), with the thread named by the module (or by
neither lesson nor module: the course's own thread). Pages and the API call these."""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Comment, Course, Module
from .services import _limit, _require_access, comment_notify, enrollment_ensure
from .validation import Errors, clean_text


def thread_link(course: Course, module: Module | None = None) -> str:
    if module is not None:
        return reverse("learning:module_discussion", args=[course.slug, module.pk])
    return reverse("learning:course_discussion", args=[course.slug])


def thread_comments(*, course: Course, module: Module | None = None) -> QuerySet[Comment]:
    """The visible questions of the course's own thread (module None) or of one module's, newest first, each with
    its visible replies (two queries per page)."""
    replies = Comment.objects.filter(is_hidden=False).select_related("user").order_by("created_at", "id")
    return (
        Comment.objects.filter(course=course, lesson__isnull=True, module=module, parent__isnull=True, is_hidden=False)
        .select_related("user")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("-created_at", "-id")
    )


def thread_parent(*, course: Course, module: Module | None, parent_id) -> Comment | None:
    """The question a reply answers, only from the same thread; None when there is no such question."""
    value = str(parent_id or "")
    if not value.isdigit() or len(value) > 12:
        return None
    return Comment.objects.filter(
        pk=int(value), course=course, lesson__isnull=True, module=module, parent__isnull=True
    ).first()


@transaction.atomic
def thread_comment_post(
    *,
    user,
    course: Course,
    body: str,
    module: Module | None = None,
    parent: Comment | None = None,
    ip: str = "",
    now: datetime | None = None,
) -> Comment:
    """A question (or a reply) in the course's own discussion or a module's. Same rules as a lesson's: the course
    policy lets the writer in, the text is checked and rate-limited; a question tells the mentor, a reply its
    question's author, the other participants and the mentor."""
    now = now or timezone.now()
    _require_access(user, course)
    errors = Errors()
    if module is not None and module.course_id != course.pk:
        errors.add("module", _("Modul ini bukan bagian dari kursus ini."))
    body = clean_text(
        body,
        field="body",
        label=_("Komentar"),
        errors=errors,
        max_length=settings.LEARNING_COMMENT_MAX_LENGTH,
        required=True,
    )
    if parent is not None and (
        parent.course_id != course.pk
        or parent.lesson_id is not None
        or parent.module_id != (module.pk if module else None)
        or parent.parent_id is not None
        or parent.is_hidden
    ):
        errors.add("parent", _("Balasan hanya untuk pertanyaan yang tampil di diskusi ini."))
    errors.raise_if_any(_("Periksa kembali komentar Anda."))
    _limit("LEARNING_COMMENT_RATE_LIMIT", f"user:{user.pk}")
    if ip:
        _limit("LEARNING_COMMENT_IP_RATE_LIMIT", f"ip:{ip}")
    comment = Comment.objects.create(course=course, module=module, user=user, parent=parent, body=body, created_at=now)
    enrollment_ensure(user=user, course=course, now=now)
    place = _("modul %(title)s") % {"title": module.title} if module else _("diskusi kelas")
    comment_notify(comment=comment, link=thread_link(course, module) + f"#komentar-{comment.pk}", place=place)
    return comment
