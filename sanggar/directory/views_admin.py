"""Admin and mentor pages of the export directory: buyers (list, add, edit, archive, import with preview and
progress, export for admins), statistics with charts, the view tracker, the reports queue of every directory, the
quota table, and forwarders with their rate cards."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _l
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from sanggar.catalog.models import MembershipPlan
from sanggar.core.exceptions import ServiceError
from sanggar.core.forms import add_service_errors
from sanggar.core.listing import csv_response, paginate, xlsx_response
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role

from . import buyer_services, document_services, forwarder_services, selectors
from . import services as shared
from .constants import (
    ADMIN_PAGE_SIZE,
    FEATURES,
    KIND_BUYER,
    BusinessScale,
    BuyerStatus,
    DocumentKind,
    ImportStatus,
    Incoterm,
    ReportStatus,
)
from .countries import country_name, flag
from .forms import BuyerForm, DocumentTemplateForm, ForwarderForm, ImportForm, RateForm
from .kinds import directory_kinds
from .models import DirectoryReport, ForwarderRate

admin_only = role_required(Role.ADMIN)
managers = role_required(Role.ADMIN, Role.MENTOR)
FILTER_KEYS = ("q", "country", "product", "hs", "verified", "payment", "incoterm", "scale", "sort", "status")


@managers
@require_GET
def buyers(request):
    filters = {k: request.GET.get(k, "") for k in FILTER_KEYS}
    page = paginate(request, selectors.buyer_list(filters=filters, admin=True), ADMIN_PAGE_SIZE)
    rows = [{"buyer": b, "flag": flag(b.country), "country": country_name(b.country)} for b in page.object_list]
    return render(
        request,
        "directory/admin/buyers.html",
        {
            "page_obj": page,
            "rows": rows,
            "f": filters,
            "countries": selectors.country_options(),
            "statuses": BuyerStatus.choices,
            "incoterms": Incoterm.choices,
            "scales": BusinessScale.choices,
            "can_archive": buyer_services.can_archive(request.user),
        },
    )


@admin_only
@require_GET
def buyers_export(request, file_format: str = "csv"):
    """Admins only: the filtered buyers as CSV or Excel (members never export)."""
    filters = {k: request.GET.get(k, "") for k in FILTER_KEYS}
    try:
        rows = buyer_services.buyer_export(actor=request.user, filters=filters, file_format=file_format)
    except ServiceError as exc:
        raise PermissionDenied(exc.message) from None
    if file_format == "xlsx":
        return xlsx_response("buyer.xlsx", buyer_services.EXPORT_HEADER, rows, sheet="Buyer")
    return csv_response("buyer.csv", buyer_services.EXPORT_HEADER, rows)


@managers
def buyer_create(request):
    if request.method == "POST":
        form = BuyerForm(request.POST)
        if form.is_valid():
            try:
                buyer = buyer_services.buyer_create(actor=request.user, data=form.cleaned_data)
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _l("Buyer %(c)s ditambahkan.") % {"c": buyer.company})
                return redirect("directory:admin_buyer_edit", pk=buyer.pk)
    else:
        form = BuyerForm()
    return render(request, "directory/admin/buyer_form.html", {"form": form, "buyer": None})


@managers
def buyer_edit(request, pk: int):
    buyer = selectors.buyer_get(pk=pk, admin=True)
    if buyer is None:
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action in BuyerStatus.values:
            try:
                buyer_services.buyer_set_status(actor=request.user, buyer=buyer, status=action)
                messages.success(request, _l("Status buyer: %(s)s.") % {"s": BuyerStatus(action).label})
            except ServiceError as exc:
                messages.error(request, exc.message)
            return redirect("directory:admin_buyer_edit", pk=buyer.pk)
        form = BuyerForm(request.POST)
        if form.is_valid():
            try:
                buyer_services.buyer_update(actor=request.user, buyer=buyer, data=form.cleaned_data)
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _l("Perubahan disimpan."))
                return redirect("directory:admin_buyer_edit", pk=buyer.pk)
    else:
        form = BuyerForm(initial={f: getattr(buyer, f) for f in BuyerForm.base_fields})
    viewers = selectors.tracker_rows(
        page_rows=selectors.view_tracker(kind=KIND_BUYER).filter(object_id=buyer.pk)[:10], kind=KIND_BUYER
    )
    reports = list(DirectoryReport.objects.filter(kind=KIND_BUYER, object_id=buyer.pk).select_related("reporter")[:10])
    return render(
        request,
        "directory/admin/buyer_form.html",
        {
            "form": form,
            "buyer": buyer,
            "viewers": viewers,
            "reports": reports,
            "can_archive": buyer_services.can_archive(request.user),
            "statuses": BuyerStatus,
        },
    )


@dataclass(frozen=True)
class ImportPages:
    """One directory's import pages (the same views and templates for buyers and forwarders)."""

    target: str
    title: str
    back: str  # URL name of the directory's admin list
    url: str  # URL-name prefix: <url>, <url>_detail, <url>_progress, <url>_problems, <url>_template
    columns: tuple[str, str, str]  # preview column labels (title, place, what)
    hint: str
    upload: Callable
    start: Callable
    cancel: Callable


