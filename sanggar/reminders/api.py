"""Admin API of reminders and broadcasts (for the Flutter admin and other clients): reminder sequences with their
steps and stats (list, detail, create / edit, switch on or off), broadcasts (list, detail with progress and report,
create / edit a draft, preview the segment's size, start sending). The pages and these call the same services."""

from datetime import datetime, time
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict, StrictBool, StrictInt, StrictStr, field_validator

from sanggar.api.auth import admin_auth
from sanggar.api.idempotency import idempotent
from sanggar.api.schemas import ErrorOut
from sanggar.catalog.models import MembershipPlan
from sanggar.community.models import Group
from sanggar.core.exceptions import NotFound, ServiceError
from sanggar.learning.models import Course

from . import analytics, dashboard, services, tracking, views_targets
from .constants import Target
from .models import Broadcast, ReminderSequence, ReminderStep

router = Router(tags=["admin: pengingat & broadcast"])
API_ORDER = 95
PAGE_SIZE = 50
_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class _In(Schema):
    model_config = ConfigDict(extra="forbid")


class ReminderPageIn(_In):
    page: int = Field(default=1, ge=1, le=100_000)


class ReminderStepOut(Schema):
    id: int
    delay_hours: int
    channels: list[str]
    subject: str
    body: str
    delay_amount: int = 0
    delay_unit: str = "hours"
    sort_order: int = 0
    preferred_time: str | None = None
    days_of_week: list[int] = []
    avoid_weekends: bool = False
    content: dict = Field(default={}, description="Isi per saluran: email, whatsapp, push, in_app.")


class ReminderStatsOut(Schema):
    recipients: int
    opted_out: int
    sent: int
    queued: int
    failed: int
    skipped: int


class ReminderSequenceOut(Schema):
    id: int
    name: str
    trigger: str
    trigger_label: str
    days: int
    stop_on: str
    quiet_start: str | None
    quiet_end: str | None
    is_active: bool
    target_type: str = Field(
        default="", description="plan, product, course, event, supplier (pemicu supplier); kosong: semua."
    )
    target_id: int | None = None
    specific_at: str | None = None
    conditions: list[str] = []
    origin: str = Field(default="", description="Urutan bawaan hasil migrasi (mis. membership_expiry).")
    kind: str = Field(default="transactional", description="transactional atau marketing (berhenti berlangganan).")
    steps: list[ReminderStepOut] = []


class ReminderSequenceDetailOut(ReminderSequenceOut):
    stats: ReminderStatsOut


class ReminderSequencePageOut(Schema):
    count: int
    next_page: int | None
    results: list[ReminderSequenceOut]


class ReminderSequenceIn(_In):
    name: StrictStr = Field(max_length=120)
    trigger: StrictStr = Field(max_length=30)
    days: StrictInt = Field(default=0, ge=0, le=365)
    stop_on: StrictStr = Field(default="none", max_length=10)
    quiet_start: time | None = None
    quiet_end: time | None = None
    is_active: StrictBool = True
    target_type: StrictStr = Field(default="", max_length=10)
    target_id: StrictInt | None = Field(default=None, ge=1)
    specific_at: datetime | None = None
    conditions: list[StrictStr] = Field(
        default=[],
        max_length=10,
        description="courses_completed_zero, not_renewed, no_purchase, inactive (lastLoginDays), no_group, "
        "no_activity (userActive: false), usage_low / usage_medium / usage_high (membershipUsage; one of them).",
    )
    kind: Literal["transactional", "marketing"] = "transactional"


class ReminderStepIn(_In):
    delay_hours: StrictInt | None = Field(default=None, ge=0, le=8760, description="Atau delay_amount + delay_unit.")
    delay_amount: StrictInt | None = Field(default=None, ge=0, le=8760)
    delay_unit: Literal["hours", "days", "weeks"] = "hours"
    sort_order: StrictInt | None = Field(default=None, ge=0, le=1000)
    channels: list[StrictStr] = Field(default=[], max_length=4)
    subject: StrictStr = Field(max_length=200)
    body: StrictStr = Field(max_length=4000)
    preferred_time: time | None = None
    days_of_week: list[StrictInt] = Field(default=[], max_length=7)
    avoid_weekends: StrictBool = False
    content: dict[str, dict[str, StrictStr]] = Field(default={}, max_length=4)


class AdminBroadcastOut(Schema):
    id: int
    title: str
    subject: str
    body: str
    channels: list[str]
    segment_role: str
    segment_plan: str | None = Field(description="Slug paket.")
    segment_status: str
    segment_province: str = ""
    segment_expiring_days: int = 0
    segment_inactive_days: int = 0
    segment_group: str | None = Field(default=None, description="Slug grup komunitas (anggota aktif).")
    segment_course: str | None = Field(default=None, description="Slug kelas (peserta terdaftar).")
    link: str = Field(default="", description="Tujuan tautan; klik dihitung lewat pengalihan bertanda tangan.")
    cta_text: str = Field(default="", description="Teks tombol email (kosong: bawaan).")
    status: str = Field(description="draft, scheduled, sending atau sent.")
    send_at: str | None = Field(default=None, description="Waktu kirim terjadwal.")
    created_at: str
    sent_at: str | None


