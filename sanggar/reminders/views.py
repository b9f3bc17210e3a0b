"""Admin pages: reminder sequences (/admin/pengingat) and broadcasts (/admin/broadcast). Writes go through services."""

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanggar.core.exceptions import ServiceError
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role

from . import services
from .constants import SendStatus
from .forms import BroadcastForm, BroadcastScheduleForm, SequenceForm, StepForm
from .models import Broadcast, ReminderSequence, ReminderStep


@role_required(Role.ADMIN)
def sequences(request):
    qs = ReminderSequence.objects.annotate(step_count=Count("steps")).order_by("-id")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "reminders/sequences.html", {"page_obj": page})


@role_required(Role.ADMIN)
def sequence_edit(request, pk: int | None = None):
    sequence = get_object_or_404(ReminderSequence, pk=pk) if pk else None
    initial = {}
    if sequence:
        initial = {
            f: getattr(sequence, f)
            for f in ("name", "trigger", "days", "stop_on", "quiet_start", "quiet_end", "is_active")
        }
    form = SequenceForm(request.POST or None, initial=initial or None)
    if request.method == "POST" and form.is_valid():
        try:
            sequence = services.sequence_save(actor=request.user, sequence=sequence, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            flash.success(request, _("Urutan pengingat disimpan."))
            return redirect("reminders:sequence_edit", pk=sequence.pk)
    steps, previews, stats = [], [], None
    if sequence:
        steps = list(sequence.steps.all())
        previews = [
            (s, services.render_text(s.subject, services.SAMPLE), services.render_text(s.body, services.SAMPLE))
            for s in steps
        ]
        stats = services.sequence_stats(sequence=sequence)
    return render(
        request,
        "reminders/sequence_edit.html",
        {"form": form, "sequence": sequence, "previews": previews, "stats": stats, "shortcodes": services.SHORTCODES},
    )


@role_required(Role.ADMIN)
@require_POST
def sequence_duplicate(request, pk: int):
    sequence = get_object_or_404(ReminderSequence, pk=pk)
    copy = services.sequence_duplicate(actor=request.user, sequence=sequence)
    flash.success(request, _("Urutan diduplikasi (nonaktif). Periksa lalu aktifkan."))
    return redirect("reminders:sequence_edit", pk=copy.pk)


@role_required(Role.ADMIN)
def sequence_log(request, pk: int):
    sequence = get_object_or_404(ReminderSequence, pk=pk)
    status = request.GET.get("status", "")
    status = status if status in SendStatus.values else ""
    page = Paginator(services.sequence_log(sequence=sequence, status=status), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reminders/sequence_log.html",
        {"sequence": sequence, "page_obj": page, "status": status, "statuses": SendStatus.choices},
    )


@role_required(Role.ADMIN)
@require_POST
def step_test(request, pk: int, step_pk: int):
    step = get_object_or_404(ReminderStep.objects.select_related("sequence"), pk=step_pk, sequence_id=pk)
    try:
        services.step_test_send(actor=request.user, step=step)
    except ServiceError as exc:
        flash.error(request, exc.message)
    else:
        flash.success(request, _("Uji coba dikirim ke Anda sendiri (lihat notifikasi dan saluran yang dipilih)."))
    return redirect("reminders:sequence_edit", pk=pk)


@role_required(Role.ADMIN)
def step_edit(request, pk: int, step_pk: int | None = None):
    sequence = get_object_or_404(ReminderSequence, pk=pk)
    step = get_object_or_404(ReminderStep, pk=step_pk, sequence=sequence) if step_pk else None
    initial = None
    if step:
        initial = {
            "delay_hours": step.delay_hours,
            "channels": step.channels,
            "subject": step.subject,
            "body": step.body,
        }
    form = StepForm(request.POST or None, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            preview = (
                services.render_text(data["subject"], services.SAMPLE),
                services.render_text(data["body"], services.SAMPLE),
            )
        else:
            try:
                services.step_save(actor=request.user, sequence=sequence, step=step, **data)
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                flash.success(request, _("Langkah disimpan."))
                return redirect("reminders:sequence_edit", pk=sequence.pk)
    return render(
        request,
        "reminders/step_edit.html",
        {"form": form, "sequence": sequence, "step": step, "preview": preview, "shortcodes": services.SHORTCODES},
    )


@role_required(Role.ADMIN)
@require_POST
def step_delete(request, pk: int, step_pk: int):
    step = get_object_or_404(ReminderStep.objects.select_related("sequence"), pk=step_pk, sequence_id=pk)
    services.step_delete(actor=request.user, step=step)
    flash.success(request, _("Langkah dihapus."))
    return redirect("reminders:sequence_edit", pk=pk)


@role_required(Role.ADMIN)
def broadcasts(request):
    qs = Broadcast.objects.select_related("segment_plan").annotate(recipient_count=Count("recipients")).order_by("-id")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "reminders/broadcasts.html", {"page_obj": page})


@role_required(Role.ADMIN)
def broadcast_edit(request, pk: int | None = None):
    broadcast = get_object_or_404(Broadcast.objects.select_related("segment_plan"), pk=pk) if pk else None
    initial = None
    if broadcast:
        initial = {
            f: getattr(broadcast, f)
            for f in (
                "title",
                "subject",
                "body",
                "channels",
                "segment_role",
                "segment_plan",
                "segment_status",
                "segment_province",
                "segment_expiring_days",
                "segment_inactive_days",
            )
        }
    form = BroadcastForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            broadcast = services.broadcast_save(actor=request.user, broadcast=broadcast, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            flash.success(request, _("Broadcast disimpan."))
            return redirect("reminders:broadcast_edit", pk=broadcast.pk)
    context = {"form": form, "broadcast": broadcast, "shortcodes": ("{name}", "{email}")}
    if broadcast:
        context["preview"] = (
            services.render_text(broadcast.subject, services.SAMPLE),
            services.render_text(broadcast.body, services.SAMPLE),
        )
        context["audience"] = services.segment_users(broadcast=broadcast).count()
        context["stats"] = services.broadcast_stats(broadcast=broadcast)
        context["processed"] = broadcast.recipients.count()
        context["schedule_form"] = BroadcastScheduleForm()
    return render(request, "reminders/broadcast_edit.html", context)


@role_required(Role.ADMIN)
@require_POST
def broadcast_send(request, pk: int):
    """Send now, schedule (`send_at`), or take a scheduled broadcast back to draft (`unschedule`)."""
    broadcast = get_object_or_404(Broadcast, pk=pk)
    try:
        if "unschedule" in request.POST:
            services.broadcast_unschedule(actor=request.user, broadcast=broadcast)
            flash.success(request, _("Jadwal dibatalkan; broadcast kembali menjadi draf."))
            return redirect("reminders:broadcast_edit", pk=pk)
        form = BroadcastScheduleForm(request.POST)
        if not form.is_valid():
            raise ServiceError(_("Waktu kirim tidak valid."))
        send_at = form.cleaned_data.get("send_at") if "schedule" in request.POST else None
        if "schedule" in request.POST and send_at is None:
            raise ServiceError(_("Isi waktu kirim untuk menjadwalkan."))
        services.broadcast_start(actor=request.user, broadcast=broadcast, send_at=send_at)
    except ServiceError as exc:
        flash.error(request, exc.message)
    else:
        flash.success(request, _("Broadcast dijadwalkan.") if send_at else _("Broadcast sedang dikirim bertahap."))
    return redirect("reminders:broadcast_edit", pk=pk)
