"""Live classes: programs and sections, the waiting list (register → approve into a section or reject), the seat held
from approval through the payment window, activation by the paid order, meetings, attendance against the period's
quota, and the daily sweep (payment deadline, H-3 reminder, expiry). Seats are counted on the section row under a row
lock, so two approvals racing for the last seat cannot overbook."""

import calendar
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sanggar.access.models import Resource
from sanggar.access.services import resource_ensure
from sanggar.accounts.selectors import users_with_role
from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotAllowed, NotFound, RateLimited, ServiceError
from sanggar.core.formatting import tanggal
from sanggar.core.ratelimit import window_take
from sanggar.core.roles import Role
from sanggar.notifications.services import notify, notify_users

from .constants import (
    MAX_EXTRA_MEETINGS,
    RESOURCE_KIND,
    SEAT_STATUSES,
    Action,
    AttendanceStatus,
    ClassType,
    EnrollmentStatus,
    MeetingStatus,
    Notify,
    PeriodMode,
    QuotaReason,
    SectionStatus,
)
from .models import (
    Attendance,
    ClassSection,
    ClassTemplate,
    Enrollment,
    ExcuseNotice,
    Meeting,
    QuotaEntry,
    TutorAvailability,
)
from .selectors import included_programs

MAX_TEXT = 300


# --- labels ------


def section_label(index: int) -> str:
    """1 → A, 26 → Z, 27 → AA, 52 → AZ, 53 → BA (bijective base 26)."""
    if index < 1:
        raise ValueError(index)
    label = ""
    while index:
        index, rest = divmod(index - 1, 26)
        label = chr(ord("A") + rest) + label
    return label


def _clean(text, *, field: str, max_length: int = MAX_TEXT, required: bool = False) -> str:
    text = (text or "").strip() if isinstance(text, str) else ""
    if "\x00" in text:
        raise ServiceError(_("Teks berisi karakter yang tidak diizinkan."), errors={field: [_("Karakter tidak sah.")]})
    if len(text) > max_length:
        raise ServiceError(
            _("Teks terlalu panjang (paling banyak %(n)s karakter).") % {"n": max_length},
            errors={field: [_("Terlalu panjang.")]},
        )
    if required and not text:
        raise ServiceError(_("Kolom ini wajib diisi."), errors={field: [_("Wajib diisi.")]})
    return text


def _is_admin(user) -> bool:
    return user is not None and user.is_authenticated and user.has_role(Role.ADMIN)


def _require_admin(user) -> None:
    if not _is_admin(user):
        raise NotAllowed(_("Hanya admin yang boleh melakukan ini."))


# --- programs and sections ------


@transaction.atomic
def template_create(*, actor, data: dict) -> ClassTemplate:
    _require_admin(actor)
    name = _clean(data.get("name"), field="name", max_length=120, required=True)
    class_type = data.get("class_type") or ClassType.SEMI_PRIVATE
    if class_type not in ClassType.values:
        raise ServiceError(_("Tipe kelas tidak dikenal."), errors={"class_type": [_("Pilihan tidak sah.")]})
    fields = {}
    for key, default, low, high in (
        ("max_students", 1 if class_type == ClassType.PRIVATE else 10, 1, 500),
        ("meetings_per_period", 8, 1, 100),
        ("price", None, 0, 1_000_000_000),
        ("extra_meeting_fee", 0, 0, 1_000_000_000),
        ("excused_notice_hours", 24, 0, 720),
        ("affiliate_commission_percent", 0, 0, 100),
        ("tutor_share_percent", 0, 0, 100),
    ):
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ServiceError(
                _("Isi angka bulat %(low)s sampai %(high)s.") % {"low": low, "high": high},
                errors={key: [_("Tidak sah.")]},
            )
        fields[key] = value
    if class_type == ClassType.PRIVATE:
        fields["max_students"] = 1
    period_mode = data.get("period_mode") or PeriodMode.ROLLING
    if period_mode not in PeriodMode.values:
        raise ServiceError(_("Mode periode tidak dikenal."), errors={"period_mode": [_("Pilihan tidak sah.")]})
    base = slugify(data.get("slug") or name)[:110] or "kelas"
    slug, n = base, 1
    while ClassTemplate.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    template = ClassTemplate.objects.create(
        name=name,
        slug=slug,
        subject=_clean(data.get("subject"), field="subject", max_length=120, required=True),
        description=_clean(data.get("description"), field="description", max_length=5000),
        class_type=class_type,
        level=data.get("level") if data.get("level") in ("dewasa", "anak") else "dewasa",
        period_mode=period_mode,
        carry_over=bool(data.get("carry_over")),
        extra_meetings_allowed=bool(data.get("extra_meetings_allowed")),
        excused_consumes=bool(data.get("excused_consumes", True)),
        auto_create_section=bool(data.get("auto_create_section")),
        **fields,
    )
    program_resource(template)
    return template


def program_resource(template: ClassTemplate) -> Resource:
    """The program's access resource (kind "live_class", key = slug): what a membership plan or a product includes
    (admin plan and product editing list it like courses and groups). Its title follows the program's name."""
    resource = resource_ensure(kind=RESOURCE_KIND, key=template.slug[:120], title=template.name)
    if resource.is_active != template.is_published:
        resource.is_active = template.is_published
        resource.save(update_fields=["is_active"])
    return resource


def _tutor_check(tutor) -> None:
    if tutor is not None and not tutor.has_role(Role.MENTOR):
        raise ServiceError(_("Tutor harus pengguna dengan peran Mentor."), errors={"tutor": [_("Bukan mentor.")]})


