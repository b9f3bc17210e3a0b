"""The affiliate's Booster pages: bio page builder, opt-in forms, leads (CRM), credits, broadcasts, automation."""

import json
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sanggar.affiliates.services.profiles import affiliate_profile_ensure
from sanggar.core.exceptions import ServiceError
from sanggar.core.forms import add_service_errors
from sanggar.core.listing import Filter, csv_response, paginate
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role
from sanggar.core.site import absolute
from sanggar.reminders.services import render_text

from . import selectors
from .constants import (
    LEAD_PAGE_SIZE,
    LIST_PAGE_SIZE,
    SHORTCODES,
    SOCIALS,
    STEPS_MAX,
    BroadcastStatus,
    LeadSource,
    LeadStatus,
)
from .forms import (
    BioPageForm,
    BroadcastForm,
    ButtonForm,
    ImportForm,
    LeadEditForm,
    OptinEditForm,
    ScheduleForm,
    SequenceForm,
)
from .models import BioButton, BioTemplate, Broadcast, CreditPackage, EmailTemplate, Lead, OptinForm, Sequence
from .services import broadcasts, credits, leads, pages, sequences
from .services.mail import lead_context

affiliate_only = role_required(Role.AFFILIATE)


def _aff(request):
    profile = affiliate_profile_ensure(user=request.user)
    if profile.status != "active":
        raise PermissionDenied
    return profile


# --- bio page ----------------------------------------------------------------------------------------------------


@affiliate_only
def bio_edit(request):
    affiliate = _aff(request)
    page = pages.bio_page_for(affiliate)
    if request.method == "POST" and request.POST.get("template"):
        template = BioTemplate.objects.filter(
            pk=request.POST.get("template", "").strip()[:10] or 0, is_published=True
        ).first()
        if template is None:
            messages.error(request, _("Template tidak ditemukan."))
        else:
            pages.bio_apply_template(affiliate=affiliate, template=template)
            messages.success(request, _("Template diterapkan. Lengkapi tujuan tiap tombol."))
        return redirect("booster:bio_edit")
    if request.method == "POST":
        form = BioPageForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                pages.bio_page_save(
                    affiliate=affiliate, theme=d["theme"], primary_color=d["primary_color"], font=d["font"],
                    headline=d["headline"], bio=d["bio"], whatsapp=d["whatsapp"], wa_group_url=d["wa_group_url"],
                    socials={k: d.get(f"social_{k}") for k in SOCIALS}, is_published=d["is_published"],
                    avatar=d.get("avatar") or None,
                )  # fmt: skip
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Halaman bio disimpan."))
                return redirect("booster:bio_edit")
    else:
        initial = {f: getattr(page, f) for f in ("theme", "primary_color", "font", "headline", "bio", "whatsapp",
                                                 "wa_group_url", "is_published")}  # fmt: skip
        initial.update({f"social_{k}": v for k, v in page.socials.items()})
        form = BioPageForm(initial=initial)
    code = affiliate.code
    return render(request, "booster/bio_edit.html", {
        "form": form, "page": page, "button_form": ButtonForm(),
        "buttons": [(b, pages.button_url(b, code=code, page=page)) for b in page.buttons.all()],
        "public_url": absolute(reverse("booster:bio", args=[code.lower()]), request),
        "templates": BioTemplate.objects.filter(is_published=True)[:20],
        "optin_forms": OptinForm.objects.filter(affiliate=affiliate, is_active=True)[:50],
    })  # fmt: skip


@affiliate_only
@require_POST
def bio_button_add(request):
    affiliate = _aff(request)
    form = ButtonForm(request.POST)
    if form.is_valid():
        try:
            pages.bio_button_save(affiliate=affiliate, **form.cleaned_data)
            messages.success(request, _("Tombol ditambahkan."))
        except ServiceError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Lengkapi jenis dan teks tombol."))
    return redirect("booster:bio_edit")


@affiliate_only
@require_POST
def bio_button_action(request, pk):
    affiliate = _aff(request)
    button = get_object_or_404(BioButton.objects.select_related("page"), pk=pk, page__affiliate=affiliate)
    action = request.POST.get("action")
    if action == "delete":
        pages.bio_button_delete(affiliate=affiliate, button=button)
    elif action in ("up", "down"):
        pages.bio_button_move(affiliate=affiliate, button=button, up=action == "up")
    return redirect("booster:bio_edit")


