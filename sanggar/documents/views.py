"""Pages of documents: the members' "Dokumen Saya" (list, detail, download, history) and the admin's documents,
categories and download log."""

from datetime import date

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sanggar.access.policy import AccessDecision
from sanggar.access.views import render_locked
from sanggar.core.exceptions import NotAllowed, NotFound, RateLimited, ServiceError
from sanggar.core.forms import add_service_errors
from sanggar.core.listing import Filter, csv_response, paginate
from sanggar.core.permissions import login_required, role_required
from sanggar.core.roles import Role

from . import selectors, services
from .constants import ADMIN_PAGE_SIZE, HISTORY_PAGE_SIZE, MEMBER_PAGE_SIZE, DocumentState, DownloadStatus
from .forms import CategoryForm, DocumentForm, VerifyForm
from .policy import document_decision, document_decisions, level_choices, level_label, level_plans

admin_only = role_required(Role.ADMIN)


def _category_filter(request):
    return Filter(request, "category", _("Kategori"), [(str(c.pk), c.name) for c in selectors.category_list()])


# ---------------------------------------------------------------------------------------------------------------
# Members


@login_required
@require_GET
def document_list(request):
    q = request.GET.get("q", "").strip()[:100]
    category = _category_filter(request)
    page = paginate(request, selectors.document_list_member(q=q, category=category.value), per_page=MEMBER_PAGE_SIZE)
    docs = list(page.object_list)
    decisions = document_decisions(user=request.user, documents=docs)
    levels = level_plans()
    rows = [{"doc": d, "decision": decisions[d.pk], "level": level_label(d.min_rank, levels)} for d in docs]
    return render(
        request,
        "documents/list.html",
        {"page_obj": page, "rows": rows, "search": q, "filters": [category]},
    )


@login_required
@require_GET
def document_detail(request, pk: int):
    document = selectors.document_get_member(pk=pk)
    if document is None:
        raise Http404
    decision = document_decision(user=request.user, document=document)
    services.document_view_record(user=request.user, document=document)
    return render(
        request,
        "documents/detail.html",
        {"doc": document, "decision": decision, "level": level_label(document.min_rank, level_plans())},
    )


@login_required
@require_POST
def document_download(request, pk: int):
    """Checks the level, then sends the browser to a signed, single-use link valid for a few minutes."""
    document = selectors.document_get_member(pk=pk)
    if document is None:
        raise Http404
    try:
        link = services.download_link_issue(user=request.user, document=document)
    except NotAllowed as exc:
        decision = document_decision(user=request.user, document=document)
        if decision.allowed:  # refused for another reason (not signed in…)
            decision = AccessDecision(allowed=False, reason=exc.code, message=exc.message)
        return render_locked(request, decision, title=document.title)
    except RateLimited as exc:
        messages.error(request, exc.message)
        return redirect("documents:detail", pk=document.pk)
    return redirect(link.path)


@login_required
@require_GET
def document_serve(request, token: str):
    try:
        opened = services.download_open(user=request.user, token=token)
    except NotFound as exc:
        return render_locked(
            request, AccessDecision(allowed=False, reason="not_found", message=exc.message), status=404
        )
    except NotAllowed as exc:
        decision = AccessDecision(
            allowed=False,
            reason=exc.code,
            message=exc.message,
            action_label=_("Buka Dokumen Saya"),
            action_url=reverse("documents:list"),
        )
        return render_locked(request, decision, title=_("Link unduhan ditolak"))
    except ServiceError as exc:
        return render_locked(request, AccessDecision(allowed=False, reason=exc.code, message=exc.message), status=409)
    if isinstance(opened.content, bytes):
        response = HttpResponse(opened.content, content_type=opened.content_type)
        response["Content-Disposition"] = f'attachment; filename="{opened.filename}"'
    else:
        response = FileResponse(
            opened.content, as_attachment=True, filename=opened.filename, content_type=opened.content_type
        )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def my_history(request):
    page = paginate(request, selectors.history_for_user(user=request.user), per_page=HISTORY_PAGE_SIZE)
    return render(
        request,
        "documents/history.html",
        {"page_obj": page, "views": selectors.views_for_user(user=request.user)},
    )