class LinkClickOut(Schema):
    url: str = Field(description="Tautan di isi email (dihitung lewat pengalihan klik bertanda tangan).")
    clicks: int = Field(description="Jumlah klik (member yang mengklik dua kali dihitung dua kali).")
    step: int | None = Field(default=None, description="Langkah pengingat pemilik tautan (kosong: broadcast).")
    step_subject: str = ""


LINK_CLICKS_HELP = (
    "Klik per tautan: tautan yang paling banyak diklik lebih dulu, paling banyak REMINDERS_LINK_CLICKS_SHOWN "
    "(bawaan 10) baris."
)


class BroadcastStatsOut(ReminderStatsOut):
    opened: int = Field(description="Penerima yang membuka email (piksel).")
    clicked: int = Field(description="Penerima yang mengklik tautan (pengalihan bertanda tangan).")


class AdminBroadcastDetailOut(AdminBroadcastOut):
    audience: int = Field(description="Jumlah penerima segmen saat ini.")
    processed: int = Field(description="Sudah diproses (kemajuan pengiriman).")
    percent: int = Field(default=0, description="Kemajuan dalam persen.")
    stats: BroadcastStatsOut
    link_clicks: list[LinkClickOut] = Field(default=[], description=LINK_CLICKS_HELP)


class AdminBroadcastPageOut(Schema):
    count: int
    next_page: int | None
    results: list[AdminBroadcastOut]


class BroadcastSegmentIn(_In):
    segment_role: StrictStr = Field(default="", max_length=20)
    segment_plan: StrictStr = Field(default="", max_length=160, description="Slug paket (kosong: semua).")
    segment_status: StrictStr = Field(default="", max_length=10)
    segment_province: StrictStr = Field(default="", max_length=64)
    segment_expiring_days: StrictInt = Field(default=0, ge=0, le=3650, description="Aktif, berakhir dalam N hari.")
    segment_inactive_days: StrictInt = Field(default=0, ge=0, le=3650, description="Tidak login sejak N hari.")
    segment_group: StrictStr = Field(default="", max_length=80, description="Slug grup komunitas (kosong: semua).")
    segment_course: StrictStr = Field(default="", max_length=120, description="Slug kelas (kosong: semua).")


class AdminBroadcastIn(BroadcastSegmentIn):
    title: StrictStr = Field(max_length=120)
    subject: StrictStr = Field(max_length=200)
    body: StrictStr = Field(max_length=4000)
    channels: list[StrictStr] = Field(default=[], max_length=4)
    link: StrictStr = Field(default="", max_length=500)
    cta_text: StrictStr = Field(default="", max_length=60)


class AdminBroadcastSendIn(_In):
    send_at: datetime | None = Field(default=None, description="Kosong: kirim sekarang; isi: jadwalkan.")


class BroadcastPreviewOut(Schema):
    audience: int


def _page(qs, page: int):
    count = qs.count()
    start = (page - 1) * PAGE_SIZE
    rows = list(qs[start : start + PAGE_SIZE]) if start < count else []
    return count, (page + 1 if start + PAGE_SIZE < count else None), rows


def _sequence(s, with_steps=True) -> dict:
    return {
        "id": s.pk,
        "name": s.name,
        "trigger": s.trigger,
        "trigger_label": str(s.get_trigger_display()),
        "days": s.days,
        "stop_on": s.stop_on,
        "quiet_start": s.quiet_start.strftime("%H:%M") if s.quiet_start else None,
        "quiet_end": s.quiet_end.strftime("%H:%M") if s.quiet_end else None,
        "is_active": s.is_active,
        "target_type": s.target_type,
        "target_id": s.target_id,
        "specific_at": s.specific_at.isoformat() if s.specific_at else None,
        "conditions": list(s.conditions or []),
        "origin": s.origin,
        "kind": s.kind,
        "steps": [_step(st) for st in s.steps.all()] if with_steps else [],
    }


def _step(st) -> dict:
    return {
        "id": st.pk,
        "delay_hours": st.delay_hours,
        "channels": st.channels,
        "subject": st.subject,
        "body": st.body,
        "delay_amount": st.delay_amount,
        "delay_unit": st.delay_unit,
        "sort_order": st.sort_order,
        "preferred_time": st.preferred_time.strftime("%H:%M") if st.preferred_time else None,
        "days_of_week": list(st.days_of_week or []),
        "avoid_weekends": st.avoid_weekends,
        "content": st.content or {},
    }


def _broadcast(b) -> dict:
    return {
        "id": b.pk,
        "title": b.title,
        "subject": b.subject,
        "body": b.body,
        "channels": b.channels,
        "segment_role": b.segment_role,
        "segment_plan": b.segment_plan.slug if b.segment_plan_id else None,
        "segment_status": b.segment_status,
        "segment_province": b.segment_province,
        "segment_expiring_days": b.segment_expiring_days,
        "segment_inactive_days": b.segment_inactive_days,
        "segment_group": b.segment_group.slug if b.segment_group_id else None,
        "segment_course": b.segment_course.slug if b.segment_course_id else None,
        "link": b.link,
        "cta_text": b.cta_text,
        "status": b.status,
        "send_at": b.send_at.isoformat() if b.send_at else None,
        "created_at": b.created_at.isoformat(),
        "sent_at": b.sent_at.isoformat() if b.sent_at else None,
    }


