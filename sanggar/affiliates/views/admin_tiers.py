"""Admin pages of commission tiers: the list, one form page for create and edit, delete."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanggar.core.exceptions import ServiceError
from sanggar.core.forms import add_service_errors
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role

from .. import services_ui
from ..forms_ui import TierForm
from ..models import Tier

admin_only = role_required(Role.ADMIN)


@admin_only
def tier_list(request):
    tiers = list(Tier.objects.order_by("min_sales", "id")[:200])
    return render(request, "affiliates/admin_tiers.html", {"tiers": tiers})


def _save(request, tier=None):
    if request.method == "POST":
        form = TierForm(request.POST)
        if form.is_valid():
            try:
                if tier is None:
                    tier = services_ui.tier_create(actor=request.user, **form.cleaned_data)
                else:
                    tier = services_ui.tier_update(tier=tier, actor=request.user, **form.cleaned_data)
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Tier %(name)s disimpan.") % {"name": tier.name})
                return redirect("affiliates:admin_tiers")
    elif tier is None:
        form = TierForm(initial={"period_days": 30, "is_active": True})
    else:
        form = TierForm(
            initial={
                "name": tier.name,
                "min_sales": tier.min_sales,
                "period_days": tier.period_days,
                "bonus_percent": tier.bonus_percent,
                "is_active": tier.is_active,
            }
        )
    return render(request, "affiliates/admin_tiers_form.html", {"form": form, "tier": tier})


@admin_only
def tier_create(request):
    return _save(request)


@admin_only
def tier_edit(request, pk: int):
    return _save(request, get_object_or_404(Tier, pk=pk))


@admin_only
@require_POST
def tier_delete(request, pk: int):
    tier = get_object_or_404(Tier, pk=pk)
    services_ui.tier_delete(tier=tier, actor=request.user)
    messages.success(request, _("Tier %(name)s dihapus.") % {"name": tier.name})
    return redirect("affiliates:admin_tiers")
