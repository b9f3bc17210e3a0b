"""Live classes API (contract paths of issue 15): programs with their sections' fill, "Daftar" onto the waiting list,
the student's classes (quota, validity, next meetings, payment deadline), paying and renewing through the normal
checkout, the tutor's meetings and attendance, and the admin's waiting list (approve into a section or reject)."""

import datetime as dt
from datetime import datetime, time, timedelta
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict, Field

from sanggar.api.auth import JWTAuth, jwt_auth
from sanggar.api.idempotency import idempotent
from sanggar.api.schemas import ErrorOut
from sanggar.core import request_context
from sanggar.core.exceptions import NotFound, ServiceError
from sanggar.core.roles import Role
from sanggar.orders.api import order_data
from sanggar.orders.checkout import checkout_place
from sanggar.orders.schemas import OrderOut, ProviderValue
from sanggar.orders.services import ItemRequest

from . import selectors, services
from .constants import EXTRA_ITEM_KIND, ITEM_KIND, MAX_EXTRA_MEETINGS, AttendanceStatus, EnrollmentStatus
from .models import ClassSection, ClassTemplate, Enrollment, Meeting, TutorAvailability

router = Router(tags=["kelas live"])
API_ORDER = 78
admin_auth = JWTAuth(roles=(Role.ADMIN,))
tutor_auth = JWTAuth(roles=(Role.MENTOR, Role.ADMIN))
_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class _In(Schema):
    model_config = ConfigDict(extra="forbid")


class PageIn(_In):
    page: int = Field(default=1, ge=1, le=10_000)


class SectionOut(Schema):
    id: int
    label: str
    tutor: str
    status: str
    students: int
    capacity: int
    fill: str


class ProgramOut(Schema):
    slug: str
    title: str
    subject: str
    type: str
    level: str
    price: int
    meetings_per_period: int
    max_students: int
    period_mode: str
    sections: list[SectionOut]


class ProgramPageOut(Schema):
    count: int
    next_page: int | None
    results: list[ProgramOut]


class EntryOut(Schema):
    id: int
    program: str
    status: str
    status_label: str


class MeetingOut(Schema):
    id: int
    starts_at: datetime
    duration_minutes: int
    join_url: str


class MyClassOut(Schema):
    id: int
    program: str
    program_slug: str
    status: str
    status_label: str
    section: str | None
    tutor: str | None
    meetings_used: int
    meetings_left: int
    meetings_quota: int
    valid_until: datetime | None
    pay_before: datetime | None
    included: bool = Field(
        description="Program termasuk paket membership / produk pengguna: periode tanpa bayar "
        "(`POST /me/classes/{id}/activate` saat disetujui)"
    )
    included_by: str = Field(
        description="Asal periode gratis yang sedang berjalan (`membership:<id>` dll), kosong bila dibayar"
    )
    next_meetings: list[MeetingOut]


class MyClassPageOut(Schema):
    count: int
    next_page: int | None
    results: list[MyClassOut]


class PayIn(_In):
    provider: ProviderValue
    coupon: str = Field(default="", max_length=40)


class ExtraIn(PayIn):
    meetings: int = Field(ge=1, le=MAX_EXTRA_MEETINGS)


class SlotIn(_In):
    weekday: int = Field(ge=0, le=6, description="0 = Senin … 6 = Minggu")
    start_time: dt.time
    end_time: dt.time


class SlotOut(Schema):
    id: int
    weekday: int
    day: str
    start_time: dt.time
    end_time: dt.time


class MarkIn(_In):
    enrollment: int = Field(ge=1)
    status: Literal["present", "excused", "absent"]


class AttendanceIn(_In):
    marks: list[MarkIn] = Field(min_length=1, max_length=100)


class ClassesMarkOut(Schema):
    enrollment: int
    status: str
    label: str


class ClassesAttendanceOut(Schema):
    marked: list[ClassesMarkOut]


class StudentOut(Schema):
    enrollment: int
    name: str
    attendance: str | None


