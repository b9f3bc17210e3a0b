"""Dompet: a user's balances per wallet, the statement of one wallet, the payout request form and payout history."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanggar.core.exceptions import NotFound, ServiceError
from sanggar.core.files import private_file_response
from sanggar.core.listing import paginate
from sanggar.core.permissions import login_required, role_required

from .. import selectors, services
from ..constants import PAYOUT_KINDS
from ..forms import PayoutRequestForm
from ..selectors import EARNING_ROLES

earners_only = role_required(*EARNING_ROLES)
PAYOUT_HISTORY = 10


def apply_errors(form, exc: ServiceError) -> bool:
    """Puts a service's field errors on the form; True when at least one field matched."""
    matched = False
    for field, errors in (exc.errors or {}).items():
        if field in form.fields:
            for error in errors:
                form.add_error(field, error)
            matched = True
    return matched


def _render_wallet(request, form=None):
    user = request.user
    balances = selectors.wallet_balances(user=user)
    kinds = [wallet.kind for wallet in balances]
    selected = request.GET.get("wallet", "")
    if selected not in kinds:
        selected = kinds[0] if kinds else ""
    page = paginate(request, selectors.wallet_statement(user=user, kind=selected)) if selected else None
    payable = [kind for kind in kinds if kind in PAYOUT_KINDS]
    if form is None:
        initial = {**selectors.last_bank_details(user=user), "wallet_kind": selected if selected in payable else ""}
        form = PayoutRequestForm(wallet_kinds=payable, initial=initial)
    return render(
        request,
        "finance/wallet.html",
        {
            "balances": balances,
            "selected": selected,
            "page_obj": page,
            "entries": list(page.object_list) if page else [],
            "form": form,
            "payouts": list(selectors.payout_list_for_user(user=user)[:PAYOUT_HISTORY]),
            "settings_row": services.revenue_settings_current(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@earners_only
def wallet(request):
    return _render_wallet(request)


@earners_only
@require_POST
def payout_request(request):
    kinds = [wallet.kind for wallet in selectors.wallet_balances(user=request.user) if wallet.kind in PAYOUT_KINDS]
    form = PayoutRequestForm(request.POST, wallet_kinds=kinds)
    if form.is_valid():
        try:
            payout = services.payout_request(user=request.user, **form.cleaned_data)
        except ServiceError as exc:
            if not apply_errors(form, exc):
                form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Pengajuan penarikan #%(id)s dikirim; admin akan memprosesnya.") % {"id": payout.pk},
            )
            return redirect("finance:wallet")
    # The form shows "Periksa kembali isian yang ditandai." itself, once, above its fields.
    return _render_wallet(request, form=form)


@login_required
def payout_proof(request, pk: int):
    """The transfer proof of a payout, for its owner or an admin."""
    try:
        payout = selectors.payout_get_for_user(user=request.user, pk=pk)
    except NotFound:
        raise Http404 from None
    if not payout.proof:
        raise Http404
    return private_file_response(payout.proof, as_attachment=False)