@transaction.atomic
def section_create(*, actor, template: ClassTemplate, tutor=None) -> ClassSection:
    """The next section of the program (A, B, … Z, AA …). The template row is locked so two admins get B and C."""
    if actor is not None:
        _require_admin(actor)
    _tutor_check(tutor)
    ClassTemplate.objects.select_for_update(of=("self",)).get(pk=template.pk)
    last = ClassSection.objects.filter(template=template).order_by("-index").values_list("index", flat=True).first()
    index = (last or 0) + 1
    section = ClassSection.objects.create(template=template, index=index, label=section_label(index), tutor=tutor)
    activity_record(action=Action.SECTION_CREATED, actor=actor, target=section, target_label=str(section)[:200])
    if tutor is None and actor is None:
        notify_users(
            users=list(users_with_role(role=Role.ADMIN)),
            kind=Notify.SECTION_NO_TUTOR,
            context={"program": template.name, "section": section.label},
        )
    return section


def _tutor_busy(*, tutor, starts_at: datetime, minutes: int, exclude_meeting=None) -> bool:
    ends_at = starts_at + timedelta(minutes=minutes)
    qs = Meeting.objects.filter(
        Q(tutor=tutor) | Q(tutor__isnull=True, section__tutor=tutor),
        status=MeetingStatus.SCHEDULED,
        starts_at__lt=ends_at,
        starts_at__gt=starts_at - timedelta(hours=12),
    )
    if exclude_meeting is not None:
        qs = qs.exclude(pk=exclude_meeting.pk)
    return any(m.starts_at + timedelta(minutes=m.duration_minutes) > starts_at for m in qs)


# --- tutor availability ------

WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def _availability_actor(actor, tutor) -> None:
    if not (_is_admin(actor) or (actor is not None and tutor is not None and actor.pk == tutor.pk)):
        raise NotAllowed(_("Hanya tutor itu sendiri atau admin yang boleh mengatur ketersediaan."))
    if tutor is None or not tutor.has_role(Role.MENTOR):
        raise ServiceError(_("Tutor harus pengguna dengan peran Mentor."), errors={"tutor": [_("Bukan mentor.")]})


@transaction.atomic
def availability_add(*, actor, tutor, weekday, start: time, end: time) -> TutorAvailability:
    """Adds a weekly slot (WIB) to the tutor's availability; slots of one day may not overlap."""
    _availability_actor(actor, tutor)
    if isinstance(weekday, bool) or not isinstance(weekday, int) or not 0 <= weekday <= 6:
        raise ServiceError(_("Pilih hari Senin sampai Minggu."), errors={"weekday": [_("Hari tidak sah.")]})
    if not isinstance(start, time) or not isinstance(end, time) or start >= end:
        raise ServiceError(
            _("Jam selesai harus setelah jam mulai."), errors={"end_time": [_("Rentang jam tidak sah.")]}
        )
    _tutor_lock(tutor)
    slots = TutorAvailability.objects.filter(tutor=tutor)
    if slots.count() >= settings.CLASSES_MAX_AVAILABILITY_SLOTS:
        raise ServiceError(
            _("Paling banyak %(n)s slot ketersediaan per tutor.") % {"n": settings.CLASSES_MAX_AVAILABILITY_SLOTS},
            errors={"weekday": [_("Terlalu banyak slot.")]},
        )
    if slots.filter(weekday=weekday, start_time__lt=end, end_time__gt=start).exists():
        raise ServiceError(
            _("Slot ini bertabrakan dengan slot lain pada hari %(day)s.") % {"day": WEEKDAYS[weekday]},
            errors={"start_time": [_("Slot bertabrakan.")]},
            code="conflict",
        )
    return TutorAvailability.objects.create(tutor=tutor, weekday=weekday, start_time=start, end_time=end)


@transaction.atomic
def availability_remove(*, actor, slot: TutorAvailability) -> None:
    _availability_actor(actor, slot.tutor)
    TutorAvailability.objects.filter(pk=slot.pk).delete()


def tutor_available(*, tutor, starts_at: datetime, minutes: int) -> bool:
    """Whether the meeting falls inside one of the tutor's weekly slots (WIB). A tutor who has not set any
    availability yet is not restricted (only the double-booking check applies)."""
    slots = list(TutorAvailability.objects.filter(tutor=tutor))
    if not slots:
        return True
    local = timezone.localtime(starts_at)
    end = local + timedelta(minutes=minutes)
    if end.date() != local.date() and end.time() != time(0, 0):
        return False
    end_time = time(23, 59, 59) if end.date() != local.date() else end.time()
    return any(s.weekday == local.weekday() and s.start_time <= local.time() and end_time <= s.end_time for s in slots)


def _availability_refuse(tutor, starts_at: datetime) -> None:
    raise ServiceError(
        _("%(name)s tidak tersedia pada %(when)s (di luar jadwal ketersediaan tutor).")
        % {"name": _name(tutor), "when": _wib(starts_at)},
        errors={"starts_at": [_("Di luar ketersediaan tutor.")]},
        code="conflict",
    )


