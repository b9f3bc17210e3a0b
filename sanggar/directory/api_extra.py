"""More of the directory API (mounted into `api.router`): the admins' export-document templates, the forwarder
import, and the member's personal API keys."""

from datetime import datetime
from typing import Literal

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from ninja import File, Form, Path, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from sanggar.api.auth import jwt_auth
from sanggar.api.idempotency import idempotent
from sanggar.api.schemas import ErrorOut
from sanggar.core.exceptions import NotAllowed, NotFound
from sanggar.core.roles import Role

from . import document_services, forwarder_services, key_services, selectors
from .models import DocumentTemplate

router = Router(auth=jwt_auth)  # tags come from the directory router it is mounted in

W = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
R = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
DocKindIn = Literal["packing_list", "commercial_invoice", "proforma_invoice", "shipping_instruction", "coo_draft"]


# --- imports (buyers in api.py, forwarders here; one machinery) ------------------------------------------------


class BuyerImportRowOut(Schema):
    row: int
    state: str = Field(description="valid, invalid, duplicate (sudah ada di database) atau dup_file (ganda di berkas)")
    company: str
    country: str = ""
    products: str = ""
    email: str = ""
    messages: list[str]


class BuyerImportProblemOut(Schema):
    row: int
    kind: str = Field(description="invalid, duplicate atau dup_file")
    company: str
    messages: list[str]


class BuyerImportOut(Schema):
    id: int
    status: Literal["preview", "running", "done", "failed", "cancelled"]
    mode: Literal["skip", "update"]
    original_name: str
    total_rows: int
    valid_rows: int
    invalid_rows: int
    duplicate_rows: int
    processed_rows: int
    progress: int = Field(description="0–100, untuk bilah progres")
    created_count: int
    updated_count: int
    skipped_count: int
    preview: list[BuyerImportRowOut] = Field(description="Baris pertama seperti dibaca, dengan statusnya.")
    problems: list[BuyerImportProblemOut] = Field(description="Baris bermasalah (paling banyak 1.000).")
    error: str
    created_at: datetime
    finished_at: datetime | None


def _import_data(batch) -> dict:
    return {
        **{f: getattr(batch, f) for f in (
            "status", "mode", "original_name", "total_rows", "valid_rows", "invalid_rows", "duplicate_rows",
            "processed_rows", "progress", "created_count", "updated_count", "skipped_count", "preview", "problems",
            "error", "created_at", "finished_at",
        )},
        "id": batch.pk,
    }  # fmt: skip


def import_routes(*, path: str, noun: str, target: str, may, refused, upload, start, cancel, description: str):
    """The four endpoints of one directory's import (upload → preview, report, start, cancel) on the shared machinery:
    `POST <path>`, `GET <path>/{id}`, `POST <path>/{id}/start`, `POST <path>/{id}/cancel`."""

    def batch_for(request, pk: int):
        if not may(request.auth):
            raise NotAllowed(str(refused))
        batch = selectors.buyer_import_get_for_user(user=request.auth, pk=pk, target=target)
        if batch is None:
            raise NotFound(_("Impor tidak ditemukan."))
        return batch

    def upload_view(request, file: File[UploadedFile], mode: Form[Literal["skip", "update"]] = "skip"):
        return 201, _import_data(upload(actor=request.auth, upload=file, mode=mode))

    def detail_view(request, import_id: int = Path(..., ge=1, le=2_147_483_647)):
        return _import_data(batch_for(request, import_id))

    def start_view(request, import_id: int = Path(..., ge=1, le=2_147_483_647)):
        start(actor=request.auth, batch_id=batch_for(request, import_id).pk)
        return _import_data(batch_for(request, import_id))

    def cancel_view(request, import_id: int = Path(..., ge=1, le=2_147_483_647)):
        return _import_data(cancel(actor=request.auth, batch_id=batch_for(request, import_id).pk))

    for view, suffix in ((upload_view, "upload"), (detail_view, "detail"), (start_view, "start"),
                         (cancel_view, "cancel")):  # fmt: skip
        view.__name__ = f"admin_{target}_import_{suffix}"
    router.post(
        path,
        response={201: BuyerImportOut, **W},
        summary=f"Unggah berkas impor {noun} (xlsx / csv): pratinjau, validasi per baris dan data ganda",
        description=description,
    )(idempotent(upload_view))
    router.get(
        path + "/{import_id}", response={200: BuyerImportOut, **R}, summary=f"Status, progres dan laporan impor {noun}"
    )(detail_view)
    router.post(
        path + "/{import_id}/start",
        response={200: BuyerImportOut, **W},
        summary=f"Jalankan impor {noun} yang sudah dipratinjau (ditulis di latar belakang; pantau progresnya)",
    )(idempotent(start_view))
    router.post(path + "/{import_id}/cancel", response={200: BuyerImportOut, **W}, summary="Batalkan impor")(
        idempotent(cancel_view)
    )