def _broadcast_detail(b) -> dict:
    progress = services.broadcast_progress(broadcast=b)
    return {
        **_broadcast(b),
        "audience": progress["audience"] if b.status != "draft" else services.segment_users(broadcast=b).count(),
        "processed": progress["processed"],
        "percent": progress["percent"],
        "stats": services.broadcast_stats(broadcast=b),
        "link_clicks": _link_clicks(analytics.link_clicks(broadcast=b)),
    }


def _by_slug(model, slug: str, field: str, message: str):
    if not slug:
        return None
    row = model.objects.filter(slug=slug).first()
    if row is None:
        raise ServiceError(message, errors={field: [message]})
    return row


def _segment(data: BroadcastSegmentIn) -> dict:
    return {
        "segment_role": data.segment_role,
        "segment_plan": _plan(data.segment_plan),
        "segment_status": data.segment_status,
        "segment_province": data.segment_province,
        "segment_expiring_days": data.segment_expiring_days,
        "segment_inactive_days": data.segment_inactive_days,
        "segment_group": _by_slug(Group, data.segment_group, "segment_group", "Grup tidak ditemukan."),
        "segment_course": _by_slug(Course, data.segment_course, "segment_course", "Kelas tidak ditemukan."),
    }


def _plan(slug: str):
    if not slug:
        return None
    plan = MembershipPlan.objects.filter(slug=slug).first()
    if plan is None:
        raise ServiceError("Paket tidak ditemukan.", errors={"segment_plan": ["Paket tidak ditemukan."]})
    return plan


# --- sequences -------------------------------------------------------------------------------------------------


class ReminderListIn(ReminderPageIn):
    target_type: Literal["", "plan", "product", "course", "event"] = Field(
        default="", description="Hanya urutan sasaran ini (bersama target_id: urutan tab Reminder)."
    )
    target_id: int | None = Field(default=None, ge=1, le=2_147_483_647)


@router.get(
    "/admin/reminders",
    auth=admin_auth,
    response={200: ReminderSequencePageOut, **_ERRORS},
    summary="Urutan pengingat",
    description="Semua urutan (menurut nama), atau satu sasaran (target_type + target_id) dalam urutan tab Reminder.",
)
def sequence_list(request, q: Query[ReminderListIn]):
    qs = ReminderSequence.objects.prefetch_related("steps")
    if q.target_type and q.target_id:
        qs = qs.filter(target_type=q.target_type, target_id=q.target_id).order_by("sort_order", "id")
    elif q.target_type:
        qs = qs.filter(target_type=q.target_type).order_by("name", "id")
    else:
        qs = qs.order_by("name", "id")
    count, next_page, rows = _page(qs, q.page)
    return {"count": count, "next_page": next_page, "results": [_sequence(s) for s in rows]}


class SequencesReorderIn(_In):
    target_type: Literal["plan", "product", "course", "event"]
    target_id: StrictInt = Field(ge=1, le=2_147_483_647)
    sequence_ids: list[StrictInt] = Field(max_length=1000, description="Semua urutan sasaran ini, dalam urutan baru.")


@router.post(
    "/admin/reminders/reorder",
    auth=admin_auth,
    response={200: list[ReminderSequenceOut], **_ERRORS},
    summary="Ubah urutan pengingat satu sasaran",
    description="Seperti seret-dan-lepas di tab Reminder paket / produk: semua urutan sasaran, sekali masing-masing.",
)
@idempotent
def sequences_reorder(request, data: SequencesReorderIn):
    services.sequences_reorder(
        actor=request.auth, target_type=data.target_type, target_id=data.target_id, sequence_ids=data.sequence_ids
    )
    rows = services.target_sequences(target_type=data.target_type, target_id=data.target_id).prefetch_related("steps")
    return [_sequence(s) for s in rows]


class TrackingSettingsOut(Schema):
    open_pixel: bool = Field(description="Piksel pembukaan email pengingat dan broadcast (mati: tidak dipasang).")
    privacy_url: str = Field(description="Halaman kebijakan privasi yang ditautkan di kaki email (kosong: tidak ada).")


class TrackingSettingsIn(_In):
    open_pixel: StrictBool
    privacy_url: StrictStr = Field(default="", max_length=500)


@router.get(
    "/admin/reminders/tracking",
    auth=admin_auth,
    response={200: TrackingSettingsOut, **_ERRORS},
    summary="Pengaturan pelacakan email pengingat",
)
def tracking_settings_get(request):
    row = tracking.tracking_settings()
    return {"open_pixel": row.open_pixel, "privacy_url": row.privacy_url}


@router.put(
    "/admin/reminders/tracking",
    auth=admin_auth,
    response={200: TrackingSettingsOut, **_ERRORS},
    summary="Ubah pelacakan email pengingat",
    description="Mematikan piksel pembukaan untuk semua email pengingat dan broadcast; klik tetap diukur.",
)
@idempotent
def tracking_settings_put(request, data: TrackingSettingsIn):
    row = services.tracking_settings_save(actor=request.auth, open_pixel=data.open_pixel, privacy_url=data.privacy_url)
    return {"open_pixel": row.open_pixel, "privacy_url": row.privacy_url}


class ReminderDashboardIn(_In):
    days: int = Field(default=30, description="Periode: 7, 30 atau 90 hari terakhir.")

    @field_validator("days")
    @classmethod
    def _period(cls, value: int) -> int:
        if value not in dashboard.PERIODS:
            raise ValueError("Periode harus 7, 30 atau 90 hari.")
        return value


