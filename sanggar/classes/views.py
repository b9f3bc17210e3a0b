"""Kelas Live pages: programs and "Daftar" (members), my classes with the card of the class documents and "Bayar
Sekarang" / "Perpanjang" (students), today's meetings and attendance (tutors), the waiting list (admins)."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sanggar.accounts.selectors import users_with_role
from sanggar.core.exceptions import ServiceError
from sanggar.core.listing import csv_response, paginate
from sanggar.core.permissions import login_required, role_required
from sanggar.core.request_context import client_ip
from sanggar.core.roles import Role
from sanggar.orders.checkout import checkout_place
from sanggar.orders.services import ItemRequest

from . import selectors, services
from .constants import EXTRA_ITEM_KIND, ITEM_KIND, MAX_EXTRA_MEETINGS, AttendanceStatus, EnrollmentStatus
from .models import ClassSection, ClassTemplate, Enrollment, Meeting, TutorAvailability

PROVIDER_LABELS = {
    "manual": "Transfer bank (konfirmasi manual)",
    "xendit": "Xendit (VA, e-wallet, QRIS)",
    "midtrans": "Midtrans (VA, GoPay, QRIS, ShopeePay)",
    "scalev": "Scalev",
}


@login_required
@require_GET
def programs(request):
    page = paginate(request, selectors.programs(), per_page=selectors.PAGE_SIZE)
    return render(request, "classes/programs.html", {"page_obj": page, "rows": page.object_list})


@login_required
@require_POST
def register(request, slug):
    template = get_object_or_404(ClassTemplate, slug=slug[:140], is_published=True)
    try:
        services.register(user=request.user, template=template, ip=client_ip(request))
        messages.success(request, _("Pendaftaran terkirim. Status: Menunggu review admin."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("classes:mine")


@login_required
@require_GET
def mine(request):
    now = timezone.now()
    page = paginate(request, selectors.my_enrollments(request.user), per_page=selectors.PAGE_SIZE)
    rows = []
    included = selectors.included_programs(request.user, now)
    excuses = selectors.excuses_for(page.object_list)
    for e in page.object_list:
        upcoming = selectors.next_meetings(e, now)
        rows.append(
            {
                "entry": e,
                "used": e.used,
                "left": max(0, e.meetings_quota - e.used),
                "next": upcoming[0] if upcoming else None,
                "join": selectors.join_url(e, upcoming[0], now) if upcoming else "",
                "quota_done": e.status == "active" and e.used >= e.meetings_quota,
                "included": e.template.slug in included,
                "excuse": excuses.get((e.pk, upcoming[0].pk)) if upcoming else None,
                "can_excuse": e.status == "active" and bool(upcoming) and upcoming[0].starts_at > now,
            }
        )
    providers = [(p, PROVIDER_LABELS.get(p, p)) for p in settings.PAYMENT_PROVIDERS]
    return render(
        request,
        "classes/mine.html",
        {"page_obj": page, "rows": rows, "providers": providers, "extra_counts": range(1, MAX_EXTRA_MEETINGS + 1)},
    )


@login_required
@require_POST
def pay(request, pk):
    entry = get_object_or_404(Enrollment, pk=pk, student=request.user)
    provider = request.POST.get("provider", "")[:20]
    if request.POST.get("included") == "1":
        try:
            services.activate_included(user=request.user, entry=entry)
            messages.success(request, _("Kelas aktif. Periode ini sudah termasuk paket Anda."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("classes:mine")
    try:
        result = checkout_place(
            buyer=request.user,
            items=[ItemRequest(kind=ITEM_KIND, slug=str(entry.pk))],
            coupon_code=request.POST.get("coupon", "")[:40].replace("\x00", ""),
            provider=provider,
            client_ip=client_ip(request),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("classes:mine")
    return redirect(result.redirect_url)


@login_required
@require_POST
def buy_extra(request, pk):
    """Extra meetings for an active class, at the program's fee, through the normal checkout."""
    entry = get_object_or_404(Enrollment, pk=pk, student=request.user)
    raw = request.POST.get("meetings", "").strip()
    meetings = int(raw) if raw.isdigit() and len(raw) < 4 else 0
    try:
        result = checkout_place(
            buyer=request.user,
            items=[ItemRequest(kind=EXTRA_ITEM_KIND, slug=services.extra_ref(entry.pk, meetings))],
            coupon_code=request.POST.get("coupon", "")[:40].replace("\x00", ""),
            provider=request.POST.get("provider", "")[:20],
            client_ip=client_ip(request),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("classes:mine")
    return redirect(result.redirect_url)


@login_required
@require_POST
def renew(request, pk):
    entry = get_object_or_404(Enrollment, pk=pk, student=request.user)
    try:
        renewal = services.renew(user=request.user, entry=entry)
        if renewal.status == EnrollmentStatus.ACTIVE:
            messages.success(request, _("Diperpanjang. Periode berikutnya termasuk paket Anda."))
        else:
            messages.success(request, _("Perpanjangan dibuat. Bayar sebelum batas waktunya untuk menjaga kursi Anda."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("classes:mine")


@login_required
@require_POST
def excuse(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    try:
        notice = services.excuse_report(user=request.user, meeting=meeting, reason=request.POST.get("reason", ""))
        if notice.in_time:
            messages.success(request, _("Izin tercatat dan tutor sudah melihatnya."))
        else:
            messages.warning(
                request,
                _("Izin tercatat, tetapi kurang dari %(hours)s jam sebelum pertemuan: dihitung absen.")
                % {"hours": meeting.section.template.excused_notice_hours},
            )
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("classes:mine")


@role_required(Role.MENTOR, Role.ADMIN)
@require_GET
def tutor_today(request):
    day = timezone.localdate()
    start = timezone.make_aware(datetime.combine(day, time.min))
    meetings = list(selectors.tutor_meetings(request.user, start, start + timedelta(days=7), admin=False)[:50])
    excuses = selectors.excuses_of_meetings(meetings)
    for m in meetings:
        marks = {a.enrollment_id: a.status for a in m.attendances.all()}
        m.students = []
        for e in m.section.active:
            notice = excuses.get((e.pk, m.pk))
            mark = marks.get(e.pk) or ("excused" if notice is not None and notice.in_time else None)
            m.students.append((e, mark, notice))
    return render(
        request,
        "classes/tutor.html",
        {"meetings": meetings, "statuses": AttendanceStatus.choices, "now": timezone.now()},
    )


@role_required(Role.MENTOR, Role.ADMIN)
@require_POST
def tutor_mark(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    marks = {}
    for key, value in request.POST.items():
        if key.startswith("e_"):
            try:
                marks[int(key[2:])] = value
            except ValueError:
                continue
    if not marks:
        messages.error(request, _("Belum ada kehadiran yang dipilih."))
        return redirect("classes:tutor")
    try:
        services.attendance_mark(actor=request.user, meeting=meeting, marks=marks)
        messages.success(request, _("Kehadiran disimpan."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("classes:tutor")


def _clock(raw) -> time | None:
    try:
        return datetime.strptime((raw or "")[:5], "%H:%M").time()
    except ValueError:
        return None


@role_required(Role.MENTOR)
def tutor_availability(request):
    """The tutor's weekly slots (WIB): meetings are scheduled only inside them, never two at once."""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remove":
                slot = get_object_or_404(TutorAvailability, pk=_int(request.POST.get("slot")), tutor=request.user)
                services.availability_remove(actor=request.user, slot=slot)
                messages.success(request, _("Slot dihapus."))
            else:
                start, end = _clock(request.POST.get("start")), _clock(request.POST.get("end"))
                if start is None or end is None:
                    raise ServiceError(_("Isi jam mulai dan jam selesai (JJ:MM)."))
                raw = request.POST.get("weekday", "")
                services.availability_add(
                    actor=request.user,
                    tutor=request.user,
                    weekday=int(raw) if raw.isdigit() and len(raw) < 3 else -1,
                    start=start,
                    end=end,
                )
                messages.success(request, _("Slot ketersediaan disimpan."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("classes:tutor_availability")
    slots = list(TutorAvailability.objects.filter(tutor=request.user).order_by("weekday", "start_time"))
    return render(
        request,
        "classes/tutor_availability.html",
        {"slots": slots, "weekdays": list(enumerate(selectors.WEEKDAYS)), "names": selectors.WEEKDAYS},
    )


@role_required(Role.ADMIN)
@require_GET
def admin_waiting(request):
    page = paginate(request, selectors.waiting_list(), per_page=selectors.PAGE_SIZE)
    template_ids = {e.template_id for e in page.object_list}
    sections = {}
    for s in ClassSection.objects.filter(template_id__in=template_ids).exclude(status="archived").order_by("index"):
        sections.setdefault(s.template_id, []).append(s)
    rows = [{"entry": e, "sections": sections.get(e.template_id, [])} for e in page.object_list]
    return render(request, "classes/admin_waiting.html", {"page_obj": page, "rows": rows})


@role_required(Role.ADMIN)
@require_POST
def admin_decide(request, pk):
    entry = get_object_or_404(Enrollment, pk=pk)
    try:
        if request.POST.get("action") == "reject":
            services.reject(actor=request.user, entry=entry, reason=request.POST.get("reason", ""))
            messages.success(request, _("Pendaftaran ditolak dan siswa diberi tahu."))
        else:
            choice = request.POST.get("section", "")
            section = None
            if choice.isdigit():
                section = ClassSection.objects.filter(pk=int(choice), template_id=entry.template_id).first()
            entry = services.approve(actor=request.user, entry=entry, section=section, new_section=choice == "new")
            messages.success(
                request,
                _("Disetujui ke Section %(label)s. Siswa punya 24 jam untuk membayar.")
                % {"label": entry.section.label},
            )
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("classes:admin_waiting")


def _int(raw) -> int:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 12 else 0


def _mentors():
    return list(users_with_role(role=Role.MENTOR)[:200])


@role_required(Role.ADMIN)
def admin_programs(request):
    if request.method == "POST":
        data = {
            "name": request.POST.get("name", ""),
            "subject": request.POST.get("subject", ""),
            "class_type": request.POST.get("class_type", ""),
            "level": request.POST.get("level", ""),
            "period_mode": request.POST.get("period_mode", ""),
            "auto_create_section": request.POST.get("auto_create_section") == "on",
            "carry_over": request.POST.get("carry_over") == "on",
            "extra_meetings_allowed": request.POST.get("extra_meetings_allowed") == "on",
        }
        for key in ("price", "max_students", "meetings_per_period", "extra_meeting_fee"):
            raw = request.POST.get(key, "").strip()
            if raw:
                data[key] = int(raw) if raw.isdigit() and len(raw) < 12 else -1
        try:
            template = services.template_create(actor=request.user, data=data)
            services.section_create(actor=request.user, template=template)
            messages.success(request, _("Program dibuat dengan Section A."))
            return redirect("classes:admin_sections", slug=template.slug)
        except ServiceError as exc:
            messages.error(request, exc.message)
    page = paginate(request, selectors.programs(), per_page=selectors.PAGE_SIZE)
    return render(request, "classes/admin_programs.html", {"page_obj": page, "rows": page.object_list})


@role_required(Role.ADMIN)
def admin_sections(request, slug):
    template = get_object_or_404(ClassTemplate, slug=slug[:140])
    if request.method == "POST":
        action = request.POST.get("action", "")
        mentors = {str(u.pk): u for u in _mentors()}
        tutor = mentors.get(request.POST.get("tutor", ""))
        try:
            if action == "create":
                section = services.section_create(actor=request.user, template=template, tutor=tutor)
                messages.success(request, _("Section %(label)s dibuat.") % {"label": section.label})
            else:
                section = get_object_or_404(ClassSection, pk=_int(request.POST.get("section")), template=template)
                if action == "tutor":
                    services.section_assign_tutor(actor=request.user, section=section, tutor=tutor)
                    messages.success(request, _("Tutor section disimpan."))
                elif action == "meeting":
                    when = request.POST.get("starts_at", "")[:20]
                    try:
                        starts_at = timezone.make_aware(datetime.strptime(when, "%Y-%m-%dT%H:%M"))
                    except ValueError:
                        raise ServiceError(_("Isi tanggal dan jam pertemuan.")) from None
                    minutes = request.POST.get("minutes", "")
                    services.meeting_schedule(
                        actor=request.user,
                        section=section,
                        starts_at=starts_at,
                        minutes=int(minutes) if minutes.isdigit() and len(minutes) < 5 else 0,
                        url=request.POST.get("url", ""),
                    )
                    messages.success(request, _("Pertemuan dijadwalkan dan siswa diberi tahu."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("classes:admin_sections", slug=template.slug)
    sections = list(template.sections.select_related("tutor").order_by("index"))
    waiting = template.enrollments.filter(status="waiting").count()
    mentors = _mentors()
    slots = selectors.availability_of(m.pk for m in mentors)
    availability = [(m, selectors.availability_text(slots.get(m.pk, []))) for m in mentors]
    return render(
        request,
        "classes/admin_sections.html",
        {
            "template": template,
            "sections": sections,
            "waiting": waiting,
            "mentors": mentors,
            "availability": availability,
        },
    )


def _text(request, key: str, size: int) -> str:
    return request.GET.get(key, "")[:size].replace("\x00", "").strip()


def _day(raw: str):
    try:
        return timezone.make_aware(datetime.strptime(raw[:10], "%Y-%m-%d"))
    except ValueError:
        return None


def _wib(value) -> str:
    return timezone.localtime(value).strftime("%d-%m-%Y %H:%M") if value else ""


@role_required(Role.ADMIN)
def admin_enrollments(request):
    """Every enrolment with filters (status, program, student), pagination and CSV; suspend, resume and cancel on
    request."""
    if request.method == "POST":
        entry = get_object_or_404(Enrollment, pk=_int(request.POST.get("entry")))
        action = request.POST.get("action", "")
        try:
            if action == "suspend":
                services.suspend(actor=request.user, entry=entry)
                messages.success(request, _("Kelas ditangguhkan."))
            elif action == "resume":
                services.resume(actor=request.user, entry=entry)
                messages.success(request, _("Kelas dilanjutkan; hari penangguhan ditambahkan ke masa berlaku."))
            elif action == "cancel":
                services.enrollment_cancel(actor=request.user, entry=entry, reason=request.POST.get("reason", ""))
                messages.success(request, _("Pendaftaran dibatalkan dan kursinya dilepas."))
            else:
                messages.error(request, _("Aksi tidak dikenal."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect(request.get_full_path())
    status, program, q = _text(request, "status", 12), _text(request, "program", 140), _text(request, "q", 100)
    qs = selectors.admin_enrollments(status=status, program=program, q=q)
    if request.GET.get("format") == "csv":
        header = [
            "id",
            "siswa",
            "email",
            "program",
            "section",
            "status",
            "pertemuan dipakai",
            "kuota",
            "mulai",
            "berlaku hingga",
            "bayar sebelum",
            "invoice",
        ]
        rows = (
            [
                e.pk,
                e.student.full_name,
                e.student.email,
                e.template.name,
                e.section.label if e.section else "",
                e.get_status_display(),
                e.used,
                e.meetings_quota,
                _wib(e.period_start),
                _wib(e.period_end),
                _wib(e.pay_before),
                e.order_invoice,
            ]
            for e in qs.iterator(chunk_size=500)
        )
        return csv_response(f"pendaftaran-kelas-{timezone.localdate():%Y%m%d}.csv", header, rows)
    page = paginate(request, qs, per_page=selectors.PAGE_SIZE)
    programs = ClassTemplate.objects.order_by("name").values_list("slug", "name")[:200]
    return render(
        request,
        "classes/admin_enrollments.html",
        {
            "page_obj": page,
            "rows": page.object_list,
            "statuses": EnrollmentStatus.choices,
            "programs": programs,
            "filters": {"status": status, "program": program, "q": q},
        },
    )


@role_required(Role.ADMIN)
@require_GET
def admin_attendance(request):
    """Attendance monitor: each meeting with hadir / izin / absen counts, by program and date range, with CSV."""
    program = _text(request, "program", 140)
    day_from, day_to = _day(_text(request, "dari", 10)), _day(_text(request, "sampai", 10))
    qs = selectors.attendance_monitor(
        program=program, day_from=day_from, day_to=day_to + timedelta(days=1) if day_to else None
    )
    if request.GET.get("format") == "csv":
        header = ["waktu (WIB)", "program", "section", "tutor", "status", "siswa aktif", "hadir", "izin", "absen"]
        rows = (
            [
                _wib(m.starts_at),
                m.section.template.name,
                m.section.label,
                services._name(m.tutor or m.section.tutor),
                m.get_status_display(),
                m.students,
                m.present,
                m.excused,
                m.absent,
            ]
            for m in qs.iterator(chunk_size=500)
        )
        return csv_response(f"kehadiran-kelas-{timezone.localdate():%Y%m%d}.csv", header, rows)
    page = paginate(request, qs, per_page=selectors.PAGE_SIZE)
    programs = ClassTemplate.objects.order_by("name").values_list("slug", "name")[:200]
    return render(
        request,
        "classes/admin_attendance.html",
        {
            "page_obj": page,
            "rows": page.object_list,
            "programs": programs,
            "filters": {"program": program, "dari": _text(request, "dari", 10), "sampai": _text(request, "sampai", 10)},
        },
    )
