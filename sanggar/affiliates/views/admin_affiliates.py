"""Admin pages of affiliates: the list (code, status, clicks, sales, commission totals; search, status filter,
CSV), one affiliate's page with their figures, and suspending / reactivating with a reason."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanggar.core.exceptions import ServiceError
from sanggar.core.forms import add_service_errors
from sanggar.core.listing import Filter, csv_response, paginate
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role

from .. import selectors_stats as stats_selectors
from .. import services_ui
from ..constants import AffiliateStatus
from ..forms_ui import SuspendForm

admin_only = role_required(Role.ADMIN)


def _filtered(request):
    q = request.GET.get("q", "").strip()[:100]
    status = Filter(request, "status", _("Status"), AffiliateStatus.choices)
    return q, status, stats_selectors.affiliate_list_admin(q=q, status=status.value)


@admin_only
def affiliate_list(request):
    q, status, qs = _filtered(request)
    page = paginate(request, qs)
    context = {"page_obj": page, "search": q, "filters": [status]}
    return render(request, "affiliates/admin_affiliates.html", context)


@admin_only
def affiliate_export(request):
    _q, _status, qs = _filtered(request)
    header = [
        _("Kode"),
        _("Nama"),
        _("Email"),
        _("Status"),
        _("Klik"),
        _("Klik unik"),
        _("Penjualan"),
        _("Komisi tertahan"),
        _("Komisi tersedia"),
    ]
    rows = (
        (
            a.code,
            a.user.full_name,
            a.user.email,
            a.get_status_display(),
            a.click_total,
            a.counted_total,
            a.sale_total,
            a.commission_pending,
            a.commission_available,
        )
        for a in qs.iterator(chunk_size=500)
    )
    return csv_response(f"affiliate-{timezone.localdate():%Y%m%d}.csv", header, rows)


def _detail(request, affiliate, form=None):
    context = {
        "affiliate": affiliate,
        "totals": stats_selectors.affiliate_totals(affiliate=affiliate),
        "progress": stats_selectors.tier_progress(affiliate=affiliate, now=timezone.now()),
        "wallet": stats_selectors.affiliate_wallet(user=affiliate.user),
        "short_links": stats_selectors.short_link_stats(affiliate=affiliate),
        "recent": stats_selectors.recent_sales(affiliate=affiliate),
        "form": form or SuspendForm(),
    }
    return render(request, "affiliates/admin_affiliates_detail.html", context)


@admin_only
def affiliate_detail(request, pk: int):
    affiliate = stats_selectors.affiliate_get(pk=pk)
    if affiliate is None:
        raise Http404
    return _detail(request, affiliate)


@admin_only
@require_POST
def affiliate_status(request, pk: int):
    affiliate = stats_selectors.affiliate_get(pk=pk)
    if affiliate is None:
        raise Http404
    form = SuspendForm(request.POST)
    status = request.POST.get("status", "")
    if form.is_valid():
        try:
            services_ui.affiliate_status_set(
                affiliate=affiliate, actor=request.user, status=status, reason=form.cleaned_data["reason"]
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            if status == AffiliateStatus.SUSPENDED:
                messages.success(request, _("Affiliate %(code)s ditangguhkan.") % {"code": affiliate.code})
            else:
                messages.success(request, _("Affiliate %(code)s diaktifkan kembali.") % {"code": affiliate.code})
            return redirect("affiliates:admin_affiliate_detail", pk=affiliate.pk)
    return _detail(request, affiliate, form)
