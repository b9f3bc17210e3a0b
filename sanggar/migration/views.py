"""/admin/migrasi: start an import (a Celery task), follow its progress, read and download its report."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sanggar.core.exceptions import ServiceError
from sanggar.core.listing import csv_response, paginate
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role

from . import selectors, services
from .constants import PAGE_SIZE
from .forms import RunForm
from .tasks import migration_run_schedule

admin_only = role_required(Role.ADMIN)


@admin_only
@require_http_methods(["GET", "POST"])
def admin_runs(request):
    form = RunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.run_create(
                actor=request.user, source_url=form.cleaned_data["source"], prefix=form.cleaned_data["prefix"],
                dry_run=form.cleaned_data["dry_run"],
            )  # fmt: skip
        except ServiceError as exc:
            form.add_error("source", str(exc))
        else:
            migration_run_schedule(run=run, source_url=form.cleaned_data["source"], tutor_api=form.tutor_api_options())
            messages.success(request, _("Migrasi dimulai. Progres tampil di bawah."))
            return redirect("migration:admin_run", pk=run.pk)
    page = paginate(request, selectors.run_list(), per_page=PAGE_SIZE)
    return render(request, "migration/runs.html", {"form": form, "page_obj": page}, status=400 if form.errors else 200)


def _run_or_404(pk):
    run = selectors.run_get(pk)
    if run is None:
        raise Http404(_("Migrasi tidak ditemukan."))
    return run


@admin_only
@require_GET
def admin_run(request, pk: int):
    run = _run_or_404(pk)
    template = "migration/_progress.html" if request.headers.get("HX-Request") else "migration/run.html"
    return render(request, template, {"run": run, "report": run.report or {}})


@admin_only
@require_GET
def admin_run_csv(request, pk: int):
    run = _run_or_404(pk)
    report = run.report or {}
    rows = []
    for status, row in sorted((report.get("orders") or {}).items()):
        rows.append((_("Pesanan per status Sejoli"), status, row.get("count"), row.get("sum"), ""))
    for status, row in sorted((report.get("orders_imported") or {}).items()):
        rows.append((_("Pesanan diimpor per status"), status, row.get("count"), row.get("sum"), ""))
    revenue = report.get("revenue") or {}
    rows.append((_("Pendapatan (completed)"), _("sumber"), "", revenue.get("source"), ""))
    rows.append((_("Pendapatan (completed)"), _("impor"), "", revenue.get("imported"), ""))
    for status, row in sorted(((report.get("commissions") or {}).get("per_status") or {}).items()):
        rows.append((_("Komisi per status Sejoli"), status, row.get("count"), row.get("sum"), ""))
    for top in (report.get("affiliates") or {}).get("top") or []:
        rows.append((_("Affiliate teratas"), top.get("name"), top.get("conversions"), top.get("commission"), ""))
    for plan, statuses in sorted((report.get("memberships") or {}).items()):
        for status, count in sorted(statuses.items()):
            rows.append((_("Membership per paket"), f"{plan} ({status})", count, "", ""))
    for table, row in sorted((report.get("tables") or {}).items()):
        rows.append((_("Tabel"), table, row.get("read"), row.get("imported"), row.get("existing")))
        for reason, count in sorted((row.get("skipped") or {}).items()):
            rows.append((_("Dilewati"), f"{table}: {reason}", count, "", ""))
    for diff in report.get("differences") or []:
        rows.append((_("Selisih"), diff.get("item"), diff.get("expected"), diff.get("actual"), diff.get("where")))
    header = [_("Bagian"), _("Butir"), _("Jumlah / diharapkan"), _("Nominal (Rp) / aktual"), _("Keterangan")]
    return csv_response(f"migrasi-sejoli-{run.pk}.csv", header, rows)