class ReminderDashboardChannelOut(Schema):
    channel: str
    total: int
    delivered: int
    failed: int
    confirmed: int = Field(default=0, description="Dilaporkan sampai oleh webhook penyedia (Fonnte / OneSignal).")
    pending: int
    success_rate: int = Field(description="Persen: sampai ÷ (sampai + gagal).")


class ReminderDashboardBroadcastOut(Schema):
    id: int
    title: str
    status: str
    recipients: int
    sent: int
    skipped: int = Field(description="Penerima yang mematikan semua saluran terpilih.")
    delivered: int = Field(description="Pengiriman eksternal yang diserahkan ke penyedia.")
    confirmed: int = Field(description="Dilaporkan sampai oleh webhook Fonnte / OneSignal.")
    failed: int = Field(description="Pengiriman eksternal yang gagal.")
    opened: int
    clicked: int
    open_rate: int
    click_rate: int


class ReminderDashboardBroadcastsOut(Schema):
    totals: dict[str, int] = Field(
        description="broadcasts, recipients, sent, skipped, delivered, confirmed, failed, opened, clicked (+ _rate)."
    )
    channels: list[ReminderDashboardChannelOut]
    items: list[ReminderDashboardBroadcastOut] = Field(description="Broadcast terbaru periode ini (maks. 50).")


class ReminderDashboardSequenceOut(Schema):
    id: int
    name: str
    sent: int
    failed: int
    opened: int
    clicked: int
    converted: int
    open_rate: int
    click_rate: int
    conversion_rate: int


class ReminderDashboardSlotOut(Schema):
    sent: int
    engaged: int = Field(description="Dibuka atau diklik.")
    rate: int


class ReminderDashboardHourOut(ReminderDashboardSlotOut):
    hour: int = Field(description="Jam kirim (WIB), 0–23.")


class ReminderDashboardDayOut(ReminderDashboardSlotOut):
    day: int = Field(description="0 = Senin … 6 = Minggu (WIB).")


class ReminderDashboardOut(Schema):
    days: int
    since: datetime
    min_sent: int = Field(description="Kiriman minimal untuk disebut terbaik (pengingat, jam, hari).")
    totals: dict[str, int]
    channels: list[ReminderDashboardChannelOut]
    sequences: list[ReminderDashboardSequenceOut]
    best_reminder: ReminderDashboardSequenceOut | None
    hours: list[ReminderDashboardHourOut]
    week_days: list[ReminderDashboardDayOut]
    best_hour: ReminderDashboardHourOut | None
    best_day: ReminderDashboardDayOut | None
    heatmap: list[list[int]] = Field(description="7 baris (Senin … Minggu) × 24 jam (WIB): dibuka + diklik.")
    broadcasts: ReminderDashboardBroadcastsOut = Field(description="Broadcast periode ini: per broadcast, per saluran.")


@router.get(
    "/admin/reminders/dashboard",
    auth=admin_auth,
    response={200: ReminderDashboardOut, **_ERRORS},
    summary="Dasbor semua pengingat",
    description="Keberhasilan per saluran (dengan konfirmasi webhook penyedia), pengingat terbaik, jam dan hari "
    "terbaik, peta keterlibatan (WIB), dan broadcast periode ini (terkirim, gagal, dibuka, diklik per broadcast dan "
    "per saluran).",
)
def reminders_dashboard_api(request, q: Query[ReminderDashboardIn]):
    data = dashboard.reminders_dashboard(days=q.days)
    data["heatmap"] = [[c["n"] for c in row["cells"]] for row in data["heatmap"]["rows"]]
    return data


@router.get(
    "/admin/reminders/{sequence_id}",
    auth=admin_auth,
    response={200: ReminderSequenceDetailOut, **_ERRORS},
    summary="Detail urutan pengingat (dengan statistik)",
)
def sequence_detail(request, sequence_id: int):
    sequence = get_object_or_404(ReminderSequence.objects.prefetch_related("steps"), pk=sequence_id)
    return {**_sequence(sequence), "stats": services.sequence_stats(sequence=sequence)}


def _sequence_save(request, data: ReminderSequenceIn, sequence=None):
    return services.sequence_save(
        actor=request.auth,
        sequence=sequence,
        name=data.name,
        trigger=data.trigger,
        days=data.days,
        stop_on=data.stop_on,
        quiet_start=data.quiet_start,
        quiet_end=data.quiet_end,
        is_active=data.is_active,
        target_type=data.target_type,
        target_id=data.target_id,
        specific_at=data.specific_at,
        conditions=data.conditions,
        kind=data.kind,
    )


def _step_save(request, sequence, data: ReminderStepIn, step=None):
    if data.delay_hours is None and data.delay_amount is None:
        raise ServiceError("Isi delay_hours atau delay_amount.", errors={"delay_amount": ["Wajib diisi."]})
    return services.step_save(
        actor=request.auth,
        sequence=sequence,
        step=step,
        delay_hours=data.delay_hours,
        delay_amount=data.delay_amount,
        delay_unit=data.delay_unit if data.delay_amount is not None else "hours",
        sort_order=data.sort_order,
        channels=data.channels,
        subject=data.subject,
        body=data.body,
        preferred_time=data.preferred_time,
        days_of_week=data.days_of_week,
        avoid_weekends=data.avoid_weekends,
        content=data.content,
    )


