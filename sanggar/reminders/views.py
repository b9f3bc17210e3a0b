"""Admin pages: reminder sequences (/admin/pengingat) and broadcasts (/admin/broadcast). Writes go through services."""

import json

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotFound, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sanggar.core.exceptions import ServiceError
from sanggar.core.forms import add_service_errors
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role

from . import analytics, dashboard, services, tracking, views_targets
from .constants import Condition, SendStatus, Target
from .forms import (
    BroadcastForm,
    BroadcastScheduleForm,
    SequenceForm,
    StepForm,
    TrackingSettingsForm,
    sequence_initial,
    step_initial,
    usage_help,
)
from .models import Broadcast, ReminderSequence, ReminderStep


@role_required(Role.ADMIN)
def sequences(request):
    qs = ReminderSequence.objects.filter(realm="").annotate(step_count=Count("steps")).order_by("-id")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "reminders/sequences.html", {"page_obj": page})


@role_required(Role.ADMIN)
def reminders_dashboard(request):
    days = dashboard.parse_period(request.GET.get("hari"))
    data = dashboard.reminders_dashboard(days=days)
    return render(request, "reminders/dashboard.html", {"d": data, "periods": dashboard.PERIODS})


@role_required(Role.ADMIN)
def tracking_settings(request):
    """Email tracking (PDP, 5.5): the open pixel on or off site-wide and the privacy page the footer links."""
    row = tracking.tracking_settings()
    initial = {"open_pixel": row.open_pixel, "privacy_url": row.privacy_url}
    form = TrackingSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.tracking_settings_save(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            flash.success(request, _("Pengaturan pelacakan email disimpan."))
            return redirect("reminders:tracking_settings")
    return render(request, "reminders/tracking_settings.html", {"form": form})


@role_required(Role.ADMIN)
def sequence_edit(request, pk: int | None = None):
    sequence = get_object_or_404(ReminderSequence.objects.filter(realm=""), pk=pk) if pk else None
    if sequence:
        initial = sequence_initial(sequence)
    else:  # "+ Tambah Reminder Baru" on a plan's / product's tab: ?target=plan:<id> (the form checks it on save)
        initial = {"target": request.GET.get("target", "")[:30]} if request.GET.get("target") else None
    form = SequenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sequence = services.sequence_save(actor=request.user, sequence=sequence, **form.service_data())
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            flash.success(request, _("Urutan pengingat disimpan."))
            return redirect("reminders:sequence_edit", pk=sequence.pk)
    steps, stats = [], None
    if sequence:
        steps = [(s, services.step_messages(s, services.SAMPLE)) for s in sequence.steps.all()]
        stats = services.sequence_stats(sequence=sequence)
    return render(
        request,
        "reminders/sequence_edit.html",
        {
            "form": form,
            "sequence": sequence,
            "steps": steps,
            "stats": stats,
            "shortcodes": services.SHORTCODES,
            "tab": "settings",
            "target_tab": _target_tab(sequence, form),
        },
    )


def _target_tab(sequence, form):
    """The plan's / product's "Reminder" tab this sequence belongs to (the builder's back link), if any."""
    if sequence:
        return views_targets.tab_urls(sequence.target_type, sequence.target_id)
    kind, _sep, pk = str(form["target"].value() or "").partition(":")
    if kind == Target.SUPPLIER:
        return views_targets.tab_urls(kind, None)
    return views_targets.tab_urls(kind, int(pk)) if pk.isdigit() else None


@role_required(Role.ADMIN)
def sequence_analytics(request, pk: int):
    sequence = get_object_or_404(ReminderSequence.objects.filter(realm=""), pk=pk)
    data = analytics.sequence_analytics(sequence=sequence)
    return render(request, "reminders/sequence_analytics.html", {"sequence": sequence, "a": data, "tab": "analytics"})


@role_required(Role.ADMIN)
@require_POST
def sequence_duplicate(request, pk: int):
    sequence = get_object_or_404(ReminderSequence.objects.filter(realm=""), pk=pk)
    copy = services.sequence_duplicate(actor=request.user, sequence=sequence)
    flash.success(request, _("Urutan diduplikasi (nonaktif). Periksa lalu aktifkan."))
    return redirect("reminders:sequence_edit", pk=copy.pk)


@role_required(Role.ADMIN)
def sequence_log(request, pk: int):
    sequence = get_object_or_404(ReminderSequence.objects.filter(realm=""), pk=pk)
    status = request.GET.get("status", "")
    status = status if status in SendStatus.values else ""
    page = Paginator(services.sequence_log(sequence=sequence, status=status), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reminders/sequence_log.html",
        {"sequence": sequence, "page_obj": page, "status": status, "statuses": SendStatus.choices, "tab": "log"},
    )


@role_required(Role.ADMIN)
@require_POST
def step_test(request, pk: int, step_pk: int):
    step = get_object_or_404(
        ReminderStep.objects.select_related("sequence"), pk=step_pk, sequence_id=pk, sequence__realm=""
    )
    try:
        services.step_test_send(actor=request.user, step=step)
    except ServiceError as exc:
        flash.error(request, exc.message)
    else:
        flash.success(request, _("Uji coba dikirim ke Anda sendiri (lihat notifikasi dan saluran yang dipilih)."))
    return redirect("reminders:sequence_edit", pk=pk)


@role_required(Role.ADMIN)
def step_edit(request, pk: int, step_pk: int | None = None):
    """The builder: a page with tabs (Dasar, Konten per channel, Lanjutan) and a live preview of every channel."""
    sequence = get_object_or_404(ReminderSequence.objects.filter(realm=""), pk=pk)
    step = get_object_or_404(ReminderStep, pk=step_pk, sequence=sequence) if step_pk else None
    form = StepForm(request.POST or None, initial=step_initial(step) if step else None)
    preview = None
    if request.method == "POST" and form.is_valid() and "preview" not in request.POST:
        try:
            step = services.step_save(actor=request.user, sequence=sequence, step=step, **form.service_data())
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            flash.success(request, _("Langkah disimpan."))
            return redirect("reminders:sequence_edit", pk=sequence.pk)
    if step is not None or request.method == "POST":
        preview = _preview_for(form, step)
    return render(
        request,
        "reminders/step_edit.html",
        {
            "form": form,
            "sequence": sequence,
            "step": step,
            "preview": preview,
            "shortcodes": services.SHORTCODES,
            "shortcode_help": services.SHORTCODE_HELP,
            # the sequence's conditions (set on its settings tab), with what "pemakaian membership" means
            "condition_labels": [dict(Condition.choices).get(c, c) for c in sequence.conditions or []],
            "usage_help": usage_help(),
            "tab": "steps",
        },
    )


def _preview_for(form, step):
    """Each channel's message with the sample data, from the form as typed (or the saved step)."""
    data = form.cleaned_data if form.is_bound and form.is_valid() else None
    if data is None:
        if step is None:
            return None
        return services.step_preview(step)
    values = form.service_data()
    draft = ReminderStep(
        subject=values["subject"], body=values["body"], content=values["content"], channels=values["channels"]
    )
    return services.step_preview(draft)


@role_required(Role.ADMIN)
@require_POST
def step_preview(request, pk: int):
    """The live preview (server-rendered): the builder's script posts the form as typed and shows this fragment."""
    get_object_or_404(ReminderSequence.objects.filter(realm=""), pk=pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        return render(request, "reminders/_preview.html", {"error": errors or _("Isian belum lengkap.")}, status=400)
    return render(request, "reminders/_preview.html", {"preview": _preview_for(form, None)})


@role_required(Role.ADMIN)
@require_POST
def step_delete(request, pk: int, step_pk: int):
    step = get_object_or_404(
        ReminderStep.objects.select_related("sequence"), pk=step_pk, sequence_id=pk, sequence__realm=""
    )
    services.step_delete(actor=request.user, step=step)
    flash.success(request, _("Langkah dihapus."))
    return redirect("reminders:sequence_edit", pk=pk)


@role_required(Role.ADMIN)
@require_POST
def step_duplicate(request, pk: int, step_pk: int):
    """A copy of a step right after it (the steps' "Duplikat" button)."""
    step = get_object_or_404(ReminderStep, pk=step_pk, sequence_id=pk, sequence__realm="")
    try:
        services.step_duplicate(actor=request.user, step=step)
    except ServiceError as exc:
        flash.error(request, exc.message)
    else:
        flash.success(request, _("Langkah diduplikasi; salinannya tepat di bawahnya."))
    return redirect("reminders:sequence_edit", pk=pk)


@role_required(Role.ADMIN)
@require_POST
def steps_reorder(request, pk: int):
    """Saves the order of a sequence's steps (drag-and-drop or the up/down buttons, without reload)."""
    sequence = get_object_or_404(ReminderSequence.objects.filter(realm=""), pk=pk)
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        payload = None
    if not isinstance(payload, dict) or not isinstance(payload.get("step_ids"), list):
        return JsonResponse({"message": _("Data urutan tidak valid.")}, status=400)
    try:
        services.steps_reorder(actor=request.user, sequence=sequence, step_ids=payload["step_ids"])
    except ServiceError as exc:
        return JsonResponse({"message": exc.message}, status=exc.status_code)
    return JsonResponse({"ok": True, "step_ids": list(sequence.steps.values_list("pk", flat=True))})


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
                "segment_group",
                "segment_course",
                "link",
                "cta_text",
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
    if not broadcast:
        context["audience"] = services.segment_preview()
    if broadcast:
        context["preview"] = (
            services.render_text(broadcast.subject, services.SAMPLE),
            services.render_text(broadcast.body, services.SAMPLE),
        )
        context["audience"] = services.segment_users(broadcast=broadcast).count()
        context["stats"] = services.broadcast_stats(broadcast=broadcast)
        context["links"] = analytics.link_clicks(broadcast=broadcast)
        context["progress"] = services.broadcast_progress(broadcast=broadcast)
        context["schedule_form"] = BroadcastScheduleForm()
    return render(request, "reminders/broadcast_edit.html", context)


@role_required(Role.ADMIN)
@require_POST
def broadcast_audience(request):
    """The segment's member count while the admin picks the filters (HTMX, before saving)."""
    form = BroadcastForm(request.POST)
    form.is_valid()  # only the segment fields are read; a message not written yet does not matter here
    segment = {f: form.cleaned_data.get(f) for f in BroadcastForm.SEGMENT_FIELDS if f not in form.errors}
    try:
        count = services.segment_preview(**segment)
    except ServiceError as exc:
        return render(request, "reminders/_audience.html", {"error": exc.message})
    return render(request, "reminders/_audience.html", {"count": count})


@role_required(Role.ADMIN)
def broadcast_progress(request, pk: int):
    """The progress and report card, polled by the detail page while the broadcast is sending."""
    broadcast = get_object_or_404(Broadcast, pk=pk)
    context = {
        "broadcast": broadcast,
        "progress": services.broadcast_progress(broadcast=broadcast),
        "stats": services.broadcast_stats(broadcast=broadcast),
        "links": analytics.link_clicks(broadcast=broadcast),
    }
    return render(request, "reminders/_broadcast_report.html", context)


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


PIXEL = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")


@never_cache
def track_open(request, token: str):
    """The email open pixel: a 1×1 GIF whatever the token (a bad one records nothing)."""
    value = tracking.read_open(token[:300])
    if value is not None:
        kind, send_id = value
        if kind == tracking.BROADCAST:
            services.broadcast_opened(recipient_id=send_id)
        else:
            services.reminder_opened(send_id=send_id)
    return HttpResponse(PIXEL, content_type="image/gif")


@never_cache
def track_click(request, token: str):
    """The signed click redirect: leads to the link stored on the send, or to the body link carried in the signed
    token (never one from the request). Every click redirects; the first one of a send is recorded."""
    if len(token) > tracking.CLICK_TOKEN_MAX or "\x00" in token:
        return HttpResponseBadRequest(_("Tautan tidak valid."))
    value = tracking.read_click(token)
    target = None
    if value:
        kind, send_id, channel, *url = value
        url = url[0] if url else ""
        if kind == tracking.BROADCAST:
            target = services.broadcast_clicked(recipient_id=send_id, channel=channel, url=url)
        else:
            target = services.reminder_clicked(send_id=send_id, channel=channel, url=url)
    if target is None:
        return HttpResponseNotFound(_("Tautan tidak valid atau sudah tidak berlaku."))
    return redirect(target)
