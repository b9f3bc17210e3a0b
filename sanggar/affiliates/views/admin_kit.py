"""Admin pages of the marketing kit: the list, one form page for create and edit (with file upload), delete."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanggar.core.exceptions import ServiceError
from sanggar.core.forms import add_service_errors
from sanggar.core.listing import Filter, paginate
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role

from .. import selectors_stats as stats_selectors
from .. import services_ui
from ..constants import KitKind
from ..forms_ui import KitItemForm
from ..models import MarketingKitItem

admin_only = role_required(Role.ADMIN)


@admin_only
def kit_list(request):
    kind = Filter(request, "kind", _("Jenis"), KitKind.choices)
    page = paginate(request, stats_selectors.kit_items(active_only=False, kind=kind.value))
    return render(request, "affiliates/admin_kit.html", {"page_obj": page, "filters": [kind]})


def _save(request, item=None):
    targets = stats_selectors.kit_targets()
    if request.method == "POST":
        form = KitItemForm(request.POST, request.FILES, targets=targets)
        if form.is_valid():
            values = form.service_values()
            try:
                if item is None:
                    item = services_ui.kit_item_create(actor=request.user, **values)
                else:
                    item = services_ui.kit_item_update(item=item, actor=request.user, **values)
            except ServiceError as exc:
                add_service_errors(form, exc, rename={"target_kind": "target", "target_slug": "target"})
            else:
                messages.success(request, _("Materi %(title)s disimpan.") % {"title": item.title})
                return redirect("affiliates:admin_kit")
    else:
        initial = {"kind": KitKind.COPY, "is_active": True}
        if item is not None:
            initial = {
                "title": item.title,
                "kind": item.kind,
                "text": item.text,
                "target": f"{item.target_kind}:{item.target_slug}" if item.target_kind else "",
                "is_active": item.is_active,
            }
        form = KitItemForm(initial=initial, targets=targets)
    return render(request, "affiliates/admin_kit_form.html", {"form": form, "item": item})


@admin_only
def kit_create(request):
    return _save(request)


@admin_only
def kit_edit(request, pk: int):
    return _save(request, get_object_or_404(MarketingKitItem, pk=pk))


@admin_only
@require_POST
def kit_delete(request, pk: int):
    item = get_object_or_404(MarketingKitItem, pk=pk)
    services_ui.kit_item_delete(item=item, actor=request.user)
    messages.success(request, _("Materi %(title)s dihapus.") % {"title": item.title})
    return redirect("affiliates:admin_kit")