BUYER_IMPORT = ImportPages(
    target="buyer",
    title=gettext_lazy("Impor Buyer"),
    back="directory:admin_buyers",
    url="directory:admin_buyer_import",
    columns=(gettext_lazy("Perusahaan"), gettext_lazy("Negara"), gettext_lazy("Produk")),
    hint=gettext_lazy(
        "Kolom wajib: Perusahaan, Negara (kode ISO seperti JP atau nama negara), Produk. Data ganda dikenali dari "
        "nama perusahaan + negara, atau email yang sama."
    ),
    upload=buyer_services.buyer_import_upload,
    start=buyer_services.buyer_import_start,
    cancel=buyer_services.buyer_import_cancel,
)
FORWARDER_IMPORT = ImportPages(
    target="forwarder",
    title=gettext_lazy("Impor Forwarder"),
    back="directory:admin_forwarders",
    url="directory:admin_forwarder_import",
    columns=(gettext_lazy("Nama"), gettext_lazy("Kota"), gettext_lazy("Layanan")),
    hint=gettext_lazy(
        "Kolom wajib: Nama, Kota. Layanan dipisah koma (FCL, LCL, udara, PPJK, trucking, gudang, fumigasi, "
        "dokumen, kurir). Data ganda dikenali dari nama + kota, atau email yang sama."
    ),
    upload=forwarder_services.forwarder_import_upload,
    start=forwarder_services.forwarder_import_start,
    cancel=forwarder_services.forwarder_import_cancel,
)