@transaction.atomic
def section_assign_tutor(*, actor, section: ClassSection, tutor) -> ClassSection:
    """Re-assigns a section's tutor; refused when the new tutor already teaches at one of its upcoming meetings."""
    _require_admin(actor)
    _tutor_check(tutor)
    section = ClassSection.objects.select_for_update(of=("self",)).select_related("template").get(pk=section.pk)
    if tutor is not None:
        _tutor_lock(tutor)
        upcoming = section.meetings.filter(
            status=MeetingStatus.SCHEDULED, tutor__isnull=True, starts_at__gte=timezone.now()
        )
        for meeting in upcoming:
            if not tutor_available(tutor=tutor, starts_at=meeting.starts_at, minutes=meeting.duration_minutes):
                _availability_refuse(tutor, meeting.starts_at)
            if _tutor_busy(tutor=tutor, starts_at=meeting.starts_at, minutes=meeting.duration_minutes):
                raise ServiceError(
                    _("Tutor sudah punya jadwal lain pada %(when)s.") % {"when": _wib(meeting.starts_at)},
                    errors={"tutor": [_("Jadwal bentrok.")]},
                )
    section.tutor = tutor
    section.save(update_fields=["tutor"])
    activity_record(action=Action.TUTOR_ASSIGNED, actor=actor, target=section, target_label=str(section)[:200])
    students = [e.student for e in _section_active(section).select_related("student")]
    context = {"program": section.template.name, "section": section.label, "tutor": _name(tutor)}
    recipients = students + ([tutor] if tutor is not None else [])
    if recipients:
        notify_users(users=recipients, kind=Notify.TUTOR_CHANGED, context=context)
    return section


def _name(user) -> str:
    if user is None:
        return _("Tutor belum ditentukan")
    return user.full_name or user.email


def _wib(value: datetime) -> str:
    return f"{tanggal(timezone.localtime(value))} {timezone.localtime(value):%H:%M} WIB"


def _tutor_lock(tutor) -> None:
    # Serialises scheduling per tutor: two admins placing the same tutor at the same time are refused once.
    get_user_model().objects.select_for_update(of=("self",)).filter(pk=tutor.pk).first()


def _section_active(section):
    return Enrollment.objects.filter(section=section, status=EnrollmentStatus.ACTIVE)


# --- waiting list ------


def _limits(user, ip: str | None) -> None:
    wait = window_take(f"classes:register:{user.pk}", setting="CLASSES_REGISTER_RATE_LIMIT")
    if not wait and ip:
        wait = window_take(f"classes:register-ip:{ip}", setting="CLASSES_REGISTER_IP_RATE_LIMIT")
    if wait:
        raise RateLimited(_("Terlalu banyak pendaftaran. Coba lagi nanti."), retry_after=wait)


@transaction.atomic
def register(*, user, template: ClassTemplate, ip: str | None = None, now: datetime | None = None) -> Enrollment:
    """ "Daftar": one request on the program's waiting list per student (a second one is refused)."""
    now = now or timezone.now()
    if user is None or not user.is_authenticated or not user.is_active:
        raise NotAllowed(_("Silakan masuk untuk mendaftar."))
    if not template.is_published:
        raise NotFound(_("Program tidak ditemukan."))
    open_statuses = (EnrollmentStatus.WAITING, *SEAT_STATUSES)
    if Enrollment.objects.filter(student=user, template=template, status__in=open_statuses).exists():
        raise ServiceError(
            _("Anda sudah terdaftar di program ini."), errors={"program": [_("Sudah terdaftar.")]}, code="conflict"
        )
    if (
        Enrollment.objects.filter(student=user, status=EnrollmentStatus.WAITING).count()
        >= settings.CLASSES_MAX_WAITING_PER_USER
    ):
        raise ServiceError(
            _("Anda sudah punya %(n)s pendaftaran yang menunggu review.")
            % {"n": settings.CLASSES_MAX_WAITING_PER_USER},
            errors={"program": [_("Terlalu banyak pendaftaran menunggu.")]},
        )
    _limits(user, ip)
    try:
        with transaction.atomic():
            entry = Enrollment.objects.create(student=user, template=template, requested_at=now)
    except IntegrityError:
        raise ServiceError(
            _("Anda sudah terdaftar di program ini."), errors={"program": [_("Sudah terdaftar.")]}, code="conflict"
        ) from None
    activity_record(action=Action.REGISTERED, actor=user, target=entry, target_label=template.name[:200])
    return entry


def _seat_take(section_id: int) -> ClassSection:
    """Takes one seat of the section under its row lock; ServiceError when it is full or archived."""
    section = ClassSection.objects.select_for_update(of=("self",)).select_related("template").get(pk=section_id)
    if section.status == SectionStatus.ARCHIVED:
        raise ServiceError(_("Section ini sudah diarsipkan."), errors={"section": [_("Diarsipkan.")]})
    if section.seats_taken >= section.template.max_students:
        raise ServiceError(
            _("Section %(label)s sudah penuh (%(n)s/%(n)s siswa).")
            % {"label": section.label, "n": section.template.max_students},
            errors={"section": [_("Penuh.")]},
            code="conflict",
        )
    section.seats_taken += 1
    if section.seats_taken >= section.template.max_students:
        section.status = SectionStatus.FULL
    section.save(update_fields=["seats_taken", "status"])
    return section


def _seat_release(section_id: int) -> ClassSection:
    section = ClassSection.objects.select_for_update(of=("self",)).select_related("template").get(pk=section_id)
    section.seats_taken = max(0, section.seats_taken - 1)
    if section.status == SectionStatus.FULL and section.seats_taken < section.template.max_students:
        section.status = SectionStatus.ACTIVE
    section.save(update_fields=["seats_taken", "status"])
    return section


def next_free_section(template: ClassTemplate) -> ClassSection | None:
    """The first section (A first, then B, C…) with a free seat."""
    return (
        ClassSection.objects.filter(
            template=template, status=SectionStatus.ACTIVE, seats_taken__lt=template.max_students
        )
        .order_by("index")
        .first()
    )


