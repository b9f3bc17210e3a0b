"""Admin: every attribution decision with its reason, and the review queue of flagged commissions (clear → the
commission is released after the holding period; void → it is cancelled in the ledger)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanggar.core.exceptions import ServiceError
from sanggar.core.listing import Filter, paginate
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role

from .. import selectors
from ..constants import CommissionStatus, DecisionKind
from ..finance_port import finance
from ..models import Commission

admin_only = role_required(Role.ADMIN)
TABS = ("review", "decisions")


@admin_only
def decisions(request):
    tab = request.GET.get("tab", "review")
    tab = tab if tab in TABS else "review"
    kind = Filter(request, "kind", _("Jenis keputusan"), DecisionKind.choices)
    q = request.GET.get("q", "").strip()[:100]
    if tab == "review":
        page = paginate(request, selectors.review_queue())
    else:
        page = paginate(request, selectors.decision_list(kind=kind.value, q=q))
    return render(
        request,
        "affiliates/admin_decisions.html",
        {"tab": tab, "page_obj": page, "kind": kind, "q": q, "review_count": selectors.review_count()},
    )


@admin_only
@require_POST
def review_decide(request, pk):
    commission = get_object_or_404(Commission, pk=pk)
    action = request.POST.get("action", "")
    note = request.POST.get("note", "").strip()[:300]
    if action not in ("clear", "void"):
        messages.error(request, _("Pilih setujui atau batalkan."))
        return redirect(_back())
    if commission.status != CommissionStatus.REVIEW:
        messages.error(request, _("Komisi ini tidak sedang ditinjau."))
        return redirect(_back())
    try:
        finance().commission_review_decide(
            commission=commission, actor=request.user, clear=action == "clear", note=note
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(_back())
    if action == "clear":
        messages.success(request, _("Komisi %(invoice)s disetujui.") % {"invoice": commission.order.invoice_number})
    else:
        messages.success(request, _("Komisi %(invoice)s dibatalkan.") % {"invoice": commission.order.invoice_number})
    return redirect(_back())


def _back() -> str:
    return reverse("affiliates:admin_decisions") + "?tab=review"
