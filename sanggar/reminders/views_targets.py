"""The "Reminder" tab of a plan's and a product's edit pages (/admin/membership/<id>/reminder,
/admin/produk/<id>/reminder): that target's sequences as numbered cards (edit in the builder, on/off, up/down,
delete after a confirmation page) and their analytics together. The catalog shows the tab because reminders
registers it (sanggar.catalog.hooks.edit_tab_register); every write goes through reminders' services."""

import json

from django.contrib import messages as flash
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanggar.catalog.models import MembershipPlan, Product
from sanggar.catalog.views.common import safe_next
from sanggar.catalog.views.plans import plan_tab_context
from sanggar.catalog.views.products import product_tab_context
from sanggar.core.exceptions import ServiceError
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role
from sanggar.suppliers.views import packages_tab_context

from . import analytics, services
from .constants import Target
from .models import ReminderSequence

TAB = "reminder"
TAB_SUPPLIER = "pengingat"
# kind → (model, layout template, context builder, list url name, analytics url name)
KINDS = {
    Target.PLAN: (
        MembershipPlan,
        "catalog/admin/_plan_layout.html",
        plan_tab_context,
        "reminders:plan_reminders",
        "reminders:plan_reminders_analytics",
    ),
    Target.PRODUCT: (
        Product,
        "catalog/admin/_product_layout.html",
        product_tab_context,
        "reminders:product_reminders",
        "reminders:product_reminders_analytics",
    ),
}


REORDER = {Target.PLAN: "reminders:plan_reminders_reorder", Target.PRODUCT: "reminders:product_reminders_reorder"}


def tab_urls(target_type: str, target_id: int | None) -> dict | None:
    """The tab's list and analytics pages of a plan or product, or the suppliers' (None for other targets)."""
    if target_type == Target.SUPPLIER:
        return {"list": reverse("reminders:supplier_reminders"), "analytics": reverse("reminders:supplier_analytics")}
    kind = KINDS.get(target_type)
    if kind is None or target_id is None:
        return None
    return {"list": reverse(kind[3], args=[target_id]), "analytics": reverse(kind[4], args=[target_id])}


def _context(request, target_type: str, pk: int, subtab: str) -> dict:
    model, layout, tab_context, _list, _analytics = KINDS[target_type]
    obj = get_object_or_404(model, pk=pk)
    return {
        **tab_context(request, obj, TAB),
        "layout": layout,
        "target_type": target_type,
        "target": obj,
        "urls": tab_urls(target_type, obj.pk),
        "subtab": subtab,
        "create_url": f"{reverse('reminders:sequence_create')}?target={target_type}:{obj.pk}",
        "reorder_url": reverse(REORDER[target_type], args=[obj.pk]),
    }


def _list(request, target_type: str, pk: int):
    context = _context(request, target_type, pk, "list")
    sequences = list(services.target_sequences(target_type=target_type, target_id=pk))
    return render(request, "reminders/target_reminders.html", {**context, "sequences": sequences})


def _analytics(request, target_type: str, pk: int):
    context = _context(request, target_type, pk, "analytics")
    data = analytics.target_analytics(target_type=target_type, target_id=pk)
    return render(request, "reminders/target_analytics.html", {**context, "a": data, "show_sequence": True})


@role_required(Role.ADMIN)
def plan_reminders(request, pk: int):
    return _list(request, Target.PLAN, pk)


@role_required(Role.ADMIN)
def plan_reminders_analytics(request, pk: int):
    return _analytics(request, Target.PLAN, pk)


@role_required(Role.ADMIN)
def product_reminders(request, pk: int):
    return _list(request, Target.PRODUCT, pk)


@role_required(Role.ADMIN)
def product_reminders_analytics(request, pk: int):
    return _analytics(request, Target.PRODUCT, pk)


def _supplier_context(request, subtab: str) -> dict:
    return {
        **packages_tab_context(request, TAB_SUPPLIER),
        "layout": "suppliers/admin/_packages_layout.html",
        "target_type": Target.SUPPLIER,
        "target": {"title": _("Supplier")},
        "urls": tab_urls(Target.SUPPLIER, None),
        "subtab": subtab,
        "create_url": f"{reverse('reminders:sequence_create')}?target={Target.SUPPLIER}:",
        "supplier_tab": True,
        "reorder_url": reverse("reminders:supplier_reminders_reorder"),
    }