@transaction.atomic
def approve(
    *, actor, entry: Enrollment, section: ClassSection | None = None, new_section: bool = False, now=None
) -> Enrollment:
    """Approves a waiting request into `section` (or a new section), taking its seat now: the student has
    CLASSES_PAY_HOURS (24) to pay. Without a section the first free one is used; when all are full a new section is
    created only when asked (`new_section`) or when the program creates sections automatically."""
    now = now or timezone.now()
    if actor is not None:
        _require_admin(actor)
    entry = Enrollment.objects.select_for_update(of=("self",)).select_related("template", "student").get(pk=entry.pk)
    if entry.status != EnrollmentStatus.WAITING:
        raise ServiceError(
            _("Pendaftaran ini sudah diproses."), errors={"status": [_("Bukan menunggu.")]}, code="conflict"
        )
    template = entry.template
    if section is not None and section.template_id != template.pk:
        raise ServiceError(_("Section bukan milik program ini."), errors={"section": [_("Tidak cocok.")]})
    if section is None and not new_section:
        section = next_free_section(template)
        if section is None and not template.auto_create_section:
            raise ServiceError(
                _("Semua section penuh. Buat section baru untuk menyetujui."),
                errors={"section": [_("Semua penuh.")]},
                code="conflict",
            )
    if section is None:
        section = section_create(actor=actor if new_section else None, template=template)
    section = _seat_take(section.pk)
    entry.status = EnrollmentStatus.APPROVED
    entry.section = section
    entry.decided_at = now
    entry.decided_by = actor
    entry.pay_before = now + timedelta(hours=settings.CLASSES_PAY_HOURS)
    entry.save(update_fields=["status", "section", "decided_at", "decided_by", "pay_before"])
    activity_record(action=Action.APPROVED, actor=actor, target=entry, target_label=str(entry)[:200])
    included = included_programs(entry.student, now).get(template.slug, "")
    if included:
        # The student's plan or product includes the program: the period starts now, nothing to pay.
        return _activate(entry, invoice="", included_by=included, now=now)
    notify(
        user=entry.student,
        kind=Notify.APPROVED,
        link="/kelas-live/saya",
        context={
            "program": template.name,
            "section": section.label,
            "deadline": _wib(entry.pay_before),
        },
    )
    return entry


@transaction.atomic
def reject(*, actor, entry: Enrollment, reason: str, now=None) -> Enrollment:
    _require_admin(actor)
    reason = _clean(reason, field="reason", required=True)
    entry = Enrollment.objects.select_for_update(of=("self",)).select_related("template", "student").get(pk=entry.pk)
    if entry.status != EnrollmentStatus.WAITING:
        raise ServiceError(
            _("Pendaftaran ini sudah diproses."), errors={"status": [_("Bukan menunggu.")]}, code="conflict"
        )
    entry.status = EnrollmentStatus.REJECTED
    entry.reason = reason
    entry.decided_at = now or timezone.now()
    entry.decided_by = actor
    entry.save(update_fields=["status", "reason", "decided_at", "decided_by"])
    activity_record(action=Action.REJECTED, actor=actor, target=entry, target_label=str(entry)[:200])
    notify(
        user=entry.student,
        kind=Notify.REJECTED,
        link="/kelas-live",
        context={"program": entry.template.name, "reason": reason},
    )
    return entry


def _promote_waiting(section: ClassSection, now) -> None:
    """A seat freed: the oldest waiting request of the program is approved into it (the student is told and has the
    payment window)."""
    entry = (
        Enrollment.objects.filter(template_id=section.template_id, status=EnrollmentStatus.WAITING)
        .order_by("requested_at", "id")
        .first()
    )
    if entry is not None and section.status == SectionStatus.ACTIVE:
        approve(actor=None, entry=entry, section=section, now=now)


def _end(entry: Enrollment, *, status: str, now, reason: str = "", promote: bool = True) -> Enrollment:
    held = entry.status in SEAT_STATUSES and entry.section_id is not None
    entry.status = status
    if reason:
        entry.reason = reason[:MAX_TEXT]
    entry.save(update_fields=["status", "reason"])
    renewal = Enrollment.objects.filter(previous=entry, status__in=SEAT_STATUSES).exists()
    if held and not renewal:
        section = _seat_release(entry.section_id)
        if promote and settings.CLASSES_AUTO_PROMOTE:
            _promote_waiting(section, now)
    return entry


@transaction.atomic
def enrollment_cancel(*, actor, entry: Enrollment, reason: str = "", now=None) -> Enrollment:
    """Cancels on request (admin) or by the student before paying; the seat returns."""
    now = now or timezone.now()
    entry = Enrollment.objects.select_for_update(of=("self",)).select_related("template", "student").get(pk=entry.pk)
    own = actor is not None and actor.pk == entry.student_id
    if not _is_admin(actor) and not (own and entry.status in (EnrollmentStatus.WAITING, EnrollmentStatus.APPROVED)):
        raise NotAllowed(_("Anda tidak boleh membatalkan pendaftaran ini."))
    if entry.status not in (EnrollmentStatus.WAITING, *SEAT_STATUSES):
        raise ServiceError(_("Pendaftaran ini sudah berakhir."), errors={"status": [_("Sudah berakhir.")]})
    _end(entry, status=EnrollmentStatus.CANCELLED, now=now, reason=_clean(reason, field="reason"))
    activity_record(action=Action.CANCELLED, actor=actor, target=entry, target_label=str(entry)[:200])
    return entry


# --- payment and activation ------