@router.post(
    "/admin/reminders", auth=admin_auth, response={201: ReminderSequenceOut, **_ERRORS}, summary="Buat urutan pengingat"
)
@idempotent
def sequence_create(request, data: ReminderSequenceIn):
    return Status(201, _sequence(_sequence_save(request, data)))


@router.put(
    "/admin/reminders/{sequence_id}",
    auth=admin_auth,
    response={200: ReminderSequenceOut, **_ERRORS},
    summary="Ubah urutan pengingat (termasuk aktif / nonaktif)",
)
@idempotent
def sequence_update(request, sequence_id: int, data: ReminderSequenceIn):
    sequence = get_object_or_404(ReminderSequence, pk=sequence_id)
    return _sequence(_sequence_save(request, data, sequence))


@router.post(
    "/admin/reminders/{sequence_id}/steps",
    auth=admin_auth,
    response={201: ReminderStepOut, **_ERRORS},
    summary="Tambah langkah pengingat",
)
@idempotent
def step_create(request, sequence_id: int, data: ReminderStepIn):
    sequence = get_object_or_404(ReminderSequence, pk=sequence_id)
    return Status(201, _step(_step_save(request, sequence, data)))


class StepsReorderIn(_In):
    step_ids: list[StrictInt] = Field(max_length=1000, description="Semua langkah urutan, dalam urutan baru.")


@router.post(
    "/admin/reminders/{sequence_id}/steps/reorder",
    auth=admin_auth,
    response={200: list[ReminderStepOut], **_ERRORS},
    summary="Ubah urutan langkah pengingat",
)
@idempotent
def steps_reorder(request, sequence_id: int, data: StepsReorderIn):
    sequence = get_object_or_404(ReminderSequence, pk=sequence_id)
    services.steps_reorder(actor=request.auth, sequence=sequence, step_ids=data.step_ids)
    return [_step(st) for st in sequence.steps.all()]


@router.put(
    "/admin/reminders/{sequence_id}/steps/{step_id}",
    auth=admin_auth,
    response={200: ReminderStepOut, **_ERRORS},
    summary="Ubah langkah pengingat",
)
@idempotent
def step_update(request, sequence_id: int, step_id: int, data: ReminderStepIn):
    step = get_object_or_404(ReminderStep.objects.select_related("sequence"), pk=step_id, sequence_id=sequence_id)
    return _step(_step_save(request, step.sequence, data, step))


class ReminderPreviewOut(Schema):
    in_app: dict
    email: dict
    whatsapp: dict
    push: dict


@router.post(
    "/admin/reminders/{sequence_id}/preview",
    auth=admin_auth,
    response={200: ReminderPreviewOut, **_ERRORS},
    summary="Pratinjau langkah per saluran (contoh data)",
    description="Teks per saluran dengan shortcode diisi data contoh; tidak menyimpan apa pun.",
)
@idempotent
def step_preview(request, sequence_id: int, data: ReminderStepIn):
    get_object_or_404(ReminderSequence, pk=sequence_id)
    content = services.clean_step_content(data.content)
    draft = ReminderStep(subject=data.subject, body=data.body, content=content, channels=data.channels)
    return services.step_messages(draft, services.SAMPLE)


CHANNEL_KEYS = ("channel", "total", "delivered", "failed", "confirmed", "provider_opened")
STEP_KEYS = ("sent", "opened", "clicked", "converted", "delivered", "confirmed", "provider_opened", "failed")


class ReminderAnalyticsOut(Schema):
    totals: dict = Field(
        description="sent, delivered, confirmed, failed, opened, clicked, converted (+ _rate dalam persen)."
    )
    channels: list[dict] = Field(
        description="Per saluran: total, delivered (diserahkan), confirmed (sampai menurut webhook Fonnte / "
        "OneSignal), provider_opened (dibaca / diketuk menurut penyedia), failed, clicked, confirmed_rate."
    )
    days: list[dict] = Field(description="Terkirim per hari, 30 hari terakhir.")
    hours: list[dict] = Field(description="Per jam (WIB): terkirim, dibuka/diklik, rate.")
    best_hour: dict | None
    steps: list[dict] = Field(
        description="Per langkah: sent, opened, clicked, converted, dan pengiriman eksternalnya: delivered, "
        "confirmed (webhook penyedia), provider_opened, failed, confirmed_rate; sequence_name (nama urutannya)."
    )
    link_clicks: list[LinkClickOut] = Field(default=[], description=LINK_CLICKS_HELP)


def _link_clicks(rows) -> list[dict]:
    return [
        {"url": r["url"], "clicks": r["clicks"], "step": r.get("step_id"), "step_subject": r.get("step__subject") or ""}
        for r in rows
    ]