@role_required(Role.ADMIN)
def supplier_reminders(request):
    """The "Pengingat upgrade" tab of the supplier package page: the supplier sequences of the one engine (upgrade
    reminders to free suppliers, Premium ending / ended), edited in the engine's builder."""
    sequences = list(services.target_sequences(target_type=Target.SUPPLIER, target_id=None))
    context = _supplier_context(request, "list")
    return render(request, "reminders/target_reminders.html", {**context, "sequences": sequences})


@role_required(Role.ADMIN)
def supplier_analytics(request):
    data = analytics.target_analytics(target_type=Target.SUPPLIER, target_id=None)
    context = _supplier_context(request, "analytics")
    return render(request, "reminders/target_analytics.html", {**context, "a": data, "show_sequence": True})


def _reorder(request, target_type: str, pk: int | None):
    """Saves the order of the tab's cards (drag and drop, or the up/down buttons with the script), without reload:
    POST JSON {"sequence_ids": [...]} → {"ok": true, "sequence_ids": [...]}, or 400 with an Indonesian message.
    The supplier tab has no object (pk None): all supplier sequences."""
    obj = get_object_or_404(KINDS[target_type][0], pk=pk) if pk is not None else None
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        payload = None
    if not isinstance(payload, dict) or not isinstance(payload.get("sequence_ids"), list):
        return JsonResponse({"message": _("Data urutan tidak valid.")}, status=400)
    try:
        ids = services.sequences_reorder(
            actor=request.user,
            target_type=target_type,
            target_id=obj.pk if obj else None,
            sequence_ids=payload["sequence_ids"],
            target=obj,
        )
    except ServiceError as exc:
        return JsonResponse({"message": exc.message}, status=exc.status_code)
    return JsonResponse({"ok": True, "sequence_ids": ids})


@role_required(Role.ADMIN)
@require_POST
def plan_reminders_reorder(request, pk: int):
    return _reorder(request, Target.PLAN, pk)


@role_required(Role.ADMIN)
@require_POST
def product_reminders_reorder(request, pk: int):
    return _reorder(request, Target.PRODUCT, pk)


@role_required(Role.ADMIN)
@require_POST
def supplier_reminders_reorder(request):
    return _reorder(request, Target.SUPPLIER, None)


def _back(request, sequence) -> str:
    urls = tab_urls(sequence.target_type, sequence.target_id)
    return safe_next(request, urls["list"] if urls else reverse("reminders:sequences"))


@role_required(Role.ADMIN)
@require_POST
def sequence_toggle(request, pk: int):
    sequence = get_object_or_404(ReminderSequence, pk=pk)
    active = request.POST.get("is_active") == "1"
    services.sequence_set_active(actor=request.user, sequence=sequence, is_active=active)
    if active:
        flash.success(request, _("Reminder %(name)s diaktifkan.") % {"name": sequence.name})
    else:
        flash.success(request, _("Reminder %(name)s dinonaktifkan.") % {"name": sequence.name})
    return redirect(_back(request, sequence))


@role_required(Role.ADMIN)
@require_POST
def sequence_move(request, pk: int):
    sequence = get_object_or_404(ReminderSequence, pk=pk)
    try:
        services.sequence_move(actor=request.user, sequence=sequence, direction=request.POST.get("direction", ""))
    except ServiceError as exc:
        flash.error(request, exc.message)
    return redirect(_back(request, sequence))


@role_required(Role.ADMIN)
def sequence_delete(request, pk: int):
    """A confirmation page (not a popup), then the delete."""
    sequence = get_object_or_404(ReminderSequence, pk=pk)
    back = _back(request, sequence)
    if request.method == "POST":
        services.sequence_delete(actor=request.user, sequence=sequence)
        flash.success(request, _("Reminder %(name)s dihapus.") % {"name": sequence.name})
        return redirect(back)
    counts = {"steps": sequence.steps.count(), "sends": services.sequence_log(sequence=sequence).count()}
    return render(request, "reminders/sequence_delete.html", {"sequence": sequence, "back": back, **counts})