def payable(*, user, entry_id, now) -> Enrollment:
    try:
        pk = int(entry_id)
    except (TypeError, ValueError):
        raise NotFound(_("Pendaftaran tidak ditemukan.")) from None
    entry = Enrollment.objects.select_related("template", "section").filter(pk=pk).first()
    if entry is None or user is None or entry.student_id != user.pk:
        raise NotFound(_("Pendaftaran tidak ditemukan."))
    if entry.status != EnrollmentStatus.APPROVED or entry.pay_before is None or entry.pay_before <= now:
        raise ServiceError(
            _("Pendaftaran ini tidak sedang menunggu pembayaran."), errors={"items": [_("Tidak bisa dibayar.")]}
        )
    return entry


def period_price(entry: Enrollment, start: datetime) -> int:
    """The period's price; a calendar-month period joined mid-month is priced pro rata by the days left."""
    template = entry.template
    if template.period_mode != PeriodMode.CALENDAR:
        return template.price
    local = timezone.localtime(start)
    days = calendar.monthrange(local.year, local.month)[1]
    left = days - local.day + 1
    return template.price * left // days


def _period(template: ClassTemplate, start: datetime) -> datetime:
    if template.period_mode == PeriodMode.CALENDAR:
        local = timezone.localtime(start)
        days = calendar.monthrange(local.year, local.month)[1]
        return local.replace(day=days, hour=23, minute=59, second=59, microsecond=0)
    return start + timedelta(days=30)


def period_start_for(entry: Enrollment, now) -> datetime:
    if entry.previous_id and entry.previous.period_end and entry.previous.period_end > now:
        return entry.previous.period_end
    return now


@transaction.atomic
def enrollment_activate(*, entry_id: int, invoice: str, now) -> Enrollment:
    """Called by the paid order: the enrolment becomes active for its period (a renewal starts when the current
    period ends). An enrolment cancelled meanwhile (payment window passed) is refused, so the order is reviewed."""
    entry = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("template", "student", "previous")
        .get(pk=entry_id)
    )
    if entry.status == EnrollmentStatus.ACTIVE:
        return entry
    if entry.status != EnrollmentStatus.APPROVED:
        raise ServiceError(_("Batas pembayaran kelas sudah lewat; admin akan meninjau pesanan ini."))
    return _activate(entry, invoice=invoice, now=now)


@transaction.atomic
def activate_included(*, user, entry: Enrollment, now=None) -> Enrollment:
    """ "Aktifkan": an approved enrolment (or renewal) whose program the student's plan or product includes starts
    without an order (e.g. the membership began after the approval). ServiceError when nothing includes it."""
    now = now or timezone.now()
    entry = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("template", "student", "previous")
        .get(pk=entry.pk)
    )
    if user is None or entry.student_id != user.pk:
        raise NotFound(_("Pendaftaran tidak ditemukan."))
    if entry.status != EnrollmentStatus.APPROVED or (entry.pay_before is not None and entry.pay_before <= now):
        raise ServiceError(
            _("Pendaftaran ini tidak sedang menunggu pembayaran."), errors={"status": [_("Tidak bisa diaktifkan.")]}
        )
    included = included_programs(user, now).get(entry.template.slug, "")
    if not included:
        raise ServiceError(
            _("Paket membership atau produk Anda tidak memuat program ini. Silakan bayar periodenya."),
            errors={"status": [_("Tidak termasuk paket.")]},
        )
    return _activate(entry, invoice="", included_by=included, now=now)


def _activate(entry: Enrollment, *, invoice: str, now, included_by: str = "") -> Enrollment:
    start = period_start_for(entry, now)
    carried = 0
    if entry.previous_id and entry.template.carry_over:
        carried = max(0, entry.previous.meetings_quota - meetings_used(entry.previous))
    entry.status = EnrollmentStatus.ACTIVE
    entry.order_invoice = invoice
    entry.included_by = included_by[:60]
    entry.period_start = start
    entry.period_end = _period(entry.template, start)
    entry.meetings_carried = carried
    entry.meetings_quota = entry.template.meetings_per_period + carried
    entry.save()
    QuotaEntry.objects.create(
        enrollment=entry,
        meetings=entry.template.meetings_per_period,
        reason=QuotaReason.PERIOD,
        invoice=invoice[:30],
        created_at=now,
    )
    if carried:
        QuotaEntry.objects.create(
            enrollment=entry, meetings=carried, reason=QuotaReason.CARRY, invoice=invoice[:30], created_at=now
        )
    notify(
        user=entry.student,
        kind=Notify.ACTIVATED,
        link="/kelas-live/saya",
        context={"program": entry.template.name, "until": _wib(entry.period_end)},
    )
    return entry


# --- extra meetings ------


def extra_ref(entry_id: int, meetings: int) -> str:
    """The order line's slug and `ref` of extra meetings: "<enrolment id>-<meetings>"."""
    return f"{entry_id}-{meetings}"


def extra_ref_parse(ref) -> tuple[int, int]:
    head, _sep, tail = str(ref or "").partition("-")
    if not (head.isdigit() and tail.isdigit() and len(head) < 12 and len(tail) < 4):
        raise NotFound(_("Pendaftaran tidak ditemukan."))
    return int(head), int(tail)


