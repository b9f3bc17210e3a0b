"""Input and output schemas of the documents API."""

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from .constants import API_PAGE_SIZE, NOTES_MAX


class DocumentFilters(Schema):
    q: str = Field(default="", max_length=100, description="Cari judul atau deskripsi.")
    category: int | None = Field(default=None, ge=1, le=2_147_483_647, description="Id kategori.")
    page: int = Field(default=1, ge=1, le=100_000, description=f"Halaman, mulai dari 1 ({API_PAGE_SIZE} per halaman).")


class DocumentAccessOut(Schema):
    allowed: bool
    reason: str = Field(description="Kosong bila boleh; selain itu alasan penolakan (premium_required, …).")
    message: str = Field(description="Pesan berbahasa Indonesia untuk ditampilkan.")
    action_label: str
    action_url: str


class DocumentCategoryOut(Schema):
    id: int
    name: str


class DocumentOut(Schema):
    id: int
    title: str
    description: str
    category: DocumentCategoryOut
    level: int = Field(description="Peringkat paket terendah yang membuka dokumen ini.")
    level_label: str
    file_type: str = Field(description="pdf, docx, xlsx, pptx atau zip.")
    size: int = Field(description="Ukuran berkas dalam byte.")
    views: int
    downloads: int = Field(description="Jumlah member berbeda yang mengunduh.")
    created_at: datetime
    locked: bool
    access: DocumentAccessOut


class DocumentPageOut(Schema):
    count: int
    next_page: int | None
    results: list[DocumentOut]


class DocumentLinkOut(Schema):
    url: str = Field(description="Link unduhan bertanda tangan, sekali pakai, untuk akun ini saja.")
    expires_in: int = Field(description="Detik sampai link kedaluwarsa.")


class DocumentHistoryFilters(Schema):
    page: int = Field(default=1, ge=1, le=100_000)


class DocumentDownloadOut(Schema):
    id: int
    document_id: int
    document_title: str
    membership_level: str
    status: str = Field(description="success, failed atau pending.")
    status_label: str
    reason: str
    created_at: datetime


class DocumentDownloadPageOut(Schema):
    count: int
    next_page: int | None
    results: list[DocumentDownloadOut]


class DocumentUserOut(Schema):
    id: int
    email: str
    full_name: str


class AdminDocumentDownloadOut(DocumentDownloadOut):
    user: DocumentUserOut
    ip: str | None
    device: str
    flagged: bool
    admin_verified: bool
    notes: str


class AdminDocumentDownloadPageOut(Schema):
    count: int
    next_page: int | None
    results: list[AdminDocumentDownloadOut]


class DocumentLogFilters(Schema):
    q: str = Field(default="", max_length=100, description="Cari nama, email atau judul dokumen.")
    status: Literal["", "success", "failed", "pending"] = ""
    flagged: bool = False
    page: int = Field(default=1, ge=1, le=100_000)


class DocumentVerifyIn(Schema):
    verified: bool = True
    notes: str = Field(default="", max_length=NOTES_MAX)