class TutorMeetingOut(Schema):
    id: int
    program: str
    section: str
    starts_at: datetime
    duration_minutes: int
    url: str
    status: str
    students: list[StudentOut]


class TutorMeetingsIn(_In):
    date: dt.date | None = None


class WaitingOut(Schema):
    id: int
    student: str
    email: str
    program: str
    program_slug: str
    requested_at: datetime


class WaitingPageOut(Schema):
    count: int
    next_page: int | None
    results: list[WaitingOut]


class EnrollmentFilterIn(PageIn):
    status: Literal["", "waiting", "approved", "active", "suspended", "expired", "cancelled", "rejected"] = ""
    program: str = Field(default="", max_length=140)
    q: str = Field(default="", max_length=100)


class AdminEnrollmentOut(Schema):
    id: int
    student: str
    email: str
    program: str
    program_slug: str
    section: str | None
    status: str
    status_label: str
    meetings_used: int
    meetings_quota: int
    valid_until: datetime | None
    pay_before: datetime | None
    invoice: str


class AdminEnrollmentPageOut(Schema):
    count: int
    next_page: int | None
    results: list[AdminEnrollmentOut]


class ApproveIn(_In):
    section: int | None = Field(default=None, ge=1)
    new_section: bool = False


class RejectIn(_In):
    reason: str = Field(min_length=1, max_length=300)


class ApprovedOut(Schema):
    id: int
    status: str
    section: str | None
    pay_before: datetime | None


def _section(s: ClassSection, capacity: int) -> dict:
    return {
        "id": s.pk,
        "label": s.label,
        "tutor": services._name(s.tutor),
        "status": s.status,
        "students": s.seats_taken,
        "capacity": capacity,
        "fill": f"{s.seats_taken}/{capacity} siswa",
    }


def _program(t: ClassTemplate) -> dict:
    return {
        "slug": t.slug,
        "title": t.name,
        "subject": t.subject,
        "type": t.class_type,
        "level": t.level,
        "price": t.price,
        "meetings_per_period": t.meetings_per_period,
        "max_students": t.max_students,
        "period_mode": t.period_mode,
        "sections": [_section(s, t.max_students) for s in t.sections.all()],
    }


@router.get("/classes/programs", response={200: ProgramPageOut, **_ERRORS}, auth=None, summary="Program kelas live")
def programs(request, filters: Query[PageIn]):
    count, next_page, rows = selectors.page(selectors.programs(), filters.page)
    return {"count": count, "next_page": next_page, "results": [_program(t) for t in rows]}


@router.post(
    "/classes/programs/{slug}/register",
    response={201: EntryOut, **_ERRORS},
    auth=jwt_auth,
    summary="Daftar ke daftar tunggu program",
)
@idempotent
def register(request, slug: str):
    template = ClassTemplate.objects.filter(slug=slug[:140], is_published=True).first()
    if template is None:
        raise NotFound(_("Program tidak ditemukan."))
    entry = services.register(user=request.auth, template=template, ip=request_context.current().ip)
    return Status(
        201,
        {"id": entry.pk, "program": template.name, "status": entry.status, "status_label": entry.get_status_display()},
    )


def _my_class(e: Enrollment, now, included: dict) -> dict:
    used = e.used
    return {
        "id": e.pk,
        "program": e.template.name,
        "program_slug": e.template.slug,
        "status": e.status,
        "status_label": e.get_status_display(),
        "section": e.section.label if e.section else None,
        "tutor": services._name(e.section.tutor) if e.section else None,
        "meetings_used": used,
        "meetings_left": max(0, e.meetings_quota - used),
        "meetings_quota": e.meetings_quota,
        "valid_until": e.period_end,
        "pay_before": e.pay_before if e.status == EnrollmentStatus.APPROVED else None,
        "included": e.template.slug in included,
        "included_by": e.included_by,
        "next_meetings": [
            {
                "id": m.pk,
                "starts_at": m.starts_at,
                "duration_minutes": m.duration_minutes,
                "join_url": selectors.join_url(e, m, now),
            }
            for m in selectors.next_meetings(e, now)
        ],
    }