def extra_payable(*, user, ref, now) -> tuple[Enrollment, int]:
    """An active (or suspended) enrolment of the buyer whose program sells extra meetings, and how many (1 to
    MAX_EXTRA_MEETINGS); ServiceError with the reason otherwise."""
    entry_id, meetings = extra_ref_parse(ref)
    entry = Enrollment.objects.select_related("template", "section").filter(pk=entry_id).first()
    if entry is None or user is None or entry.student_id != user.pk:
        raise NotFound(_("Pendaftaran tidak ditemukan."))
    if not 1 <= meetings <= MAX_EXTRA_MEETINGS:
        raise ServiceError(
            _("Jumlah pertemuan tambahan 1 sampai %(n)s.") % {"n": MAX_EXTRA_MEETINGS},
            errors={"meetings": [_("Tidak sah.")]},
        )
    template = entry.template
    if not template.extra_meetings_allowed or template.extra_meeting_fee <= 0:
        raise ServiceError(_("Program ini tidak menjual pertemuan tambahan."), errors={"items": [_("Tidak dijual.")]})
    if entry.status not in (EnrollmentStatus.ACTIVE, EnrollmentStatus.SUSPENDED) or (
        entry.period_end is not None and entry.period_end <= now
    ):
        raise ServiceError(
            _("Pertemuan tambahan hanya bisa dibeli untuk kelas yang sedang aktif."),
            errors={"items": [_("Kelas tidak aktif.")]},
        )
    return entry, meetings


@transaction.atomic
def extra_credit(*, entry_id: int, meetings: int, invoice: str, now) -> Enrollment:
    """Called by the paid order: the meetings go into the enrolment's quota ledger (once per invoice). A period that
    ended meanwhile is refused, so the order is reviewed by an admin."""
    entry = Enrollment.objects.select_for_update(of=("self",)).select_related("template", "student").get(pk=entry_id)
    if QuotaEntry.objects.filter(enrollment=entry, invoice=invoice[:30], reason=QuotaReason.EXTRA).exists():
        return entry
    if entry.status not in (EnrollmentStatus.ACTIVE, EnrollmentStatus.SUSPENDED):
        raise ServiceError(_("Periode kelas sudah berakhir; admin akan meninjau pesanan pertemuan tambahan ini."))
    QuotaEntry.objects.create(
        enrollment=entry, meetings=meetings, reason=QuotaReason.EXTRA, invoice=invoice[:30], created_at=now
    )
    entry.meetings_quota += meetings
    entry.save(update_fields=["meetings_quota"])
    notify(
        user=entry.student,
        kind=Notify.EXTRA_CREDITED,
        link="/kelas-live/saya",
        context={"program": entry.template.name, "meetings": str(meetings), "quota": str(entry.meetings_quota)},
    )
    return entry


@transaction.atomic
def extra_refund(*, entry_id: int, invoice: str, now) -> None:
    """A refunded extra-meetings order takes its meetings back out of the quota (a reversing ledger row, once)."""
    entry = Enrollment.objects.select_for_update(of=("self",)).filter(pk=entry_id).first()
    if entry is None:
        return
    credit = QuotaEntry.objects.filter(enrollment=entry, invoice=invoice[:30], reason=QuotaReason.EXTRA).first()
    if (
        credit is None
        or QuotaEntry.objects.filter(enrollment=entry, invoice=invoice[:30], reason=QuotaReason.REFUND).exists()
    ):
        return
    QuotaEntry.objects.create(
        enrollment=entry, meetings=-credit.meetings, reason=QuotaReason.REFUND, invoice=invoice[:30], created_at=now
    )
    entry.meetings_quota = max(0, entry.meetings_quota - credit.meetings)
    entry.save(update_fields=["meetings_quota"])


@transaction.atomic
def enrollment_refund(*, entry_id: int, now) -> None:
    entry = Enrollment.objects.select_for_update(of=("self",)).filter(pk=entry_id).first()
    if entry is not None and entry.status in SEAT_STATUSES:
        _end(entry, status=EnrollmentStatus.CANCELLED, now=now, reason=_("Dana dikembalikan"))


@transaction.atomic
def renew(*, user, entry: Enrollment, now=None) -> Enrollment:
    """ "Perpanjang": a new enrolment in the same section, approved without the waiting list and keeping the seat;
    paid like any approval; it starts when the current period ends."""
    now = now or timezone.now()
    entry = Enrollment.objects.select_for_update(of=("self",)).select_related("template", "section").get(pk=entry.pk)
    if entry.student_id != user.pk:
        raise NotFound(_("Pendaftaran tidak ditemukan."))
    if entry.status != EnrollmentStatus.ACTIVE:
        raise ServiceError(_("Hanya kelas yang aktif yang bisa diperpanjang."), errors={"status": [_("Tidak aktif.")]})
    existing = Enrollment.objects.filter(previous=entry).first()
    if existing is not None:
        return existing
    renewal = Enrollment.objects.create(
        student=user,
        template=entry.template,
        section=entry.section,
        status=EnrollmentStatus.APPROVED,
        requested_at=now,
        decided_at=now,
        pay_before=now + timedelta(hours=settings.CLASSES_PAY_HOURS),
        previous=entry,
    )
    included = included_programs(user, now).get(entry.template.slug, "")
    if included:
        # Included in the student's plan or product: the next period needs no order (it starts at the current end).
        renewal.previous = entry
        return _activate(renewal, invoice="", included_by=included, now=now)
    return renewal


# --- meetings and attendance ------


def _can_teach(user, section: ClassSection) -> bool:
    return _is_admin(user) or (user is not None and section.tutor_id == user.pk)