def _analytics_out(data: dict) -> dict:
    """`analytics._analytics`'s numbers as the API gives them (dates as ISO text, the chart helpers left out)."""
    data["days"] = [{"day": d["day"].isoformat(), "n": d["n"]} for d in data["days"]]
    data["hours"] = [{k: h[k] for k in ("hour", "n", "engaged", "rate")} for h in data["hours"]]
    data["channels"] = [{k: c[k] for k in (*CHANNEL_KEYS, "clicked", "confirmed_rate")} for c in data["channels"]]
    best = data["best_hour"]
    data["best_hour"] = {k: best[k] for k in ("hour", "n", "rate")} if best else None
    data["steps"] = [
        {
            "step": r["step_id"],
            "subject": r["step__subject"],
            "sequence_name": r["step__sequence__name"],
            **{k: r[k] for k in (*STEP_KEYS, "confirmed_rate")},
        }
        for r in data["steps"]
    ]
    data["link_clicks"] = _link_clicks(data.pop("links", []))
    return data


@router.get(
    "/admin/reminders/{sequence_id}/analytics",
    auth=admin_auth,
    response={200: ReminderAnalyticsOut, **_ERRORS},
    summary="Analitik urutan pengingat",
)
def sequence_analytics_api(request, sequence_id: int):
    sequence = get_object_or_404(ReminderSequence, pk=sequence_id)
    return _analytics_out(analytics.sequence_analytics(sequence=sequence))


# --- the reminders tab of one plan, product, course or event --------------------------------------------------

TARGET_TYPES = (Target.PLAN, Target.PRODUCT, Target.COURSE, Target.EVENT)
MAX_ID = 2_147_483_647


class ReminderTargetStatsOut(ReminderStatsOut):
    opened: int = Field(description="Kiriman yang dibuka (piksel email, WhatsApp dibaca, push diketuk).")
    clicked: int = Field(description="Kiriman yang diklik (pengalihan bertanda tangan).")
    converted: int = Field(description="Kiriman yang berujung aksi (perpanjang, bayar, selesai kelas).")


class ReminderTargetSequenceOut(ReminderSequenceOut):
    position: int = Field(description="Nomor kartu di tab (1 = pertama).")
    step_count: int
    stats: ReminderTargetStatsOut


class ReminderTargetOut(Schema):
    target_type: str = Field(description="plan, product, course atau event.")
    target_id: int
    target_title: str
    count: int
    next_page: int | None
    results: list[ReminderTargetSequenceOut] = Field(description="Urutan sasaran ini dalam urutan tab Pengingat.")


class TargetReorderIn(_In):
    sequence_ids: list[StrictInt] = Field(max_length=1000, description="Semua urutan sasaran ini, dalam urutan baru.")


def _target(target_type: str, target_id: int):
    """The plan, product, course or event of a reminders tab: 400 with the reason for an unknown kind, 404 when no
    such row (an id out of range too)."""
    if target_type not in TARGET_TYPES:
        message = _("Jenis sasaran tidak dikenal. Pilih plan, product, course atau event.")
        raise ServiceError(message, errors={"target_type": [message]})
    model = views_targets.KINDS[target_type].model
    row = model.objects.filter(pk=target_id).first() if 1 <= target_id <= MAX_ID else None
    if row is None:
        raise NotFound(_("Sasaran tidak ditemukan."))
    return row


def _target_page(target_type: str, target, page: int) -> dict:
    """One page of the target's sequences in the tab's order, each with its steps and stats (fixed queries)."""
    qs = services.target_sequences(target_type=target_type, target_id=target.pk).prefetch_related("steps")
    count, next_page, rows = _page(qs, page)
    stats = services.sequences_stats(sequence_ids=[s.pk for s in rows])
    first = (page - 1) * PAGE_SIZE
    results = [
        {**_sequence(s), "position": first + i + 1, "step_count": s.step_count, "stats": stats[s.pk]}
        for i, s in enumerate(rows)
    ]
    return {
        "target_type": target_type,
        "target_id": target.pk,
        "target_title": str(getattr(target, "title", "") or target),
        "count": count,
        "next_page": next_page,
        "results": results,
    }


@router.get(
    "/admin/reminders/targets/{target_type}/{target_id}",
    auth=admin_auth,
    response={200: ReminderTargetOut, **_ERRORS},
    summary="Tab Pengingat satu sasaran",
    description="Urutan pengingat paket (plan), produk (product), kelas (course) atau event dalam urutan tab "
    "Pengingat / Reminder, masing-masing dengan langkah dan statistiknya (50 per halaman).",
)
def target_reminders(request, target_type: str, target_id: int, q: Query[ReminderPageIn]):
    return _target_page(target_type, _target(target_type, target_id), q.page)


@router.post(
    "/admin/reminders/targets/{target_type}/{target_id}/reorder",
    auth=admin_auth,
    response={200: ReminderTargetOut, **_ERRORS},
    summary="Ubah urutan tab Pengingat sasaran",
    description="Seperti seret-dan-lepas di tab: semua urutan sasaran, sekali masing-masing; jawabannya halaman "
    "pertama tab dalam urutan baru.",
)
@idempotent
def target_reminders_reorder(request, target_type: str, target_id: int, data: TargetReorderIn):
    target = _target(target_type, target_id)
    services.sequences_reorder(
        actor=request.auth,
        target_type=target_type,
        target_id=target.pk,
        sequence_ids=data.sequence_ids,
        target=target,
    )
    return _target_page(target_type, target, 1)