@router.get("/me/classes", response={200: MyClassPageOut, **_ERRORS}, auth=jwt_auth, summary="Kelas live saya")
def my_classes(request, filters: Query[PageIn]):
    now = timezone.now()
    count, next_page, rows = selectors.page(selectors.my_enrollments(request.auth), filters.page)
    included = selectors.included_programs(request.auth, now)
    return {"count": count, "next_page": next_page, "results": [_my_class(e, now, included) for e in rows]}


def _own(request, entry_id: int) -> Enrollment:
    return get_object_or_404(
        Enrollment.objects.select_related("template", "section"), pk=entry_id, student=request.auth
    )


@router.post(
    "/me/classes/{int:entry_id}/pay",
    response={201: OrderOut, **_ERRORS},
    auth=jwt_auth,
    summary="Bayar kelas yang disetujui",
    description="Membuat pesanan seperti `POST /orders` untuk pendaftaran yang disetujui dan belum dibayar.",
)
@idempotent
def pay(request, entry_id: int, payload: PayIn):
    entry = _own(request, entry_id)
    result = checkout_place(
        buyer=request.auth,
        items=[ItemRequest(kind=ITEM_KIND, slug=str(entry.pk))],
        coupon_code=payload.coupon,
        provider=payload.provider,
        client_ip=request_context.current().ip,
    )
    return Status(201, order_data(request, result.order, payment=result.payment, payment_error=result.error))


@router.post(
    "/me/classes/{int:entry_id}/activate",
    response={200: ApprovedOut, **_ERRORS},
    auth=jwt_auth,
    summary="Aktifkan kelas yang termasuk paket",
    description="Pendaftaran yang disetujui (atau perpanjangan) untuk program yang termasuk paket membership atau "
    "produk pengguna menjadi aktif tanpa pesanan; 400 bila paket tidak memuatnya (bayar lewat `/pay`).",
)
@idempotent
def activate(request, entry_id: int):
    entry = services.activate_included(user=request.auth, entry=_own(request, entry_id))
    return {"id": entry.pk, "status": entry.status, "section": entry.section.label, "pay_before": None}


@router.post(
    "/me/classes/{int:entry_id}/renew",
    response={201: ApprovedOut, **_ERRORS},
    auth=jwt_auth,
    summary="Perpanjang kelas",
)
@idempotent
def renew(request, entry_id: int):
    renewal = services.renew(user=request.auth, entry=_own(request, entry_id))
    return Status(
        201,
        {
            "id": renewal.pk,
            "status": renewal.status,
            "section": renewal.section.label,
            "pay_before": renewal.pay_before if renewal.status == EnrollmentStatus.APPROVED else None,
        },
    )


@router.post(
    "/me/classes/{int:entry_id}/extra-meetings",
    response={201: OrderOut, **_ERRORS},
    auth=jwt_auth,
    summary="Beli pertemuan tambahan",
    description="Membuat pesanan pertemuan tambahan (biaya per pertemuan dari program) untuk kelas yang aktif; "
    "kuota bertambah setelah pesanan dibayar.",
)
@idempotent
def extra_meetings(request, entry_id: int, payload: ExtraIn):
    entry = _own(request, entry_id)
    result = checkout_place(
        buyer=request.auth,
        items=[ItemRequest(kind=EXTRA_ITEM_KIND, slug=services.extra_ref(entry.pk, payload.meetings))],
        coupon_code=payload.coupon,
        provider=payload.provider,
        client_ip=request_context.current().ip,
    )
    return Status(201, order_data(request, result.order, payment=result.payment, payment_error=result.error))


class ExcuseIn(_In):
    reason: str = Field(min_length=1, max_length=300)


class ClassesExcuseOut(Schema):
    meeting: int
    reason: str
    reported_at: datetime
    in_time: bool = Field(description="Dilaporkan paling lambat `excused_notice_hours` jam sebelum pertemuan.")
    counts_as: Literal["izin", "absen"] = Field(
        description="Dicatat sebagai izin (tepat waktu) atau absen (terlambat)."
    )
    consumes: bool = Field(description="Apakah pertemuan ini memakai kuota bila tutor mengisi kehadiran.")