@transaction.atomic
def meeting_schedule(
    *, actor, section: ClassSection, starts_at: datetime, minutes: int, url: str, tutor=None
) -> Meeting:
    if not _can_teach(actor, section):
        raise NotAllowed(_("Hanya admin atau tutor section ini yang boleh menjadwalkan."))
    url = _clean(url, field="url", max_length=500, required=True)
    if not url.startswith("https://"):
        raise ServiceError(_("Link meeting harus diawali https://"), errors={"url": [_("Link tidak sah.")]})
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 15 <= minutes <= 480:
        raise ServiceError(_("Durasi 15 sampai 480 menit."), errors={"duration": [_("Tidak sah.")]})
    if section.status == SectionStatus.ARCHIVED:
        raise ServiceError(_("Section ini sudah diarsipkan."), errors={"section": [_("Diarsipkan.")]})
    teacher = tutor or section.tutor
    if teacher is not None:
        _tutor_check(teacher)
        _tutor_lock(teacher)
        if not tutor_available(tutor=teacher, starts_at=starts_at, minutes=minutes):
            _availability_refuse(teacher, starts_at)
        if _tutor_busy(tutor=teacher, starts_at=starts_at, minutes=minutes):
            raise ServiceError(
                _("%(name)s sudah punya jadwal pada waktu itu.") % {"name": _name(teacher)},
                errors={"starts_at": [_("Jadwal tutor bentrok.")]},
                code="conflict",
            )
    meeting = Meeting.objects.create(
        section=section, tutor=teacher, starts_at=starts_at, duration_minutes=minutes, url=url
    )
    activity_record(action=Action.MEETING_SCHEDULED, actor=actor, target=meeting, target_label=str(section)[:200])
    students = [e.student for e in _section_active(section).select_related("student")]
    if students:
        notify_users(
            users=students,
            kind=Notify.MEETING_SCHEDULED,
            link="/kelas-live/saya",
            context={"program": section.template.name, "section": section.label, "when": _wib(starts_at)},
        )
    return meeting


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting) -> Meeting:
    """A cancelled meeting uses nobody's quota: its attendance rows stop counting."""
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("section").get(pk=meeting.pk)
    if not _can_teach(actor, meeting.section):
        raise NotAllowed(_("Hanya admin atau tutor section ini yang boleh membatalkan."))
    meeting.status = MeetingStatus.CANCELLED
    meeting.save(update_fields=["status"])
    meeting.attendances.update(consumes=False)
    return meeting


def meetings_used(entry: Enrollment) -> int:
    return entry.attendances.filter(consumes=True).count()


@transaction.atomic
def excuse_report(*, user, meeting: Meeting, reason, now=None) -> ExcuseNotice:
    """A student tells "izin" for an upcoming meeting of their section, with a reason. Told at least the template's
    `excused_notice_hours` before the start, it is in time: the tutor's sheet pre-fills izin and it follows the
    template's "izin memakai kuota" switch; told later it is shown to the tutor but counts as absen when marked.
    Reporting again updates the reason; the first report's time decides whether it was in time."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_related("section__template").get(pk=meeting.pk)
    entry = (
        Enrollment.objects.select_for_update(of=("self",))
        .filter(student=user, section_id=meeting.section_id, status=EnrollmentStatus.ACTIVE)
        .first()
    )
    if entry is None:
        raise NotFound(_("Pertemuan tidak ditemukan di kelas aktif Anda."))
    if meeting.status != MeetingStatus.SCHEDULED or meeting.starts_at <= now:
        raise ServiceError(
            _("Izin hanya bisa dilaporkan sebelum pertemuan dimulai."), errors={"meeting": [_("Sudah lewat.")]}
        )
    if Attendance.objects.filter(enrollment=entry, meeting=meeting).exists():
        raise ServiceError(_("Kehadiran pertemuan ini sudah diisi tutor."), errors={"meeting": [_("Sudah diisi.")]})
    reason = _clean(reason, field="reason", max_length=300, required=True)
    notice = ExcuseNotice.objects.filter(enrollment=entry, meeting=meeting).first()
    if notice is not None:
        notice.reason = reason
        notice.save(update_fields=["reason"])
        return notice
    hours = meeting.section.template.excused_notice_hours
    notice = ExcuseNotice.objects.create(
        enrollment=entry,
        meeting=meeting,
        reason=reason,
        reported_at=now,
        in_time=meeting.starts_at - now >= timedelta(hours=hours),
    )
    activity_record(action=Action.EXCUSED, actor=user, target=meeting, target_label=str(meeting)[:200])
    return notice


def _consumes(status: str, template: ClassTemplate) -> bool:
    if status == AttendanceStatus.EXCUSED:
        return template.excused_consumes
    return True


@transaction.atomic
def attendance_mark(*, actor, meeting: Meeting, marks: dict[int, str], now=None) -> list[Attendance]:
    """Marks hadir / izin / absen for the section's active students (idempotent: marking again overwrites). A mark
    that would go over a student's quota is refused for that student ("Kuota Habis untuk Bulan Ini"). Izin stands
    only for a student who told it in time (`excuse_report`); otherwise it is recorded as absen (PRODUCT.md)."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("section__template").get(pk=meeting.pk)
    if not (_is_admin(actor) or meeting.tutor_id == actor.pk or meeting.section.tutor_id == actor.pk):
        raise NotAllowed(_("Hanya tutor pertemuan ini yang boleh mengisi kehadiran."))
    if meeting.status == MeetingStatus.CANCELLED:
        raise ServiceError(_("Pertemuan ini dibatalkan."), errors={"meeting": [_("Dibatalkan.")]})
    template = meeting.section.template
    enrollments = {
        e.pk: e
        for e in Enrollment.objects.select_for_update(of=("self",))
        .select_related("student")
        .filter(section=meeting.section, status=EnrollmentStatus.ACTIVE, pk__in=list(marks))
    }
    excused_in_time = set(
        ExcuseNotice.objects.filter(meeting=meeting, in_time=True, enrollment_id__in=list(enrollments)).values_list(
            "enrollment_id", flat=True
        )
    )
    done = []
    for entry_id, status in marks.items():
        if status not in AttendanceStatus.values:
            raise ServiceError(_("Status kehadiran tidak dikenal."), errors={"status": [_("Pilihan tidak sah.")]})
        if status == AttendanceStatus.EXCUSED and entry_id not in excused_in_time:
            status = AttendanceStatus.ABSENT
        entry = enrollments.get(entry_id)
        if entry is None:
            raise ServiceError(
                _("Siswa %(id)s bukan peserta aktif section ini.") % {"id": entry_id},
                errors={"enrollment": [_("Bukan peserta.")]},
            )
        consumes = _consumes(status, template)
        current = Attendance.objects.filter(enrollment=entry, meeting=meeting).first()
        used = meetings_used(entry) - (1 if current is not None and current.consumes else 0)
        if consumes and used >= entry.meetings_quota:
            raise ServiceError(
                _("Kuota Habis untuk Bulan Ini: %(name)s sudah memakai %(n)s pertemuan.")
                % {"name": _name(entry.student), "n": entry.meetings_quota},
                errors={"enrollment": [_("Kuota habis.")]},
                code="conflict",
            )
        row, _created = Attendance.objects.update_or_create(
            enrollment=entry,
            meeting=meeting,
            defaults={"status": status, "consumes": consumes, "marked_at": now, "marked_by": actor},
        )
        done.append(row)
        if consumes and used + 1 == entry.meetings_quota:
            notify(
                user=entry.student, kind=Notify.QUOTA_USED, link="/kelas-live/saya", context={"program": template.name}
            )
    if meeting.starts_at <= now and meeting.status == MeetingStatus.SCHEDULED:
        meeting.status = MeetingStatus.COMPLETED
        meeting.save(update_fields=["status"])
    activity_record(action=Action.ATTENDANCE_MARKED, actor=actor, target=meeting, target_label=str(meeting)[:200])
    return done


