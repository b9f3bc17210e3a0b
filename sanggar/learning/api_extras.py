"""More of the learning API (mounted with `api.router` through `api.API_ROUTERS`): the course's own and each
module's discussion thread, the admin's video host allow-list and learning-reminder settings."""

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from sanggar.api.auth import jwt_auth
from sanggar.api.idempotency import idempotent
from sanggar.core.exceptions import NotAllowed, NotFound
from sanggar.core.request_context import client_ip

from . import discussion, services
from .api import _ERRORS, _comment_data, _course, _page
from .models import Course, Module, VideoHost
from .schemas import (
    AdoptIn,
    AdoptOut,
    CommentIn,
    CommentOut,
    CommentPageOut,
    CommissionIn,
    CommissionOut,
    PageIn,
    PlaceholderListOut,
    ReminderSettingsIn,
    ReminderSettingsOut,
    VideoHostIn,
    VideoHostListOut,
    VideoHostOut,
)

router = Router(tags=["kursus"])


def _thread_course(request, slug: str):
    _user, course, decision = _course(request, slug)
    if not decision.allowed:
        raise NotAllowed(decision.message, code=decision.reason)
    return course


def _module(course, module_id: int) -> Module:
    module = Module.objects.filter(pk=module_id, course=course).first()
    if module is None:
        raise NotFound(_("Modul tidak ditemukan."))
    return module


def _thread_page(course, module, page: int) -> dict:
    count, next_page, rows = _page(discussion.thread_comments(course=course, module=module), page)
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


def _thread_post(request, course, module, payload: CommentIn):
    parent = None
    if payload.parent is not None:
        parent = discussion.thread_parent(course=course, module=module, parent_id=payload.parent)
        if parent is None:
            raise NotFound(_("Komentar yang dibalas tidak ditemukan."))
    comment = discussion.thread_comment_post(
        user=request.auth, course=course, module=module, body=payload.body, parent=parent, ip=client_ip(request) or ""
    )
    return Status(201, {**_comment_data(comment, course.mentor_id), "replies": []})


@router.get(
    "/courses/{slug}/comments",
    response={200: CommentPageOut, **_ERRORS},
    auth=jwt_auth,
    summary="Diskusi kelas",
)
def course_comment_list(request, slug: str, filters: Query[PageIn]):
    return _thread_page(_thread_course(request, slug), None, filters.page)


@router.post(
    "/courses/{slug}/comments",
    response={201: CommentOut, **_ERRORS},
    auth=jwt_auth,
    summary="Tulis pertanyaan atau balasan di diskusi kelas",
)
@idempotent
def course_comment_create(request, slug: str, payload: CommentIn):
    return _thread_post(request, _thread_course(request, slug), None, payload)


@router.get(
    "/courses/{slug}/modules/{module_id}/comments",
    response={200: CommentPageOut, **_ERRORS},
    auth=jwt_auth,
    summary="Diskusi modul",
)
def module_comment_list(request, slug: str, module_id: int, filters: Query[PageIn]):
    course = _thread_course(request, slug)
    return _thread_page(course, _module(course, module_id), filters.page)


@router.post(
    "/courses/{slug}/modules/{module_id}/comments",
    response={201: CommentOut, **_ERRORS},
    auth=jwt_auth,
    summary="Tulis pertanyaan atau balasan di diskusi modul",
)
@idempotent
def module_comment_create(request, slug: str, module_id: int, payload: CommentIn):
    course = _thread_course(request, slug)
    return _thread_post(request, course, _module(course, module_id), payload)


# --- admin: video hosts, reminder settings --------------------------------------------------------------------------


def _require_admin(request) -> None:
    if not services.is_admin(request.auth):
        raise NotAllowed(_("Khusus admin."))


def _hosts(request) -> dict:
    return {
        "results": [{"id": h.pk, "host": h.host, "created_at": h.created_at} for h in VideoHost.objects.all()[:200]],
        "configured": sorted({h.strip().lower() for h in settings.LEARNING_VIDEO_HOSTS if h.strip()}),
    }


