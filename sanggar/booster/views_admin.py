"""Admin pages of the Booster Suite: usage and credits per affiliate (adjust, suspend, daily cap), credit packages,
email and bio templates, default automation sequences, the global suppression list."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sanggar.affiliates.models import AffiliateProfile
from sanggar.core.exceptions import ServiceError
from sanggar.core.forms import add_service_errors
from sanggar.core.listing import paginate
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role
from sanggar.notifications.selectors import suppression_list

from . import selectors
from .constants import LIST_PAGE_SIZE, STEPS_MAX
from .forms import (
    AdjustForm,
    BioTemplateForm,
    ControlForm,
    EmailTemplateForm,
    PackageForm,
    SequenceForm,
    SuppressionForm,
)
from .models import BioTemplate, CreditPackage, EmailTemplate, Sequence
from .services import admin as admin_services
from .services import credits, sequences

admin_only = role_required(Role.ADMIN)


@admin_only
@require_GET
def usage(request):
    q = request.GET.get("q", "").strip()[:60]
    qs = selectors.admin_usage()
    if q:
        qs = qs.filter(code__icontains=q)
    page = paginate(request, qs, LIST_PAGE_SIZE)
    return render(
        request, "booster/admin/usage.html", {"page_obj": page, "totals": selectors.admin_totals(), "search": q}
    )


@admin_only
def affiliate_credits(request, pk):
    affiliate = get_object_or_404(AffiliateProfile.objects.select_related("user"), pk=pk)
    account = credits.account_for(affiliate)
    adjust, control = AdjustForm(), ControlForm(initial={
        "suspended": account.sending_suspended, "reason": account.suspended_reason, "daily_cap": account.daily_cap,
    })  # fmt: skip
    if request.method == "POST":
        try:
            if request.POST.get("form") == "adjust":
                adjust = AdjustForm(request.POST)
                if adjust.is_valid():
                    credits.credit_adjust(actor=request.user, affiliate=affiliate, amount=adjust.cleaned_data["amount"],
                                          reason=adjust.cleaned_data["reason"])  # fmt: skip
                    messages.success(request, _("Kredit disesuaikan."))
                    return redirect("booster:admin_affiliate", pk=pk)
            else:
                control = ControlForm(request.POST)
                if control.is_valid():
                    d = control.cleaned_data
                    admin_services.sending_control(actor=request.user, affiliate=affiliate, suspended=d["suspended"],
                                                   reason=d["reason"], daily_cap=d["daily_cap"])  # fmt: skip
                    messages.success(request, _("Kontrol pengiriman disimpan."))
                    return redirect("booster:admin_affiliate", pk=pk)
        except ServiceError as exc:
            add_service_errors(adjust if request.POST.get("form") == "adjust" else control, exc)
    available, reserved = credits.balances(account)
    page = paginate(request, selectors.credit_history(account).select_related("actor"), LIST_PAGE_SIZE)
    return render(request, "booster/admin/affiliate.html", {
        "affiliate": affiliate, "account": account, "available": available, "reserved": reserved, "page_obj": page,
        "adjust": adjust, "control": control,
    })  # fmt: skip


@admin_only
def packages(request, pk=None):
    obj = get_object_or_404(CreditPackage, pk=pk) if pk else None
    form = PackageForm(request.POST or None, initial={
        "name": obj.name, "price": obj.price, "credits": obj.credits, "position": obj.position,
        "is_active": obj.is_active,
    } if obj else {"is_active": True})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            admin_services.package_save(actor=request.user, package=obj, name=d["name"], price=d["price"],
                                        credits_amount=d["credits"], is_active=d["is_active"],
                                        position=d["position"])  # fmt: skip
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Paket disimpan."))
            return redirect("booster:admin_packages")
    return render(
        request, "booster/admin/packages.html", {"form": form, "obj": obj, "packages": CreditPackage.objects.all()[:50]}
    )


@admin_only
@require_GET
def templates(request):
    return render(request, "booster/admin/templates.html", {
        "emails": paginate(request, EmailTemplate.objects.all(), LIST_PAGE_SIZE),
        "bios": BioTemplate.objects.all()[:50],
    })  # fmt: skip


@admin_only
def email_template_edit(request, pk=None):
    obj = get_object_or_404(EmailTemplate, pk=pk) if pk else None
    initial = {f: getattr(obj, f) for f in ("name", "category", "subject", "body", "is_published")} if obj else {}
    form = EmailTemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            admin_services.email_template_save(actor=request.user, template=obj, **form.cleaned_data)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Template disimpan."))
            return redirect("booster:admin_templates")
    return render(request, "booster/admin/template_edit.html", {"form": form, "obj": obj, "kind": "email"})


@admin_only
def bio_template_edit(request, pk=None):
    obj = get_object_or_404(BioTemplate, pk=pk) if pk else None
    initial = {}
    if obj:
        initial = {
            f: getattr(obj, f) for f in ("name", "theme", "primary_color", "font", "headline", "bio", "is_published")
        }
        initial["buttons"] = "\n".join(f"{b['kind']} | {b['label']}" for b in obj.buttons)
    form = BioTemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            admin_services.bio_template_save(
                actor=request.user, template=obj, name=d["name"], theme=d["theme"], primary_color=d["primary_color"],
                font=d["font"], headline=d["headline"], bio=d["bio"], buttons=form.button_list(),
                is_published=d["is_published"],
            )  # fmt: skip
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Template disimpan."))
            return redirect("booster:admin_templates")
    return render(request, "booster/admin/template_edit.html", {"form": form, "obj": obj, "kind": "bio"})


@admin_only
def default_sequences(request, pk=None):
    obj = get_object_or_404(Sequence, pk=pk, owner_id__isnull=True) if pk else None
    if request.method == "POST":
        form = SequenceForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                sequences.sequence_save(affiliate=None, sequence=obj, name=d["name"], description=d["description"],
                                        trigger=d["trigger"], tag=d["tag"], steps=form.steps())  # fmt: skip
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Urutan bawaan disimpan."))
                return redirect("booster:admin_sequences")
    elif obj:
        initial = {"name": obj.name, "description": obj.description, "trigger": obj.trigger, "tag": obj.tag}
        for i, step in enumerate(selectors.step_rows(obj)[:STEPS_MAX]):
            initial.update(
                {f"delay_{i}": step["delay_minutes"], f"subject_{i}": step["subject"], f"body_{i}": step["body"]}
            )
        form = SequenceForm(initial=initial)
    else:
        form = SequenceForm()
    return render(
        request, "booster/admin/sequences.html", {"form": form, "obj": obj, "rows": selectors.default_sequences()[:50]}
    )


@admin_only
def suppression(request):
    form = SuppressionForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("remove", "").isdigit() and len(request.POST["remove"]) < 12:
            row = suppression_list().filter(pk=request.POST["remove"]).first()
            if row:
                admin_services.suppression_remove(actor=request.user, row=row)
            return redirect("booster:admin_suppression")
        if form.is_valid():
            try:
                admin_services.suppression_add(actor=request.user, **form.cleaned_data)
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Alamat diblokir."))
                return redirect("booster:admin_suppression")
    q = request.GET.get("q", "").strip()[:100]
    qs = suppression_list(q=q.lower())  # the one global list (notifications' EmailSuppression)
    return render(
        request,
        "booster/admin/suppression.html",
        {"form": form, "page_obj": paginate(request, qs, LIST_PAGE_SIZE), "search": q},
    )
