"""Admin finance pages: the finance report (Admin, Founder, Co-Founder), revenue settings and the payout queue
(admin). Every rule is in a service."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sanggar.affiliates.services import attribution_settings_current
from sanggar.core.exceptions import NotFound, ServiceError
from sanggar.core.listing import Filter, csv_response, paginate, parse_date
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role

from .. import selectors, services
from ..constants import WALLET_KINDS, AccountKind, PayoutStatus
from ..forms import PayoutApproveForm, PayoutRejectForm, RevenueSettingsForm
from ..selectors import SUMMARY_KEYS, report_range
from .wallet import apply_errors

admin_only = role_required(Role.ADMIN)
finance_roles = role_required(Role.ADMIN, Role.FOUNDER, Role.COFOUNDER)

PERIODS = {
    "today": gettext_lazy("Hari ini"),
    "week": gettext_lazy("Minggu ini"),
    "month": gettext_lazy("Bulan ini"),
    "year": gettext_lazy("Tahun ini"),
}
SUMMARY_LABELS = {
    "gross": gettext_lazy("Pendapatan kotor"),
    "affiliate_commissions": gettext_lazy("Komisi affiliate"),
    "mentor_shares": gettext_lazy("Bagian mentor"),
    "company_fee": gettext_lazy("Perusahaan (fee + sisa)"),
    "founder": gettext_lazy("Founder"),
    "cofounder": gettext_lazy("Co-Founder"),
    "refunds": gettext_lazy("Refund"),
    "payouts": gettext_lazy("Penarikan dibayar"),
}
SETTINGS_HISTORY = 10


def _period_range(period: str):
    today = timezone.localdate()
    if period == "today":
        return today, today
    if period == "week":
        return today - timezone.timedelta(days=today.weekday()), today
    if period == "year":
        return today.replace(month=1, day=1), today
    return today.replace(day=1), today


def _report_range(request):
    """(date_from, date_to, period, note): an explicit range wins over a period shortcut (default: this month).
    A range longer than the maximum raises ServiceError."""
    date_from, date_to = parse_date(request.GET.get("from")), parse_date(request.GET.get("to"))
    period = request.GET.get("period", "")
    if date_from or date_to:
        used = report_range(date_from, date_to)
        return used.date_from, used.date_to, "", used.note
    period = period if period in PERIODS else "month"
    date_from, date_to = _period_range(period)
    return date_from, date_to, period, ""


@finance_roles
def report(request):
    status, range_error = 200, ""
    try:
        date_from, date_to, period, range_note = _report_range(request)
    except ServiceError as exc:
        # Said on the page, with this month's figures below, instead of shifting the range silently.
        status, range_error, range_note = 400, exc.message, ""
        period = "month"
        date_from, date_to = _period_range(period)
    summary = selectors.finance_summary(date_from=date_from, date_to=date_to)
    series = selectors.finance_series(date_from=date_from, date_to=date_to)
    monthly = selectors.series_granularity(date_from, date_to) == "month"
    chart = {
        "labels": [p["date"].strftime("%m/%Y" if monthly else "%d/%m") for p in series],
        **{key: [p[key] for p in series] for key in SUMMARY_KEYS},
    }
    return render(
        request,
        "finance/admin/report.html",
        {
            "summary": summary,
            "cards": [(key, SUMMARY_LABELS[key], summary[key]) for key in SUMMARY_KEYS],
            "chart": chart,
            "periods": [{"key": key, "label": label, "active": key == period} for key, label in PERIODS.items()],
            "date_from": date_from.isoformat(),
            "date_to": date_to.isoformat(),
            "range_from": date_from,
            "range_to": date_to,
            "company_balance": selectors.company_balance(),
            "queue": selectors.payout_queue_summary(),
            "monthly": monthly,
            "range_note": range_note,
            "range_error": range_error,
        },
        status=status,
    )


@finance_roles
def report_export(request):
    try:
        date_from, date_to, _period, _note = _report_range(request)
    except ServiceError as exc:
        return render(request, "400.html", {"message": exc.message}, status=400)
    series = selectors.finance_series(date_from=date_from, date_to=date_to)
    header = [_("Tanggal")] + [str(SUMMARY_LABELS[key]) for key in SUMMARY_KEYS]
    rows = ([point["date"].isoformat()] + [point[key] for key in SUMMARY_KEYS] for point in series)
    return csv_response(f"keuangan-{date_from:%Y%m%d}-{date_to:%Y%m%d}.csv", header, rows)


@admin_only
def revenue_settings(request):
    current = services.revenue_settings_current()
    attribution = attribution_settings_current()
    if request.method == "POST":
        form = RevenueSettingsForm(request.POST)
        if form.is_valid():
            try:
                services.revenue_settings_update(actor=request.user, **form.cleaned_data)
            except ServiceError as exc:
                if not apply_errors(form, exc):
                    form.add_error(None, exc.message)
            else:
                messages.success(request, _("Pengaturan bagi hasil disimpan; berlaku untuk pesanan berikutnya."))
                return redirect("finance:admin_revenue_settings")
        messages.error(request, _("Periksa kembali isian formulir."))
    else:
        form = RevenueSettingsForm(
            initial={
                **{field: getattr(current, field) for field in services.revenue.SETTINGS_FIELDS},
                **{field: getattr(attribution, field) for field in services.revenue.ATTRIBUTION_FIELDS},
            }
        )
    history = selectors.revenue_settings_history(limit=SETTINGS_HISTORY)
    return render(
        request,
        "finance/admin/revenue_settings.html",
        {"form": form, "current": current, "history": history},
        status=400 if form.is_bound and form.errors else 200,
    )


def _payout_filters(request):
    status = Filter(request, "status", _("Status"), PayoutStatus.choices)
    wallet = Filter(request, "wallet", _("Dompet"), [(k, AccountKind(k).label) for k in WALLET_KINDS])
    if "status" not in request.GET:
        status.value = PayoutStatus.REQUESTED
    return status, wallet


@admin_only
def payouts(request):
    status, wallet = _payout_filters(request)
    q = request.GET.get("q", "").strip()[:100]
    page = paginate(request, selectors.payout_list_admin(status=status.value, q=q, wallet_kind=wallet.value))
    return render(
        request,
        "finance/admin/payouts.html",
        {
            "page_obj": page,
            "payouts": list(page.object_list),
            "filters": [status, wallet],
            "search": q,
            "queue": selectors.payout_queue_summary(),
            "selectable": status.value == PayoutStatus.REQUESTED,
        },
    )


def _payout(pk) -> object:
    try:
        return selectors.payout_get(pk=pk)
    except NotFound:
        raise Http404 from None


def _render_payout(request, payout, *, approve_form=None, reject_form=None, status=200):
    return render(
        request,
        "finance/admin/payout_detail.html",
        {
            "payout": payout,
            "balances": selectors.wallet_balances(user=payout.user),
            "approve_form": approve_form or PayoutApproveForm(),
            "reject_form": reject_form or PayoutRejectForm(),
        },
        status=status,
    )


@admin_only
def payout_detail(request, pk: int):
    return _render_payout(request, _payout(pk))


@admin_only
@require_POST
def payout_approve(request, pk: int):
    payout = _payout(pk)
    form = PayoutApproveForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.payout_approve(
                payout=payout,
                actor=request.user,
                transfer_reference=form.cleaned_data["transfer_reference"],
                proof=form.cleaned_data["proof"] or None,
            )
        except ServiceError as exc:
            if apply_errors(form, exc):
                return _render_payout(request, payout, approve_form=form, status=400)
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Penarikan #%(id)s ditandai dibayar.") % {"id": payout.pk})
        return redirect("finance:admin_payout_detail", pk=payout.pk)
    messages.error(request, _("Periksa kembali isian formulir."))
    return _render_payout(request, payout, approve_form=form, status=400)


@admin_only
@require_POST
def payout_reject(request, pk: int):
    payout = _payout(pk)
    form = PayoutRejectForm(request.POST)
    if form.is_valid():
        try:
            services.payout_reject(payout=payout, actor=request.user, reason=form.cleaned_data["reason"])
        except ServiceError as exc:
            if apply_errors(form, exc):
                return _render_payout(request, payout, reject_form=form, status=400)
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Penarikan #%(id)s ditolak; saldo kembali ke dompet.") % {"id": payout.pk})
        return redirect("finance:admin_payout_detail", pk=payout.pk)
    messages.error(request, _("Periksa kembali isian formulir."))
    return _render_payout(request, payout, reject_form=form, status=400)


@admin_only
@require_POST
def payout_batch(request):
    ids = [value for value in request.POST.getlist("payout_ids") if value.isdigit()]
    try:
        batch = services.payout_batch_approve(payouts=[int(v) for v in ids], actor=request.user,
                                              note=request.POST.get("note", ""))  # fmt: skip
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('finance:admin_payouts')}?status=requested")
    messages.success(request, _("Batch #%(id)s dibuat; unduh CSV transfer bank di bawah.") % {"id": batch.pk})
    return redirect("finance:admin_payout_batch", pk=batch.pk)


def _batch(pk):
    try:
        return selectors.batch_get(pk=pk)
    except NotFound:
        raise Http404 from None


@admin_only
def payout_batch_detail(request, pk: int):
    batch = _batch(pk)
    items = selectors.batch_payouts(batch=batch)
    return render(
        request,
        "finance/admin/payout_batch.html",
        {"batch": batch, "payouts": items, "total": sum(p.amount for p in items)},
    )


@admin_only
def payout_batch_csv(request, pk: int):
    """The bank-transfer file of a batch: one row per transfer."""
    batch = _batch(pk)
    header = [_("No"), _("Bank"), _("Nomor rekening"), _("Nama pemilik rekening"), _("Jumlah"), _("Referensi"),
              _("Email"), _("Keterangan")]  # fmt: skip
    rows = (
        (
            index,
            payout.bank_name,
            payout.bank_account_number,
            payout.bank_account_holder,
            payout.amount,
            payout.transfer_reference,
            payout.user.email,
            _("Penarikan #%(id)s") % {"id": payout.pk},
        )
        for index, payout in enumerate(selectors.batch_payouts(batch=batch), start=1)
    )
    return csv_response(f"transfer-batch-{batch.pk}.csv", header, rows)