@router.post(
    "/me/classes/meetings/{int:meeting_id}/excuse",
    response={200: ClassesExcuseOut, **_ERRORS},
    auth=jwt_auth,
    summary="Laporkan izin untuk pertemuan berikutnya",
    description=(
        "Izin dengan alasan untuk pertemuan yang belum dimulai di section aktif Anda. Dilaporkan paling lambat "
        "`excused_notice_hours` jam sebelumnya: tutor melihatnya terisi izin dan pemakaian kuota mengikuti program; "
        "lebih lambat: tetap terlihat oleh tutor tetapi dicatat absen. Mengirim lagi memperbarui alasan."
    ),
)
@idempotent
def excuse(request, meeting_id: int, payload: ExcuseIn):
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    notice = services.excuse_report(user=request.auth, meeting=meeting, reason=payload.reason)
    return excuse_data(notice)


def excuse_data(notice) -> dict:
    template = notice.meeting.section.template
    return {
        "meeting": notice.meeting_id,
        "reason": notice.reason,
        "reported_at": notice.reported_at,
        "in_time": notice.in_time,
        "counts_as": "izin" if notice.in_time else "absen",
        "consumes": template.excused_consumes if notice.in_time else True,
    }


def _slot(s: TutorAvailability) -> dict:
    return {
        "id": s.pk,
        "weekday": s.weekday,
        "day": selectors.WEEKDAYS[s.weekday],
        "start_time": s.start_time,
        "end_time": s.end_time,
    }


@router.get(
    "/tutor/availability",
    response={200: list[SlotOut], **_ERRORS},
    auth=JWTAuth(roles=(Role.MENTOR,)),
    summary="Ketersediaan mingguan tutor",
)
def availability(request):
    rows = TutorAvailability.objects.filter(tutor=request.auth).order_by("weekday", "start_time")
    return [_slot(s) for s in rows[:100]]


@router.post(
    "/tutor/availability",
    response={201: SlotOut, **_ERRORS},
    auth=JWTAuth(roles=(Role.MENTOR,)),
    summary="Tambah slot ketersediaan",
)
@idempotent
def availability_add(request, payload: SlotIn):
    slot = services.availability_add(
        actor=request.auth,
        tutor=request.auth,
        weekday=payload.weekday,
        start=payload.start_time.replace(tzinfo=None),
        end=payload.end_time.replace(tzinfo=None),
    )
    return Status(201, _slot(slot))


@router.delete(
    "/tutor/availability/{int:slot_id}",
    response={204: None, **_ERRORS},
    auth=JWTAuth(roles=(Role.MENTOR,)),
    summary="Hapus slot ketersediaan",
)
def availability_remove(request, slot_id: int):
    slot = get_object_or_404(TutorAvailability, pk=slot_id, tutor=request.auth)
    services.availability_remove(actor=request.auth, slot=slot)
    return Status(204, None)


@router.get(
    "/tutor/meetings", response={200: list[TutorMeetingOut], **_ERRORS}, auth=tutor_auth, summary="Jadwal tutor"
)
def tutor_meetings(request, filters: Query[TutorMeetingsIn]):
    day = filters.date or timezone.localdate()
    start = timezone.make_aware(datetime.combine(day, time.min))
    rows = selectors.tutor_meetings(request.auth, start, start + timedelta(days=1), admin=False)
    out = []
    for m in rows[:100]:
        marks = {a.enrollment_id: a.status for a in m.attendances.all()}
        out.append(
            {
                "id": m.pk,
                "program": m.section.template.name,
                "section": m.section.label,
                "starts_at": m.starts_at,
                "duration_minutes": m.duration_minutes,
                "url": m.url,
                "status": m.status,
                "students": [
                    {"enrollment": e.pk, "name": services._name(e.student), "attendance": marks.get(e.pk)}
                    for e in m.section.active
                ],
            }
        )
    return out