# --- daily sweep ------


def sweep(*, now: datetime | None = None) -> dict:
    """Cancels approvals whose payment window passed (the seat returns), reminds H-3 once, expires ended periods."""
    now = now or timezone.now()
    counts = {"unpaid": 0, "reminded": 0, "expired": 0}
    for pk in list(
        Enrollment.objects.filter(status=EnrollmentStatus.APPROVED, pay_before__lte=now).values_list("pk", flat=True)
    ):
        with transaction.atomic():
            entry = Enrollment.objects.select_for_update(of=("self",)).select_related("template", "student").get(pk=pk)
            if entry.status != EnrollmentStatus.APPROVED or entry.pay_before > now:
                continue
            _end(entry, status=EnrollmentStatus.CANCELLED, now=now, reason=_("Batas pembayaran lewat"))
            notify(
                user=entry.student,
                kind=Notify.PAYMENT_EXPIRED,
                link="/kelas-live",
                context={"program": entry.template.name},
            )
            counts["unpaid"] += 1
    soon = now + timedelta(days=settings.CLASSES_REMIND_DAYS)
    for entry in Enrollment.objects.filter(
        status=EnrollmentStatus.ACTIVE, reminded_at__isnull=True, period_end__lte=soon, period_end__gt=now
    ).select_related("template", "student"):
        updated = Enrollment.objects.filter(pk=entry.pk, reminded_at__isnull=True).update(reminded_at=now)
        if updated:
            notify(
                user=entry.student,
                kind=Notify.EXPIRY_REMINDER,
                link="/kelas-live/saya",
                context={"program": entry.template.name, "until": _wib(entry.period_end)},
            )
            counts["reminded"] += 1
    for pk in list(
        Enrollment.objects.filter(status=EnrollmentStatus.ACTIVE, period_end__lte=now).values_list("pk", flat=True)
    ):
        with transaction.atomic():
            entry = Enrollment.objects.select_for_update(of=("self",)).select_related("template", "student").get(pk=pk)
            if entry.status != EnrollmentStatus.ACTIVE:
                continue
            _end(entry, status=EnrollmentStatus.EXPIRED, now=now)
            notify(
                user=entry.student, kind=Notify.EXPIRED, link="/kelas-live", context={"program": entry.template.name}
            )
            counts["expired"] += 1
    return counts


@transaction.atomic
def suspend(*, actor, entry: Enrollment, now=None) -> Enrollment:
    _require_admin(actor)
    entry = Enrollment.objects.select_for_update(of=("self",)).get(pk=entry.pk)
    if entry.status != EnrollmentStatus.ACTIVE:
        raise ServiceError(_("Hanya kelas aktif yang bisa ditangguhkan."))
    entry.status = EnrollmentStatus.SUSPENDED
    entry.suspended_at = now or timezone.now()
    entry.save(update_fields=["status", "suspended_at"])
    return entry


@transaction.atomic
def resume(*, actor, entry: Enrollment, now=None) -> Enrollment:
    """Resumes a suspended enrolment; the suspended days extend its period."""
    _require_admin(actor)
    now = now or timezone.now()
    entry = Enrollment.objects.select_for_update(of=("self",)).get(pk=entry.pk)
    if entry.status != EnrollmentStatus.SUSPENDED:
        raise ServiceError(_("Kelas ini tidak sedang ditangguhkan."))
    entry.period_end = entry.period_end + (now - entry.suspended_at)
    entry.status = EnrollmentStatus.ACTIVE
    entry.suspended_at = None
    entry.save(update_fields=["status", "suspended_at", "period_end"])
    return entry
