"""Admin: /admin/settings/payments (gateways, bank accounts, unique code, payment deadline) and
/admin/settings/integrations (messaging services and the status of every integration). Secrets are never sent back
to the browser: inputs stay empty and the stored value is shown masked."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sanggar.core.exceptions import ServiceError
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role

from . import selectors, services
from .constants import Group
from .forms import BankAccountForm, IntegrationForm, PaymentOptionsForm, TestForm
from .models import BankAccount
from .registry import integration_get


def _errors_to_form(form, exc: ServiceError) -> None:
    placed = False
    for name, errors in exc.errors.items():
        for error in errors:
            if name in form.fields:
                form.add_error(name, error)
                placed = True
    if not placed:
        form.add_error(None, exc.message)


def _integration_forms(request, group: str):
    """The forms of a group's integrations; on POST the one named by `key` is bound and saved."""
    posted_key = (
        request.POST.get("key") if request.method == "POST" and request.POST.get("form") == "integration" else None
    )
    views = selectors.integration_views(group)
    forms_by_key = {}
    saved = False
    for view in views:
        if view.key == posted_key:
            form = IntegrationForm(request.POST, view=view)
            if form.is_valid():
                try:
                    services.integration_update(
                        actor=request.user,
                        key=view.key,
                        enabled=form.cleaned_data.get("enabled") if not view.switch_from_env else None,
                        mode=form.cleaned_data.get("mode") or None,
                        values=form.values(),
                        clear=form.cleared(),
                    )
                except ServiceError as exc:
                    _errors_to_form(form, exc)
                else:
                    saved = True
                    messages.success(request, _("Pengaturan %(label)s disimpan.") % {"label": view.label})
            forms_by_key[view.key] = form
        else:
            forms_by_key[view.key] = IntegrationForm(view=view)
    return [(view, forms_by_key[view.key]) for view in views], saved


@never_cache
@role_required(Role.ADMIN)
def payments_settings(request):
    integrations, saved = _integration_forms(request, Group.PAYMENT)
    if saved:
        return redirect(f"{reverse('integrations:payments')}#integrasi-{request.POST.get('key')}")
    posted = request.POST.get("form") if request.method == "POST" else None
    row = selectors.payment_options_row()
    options_form = PaymentOptionsForm(
        request.POST if posted == "options" else None,
        initial={
            "unique_code_min": row.unique_code_min,
            "unique_code_max": row.unique_code_max,
            "pending_hours": row.pending_hours,
        },
        prefix="options",
    )
    if posted == "options" and options_form.is_valid():
        try:
            services.payment_options_update(actor=request.user, **options_form.cleaned_data)
        except ServiceError as exc:
            _errors_to_form(options_form, exc)
        else:
            messages.success(request, _("Opsi pembayaran disimpan."))
            return redirect(f"{reverse('integrations:payments')}#opsi-pembayaran")
    bank_form = BankAccountForm(
        request.POST if posted == "bank" else None, request.FILES if posted == "bank" else None, prefix="bank"
    )
    if posted == "bank" and bank_form.is_valid():
        data = dict(bank_form.cleaned_data)
        data.pop("logo_clear", None)
        try:
            services.bank_account_save(actor=request.user, **data)
        except ServiceError as exc:
            _errors_to_form(bank_form, exc)
        else:
            messages.success(request, _("Rekening ditambahkan."))
            return redirect(f"{reverse('integrations:payments')}#rekening")
    low, high = selectors.unique_code_range()
    context = {
        "integrations": integrations,
        "options_form": options_form,
        "bank_form": bank_form,
        "banks": list(selectors.bank_accounts_all()),
        "env": {
            "pending_hours": selectors.env_set("ORDER_PENDING_HOURS"),
            "unique_code": selectors.env_set("MANUAL_UNIQUE_CODE_MIN") or selectors.env_set("MANUAL_UNIQUE_CODE_MAX"),
        },
        "effective": {"pending_hours": selectors.pending_hours(), "unique_low": low, "unique_high": high},
    }
    return render(request, "integrations/payments.html", context)


@never_cache
@role_required(Role.ADMIN)
def integrations_settings(request):
    integrations, saved = _integration_forms(request, Group.MESSAGING)
    if saved:
        return redirect(f"{reverse('integrations:integrations')}#integrasi-{request.POST.get('key')}")
    context = {"integrations": integrations, "statuses": selectors.integration_views()}
    return render(request, "integrations/integrations.html", context)


@require_POST
@role_required(Role.ADMIN)
def integration_test(request, key: str):
    definition = integration_get(key)
    if definition is None or definition.test is None:
        raise Http404
    form = TestForm(request.POST)
    target = form.cleaned_data["target"] if form.is_valid() else ""
    try:
        result = services.integration_test(actor=request.user, key=key, target=target)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        prefix = _("Tes koneksi %(label)s berhasil: ") if result.ok else _("Tes koneksi %(label)s gagal: ")
        text = (prefix % {"label": definition.label}) + result.message
        (messages.success if result.ok else messages.error)(request, text)
    page = "integrations:payments" if definition.group == Group.PAYMENT else "integrations:integrations"
    return redirect(f"{reverse(page)}#integrasi-{key}")


@never_cache
@role_required(Role.ADMIN)
def bank_edit(request, pk: int):
    account = get_object_or_404(BankAccount, pk=pk)
    initial = {
        "bank_name": account.bank_name,
        "account_number": account.account_number,
        "account_holder": account.account_holder,
        "is_active": account.is_active,
        "sort_order": account.sort_order,
    }
    form = BankAccountForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.bank_account_save(actor=request.user, account=account, **form.cleaned_data)
        except ServiceError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Rekening disimpan."))
            return redirect(f"{reverse('integrations:payments')}#rekening")
    return render(request, "integrations/bank_edit.html", {"account": account, "form": form})


@role_required(Role.ADMIN)
def bank_delete(request, pk: int):
    account = get_object_or_404(BankAccount, pk=pk)
    if request.method == "POST":
        services.bank_account_delete(actor=request.user, account=account)
        messages.success(request, _("Rekening dihapus."))
        return redirect(f"{reverse('integrations:payments')}#rekening")
    return render(request, "integrations/bank_delete.html", {"account": account})