@router.get(
    "/admin/reminders/targets/{target_type}/{target_id}/analytics",
    auth=admin_auth,
    response={200: ReminderAnalyticsOut, **_ERRORS},
    summary="Analitik tab Pengingat sasaran",
    description="Analitik semua urutan sasaran bersama (seperti halaman …/analitik tab): total, per saluran, per "
    "hari, per jam, per langkah (dengan nama urutannya) dan klik per tautan.",
)
def target_reminders_analytics(request, target_type: str, target_id: int):
    target = _target(target_type, target_id)
    return _analytics_out(analytics.target_analytics(target_type=target_type, target_id=target.pk))


class SequenceActiveIn(_In):
    is_active: StrictBool


@router.post(
    "/admin/reminders/{sequence_id}/active",
    auth=admin_auth,
    response={200: ReminderSequenceOut, **_ERRORS},
    summary="Aktifkan / nonaktifkan urutan pengingat",
)
@idempotent
def sequence_toggle(request, sequence_id: int, data: SequenceActiveIn):
    sequence = get_object_or_404(ReminderSequence.objects.prefetch_related("steps"), pk=sequence_id)
    return _sequence(services.sequence_set_active(actor=request.auth, sequence=sequence, is_active=data.is_active))


class SequenceMoveIn(_In):
    direction: Literal["up", "down"]


@router.post(
    "/admin/reminders/{sequence_id}/move",
    auth=admin_auth,
    response={200: list[ReminderSequenceOut], **_ERRORS},
    summary="Naikkan / turunkan urutan pengingat di sasarannya",
    description="Satu tempat ke atas atau ke bawah di antara urutan paket / produk yang sama; hasil: urutan baru.",
)
@idempotent
def sequence_move(request, sequence_id: int, data: SequenceMoveIn):
    sequence = get_object_or_404(ReminderSequence, pk=sequence_id)
    services.sequence_move(actor=request.auth, sequence=sequence, direction=data.direction)
    rows = services.target_sequences(target_type=sequence.target_type, target_id=sequence.target_id)
    return [_sequence(s) for s in rows.prefetch_related("steps")]


@router.delete(
    "/admin/reminders/{sequence_id}",
    auth=admin_auth,
    response={204: None, **_ERRORS},
    summary="Hapus urutan pengingat",
    description="Beserta langkah dan log kirimnya; tercatat di log aktivitas.",
)
def sequence_delete(request, sequence_id: int):
    sequence = get_object_or_404(ReminderSequence, pk=sequence_id)
    services.sequence_delete(actor=request.auth, sequence=sequence)
    return Status(204, None)


@router.get(
    "/admin/reminders/{sequence_id}/steps",
    auth=admin_auth,
    response={200: list[ReminderStepOut], **_ERRORS},
    summary="Langkah urutan pengingat",
)
def step_list(request, sequence_id: int):
    sequence = get_object_or_404(ReminderSequence, pk=sequence_id)
    return [_step(st) for st in sequence.steps.all()]


@router.post(
    "/admin/reminders/{sequence_id}/steps/{step_id}/duplicate",
    auth=admin_auth,
    response={201: ReminderStepOut, **_ERRORS},
    summary="Duplikat langkah pengingat",
    description="Salinan ditaruh tepat setelah langkah aslinya.",
)
@idempotent
def step_duplicate(request, sequence_id: int, step_id: int):
    step = get_object_or_404(ReminderStep, pk=step_id, sequence_id=sequence_id)
    return Status(201, _step(services.step_duplicate(actor=request.auth, step=step)))


@router.delete(
    "/admin/reminders/{sequence_id}/steps/{step_id}",
    auth=admin_auth,
    response={204: None, **_ERRORS},
    summary="Hapus langkah pengingat",
)
def step_delete(request, sequence_id: int, step_id: int):
    step = get_object_or_404(ReminderStep.objects.select_related("sequence"), pk=step_id, sequence_id=sequence_id)
    services.step_delete(actor=request.auth, step=step)
    return Status(204, None)


@router.post(
    "/admin/reminders/{sequence_id}/duplicate",
    auth=admin_auth,
    response={201: ReminderSequenceOut, **_ERRORS},
    summary="Duplikat urutan pengingat (salinan nonaktif)",
)
@idempotent
def sequence_duplicate(request, sequence_id: int):
    sequence = get_object_or_404(ReminderSequence, pk=sequence_id)
    return Status(201, _sequence(services.sequence_duplicate(actor=request.auth, sequence=sequence)))


class ReminderTestOut(Schema):
    notification: int = Field(description="Notifikasi uji coba yang dikirim ke admin sendiri.")


@router.post(
    "/admin/reminders/{sequence_id}/steps/{step_id}/test",
    auth=admin_auth,
    response={200: ReminderTestOut, **_ERRORS},
    summary="Kirim uji coba satu langkah ke diri sendiri",
    description="Diisi nama dan email admin, nilai contoh untuk shortcode lain; tidak masuk log maupun statistik.",
)
@idempotent
def step_test(request, sequence_id: int, step_id: int):
    step = get_object_or_404(ReminderStep.objects.select_related("sequence"), pk=step_id, sequence_id=sequence_id)
    return {"notification": services.step_test_send(actor=request.auth, step=step).pk}


class ReminderLogIn(ReminderPageIn):
    status: Literal["", "sent", "skipped", "failed", "condition"] = ""


class ReminderLogRowOut(Schema):
    id: int
    user: int
    user_name: str
    step: int
    status: str
    created_at: str
    deliveries: list[dict] = Field(description="Per saluran: channel dan status.")