import_routes(
    path="/admin/forwarder-imports",
    noun="forwarder",
    target="forwarder",
    may=lambda user: user.has_role(Role.ADMIN),
    refused=_l("Hanya admin yang mengimpor forwarder."),
    upload=forwarder_services.forwarder_import_upload,
    start=forwarder_services.forwarder_import_start,
    cancel=forwarder_services.forwarder_import_cancel,
    description="Hanya admin. Kolom pratinjau: `company` = nama, `country` = kota, `products` = layanan. Jalankan "
    "dengan `POST /admin/forwarder-imports/{id}/start`.",
)


# --- export-document templates (admins) -------------------------------------------------------------------------


class DocumentTemplateIn(Schema):
    header: str = Field(default="", max_length=2000)
    notes: str = Field(default="", max_length=2000)
    terms: str = Field(default="", max_length=2000)
    footer: str = Field(default="", max_length=300)


class DocumentTemplateOut(Schema):
    kind: str
    kind_label: str
    header: str
    notes: str = Field(description="Isi awal catatan dokumen baru")
    terms: str
    footer: str
    updated_at: datetime | None


def _template_data(t: DocumentTemplate) -> dict:
    return {
        "kind": t.kind,
        "kind_label": str(t.get_kind_display()),
        **{f: getattr(t, f) for f in ("header", "notes", "terms", "footer")},
        "updated_at": t.updated_at if t.pk else None,
    }


def _admin(request):
    if not request.auth.has_role(Role.ADMIN):
        raise NotAllowed(_("Hanya admin yang mengelola templat dokumen."))


@router.get(
    "/admin/export-document-templates",
    response={200: list[DocumentTemplateOut], **R},
    summary="Templat dokumen ekspor per jenis (admin)",
)
def document_templates(request):
    _admin(request)
    return [_template_data(t) for t in document_services.document_templates()]


@router.put(
    "/admin/export-document-templates/{kind}",
    response={200: DocumentTemplateOut, **W},
    summary="Ubah templat satu jenis dokumen ekspor (admin): kop, catatan awal, syarat, footer",
)
@idempotent
def document_template_update(request, payload: DocumentTemplateIn, kind: DocKindIn):
    template = document_services.document_template_save(actor=request.auth, kind=kind, data=payload.dict())
    return _template_data(template)


# --- personal API keys (members) --------------------------------------------------------------------------------


class MemberApiKeyIn(Schema):
    name: str = Field(min_length=1, max_length=100, description='Untuk mengenali kunci, mis. "Sistem ERP kantor"')


class MemberApiKeyOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="Awal kunci (sgm_<prefix>_…), untuk mengenalinya")
    is_active: bool
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class MemberApiKeyCreatedOut(MemberApiKeyOut):
    secret: str = Field(description="Kunci lengkap; hanya ditampilkan sekali. Kirim sebagai X-API-Key atau Bearer.")


class MemberApiAccessOut(Schema):
    used: int
    limit: int | None = Field(
        description="Hari akses API per bulan; 0 = paket tidak termasuk akses API; null = tanpa batas"
    )
    label: str


class MemberApiKeysOut(Schema):
    keys: list[MemberApiKeyOut]
    max_active: int
    access: MemberApiAccessOut


def _key_data(key) -> dict:
    return {
        "id": key.pk,
        "name": key.name,
        "prefix": key.prefix,
        "is_active": key.is_active,
        "created_at": key.created_at,
        "last_used_at": key.last_used_at,
        "revoked_at": key.revoked_at,
    }


def _jwt_only(request):
    if getattr(request, "personal_api_key", None) is not None:
        raise NotAllowed(_("Kunci API pribadi tidak dapat mengelola kunci."))


@router.get(
    "/me/api-keys",
    response={200: MemberApiKeysOut, **R},
    summary="Kunci API pribadi saya dan akses API bulan ini",
)
def my_api_keys(request):
    _jwt_only(request)
    status = key_services.member_key_status(user=request.auth)
    return {
        "keys": [_key_data(k) for k in key_services.member_keys(user=request.auth)[:50]],
        "max_active": settings.DIRECTORY_API_KEYS_PER_USER,
        "access": {"used": status.used, "limit": status.limit, "label": status.label},
    }


@router.post(
    "/me/api-keys",
    response={201: MemberApiKeyCreatedOut, **W},
    summary="Buat kunci API pribadi (rahasianya hanya ditampilkan sekali)",
    description="Kunci membaca endpoint direktori (buyer, forwarder, member directory, kuota) sebagai Anda, dengan "
    "kuota Anda. 403 bila paket Anda belum termasuk akses API (errors.reason quota_locked).",
)
@idempotent
def my_api_key_create(request, payload: MemberApiKeyIn):
    _jwt_only(request)
    key, secret = key_services.member_key_create(user=request.auth, name=payload.name)
    return 201, {**_key_data(key), "secret": secret}


@router.post(
    "/me/api-keys/{key_id}/revoke",
    response={200: MemberApiKeyOut, **W},
    summary="Cabut kunci API pribadi",
)
@idempotent
def my_api_key_revoke(request, key_id: int = Path(..., ge=1, le=2_147_483_647)):
    _jwt_only(request)
    return _key_data(key_services.member_key_revoke(actor=request.auth, key_id=key_id))