def _import_upload(request, pages: ImportPages):
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                batch = pages.upload(
                    actor=request.user, upload=form.cleaned_data["file"], mode=form.cleaned_data["mode"]
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                return redirect(f"{pages.url}_detail", pk=batch.pk)
    else:
        form = ImportForm()
    imports = selectors.buyer_imports_for_user(user=request.user, target=pages.target)
    return render(request, "directory/admin/import.html", {"form": form, "imports": list(imports[:10]), "pages": pages})


def _batch(request, pk, pages: ImportPages):
    batch = selectors.buyer_import_get_for_user(user=request.user, pk=pk, target=pages.target)
    if batch is None:
        raise Http404
    return batch


def _import_detail(request, pk: int, pages: ImportPages):
    batch = _batch(request, pk, pages)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "start":
                pages.start(actor=request.user, batch_id=batch.pk)
                messages.success(request, _l("Impor dijalankan."))
            elif request.POST.get("action") == "cancel":
                pages.cancel(actor=request.user, batch_id=batch.pk)
                messages.success(request, _l("Impor dibatalkan."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect(f"{pages.url}_detail", pk=batch.pk)
    return render(
        request, "directory/admin/import_detail.html", {"batch": batch, "statuses": ImportStatus, "pages": pages}
    )


def _import_progress(request, pk: int, pages: ImportPages):
    """The progress bar's fragment (htmx polls it every second while the import runs)."""
    return render(
        request,
        "directory/admin/_import_progress.html",
        {"batch": _batch(request, pk, pages), "statuses": ImportStatus, "pages": pages},
    )


def _import_problems(request, pk: int, pages: ImportPages):
    batch = _batch(request, pk, pages)
    kinds = {"invalid": "tidak valid", "duplicate": "sudah ada", "dup_file": "ganda di berkas"}
    return csv_response(
        f"masalah-impor-{batch.pk}.csv",
        ["baris", "jenis", str(pages.columns[0]).lower(), "keterangan"],
        (
            [p["row"], kinds.get(p["kind"], p["kind"]), p.get("company", ""), "; ".join(p["messages"])]
            for p in batch.problems
        ),
    )


@managers
def buyer_import(request):
    return _import_upload(request, BUYER_IMPORT)


@managers
def buyer_import_detail(request, pk: int):
    return _import_detail(request, pk, BUYER_IMPORT)


@managers
@require_GET
def buyer_import_progress(request, pk: int):
    return _import_progress(request, pk, BUYER_IMPORT)


@managers
@require_GET
def buyer_import_problems(request, pk: int):
    return _import_problems(request, pk, BUYER_IMPORT)


@admin_only
def forwarder_import(request):
    return _import_upload(request, FORWARDER_IMPORT)


@admin_only
def forwarder_import_detail(request, pk: int):
    return _import_detail(request, pk, FORWARDER_IMPORT)


@admin_only
@require_GET
def forwarder_import_progress(request, pk: int):
    return _import_progress(request, pk, FORWARDER_IMPORT)


@admin_only
@require_GET
def forwarder_import_problems(request, pk: int):
    return _import_problems(request, pk, FORWARDER_IMPORT)


@admin_only
@require_GET
def forwarder_import_template(request):
    return csv_response(
        "templat-impor-forwarder.csv",
        ["Nama", "Kota", "Provinsi", "Layanan", "Pelabuhan", "Rute", "Nama kontak", "Email", "Telepon", "WhatsApp",
         "Website", "Alamat", "Terverifikasi"],
        [["PT Samudera Kargo", "Jakarta Utara", "DKI Jakarta", "FCL, LCL, PPJK", "Tanjung Priok",
          "Asia Timur, Timur Tengah", "Andi", "ops@samudera.example", "+62 21 555 0101", "+62 812 1111 2233",
          "samudera.example", "Jl. Pelabuhan 1", "ya"]],
    )  # fmt: skip


@managers
@require_GET
def buyer_import_template(request):
    return csv_response(
        "templat-impor-buyer.csv",
        [
            "Perusahaan",
            "Negara",
            "Kota",
            "Produk",
            "Kode HS",
            "Volume tahunan",
            "Skala",
            "Syarat pembayaran",
            "Incoterm",
            "Nama kontak",
            "Email",
            "Telepon",
            "WhatsApp",
            "Website",
            "Alamat",
            "Sumber",
            "Terverifikasi",
        ],
        [
            [
                "Tokyo Bean Trading Co., Ltd.",
                "JP",
                "Tokyo",
                "Kopi arabika, kopi robusta",
                "0901",
                "6 kontainer 20ft/tahun",
                "menengah",
                "T/T 30% DP",
                "FOB",
                "Takeshi Yamada",
                "purchasing@tokyobean.example",
                "+81 3 1234 5678",
                "+81 90 1234 5678",
                "tokyobean.example",
                "2-1 Minato, Tokyo",
                "Pameran SIAL 2026",
                "ya",
            ]
        ],
    )


@admin_only
@require_GET
def buyer_stats(request):
    stats = selectors.buyer_stats()
    chart = {
        "labels": [d for d, _n in stats["views_daily"]],
        "views": [n for _d, n in stats["views_daily"]],
        "likes": [n for _d, n in stats["likes_daily"]],
        "reports": [n for _d, n in stats["reports_daily"]],
        "new": [n for _d, n in stats["new_daily"]],
    }
    pie = {"labels": [c for c, _n in stats["per_country"]], "values": [n for _c, n in stats["per_country"]]}
    return render(request, "directory/admin/stats.html", {"stats": stats, "chart": chart, "pie": pie})


@admin_only
@require_GET
def buyer_tracker(request):
    q = request.GET.get("q", "").strip()[:100]
    page = paginate(request, selectors.view_tracker(kind=KIND_BUYER, q=q), ADMIN_PAGE_SIZE)
    rows = selectors.tracker_rows(page_rows=page.object_list, kind=KIND_BUYER)
    return render(request, "directory/admin/tracker.html", {"page_obj": page, "rows": rows, "search": q})


@admin_only
def reports(request):
    if request.method == "POST":
        try:
            report_id = int(request.POST.get("report", "0"))
        except ValueError:
            report_id = 0
        try:
            buyer_services.report_handle(
                actor=request.user,
                report_id=report_id,
                status=request.POST.get("status", ""),
                note=request.POST.get("note", ""),
            )
            messages.success(request, _l("Laporan ditangani."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect(request.get_full_path())
    status = request.GET.get("status", "open")
    kind = request.GET.get("kind", "")
    page = paginate(request, selectors.reports_queue(status=status, kind=kind), ADMIN_PAGE_SIZE)
    kinds = {k.key: k for k in directory_kinds()}
    rows = [
        {
            "report": r,
            "kind": kinds.get(r.kind),
            "url": kinds[r.kind].admin_url(r.object_id) if r.kind in kinds and kinds[r.kind].admin_url else "",
        }
        for r in page.object_list
    ]
    return render(
        request,
        "directory/admin/reports.html",
        {
            "page_obj": page,
            "rows": rows,
            "status": status,
            "kind": kind,
            "statuses": ReportStatus.choices,
            "kinds": [(k.key, k.label) for k in kinds.values()],
            "outcomes": [(s, lbl) for s, lbl in ReportStatus.choices if s != ReportStatus.OPEN],
        },
    )


@admin_only
def ratings(request):
    """Members' ratings of suppliers and forwarders, newest first; admins hide abusive reviews."""
    if request.method == "POST":
        try:
            rating_id = int(request.POST.get("rating", "0"))
        except ValueError:
            rating_id = 0
        try:
            shared.rating_hide(actor=request.user, rating_id=rating_id, hidden=request.POST.get("hidden") == "1")
            messages.success(request, _l("Ulasan diperbarui."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect(request.get_full_path())
    kind = request.GET.get("kind", "")[:20]
    page = paginate(request, selectors.ratings_admin_list(kind=kind), ADMIN_PAGE_SIZE)
    kinds = {k.key: k for k in directory_kinds()}
    rows = [
        {
            "rating": r,
            "kind": kinds.get(r.kind),
            "url": kinds[r.kind].admin_url(r.object_id) if r.kind in kinds and kinds[r.kind].admin_url else "",
        }
        for r in page.object_list
    ]
    return render(
        request,
        "directory/admin/ratings.html",
        {"page_obj": page, "rows": rows, "kind": kind, "kinds": [(k.key, k.label) for k in kinds.values()]},
    )


@admin_only
def quotas(request):
    plans = list(MembershipPlan.objects.order_by("rank", "title")[:50])
    kinds = directory_kinds()
    table = shared.quota_table(plans=plans)
    if request.method == "POST" and request.POST.get("action") == "roles":
        try:
            shared.role_access_set(actor=request.user, kind=KIND_BUYER, roles=request.POST.getlist("roles")[:20])
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _l("Akses Database Buyer disimpan."))
        return redirect("directory:admin_quotas")
    if request.method == "POST" and request.POST.get("action") == "features":
        chosen = set(request.POST.getlist("plans_only")[:20])
        try:
            for key, plans_only in shared.feature_gates().items():
                if plans_only != (key in chosen):
                    shared.feature_gate_set(actor=request.user, key=key, plans_only=key in chosen)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _l("Akses fitur direktori disimpan."))
        return redirect("directory:admin_quotas")
    if request.method == "POST":
        try:
            for kind in kinds:
                for plan in [None, *plans]:
                    field = f"q-{kind.key}-{plan.pk if plan else 'free'}"
                    if field not in request.POST:
                        continue
                    raw = request.POST.get(field, "").strip()
                    if raw == "":
                        limit = None
                    else:
                        try:
                            limit = int(raw)
                        except ValueError:
                            raise ServiceError(_l("Kuota harus berupa angka (kosongkan untuk tanpa batas).")) from None
                    if table[(kind.key, plan.pk if plan else None)] != limit:
                        shared.quota_set(actor=request.user, kind=kind.key, plan=plan, monthly_limit=limit)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _l("Kuota disimpan."))
        return redirect("directory:admin_quotas")
    rows = [
        {
            "kind": kind,
            "cells": [
                {
                    "plan": plan,
                    "field": f"q-{kind.key}-{plan.pk if plan else 'free'}",
                    "value": table[(kind.key, plan.pk if plan else None)],
                }
                for plan in [None, *plans]
            ],
        }
        for kind in kinds
    ]
    allowed = shared.role_access_roles(kind=KIND_BUYER)
    roles = [(value, label, value in allowed) for value, label in Role.choices if value != Role.ADMIN]
    gates = shared.feature_gates()
    features = [(key, label, gates[key]) for key, label in FEATURES.items()]
    return render(
        request,
        "directory/admin/quotas.html",
        {"table": rows, "plans": plans, "buyer_roles": roles, "features": features},
    )


# ---------------------------------------------------------------------------------------------------------------
# Forwarders


@admin_only
@require_GET
def forwarders(request):
    filters = {k: request.GET.get(k, "") for k in ("q", "service", "verified")}
    page = paginate(request, selectors.forwarder_list(filters=filters, admin=True), ADMIN_PAGE_SIZE)
    return render(request, "directory/admin/forwarders.html", {"page_obj": page, "f": filters})


@admin_only
def forwarder_create(request):
    if request.method == "POST":
        form = ForwarderForm(request.POST)
        if form.is_valid():
            try:
                forwarder = forwarder_services.forwarder_save(actor=request.user, data=form.cleaned_data)
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _l("Forwarder disimpan. Tambahkan tarif per rute di bawah."))
                return redirect("directory:admin_forwarder_edit", pk=forwarder.pk)
    else:
        form = ForwarderForm(initial={"is_active": True})
    return render(request, "directory/admin/forwarder_form.html", {"form": form, "forwarder": None})


@admin_only
def forwarder_edit(request, pk: int):
    forwarder = selectors.forwarder_get(pk=pk, admin=True)
    if forwarder is None:
        raise Http404
    form = ForwarderForm(
        initial={
            **{f: getattr(forwarder, f) for f in ForwarderForm.base_fields if f != "services"},
            "services": forwarder.service_list,
        }
    )
    rate_form = RateForm()
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action == "save":
                form = ForwarderForm(request.POST)
                if form.is_valid():
                    forwarder_services.forwarder_save(actor=request.user, data=form.cleaned_data, forwarder=forwarder)
                    messages.success(request, _l("Perubahan disimpan."))
                    return redirect("directory:admin_forwarder_edit", pk=forwarder.pk)
            elif action == "rate":
                rate_form = RateForm(request.POST)
                if rate_form.is_valid():
                    forwarder_services.rate_save(actor=request.user, forwarder=forwarder, data=rate_form.cleaned_data)
                    messages.success(request, _l("Tarif ditambahkan."))
                    return redirect("directory:admin_forwarder_edit", pk=forwarder.pk)
            elif action == "delete_rate":
                rate = ForwarderRate.objects.filter(forwarder=forwarder, pk=request.POST.get("rate") or 0).first()
                if rate is not None:
                    forwarder_services.rate_delete(actor=request.user, rate=rate)
                    messages.success(request, _l("Tarif dihapus."))
                return redirect("directory:admin_forwarder_edit", pk=forwarder.pk)
        except ServiceError as exc:
            add_service_errors(rate_form if action == "rate" else form, exc)
        except ValueError:
            raise Http404 from None
    rates = [
        {"rate": r, "flag": flag(r.destination_country), "country": country_name(r.destination_country)}
        for r in forwarder.rates.order_by("destination_country", "mode", "price")[:200]
    ]
    return render(
        request,
        "directory/admin/forwarder_form.html",
        {"form": form, "forwarder": forwarder, "rate_form": rate_form, "rates": rates},
    )


# ---------------------------------------------------------------------------------------------------------------
# Export-document templates


@admin_only
@require_GET
def document_templates(request):
    return render(
        request, "directory/admin/document_templates.html", {"templates": document_services.document_templates()}
    )


@admin_only
def document_template_edit(request, kind: str):
    if kind not in DocumentKind.values:
        raise Http404
    template = document_services.document_template_get(kind=kind)
    form = DocumentTemplateForm(initial={f: getattr(template, f) for f in DocumentTemplateForm.base_fields})
    if request.method == "POST":
        form = DocumentTemplateForm(request.POST)
        if form.is_valid():
            try:
                document_services.document_template_save(actor=request.user, kind=kind, data=form.cleaned_data)
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _l("Templat %(kind)s disimpan.") % {"kind": template.get_kind_display()})
                return redirect("directory:admin_document_templates")
    return render(request, "directory/admin/document_template_form.html", {"form": form, "template": template})