@router.get(
    "/admin/video-hosts", response={200: VideoHostListOut, **_ERRORS}, auth=jwt_auth, summary="Daftar host video"
)
def admin_video_host_list(request):
    _require_admin(request)
    return _hosts(request)


@router.post("/admin/video-hosts", response={201: VideoHostOut, **_ERRORS}, auth=jwt_auth, summary="Izinkan host video")
@idempotent
def admin_video_host_add(request, payload: VideoHostIn):
    item = services.video_host_add(actor=request.auth, host=payload.host)
    return Status(201, {"id": item.pk, "host": item.host, "created_at": item.created_at})


@router.delete(
    "/admin/video-hosts/{host_id}", response={204: None, **_ERRORS}, auth=jwt_auth, summary="Hapus host video"
)
def admin_video_host_remove(request, host_id: int):
    _require_admin(request)
    item = VideoHost.objects.filter(pk=host_id).first()
    if item is None:
        raise NotFound(_("Host tidak ditemukan."))
    services.video_host_remove(actor=request.auth, host=item)
    return Status(204, None)


def _reminder_data(row) -> dict:
    return {
        "idle_days": row.idle_days,
        "send_hour": row.send_hour,
        "email_enabled": row.email_enabled,
        "whatsapp_enabled": row.whatsapp_enabled,
    }


@router.get(
    "/admin/learning-reminders",
    response={200: ReminderSettingsOut, **_ERRORS},
    auth=jwt_auth,
    summary="Pengaturan pengingat belajar",
)
def admin_reminder_settings_get(request):
    _require_admin(request)
    return _reminder_data(services.reminder_settings())


@router.put(
    "/admin/learning-reminders",
    response={200: ReminderSettingsOut, **_ERRORS},
    auth=jwt_auth,
    summary="Ubah pengaturan pengingat belajar",
)
@idempotent
def admin_reminder_settings_put(request, payload: ReminderSettingsIn):
    data = payload.model_dump()
    if data["send_hour"] is None:
        data.pop("send_hour")
    return _reminder_data(services.reminder_settings_save(actor=request.auth, data=data))


# --- admin: adopting a placeholder course resource -------------------------------------------------------------------


@router.get(
    "/admin/course-placeholders",
    response={200: PlaceholderListOut, **_ERRORS},
    auth=jwt_auth,
    summary="Kelas placeholder yang belum menjadi kursus",
)
def admin_placeholder_list(request):
    _require_admin(request)
    rows = services.course_placeholders()[:200]
    return {"results": [{"id": r.pk, "key": r.key, "title": r.title} for r in rows]}


@router.post(
    "/admin/course-placeholders/{resource_id}/adopt",
    response={201: AdoptOut, **_ERRORS},
    auth=jwt_auth,
    summary="Jadikan kelas placeholder kursus (kunci akses tetap)",
)
@idempotent
def admin_placeholder_adopt(request, resource_id: int, payload: AdoptIn):
    course = services.course_adopt(actor=request.auth, resource_id=resource_id, data=payload.model_dump())
    return Status(
        201,
        {"slug": course.slug, "title": course.title, "status": course.status, "resource_key": course.resource.key},
    )


# --- admin: a course's affiliate commission and mentor share ---------------------------------------------------------

COMMISSION_FIELDS = (
    "affiliate_enabled",
    "affiliate_commission_type",
    "affiliate_commission_percent",
    "affiliate_commission_flat",
    "mentor_share_percent",
)


@router.put(
    "/admin/courses/{slug}/commission",
    response={200: CommissionOut, **_ERRORS},
    auth=jwt_auth,
    summary="Komisi affiliate (persen atau nominal) dan bagian mentor kursus",
)
@idempotent
def admin_course_commission(request, slug: str, payload: CommissionIn):
    _require_admin(request)
    course = Course.objects.filter(slug=slug).first()
    if course is None:
        raise NotFound(_("Kursus tidak ditemukan."))
    course = services.course_update(actor=request.auth, course=course, data=payload.model_dump())
    return {name: getattr(course, name) for name in COMMISSION_FIELDS}
