"""/admin/settings/pajak-biaya: the global tax and admin fee (orders.services.charges)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sanggar.core.exceptions import ServiceError
from sanggar.core.forms import add_service_errors
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role

from ..forms_admin import ChargeSettingsForm
from ..services.charges import FIELDS, charge_settings_get, charge_settings_update


@role_required(Role.ADMIN)
def admin_charge_settings(request):
    row = charge_settings_get()
    if request.method == "POST":
        form = ChargeSettingsForm(request.POST)
        if form.is_valid():
            try:
                charge_settings_update(actor=request.user, **form.cleaned_data)
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Pajak dan biaya admin disimpan."))
                return redirect("orders:admin_charge_settings")
    else:
        form = ChargeSettingsForm(initial={name: getattr(row, name) for name in FIELDS})
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "orders/admin/charge_settings.html", {"form": form, "row": row}, status=status)