# ---------------------------------------------------------------------------------------------------------------
# Admin: documents


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None


def _admin_filters(request):
    q = request.GET.get("q", "").strip()[:100]
    category = _category_filter(request)
    level = Filter(request, "level", _("Level"), [(str(r), label) for r, label in level_choices()])
    state = Filter(request, "state", _("Status"), DocumentState.choices)
    return q, category, level, state


@admin_only
@require_GET
def admin_documents(request):
    q, category, level, state = _admin_filters(request)
    date_from = _parse_date(request.GET.get("from", ""))
    date_to = _parse_date(request.GET.get("to", ""))
    qs = selectors.document_list_admin(
        q=q, category=category.value, level=level.value, state=state.value, date_from=date_from, date_to=date_to
    )
    page = paginate(request, qs, per_page=ADMIN_PAGE_SIZE)
    levels = level_plans()
    rows = [{"doc": d, "level": level_label(d.min_rank, levels)} for d in page.object_list]
    return render(
        request,
        "documents/admin/documents.html",
        {
            "page_obj": page,
            "rows": rows,
            "search": q,
            "filters": [category, level, state],
            "date_from": date_from or "",
            "date_to": date_to or "",
            "totals": selectors.totals(),
        },
    )


def _form_values(form) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "description": data["description"],
        "category": data["category"],
        "min_rank": data["min_rank"],
        "is_active": data["is_active"],
    }


