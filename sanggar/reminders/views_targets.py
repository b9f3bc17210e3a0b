"""The "Reminder" tab of a plan's and a product's edit pages (/admin/membership/<id>/reminder,
/admin/produk/<id>/reminder) and the "Pengingat" tab of a course's editor and an event's admin page
(/admin/kursus/<id>/pengingat, /admin/event/<id>/pengingat; admins only, a mentor never sees it): that target's
sequences as numbered cards (edit in the builder, on/off, up/down or drag, delete after a confirmation page) and
their analytics together. The catalog, learning and events show the tab because reminders registers it (their
hooks' edit_tab_register); every write goes through reminders' services."""

import json
from collections.abc import Callable
from dataclasses import dataclass

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
from sanggar.events.models import Event
from sanggar.events.views import event_tab_context
from sanggar.learning.models import Course
from sanggar.learning.views_author import course_tab_context
from sanggar.suppliers.views import packages_tab_context

from . import analytics, services
from .constants import Target, Trigger
from .models import ReminderSequence

TAB = "reminder"
TAB_SUPPLIER = "pengingat"
TAB_COURSE_EVENT = "pengingat"


@dataclass(frozen=True)
class Kind:
    """A target whose edit page has the reminder tab: its model, the page's layout and context builder (from the
    owning app), the tab's key there and the url names of the tab's list, analytics and reorder (each takes the id)."""

    model: type
    layout: str
    tab_context: Callable
    tab: str
    url_prefix: str

    def url(self, page: str, pk: int) -> str:
        return reverse(f"reminders:{self.url_prefix}_reminders{page}", args=[pk])


KINDS = {
    Target.PLAN: Kind(MembershipPlan, "catalog/admin/_plan_layout.html", plan_tab_context, TAB, "plan"),
    Target.PRODUCT: Kind(Product, "catalog/admin/_product_layout.html", product_tab_context, TAB, "product"),
    Target.COURSE: Kind(Course, "learning/author/_tab_layout.html", course_tab_context, TAB_COURSE_EVENT, "course"),
    Target.EVENT: Kind(Event, "events/_admin_layout.html", event_tab_context, TAB_COURSE_EVENT, "event"),
}


def tab_urls(target_type: str, target_id: int | None) -> dict | None:
    """The tab's list and analytics pages of a plan, product, course or event, or the suppliers' (None for other
    targets)."""
    if target_type == Target.SUPPLIER:
        return {"list": reverse("reminders:supplier_reminders"), "analytics": reverse("reminders:supplier_analytics")}
    kind = KINDS.get(target_type)
    if kind is None or target_id is None:
        return None
    return {"list": kind.url("", target_id), "analytics": kind.url("_analytics", target_id)}


def _context(request, target_type: str, pk: int, subtab: str) -> dict:
    kind = KINDS[target_type]
    obj = get_object_or_404(kind.model, pk=pk)
    return {
        **kind.tab_context(request, obj, kind.tab),
        "layout": kind.layout,
        "target_type": target_type,
        "target": obj,
        "urls": tab_urls(target_type, obj.pk),
        "subtab": subtab,
        "create_url": f"{reverse('reminders:sequence_create')}?target={target_type}:{obj.pk}",
        "reorder_url": kind.url("_reorder", obj.pk),
        "create_label": _("Tambah Pengingat") if kind.tab == TAB_COURSE_EVENT else "",
    }


@role_required(Role.ADMIN)
def target_reminders(request, target_type: str, pk: int):
    """The tab's list (urls.py passes the target type): the target's sequences as numbered cards."""
    context = _context(request, target_type, pk, "list")
    sequences = list(services.target_sequences(target_type=target_type, target_id=pk))
    return render(request, "reminders/target_reminders.html", {**context, "sequences": sequences})


@role_required(Role.ADMIN)
def target_reminders_analytics(request, target_type: str, pk: int):
    context = _context(request, target_type, pk, "analytics")
    data = analytics.target_analytics(target_type=target_type, target_id=pk)
    return render(request, "reminders/target_analytics.html", {**context, "a": data, "show_sequence": True})


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
    sequences = [
        s  # the unread-inquiry reminder to Premium suppliers is not an upgrade reminder: the builder's list has it
        for s in services.target_sequences(target_type=Target.SUPPLIER, target_id=None)
        if s.trigger != Trigger.SUPPLIER_UNREAD_CHAT
    ]
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
    obj = get_object_or_404(KINDS[target_type].model, pk=pk) if pk is not None else None
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
def target_reminders_reorder(request, target_type: str, pk: int):
    return _reorder(request, target_type, pk)


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
    sequence = get_object_or_404(ReminderSequence.objects.filter(realm=""), pk=pk)
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
    sequence = get_object_or_404(ReminderSequence.objects.filter(realm=""), pk=pk)
    try:
        services.sequence_move(actor=request.user, sequence=sequence, direction=request.POST.get("direction", ""))
    except ServiceError as exc:
        flash.error(request, exc.message)
    return redirect(_back(request, sequence))


@role_required(Role.ADMIN)
def sequence_delete(request, pk: int):
    """A confirmation page (not a popup), then the delete."""
    sequence = get_object_or_404(ReminderSequence.objects.filter(realm=""), pk=pk)
    back = _back(request, sequence)
    if request.method == "POST":
        services.sequence_delete(actor=request.user, sequence=sequence)
        flash.success(request, _("Reminder %(name)s dihapus.") % {"name": sequence.name})
        return redirect(back)
    counts = {"steps": sequence.steps.count(), "sends": services.sequence_log(sequence=sequence).count()}
    return render(request, "reminders/sequence_delete.html", {"sequence": sequence, "back": back, **counts})