class ReminderLogPageOut(Schema):
    count: int
    next_page: int | None
    results: list[ReminderLogRowOut]


@router.get(
    "/admin/reminders/{sequence_id}/log",
    auth=admin_auth,
    response={200: ReminderLogPageOut, **_ERRORS},
    summary="Log pengiriman urutan pengingat",
)
def sequence_log(request, sequence_id: int, q: Query[ReminderLogIn]):
    sequence = get_object_or_404(ReminderSequence, pk=sequence_id)
    count, next_page, rows = _page(services.sequence_log(sequence=sequence, status=q.status), q.page)
    return {
        "count": count,
        "next_page": next_page,
        "results": [
            {
                "id": r.pk,
                "user": r.user_id,
                "user_name": r.user.full_name,
                "step": r.step_id,
                "status": r.status,
                "created_at": r.created_at.isoformat(),
                "deliveries": [
                    {"channel": d.channel, "status": d.status}
                    for d in (r.notification.deliveries.all() if r.notification else [])
                ],
            }
            for r in rows
        ],
    }


# --- broadcasts ------------------------------------------------------------------------------------------------


@router.get("/admin/broadcasts", auth=admin_auth, response={200: AdminBroadcastPageOut, **_ERRORS}, summary="Broadcast")
def broadcast_list(request, q: Query[ReminderPageIn]):
    count, next_page, rows = _page(
        Broadcast.objects.select_related("segment_plan", "segment_group", "segment_course").order_by(
            "-created_at", "-id"
        ),
        q.page,
    )
    return {"count": count, "next_page": next_page, "results": [_broadcast(b) for b in rows]}


@router.post(
    "/admin/broadcasts/audience",
    auth=admin_auth,
    response={200: BroadcastPreviewOut, **_ERRORS},
    summary="Hitung penerima sebuah segmen sebelum broadcast disimpan",
)
@idempotent
def broadcast_audience(request, data: BroadcastSegmentIn):
    return {"audience": services.segment_preview(**_segment(data))}


@router.get(
    "/admin/broadcasts/{broadcast_id}",
    auth=admin_auth,
    response={200: AdminBroadcastDetailOut, **_ERRORS},
    summary="Detail broadcast: kemajuan dan laporan",
)
def broadcast_detail(request, broadcast_id: int):
    return _broadcast_detail(
        get_object_or_404(
            Broadcast.objects.select_related("segment_plan", "segment_group", "segment_course"), pk=broadcast_id
        )
    )


def _broadcast_save(request, data: AdminBroadcastIn, broadcast=None):
    return services.broadcast_save(
        actor=request.auth,
        broadcast=broadcast,
        title=data.title,
        subject=data.subject,
        body=data.body,
        channels=data.channels,
        link=data.link,
        cta_text=data.cta_text,
        **_segment(data),
    )


@router.post(
    "/admin/broadcasts",
    auth=admin_auth,
    response={201: AdminBroadcastDetailOut, **_ERRORS},
    summary="Buat draf broadcast",
)
@idempotent
def broadcast_create(request, data: AdminBroadcastIn):
    return Status(201, _broadcast_detail(_broadcast_save(request, data)))


@router.put(
    "/admin/broadcasts/{broadcast_id}",
    auth=admin_auth,
    response={200: AdminBroadcastDetailOut, **_ERRORS},
    summary="Ubah draf broadcast",
)
@idempotent
def broadcast_update(request, broadcast_id: int, data: AdminBroadcastIn):
    broadcast = get_object_or_404(Broadcast, pk=broadcast_id)
    return _broadcast_detail(_broadcast_save(request, data, broadcast))


@router.post(
    "/admin/broadcasts/{broadcast_id}/send",
    auth=admin_auth,
    response={200: AdminBroadcastDetailOut, **_ERRORS},
    summary="Kirim broadcast sekarang atau jadwalkan (di latar belakang, bertahap)",
)
@idempotent
def broadcast_send(request, broadcast_id: int, data: AdminBroadcastSendIn | None = None):
    broadcast = get_object_or_404(Broadcast, pk=broadcast_id)
    send_at = data.send_at if data else None
    return _broadcast_detail(services.broadcast_start(actor=request.auth, broadcast=broadcast, send_at=send_at))


@router.post(
    "/admin/broadcasts/{broadcast_id}/unschedule",
    auth=admin_auth,
    response={200: AdminBroadcastDetailOut, **_ERRORS},
    summary="Batalkan jadwal broadcast (kembali ke draf)",
)
@idempotent
def broadcast_unschedule(request, broadcast_id: int):
    broadcast = get_object_or_404(Broadcast, pk=broadcast_id)
    return _broadcast_detail(services.broadcast_unschedule(actor=request.auth, broadcast=broadcast))


@router.get(
    "/admin/broadcasts/{broadcast_id}/preview",
    auth=admin_auth,
    response={200: BroadcastPreviewOut, **_ERRORS},
    summary="Jumlah penerima segmen (pratinjau)",
)
def broadcast_preview(request, broadcast_id: int):
    broadcast = Broadcast.objects.filter(pk=broadcast_id).first()
    if broadcast is None:
        raise NotFound("Broadcast tidak ditemukan.")
    return {"audience": services.segment_users(broadcast=broadcast).count()}