@router.post(
    "/tutor/meetings/{int:meeting_id}/attendance",
    response={200: ClassesAttendanceOut, **_ERRORS},
    auth=tutor_auth,
    summary="Isi kehadiran (idempoten)",
    description="Hadir / izin / absen per pendaftaran aktif section ini; mengirim ulang menimpa tanda yang sama "
    '(idempoten, juga dengan `Idempotency-Key`). Tanda yang melewati kuota ditolak 409 "Kuota Habis untuk Bulan '
    'Ini"; pertemuan yang dibatalkan 400.',
)
@idempotent
def attendance(request, meeting_id: int, payload: AttendanceIn):
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    marks = {m.enrollment: m.status for m in payload.marks}
    rows = services.attendance_mark(actor=request.auth, meeting=meeting, marks=marks)
    labels = dict(AttendanceStatus.choices)
    return {
        "marked": [{"enrollment": r.enrollment_id, "status": r.status, "label": str(labels[r.status])} for r in rows]
    }


@router.get(
    "/admin/classes/enrollments",
    response={200: AdminEnrollmentPageOut, **_ERRORS},
    auth=admin_auth,
    summary="Pendaftaran kelas live (admin)",
)
def admin_enrollments(request, filters: Query[EnrollmentFilterIn]):
    if "\x00" in filters.program or "\x00" in filters.q:
        raise ServiceError(_("Teks berisi karakter yang tidak diizinkan."))
    qs = selectors.admin_enrollments(status=filters.status, program=filters.program.strip(), q=filters.q.strip())
    count, next_page, rows = selectors.page(qs, filters.page)
    return {
        "count": count,
        "next_page": next_page,
        "results": [
            {
                "id": e.pk,
                "student": services._name(e.student),
                "email": e.student.email,
                "program": e.template.name,
                "program_slug": e.template.slug,
                "section": e.section.label if e.section else None,
                "status": e.status,
                "status_label": e.get_status_display(),
                "meetings_used": e.used,
                "meetings_quota": e.meetings_quota,
                "valid_until": e.period_end,
                "pay_before": e.pay_before if e.status == EnrollmentStatus.APPROVED else None,
                "invoice": e.order_invoice,
            }
            for e in rows
        ],
    }


@router.get(
    "/admin/classes/waiting-list", response={200: WaitingPageOut, **_ERRORS}, auth=admin_auth, summary="Daftar tunggu"
)
def waiting(request, filters: Query[PageIn]):
    count, next_page, rows = selectors.page(selectors.waiting_list(), filters.page)
    return {
        "count": count,
        "next_page": next_page,
        "results": [
            {
                "id": e.pk,
                "student": services._name(e.student),
                "email": e.student.email,
                "program": e.template.name,
                "program_slug": e.template.slug,
                "requested_at": e.requested_at,
            }
            for e in rows
        ],
    }


@router.post(
    "/admin/classes/waiting-list/{int:entry_id}/approve",
    response={200: ApprovedOut, **_ERRORS},
    auth=admin_auth,
    summary="Setujui ke section",
)
@idempotent
def approve(request, entry_id: int, payload: ApproveIn):
    entry = get_object_or_404(Enrollment, pk=entry_id)
    section = None
    if payload.section is not None:
        section = ClassSection.objects.filter(pk=payload.section, template_id=entry.template_id).first()
        if section is None:
            raise ServiceError(_("Section bukan milik program ini."), errors={"section": [_("Tidak cocok.")]})
    entry = services.approve(actor=request.auth, entry=entry, section=section, new_section=payload.new_section)
    return {"id": entry.pk, "status": entry.status, "section": entry.section.label, "pay_before": entry.pay_before}


@router.post(
    "/admin/classes/waiting-list/{int:entry_id}/reject",
    response={200: ApprovedOut, **_ERRORS},
    auth=admin_auth,
    summary="Tolak pendaftaran",
)
@idempotent
def reject(request, entry_id: int, payload: RejectIn):
    entry = services.reject(actor=request.auth, entry=get_object_or_404(Enrollment, pk=entry_id), reason=payload.reason)
    return {"id": entry.pk, "status": entry.status, "section": None, "pay_before": None}
