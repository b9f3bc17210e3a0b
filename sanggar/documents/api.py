"""Documents API: the member's documents with their access state, signed download links, their own download
history; admins read the download log and verify rows. Pages and these call the same services."""

from django.utils.translation import gettext as _
from ninja import Query, Router

from sanggar.api.auth import admin_auth, jwt_auth
from sanggar.api.idempotency import idempotent
from sanggar.api.schemas import ErrorOut
from sanggar.core.exceptions import NotFound
from sanggar.core.site import absolute

from . import selectors, services
from .constants import API_PAGE_SIZE
from .policy import document_decisions, level_label, level_plans
from .schemas import (
    AdminDocumentDownloadOut,
    AdminDocumentDownloadPageOut,
    DocumentDownloadPageOut,
    DocumentFilters,
    DocumentHistoryFilters,
    DocumentLinkOut,
    DocumentLogFilters,
    DocumentOut,
    DocumentPageOut,
    DocumentVerifyIn,
)

router = Router(tags=["dokumen"], auth=jwt_auth)
admin_router = Router(tags=["admin: dokumen"])
API_ORDER = 65
API_ROUTERS = ("sanggar.documents.api.router", "sanggar.documents.api.admin_router")


def _page(qs, page: int, size: int = API_PAGE_SIZE):
    count = qs.count()
    start = (page - 1) * size
    rows = list(qs[start : start + size]) if start < count else []
    return count, rows, (page + 1 if start + size < count else None)


def document_data(document, decision, levels) -> dict:
    return {
        "id": document.pk,
        "title": document.title,
        "description": document.description,
        "category": {"id": document.category_id, "name": document.category.name},
        "level": document.min_rank,
        "level_label": level_label(document.min_rank, levels),
        "file_type": document.extension,
        "size": document.size,
        "views": document.views,
        "downloads": document.downloads,
        "created_at": document.created_at,
        "locked": not decision.allowed,
        "access": {
            "allowed": decision.allowed,
            "reason": str(decision.reason),
            "message": decision.message,
            "action_label": decision.action_label,
            "action_url": absolute(decision.action_url) if decision.action_url else "",
        },
    }


@router.get(
    "/documents",
    response={200: DocumentPageOut, 401: ErrorOut, 422: ErrorOut},
    summary="Dokumen member",
    description="Dokumen aktif, terbaru dulu, 50 per halaman. Dokumen level lebih tinggi ikut tampil dengan "
    "`locked: true` dan `access` berisi alasan serta cara membukanya (upgrade / gabung ulang).",
)
def documents(request, filters: Query[DocumentFilters]):
    qs = selectors.document_list_member(q=filters.q, category=filters.category or "")
    count, rows, next_page = _page(qs, filters.page)
    decisions = document_decisions(user=request.auth, documents=rows)
    levels = level_plans()
    return {
        "count": count,
        "next_page": next_page,
        "results": [document_data(d, decisions[d.pk], levels) for d in rows],
    }


def _document(pk: int):
    document = selectors.document_get_member(pk=pk)
    if document is None:
        raise NotFound(_("Dokumen tidak ditemukan."))
    return document


@router.get(
    "/documents/{document_id}",
    response={200: DocumentOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Satu dokumen",
    description="Membuka dokumen dihitung sebagai satu kali dilihat dan masuk riwayat akses member.",
)
def document_detail(request, document_id: int):
    document = _document(document_id)
    decision = document_decisions(user=request.auth, documents=[document])[document.pk]
    services.document_view_record(user=request.auth, document=document)
    return document_data(document, decision, level_plans())


@router.get(
    "/documents/{document_id}/download",
    response={200: DocumentLinkOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Link unduhan dokumen",
    description="Link bertanda tangan, sekali pakai, terikat pada akun ini dan berlaku beberapa menit (dibuka saat "
    "sudah masuk di peramban). PDF diberi nama, email dan tanggal pengunduh. Tanpa akses: 403 dengan alasan di "
    "`message` (percobaan itu tercatat sebagai gagal).",
)
def document_download(request, document_id: int):
    link = services.download_link_issue(user=request.auth, document=_document(document_id))
    return {"url": absolute(link.path), "expires_in": link.expires_in}


def download_data(log) -> dict:
    return {
        "id": log.pk,
        "document_id": log.document_id,
        "document_title": log.document_title,
        "membership_level": log.membership_level,
        "status": log.status,
        "status_label": str(log.get_status_display()),
        "reason": log.reason,
        "created_at": log.created_at,
    }


@router.get(
    "/me/document-downloads",
    response={200: DocumentDownloadPageOut, 401: ErrorOut, 422: ErrorOut},
    summary="Riwayat unduhan dokumen saya",
)
def my_downloads(request, filters: Query[DocumentHistoryFilters]):
    count, rows, next_page = _page(selectors.history_for_user(user=request.auth), filters.page)
    return {"count": count, "next_page": next_page, "results": [download_data(log) for log in rows]}


def admin_download_data(log) -> dict:
    return {
        **download_data(log),
        "user": {"id": log.user_id, "email": log.user.email, "full_name": log.user.full_name},
        "ip": log.ip,
        "device": log.device,
        "flagged": log.flagged,
        "admin_verified": log.admin_verified,
        "notes": log.notes,
    }


@admin_router.get(
    "/admin/documents/downloads",
    auth=admin_auth,
    response={200: AdminDocumentDownloadPageOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Log unduhan dokumen (admin)",
)
def admin_downloads(request, filters: Query[DocumentLogFilters]):
    qs = selectors.log_list(q=filters.q, status=filters.status, flagged=filters.flagged)
    count, rows, next_page = _page(qs, filters.page)
    return {"count": count, "next_page": next_page, "results": [admin_download_data(log) for log in rows]}


@admin_router.post(
    "/admin/documents/downloads/{log_id}/verify",
    auth=admin_auth,
    response={200: AdminDocumentDownloadOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Verifikasi unduhan dokumen (admin)",
    description="Tandai satu unduhan terverifikasi setelah member mengonfirmasi lewat WA/email, dengan catatan.",
)
@idempotent
def admin_verify(request, log_id: int, payload: DocumentVerifyIn):
    log = selectors.log_get(pk=log_id)
    if log is None:
        raise NotFound(_("Log unduhan tidak ditemukan."))
    log = services.download_verify(log=log, actor=request.auth, notes=payload.notes, verified=payload.verified)
    log = selectors.log_get(pk=log.pk)
    return admin_download_data(log)
