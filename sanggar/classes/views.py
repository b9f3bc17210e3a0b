"""Kelas Live pages: programs and "Daftar" (members), my classes with the card of the class documents and "Bayar
Sekarang" / "Perpanjang" (students), today's meetings and attendance (tutors), the waiting list (admins)."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sanggar.core.exceptions import ServiceError
from sanggar.core.listing import paginate
from sanggar.core.permissions import login_required, role_required
from sanggar.core.request_context import client_ip
from sanggar.core.roles import Role
from sanggar.orders.checkout import checkout_place
from sanggar.orders.services import ItemRequest

from . import selectors, services
from .constants import ITEM_KIND, AttendanceStatus
from .models import ClassSection, ClassTemplate, Enrollment, Meeting

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
            }
        )
    providers = [(p, PROVIDER_LABELS.get(p, p)) for p in settings.PAYMENT_PROVIDERS]
    return render(request, "classes/mine.html", {"page_obj": page, "rows": rows, "providers": providers})


@login_required
@require_POST
def pay(request, pk):
    entry = get_object_or_404(Enrollment, pk=pk, student=request.user)
    provider = request.POST.get("provider", "")[:20]
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
def renew(request, pk):
    entry = get_object_or_404(Enrollment, pk=pk, student=request.user)
    try:
        services.renew(user=request.user, entry=entry)
        messages.success(request, _("Perpanjangan dibuat. Bayar sebelum batas waktunya untuk menjaga kursi Anda."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("classes:mine")


@role_required(Role.MENTOR, Role.ADMIN)
@require_GET
def tutor_today(request):
    day = timezone.localdate()
    start = timezone.make_aware(datetime.combine(day, time.min))
    meetings = list(selectors.tutor_meetings(request.user, start, start + timedelta(days=7), admin=False)[:50])
    for m in meetings:
        marks = {a.enrollment_id: a.status for a in m.attendances.all()}
        m.students = [(e, marks.get(e.pk)) for e in m.section.active]
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