@affiliate_only
@require_POST
def bio_buttons_reorder(request):
    """The builder's drag and drop (JSON `{"ids": [...]}`): the same service as the API."""
    affiliate = _aff(request)
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        return JsonResponse({"message": _("Data urutan tidak valid.")}, status=400)
    try:
        ids = pages.bio_buttons_reorder(affiliate=affiliate, ids=payload.get("ids"))
    except ServiceError as exc:
        return JsonResponse({"message": exc.message}, status=exc.status_code)
    return JsonResponse({"ok": True, "ids": ids})


# --- opt-in forms ------------------------------------------------------------------------------------------------


@affiliate_only
@require_GET
def optin_list(request):
    affiliate = _aff(request)
    page = paginate(
        request, OptinForm.objects.filter(affiliate=affiliate).order_by("-created_at", "-id"), LIST_PAGE_SIZE
    )
    rows = [(f, absolute(reverse("booster:optin", args=[f.slug]), request)) for f in page.object_list]
    return render(request, "booster/optin_list.html", {"page_obj": page, "rows": rows, "code": affiliate.code})


@affiliate_only
def optin_edit(request, pk=None):
    affiliate = _aff(request)
    obj = get_object_or_404(OptinForm, pk=pk, affiliate=affiliate) if pk else None
    if request.method == "POST":
        if obj and request.POST.get("delete") == "1":
            pages.optin_delete(affiliate=affiliate, form=obj)
            messages.success(request, _("Form dihapus."))
            return redirect("booster:optin_list")
        form = OptinEditForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                saved = pages.optin_save(
                    affiliate=affiliate,
                    form=obj,
                    data=form.cleaned_data,
                    magnet_file=form.cleaned_data.get("magnet_file"),
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Form opt-in disimpan."))
                return redirect("booster:optin_edit", pk=saved.pk)
    elif obj:
        form = OptinEditForm(initial={f: getattr(obj, f) for f in OptinEditForm.base_fields if f != "magnet_file"})
    else:
        form = OptinEditForm(initial={"action": "message", "button_label": _("Kirim")})
    url = absolute(reverse("booster:optin", args=[obj.slug]), request) if obj else ""
    return render(request, "booster/optin_edit.html", {"form": form, "obj": obj, "url": url, "code": affiliate.code})


# --- leads -------------------------------------------------------------------------------------------------------


def _lead_filters(request, affiliate):
    status = Filter(request, "status", _("Status"), LeadStatus.choices)
    source = Filter(request, "source", _("Sumber"), LeadSource.choices)
    tags = selectors.lead_tags(affiliate)
    tag = Filter(request, "tag", _("Tag"), [(t, t) for t in tags])
    activity = Filter(request, "activity", _("Aktivitas"), [
        ("opened", _("Membuka email")), ("clicked", _("Mengklik tautan")), ("broadcast", _("Menerima broadcast")),
        ("automation", _("Masuk automation")),
    ])  # fmt: skip
    follow = Filter(request, "follow_up", _("Tindak lanjut"), [("due", _("Jatuh tempo"))])

    def _date(name):
        try:
            return date.fromisoformat(request.GET.get(name, "")[:10])
        except ValueError:
            return None

    q = request.GET.get("q", "").strip()[:100]
    qs = selectors.leads_for(
        affiliate=affiliate, status=status.value, source=source.value, tag=tag.value, q=q, follow_up=follow.value,
        start=_date("dari"), end=_date("sampai"), activity=activity.value,
    )  # fmt: skip
    return qs, [status, source, tag, activity, follow], q


@affiliate_only
@require_GET
def lead_list(request):
    affiliate = _aff(request)
    qs, filters, q = _lead_filters(request, affiliate)
    page = paginate(request, qs.prefetch_related("tags"), LEAD_PAGE_SIZE)
    counts = selectors.lead_status_counts(affiliate)
    return render(request, "booster/leads.html", {
        "page_obj": page, "filters": filters, "search": q,
        "counts": [(s, label, counts[s]) for s, label in LeadStatus.choices],
        "export_query": request.GET.urlencode(),
    })  # fmt: skip


@affiliate_only
@require_GET
def lead_export(request):
    affiliate = _aff(request)
    qs, _filters, _q = _lead_filters(request, affiliate)
    rows = (
        (lead.name, lead.email, lead.whatsapp, lead.get_status_display(), lead.get_source_display(),
         ";".join(t.tag for t in lead.tags.all()), lead.notes, lead.follow_up_on, timezone.localtime(lead.created_at))
        for lead in qs.prefetch_related("tags").iterator(chunk_size=500)
    )  # fmt: skip
    return csv_response("leads.csv", ["nama", "email", "whatsapp", "status", "sumber", "tags", "catatan",
                                      "follow_up", "dibuat"], rows)  # fmt: skip


@affiliate_only
def lead_edit(request, pk=None):
    affiliate = _aff(request)
    lead = get_object_or_404(Lead, pk=pk, affiliate=affiliate) if pk else None
    if request.method == "POST":
        if lead and request.POST.get("delete") == "1":
            leads.lead_delete(lead=lead)
            messages.success(request, _("Lead dihapus."))
            return redirect("booster:leads")
        form = LeadEditForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            tags = [t for t in d["tags"].split(",") if t.strip()]
            try:
                if lead is None:
                    lead, _created = leads.lead_upsert(
                        affiliate=affiliate, name=d["name"], email=d["email"], whatsapp=d["whatsapp"],
                        status=d["status"], notes=d["notes"], tags=tags, rate_key=request.user.pk,
                    )  # fmt: skip
                    if d["follow_up_on"]:
                        leads.lead_update(lead=lead, follow_up_on=d["follow_up_on"])
                else:
                    leads.lead_update(
                        lead=lead, name=d["name"], email=d["email"], whatsapp=d["whatsapp"], status=d["status"],
                        notes=d["notes"], follow_up_on=d["follow_up_on"], clear_follow_up=not d["follow_up_on"],
                    )  # fmt: skip
                    have = set(lead.tags.values_list("tag", flat=True))
                    wanted = {leads.clean_tag(t) for t in tags} - {""}
                    for t in have - wanted:
                        leads.lead_tag_remove(lead=lead, tag=t)
                    for t in wanted - have:
                        leads.lead_tag_add(lead=lead, tag=t)
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Lead disimpan."))
                return redirect("booster:lead_edit", pk=lead.pk)
    elif lead:
        form = LeadEditForm(initial={
            "name": lead.name, "email": lead.email, "whatsapp": lead.whatsapp, "status": lead.status,
            "notes": lead.notes, "follow_up_on": lead.follow_up_on, "tags": ", ".join(t.tag for t in lead.tags.all()),
        })  # fmt: skip
    else:
        form = LeadEditForm()
    history = []
    if lead:
        history = list(lead.broadcast_logs.select_related("broadcast").order_by("-id")[:20])
    return render(request, "booster/lead_edit.html", {"form": form, "lead": lead, "history": history})


@affiliate_only
def lead_import(request):
    affiliate = _aff(request)
    result = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = leads.leads_import(
                affiliate=affiliate,
                user=request.user,
                upload=form.cleaned_data["file"],
                consent=form.cleaned_data["consent"],
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
    return render(request, "booster/lead_import.html", {"form": form, "result": result})


# --- credits -----------------------------------------------------------------------------------------------------


@affiliate_only
@require_http_methods(["GET", "POST"])
def credit_page(request):
    affiliate = _aff(request)
    if request.method == "POST":
        raw = request.POST.get("threshold", "").strip()[:12]
        try:
            credits.low_threshold_set(affiliate=affiliate, threshold=None if raw == "" else raw)
            messages.success(request, _("Batas peringatan kredit disimpan."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("booster:credits")
    account = credits.account_for(affiliate)
    available, reserved = credits.balances(account)
    page = paginate(request, selectors.credit_history(account), LIST_PAGE_SIZE)
    return render(request, "booster/credits.html", {
        "available": available, "reserved": reserved, "account": account, "page_obj": page,
        "packages": CreditPackage.objects.filter(is_active=True)[:20],
        "threshold": credits.low_threshold(account), "low": credits.is_low(account, available),
        "default_threshold": settings.BOOSTER_LOW_CREDIT_THRESHOLD,
    })  # fmt: skip


# --- broadcasts --------------------------------------------------------------------------------------------------


@affiliate_only
@require_GET
def broadcast_list(request):
    affiliate = _aff(request)
    status = Filter(request, "status", _("Status"), BroadcastStatus.choices)
    qs = Broadcast.objects.filter(affiliate=affiliate).select_related("template")
    if status.value:
        qs = qs.filter(status=status.value)
    page = paginate(request, qs.order_by("-created_at", "-id"), LIST_PAGE_SIZE)
    bio = pages.bio_page_for(affiliate)
    return render(request, "booster/broadcasts.html", {
        "page_obj": page, "filters": [status], "summary": selectors.broadcast_summary(affiliate), "bio": bio,
        "bio_clicks": sum(b.click_count for b in bio.buttons.all()),
    })  # fmt: skip


def _segment(d):
    return {"status": d.get("status") or "", "source": d.get("source") or "", "tag": d.get("tag") or ""}


@affiliate_only
def broadcast_edit(request, pk=None):
    affiliate = _aff(request)
    obj = get_object_or_404(Broadcast, pk=pk, affiliate=affiliate) if pk else None
    published = EmailTemplate.objects.filter(is_published=True)
    templates = published[:50]  # the picker
    if request.method == "POST" and (obj is None or obj.status == BroadcastStatus.DRAFT):
        form = BroadcastForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            template = (
                published.filter(pk=request.POST.get("template_id", "")[:10] or 0).first()
                if request.POST.get("template_id", "").isdigit()
                else None
            )
            try:
                obj = broadcasts.broadcast_save(
                    affiliate=affiliate, broadcast=obj, name=d["name"], subject=d["subject"], body=d["body"],
                    segment=_segment(d), template=template,
                )  # fmt: skip
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Draf disimpan."))
                return redirect("booster:broadcast_edit", pk=obj.pk)
    elif obj:
        form = BroadcastForm(initial={"name": obj.name, "subject": obj.subject, "body": obj.body, **obj.segment})
    else:
        initial = {}
        chosen = request.GET.get("template", "")
        template = published.filter(pk=chosen[:10]).first() if chosen.isdigit() else None
        if template:
            initial = {"name": template.name, "subject": template.subject, "body": template.body}
        form = BroadcastForm(initial=initial)
    ctx = {"form": form, "obj": obj, "templates": templates, "shortcodes": SHORTCODES, "schedule_form": ScheduleForm()}
    if obj:
        available, _reserved = credits.balances_for(affiliate)
        ctx.update({
            "audience": broadcasts.segment_leads(affiliate=affiliate, segment=obj.segment).count(),
            "available": available, "stats": selectors.broadcast_stats(obj),
            "preview": _preview(obj, affiliate),
            "logs": paginate(request, obj.recipients.order_by("id"), LIST_PAGE_SIZE)
            if obj.status != BroadcastStatus.DRAFT else None,
            "occurrences": obj.occurrences.order_by("scheduled_at")[:10],
        })  # fmt: skip
    return render(request, "booster/broadcast_edit.html", ctx)


def _preview(obj, affiliate):
    sample = Lead(affiliate=affiliate, name="Budi Santoso", email="budi@contoh.id", whatsapp="+6281234567890")
    ctx = lead_context(sample, affiliate)
    return render_text(obj.subject, ctx), render_text(obj.body, ctx)


@affiliate_only
@require_POST
def broadcast_action(request, pk):
    affiliate = _aff(request)
    obj = get_object_or_404(Broadcast, pk=pk, affiliate=affiliate)
    action = request.POST.get("action")
    try:
        if action == "send":
            broadcasts.broadcast_schedule(affiliate=affiliate, broadcast=obj)
            messages.success(request, _("Broadcast sedang dikirim."))
        elif action == "schedule":
            form = ScheduleForm(request.POST)
            if not form.is_valid():
                raise ServiceError(_("Periksa isian jadwal."))
            d = form.cleaned_data
            when = d["scheduled_at"]
            if when is None:
                raise ServiceError(_("Pilih waktu kirim."))
            if timezone.is_naive(when):
                when = timezone.make_aware(when)
            recurring = None
            if d["recurring"]:
                recurring = {"frequency": d["frequency"], "interval": d["interval"] or 1,
                             "time_of_day": d["time_of_day"] or timezone.localtime(when).strftime("%H:%M"),
                             "days_of_week": d["days_of_week"],
                             "end_date": d["end_date"].isoformat() if d["end_date"] else ""}  # fmt: skip
            broadcasts.broadcast_schedule(affiliate=affiliate, broadcast=obj, when=when, recurring=recurring)
            messages.success(request, _("Broadcast dijadwalkan; kredit dicadangkan."))
        elif action == "cancel":
            broadcasts.broadcast_cancel(affiliate=affiliate, broadcast=obj)
            messages.success(request, _("Jadwal dibatalkan; kredit dikembalikan."))
        elif action == "test":
            broadcasts.broadcast_test_send(affiliate=affiliate, broadcast=obj)
            messages.success(request, _("Email uji dikirim ke %(email)s.") % {"email": request.user.email})
        elif action == "delete":
            broadcasts.broadcast_delete(affiliate=affiliate, broadcast=obj)
            messages.success(request, _("Draf dihapus."))
            return redirect("booster:broadcasts")
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("booster:broadcast_edit", pk=obj.pk)


@affiliate_only
@require_GET
def broadcast_log_export(request, pk):
    affiliate = _aff(request)
    obj = get_object_or_404(Broadcast, pk=pk, affiliate=affiliate)
    rows = ((r.email, r.get_status_display(), r.sent_at, r.delivered_at, r.opened_at, r.clicked_at, r.error)
            for r in obj.recipients.order_by("id").iterator(chunk_size=1000))  # fmt: skip
    header = ["email", "status", "terkirim", "diterima server", "dibuka", "diklik", "galat"]
    return csv_response(f"broadcast-{obj.pk}.csv", header, rows)


# --- automation --------------------------------------------------------------------------------------------------


@affiliate_only
def automation_list(request):
    affiliate = _aff(request)
    if request.method == "POST":
        default = (
            Sequence.objects.filter(pk=request.POST.get("adopt", "")[:10] or 0, owner_id__isnull=True).first()
            if request.POST.get("adopt", "").isdigit()
            else None
        )
        if default:
            copy = sequences.sequence_adopt(affiliate=affiliate, default=default)
            messages.success(request, _("Urutan diaktifkan."))
            return redirect("booster:automation_edit", pk=copy.pk)
        return redirect("booster:automations")
    rows = [(s, selectors.sequence_stats(s)) for s in selectors.sequences_for(affiliate)[:50]]
    return render(request, "booster/automations.html", {"rows": rows, "defaults": selectors.default_sequences()[:20]})


@affiliate_only
def automation_edit(request, pk=None):
    affiliate = _aff(request)
    obj = get_object_or_404(Sequence, pk=pk, owner_id=affiliate.pk) if pk else None
    choices = list(OptinForm.objects.filter(affiliate=affiliate).values_list("pk", "title")[:100])
    if request.method == "POST":
        if obj and request.POST.get("action") in ("on", "off", "delete"):
            action = request.POST["action"]
            if action == "delete":
                sequences.sequence_delete(affiliate=affiliate, sequence=obj)
                return redirect("booster:automations")
            sequences.sequence_set_active(affiliate=affiliate, sequence=obj, active=action == "on")
            return redirect("booster:automation_edit", pk=obj.pk)
        form = SequenceForm(request.POST, forms_choices=choices)
        if form.is_valid():
            d = form.cleaned_data
            chosen = OptinForm.objects.filter(pk=d["form"], affiliate=affiliate).first() if d["form"] else None
            try:
                obj = sequences.sequence_save(
                    affiliate=affiliate, sequence=obj, name=d["name"], description=d["description"],
                    trigger=d["trigger"],
                    form=chosen, tag=d["tag"], steps=form.steps(),
                )  # fmt: skip
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Urutan disimpan."))
                return redirect("booster:automation_edit", pk=obj.pk)
    elif obj:
        initial = {
            "name": obj.name,
            "description": obj.description,
            "trigger": obj.trigger,
            "form": obj.form_id,
            "tag": obj.tag,
        }
        for i, step in enumerate(selectors.step_rows(obj)[:STEPS_MAX]):
            initial.update(
                {f"delay_{i}": step["delay_minutes"], f"subject_{i}": step["subject"], f"body_{i}": step["body"]}
            )
        form = SequenceForm(initial=initial, forms_choices=choices)
    else:
        form = SequenceForm(forms_choices=choices)
    stats = selectors.sequence_stats(obj) if obj else None
    step_stats = selectors.sequence_step_stats(obj) if obj else []
    return render(
        request,
        "booster/automation_edit.html",
        {"form": form, "obj": obj, "stats": stats, "step_stats": step_stats, "shortcodes": SHORTCODES},
    )