@admin_only
def admin_document_create(request):
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                document = services.document_create(
                    actor=request.user, file=form.cleaned_data["file"], **_form_values(form)
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Dokumen “%(title)s” diunggah.") % {"title": document.title})
                return redirect("documents:admin_documents")
    else:
        form = DocumentForm(initial={"is_active": True, "min_rank": 1})
    return render(
        request,
        "documents/admin/document_form.html",
        {"form": form, "doc": None, "no_categories": not selectors.category_list().exists()},
    )


@admin_only
def admin_document_edit(request, pk: int):
    document = selectors.document_get(pk=pk)
    if document is None:
        raise Http404
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES, require_file=False)
        if form.is_valid():
            try:
                services.document_update(
                    document=document, actor=request.user, file=form.cleaned_data.get("file"), **_form_values(form)
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Dokumen “%(title)s” disimpan.") % {"title": form.cleaned_data["title"]})
                return redirect("documents:admin_documents")
    else:
        form = DocumentForm(
            require_file=False,
            initial={
                "title": document.title,
                "description": document.description,
                "category": document.category_id,
                "min_rank": document.min_rank,
                "is_active": document.is_active,
            },
        )
    return render(request, "documents/admin/document_form.html", {"form": form, "doc": document})


@admin_only
@require_POST
def admin_document_toggle(request, pk: int):
    document = selectors.document_get(pk=pk)
    if document is None:
        raise Http404
    document = services.document_set_active(document=document, actor=request.user, active=not document.is_active)
    if document.is_active:
        messages.success(request, _("Dokumen “%(title)s” diaktifkan.") % {"title": document.title})
    else:
        messages.success(request, _("Dokumen “%(title)s” dinonaktifkan.") % {"title": document.title})
    return redirect("documents:admin_documents")


@admin_only
def admin_document_delete(request, pk: int):
    document = selectors.document_get(pk=pk)
    if document is None:
        raise Http404
    if request.method == "POST":
        services.document_delete(document=document, actor=request.user)
        messages.success(
            request, _("Dokumen “%(title)s” dihapus. Log unduhannya tetap tersimpan.") % {"title": document.title}
        )
        return redirect("documents:admin_documents")
    return render(request, "documents/admin/document_delete.html", {"doc": document})


# ---------------------------------------------------------------------------------------------------------------
# Admin: categories


@admin_only
def admin_categories(request):
    edit = selectors.category_get(pk=request.GET.get("edit")) if str(request.GET.get("edit", "")).isdigit() else None
    if request.method == "POST":
        edit = selectors.category_get(pk=request.POST.get("pk")) if str(request.POST.get("pk", "")).isdigit() else None
        form = CategoryForm(request.POST)
        if form.is_valid():
            try:
                category = services.category_save(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    sort_order=form.cleaned_data["sort_order"] or 0,
                    category=edit,
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Kategori “%(name)s” disimpan.") % {"name": category.name})
                return redirect("documents:admin_categories")
    else:
        form = CategoryForm(initial={"name": edit.name, "sort_order": edit.sort_order} if edit else None)
    page = paginate(request, selectors.category_list(), per_page=ADMIN_PAGE_SIZE)
    return render(request, "documents/admin/categories.html", {"form": form, "edit": edit, "page_obj": page})


# ---------------------------------------------------------------------------------------------------------------
# Admin: download log


def _log_filters(request):
    q = request.GET.get("q", "").strip()[:100]
    status = Filter(request, "status", _("Status"), DownloadStatus.choices)
    verified = Filter(request, "verified", _("Verifikasi"), [("yes", _("Terverifikasi")), ("no", _("Belum"))])
    flagged = request.GET.get("flagged") == "1"
    document = request.GET.get("document", "")
    return q, status, verified, flagged, document if document.isdigit() else ""


@admin_only
@require_GET
def admin_logs(request):
    q, status, verified, flagged, document = _log_filters(request)
    qs = selectors.log_list(q=q, status=status.value, verified=verified.value, flagged=flagged, document=document)
    page = paginate(request, qs, per_page=ADMIN_PAGE_SIZE)
    return render(
        request,
        "documents/admin/logs.html",
        {"page_obj": page, "search": q, "filters": [status, verified], "flagged": flagged},
    )


def _stamp(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@admin_only
@require_GET
def admin_logs_export(request):
    q, status, verified, flagged, document = _log_filters(request)
    qs = selectors.log_list(q=q, status=status.value, verified=verified.value, flagged=flagged, document=document)
    header = [
        _("Nama User"), _("Email"), _("Dokumen"), _("Membership"), _("Tanggal Unduh"), _("IP"), _("Perangkat"),
        _("Status"), _("Alasan"), _("Mencurigakan"), _("Terverifikasi"), _("Catatan"),
    ]  # fmt: skip
    rows = (
        (
            log.user.full_name,
            log.user.email,
            log.document_title,
            log.membership_level,
            _stamp(log.created_at),
            log.ip or "",
            log.device,
            log.get_status_display(),
            log.reason,
            _("Ya") if log.flagged else _("Tidak"),
            _("Ya") if log.admin_verified else _("Tidak"),
            log.notes,
        )  # fmt: skip
        for log in qs.iterator(chunk_size=1000)
    )
    return csv_response(f"log-dokumen-{timezone.localdate():%Y%m%d}.csv", header, rows)


@admin_only
def admin_log_detail(request, pk: int):
    log = selectors.log_get(pk=pk)
    if log is None:
        raise Http404
    if request.method == "POST":
        form = VerifyForm(request.POST)
        if form.is_valid():
            try:
                services.download_verify(
                    log=log,
                    actor=request.user,
                    notes=form.cleaned_data["notes"],
                    verified=form.cleaned_data["verified"],
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Verifikasi unduhan disimpan."))
                return redirect("documents:admin_log_detail", pk=log.pk)
    else:
        form = VerifyForm(initial={"verified": log.admin_verified or True, "notes": log.notes})
    activity = paginate(request, selectors.log_list(user_id=log.user_id), per_page=ADMIN_PAGE_SIZE)
    return render(request, "documents/admin/log_detail.html", {"log": log, "form": form, "page_obj": activity})
