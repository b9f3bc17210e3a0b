"""Directory API for the Flutter apps: buyers (masked list, detail, opening with the quota, like, favourites,
report), the quota, admin / mentor buyer writes, forwarders and rate comparison, the member directory and the member's
card, and export documents with their PDF. Contacts never appear in an answer before the member opened the entry
this month; members have no export."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from ninja import Path, Query, Router, Schema
from pydantic import Field

from sanggar.api.auth import jwt_auth
from sanggar.api.idempotency import idempotent
from sanggar.api.schemas import ErrorOut
from sanggar.core.exceptions import NotAllowed, NotFound
from sanggar.core.listing import csv_response, xlsx_response

from . import buyer_services, document_services, forwarder_services, profile_services, selectors
from . import services as shared
from .api_auth import member_read_auth
from .api_extra import import_routes
from .api_extra import router as extra_router
from .constants import (
    API_PAGE_SIZE,
    FEATURE_BUYER,
    FEATURE_EXPORT_DOCUMENTS,
    FEATURE_FORWARDER,
    FEATURE_MEMBER_DIRECTORY,
    FEATURES,
    KIND_BUYER,
    KIND_EXPORT_DOCUMENT,
    KIND_FORWARDER,
)
from .countries import country_name, flag
from .gating import feature_api
from .models import Buyer, ExportDocument, Forwarder
from .pdf import PRICED, amount_words, document_pdf, document_rows

router = Router(tags=["direktori"], auth=jwt_auth)
router.add_router("", extra_router)
# Read endpoints marked `auth=member_read_auth` also accept the member's personal API key (api_auth.py).
API_ORDER = 64

W = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
R = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class DirectoryQuotaOut(Schema):
    kind: str
    used: int
    limit: int | None = Field(description="null: tanpa batas")
    remaining: int | None
    label: str = Field(description='mis. "3 dari 5 detail buyer bulan ini"')
    plan: str
    month: date


def quota_data(status: shared.QuotaStatus) -> dict:
    return {
        "kind": status.kind,
        "used": status.used,
        "limit": status.limit,
        "remaining": status.remaining,
        "label": status.label,
        "plan": status.plan_title,
        "month": status.month,
    }


class BuyerFilters(Schema):
    q: str = Field(default="", max_length=100)
    country: str = Field(default="", max_length=2)
    product: str = Field(default="", max_length=100)
    hs: str = Field(default="", max_length=10)
    verified: bool = False
    payment: str = Field(default="", max_length=50)
    incoterm: str = Field(default="", max_length=3)
    sort: Literal["baru", "populer", "disukai", "nama"] = "baru"
    page: int = Field(default=1, ge=1, le=100_000)


class BuyerOut(Schema):
    id: int
    company: str
    country: str
    country_name: str
    flag: str
    city: str
    products: str
    hs_codes: str
    annual_volume: str
    business_scale: str
    payment_terms: str
    shipping_terms: str
    is_verified: bool
    rating: int | None
    liked: bool
    opened: bool = Field(description="Dibuka bulan ini: kontak boleh dilihat lewat detail.")
    my_views: int
    created_at: datetime
    updated_at: datetime


class DirectoryContactOut(Schema):
    contact_person: str
    email: str
    phone: str
    whatsapp: str
    website: str
    address: str


class BuyerDetailOut(BuyerOut):
    description: str
    contact: DirectoryContactOut | None = Field(description="null sampai member membuka buyer ini bulan ini.")
    quota: DirectoryQuotaOut


class BuyerPageOut(Schema):
    count: int
    next_page: int | None
    results: list[BuyerOut]


class DirectoryLikeIn(Schema):
    liked: bool


class DirectoryReportIn(Schema):
    reason: Literal["wrong_contact", "wrong_data", "duplicate", "fake", "closed", "other"]
    detail: str = Field(default="", max_length=1000)


class DirectoryReportOut(Schema):
    id: int
    status: str


def _contact(obj) -> dict:
    return {f: getattr(obj, f) for f in ("contact_person", "email", "phone", "whatsapp", "website", "address")}


def _buyer_rows(user, buyers) -> list[dict]:
    ids = [b.pk for b in buyers]
    liked = shared.liked_ids(user=user, kind=KIND_BUYER, object_ids=ids)
    opened = shared.opened_ids(user=user, kind=KIND_BUYER, object_ids=ids)
    mine = selectors.my_view_counts(user=user, object_ids=ids)
    return [
        {
            "id": b.pk,
            "company": b.company,
            "country": b.country,
            "country_name": country_name(b.country),
            "flag": flag(b.country),
            "city": b.city,
            "products": b.products,
            "hs_codes": b.hs_codes,
            "annual_volume": b.annual_volume,
            "business_scale": b.business_scale,
            "payment_terms": b.payment_terms,
            "shipping_terms": b.shipping_terms,
            "is_verified": b.is_verified,
            "rating": b.rating,
            "liked": b.pk in liked,
            "opened": b.pk in opened,
            "my_views": mine.get(b.pk, 0),
            "created_at": b.created_at,
            "updated_at": b.updated_at,
        }
        for b in buyers
    ]


def _page(qs, page: int, rows):
    count = qs.count()
    start = (page - 1) * API_PAGE_SIZE
    items = list(qs[start : start + API_PAGE_SIZE]) if start < count else []
    return {"count": count, "next_page": page + 1 if start + API_PAGE_SIZE < count else None, "results": rows(items)}


def _buyer(pk: int) -> Buyer:
    buyer = selectors.buyer_get(pk=pk)
    if buyer is None:
        raise NotFound(_("Buyer tidak ditemukan."))
    return buyer


def _buyer_detail(user, buyer: Buyer) -> dict:
    row = _buyer_rows(user, [buyer])[0]
    return {
        **row,
        "description": buyer.description,
        "contact": _contact(buyer) if row["opened"] else None,
        "quota": quota_data(shared.quota_status(user=user, kind=KIND_BUYER)),
    }


@router.get(
    "/buyers", response={200: BuyerPageOut, **R}, summary="Database buyer (kontak tersembunyi)", auth=member_read_auth
)
@feature_api(FEATURE_BUYER)
def buyers(request, filters: Query[BuyerFilters]):
    buyer_services.buyer_access_check(request.auth)
    data = filters.dict()
    data["verified"] = "1" if filters.verified else ""
    if filters.page == 1 and (filters.country or filters.product or filters.hs):
        shared.search_record(
            user=request.auth, kind=KIND_BUYER, country=filters.country, product=filters.product or filters.hs
        )
    return _page(selectors.buyer_list(filters=data), filters.page, lambda items: _buyer_rows(request.auth, items))


@router.get("/buyers/favorites", response={200: BuyerPageOut, **R}, summary="Buyer favorit saya", auth=member_read_auth)
@feature_api(FEATURE_BUYER)
def buyer_favourites(request, page: int = Query(1, ge=1, le=100_000)):
    buyer_services.buyer_access_check(request.auth)
    return _page(selectors.buyer_favourites(user=request.auth), page, lambda items: _buyer_rows(request.auth, items))


@router.get(
    "/buyers/{buyer_id}",
    response={200: BuyerDetailOut, **R},
    summary="Detail buyer",
    description="Kontak berisi null sampai member membukanya (POST /buyers/{id}/view).",
    auth=member_read_auth,
)
@feature_api(FEATURE_BUYER)
def buyer_detail(request, buyer_id: int = Path(..., ge=1, le=2_147_483_647)):
    buyer_services.buyer_access_check(request.auth)
    return _buyer_detail(request.auth, _buyer(buyer_id))


@router.post(
    "/buyers/{buyer_id}/view",
    response={200: BuyerDetailOut, **W},
    summary="Buka kontak buyer (pakai kuota)",
    auth=member_read_auth,
    description="Pertama kali bulan ini memakai 1 kuota; berikutnya gratis. Kuota habis: 403 dengan alasan "
    "(errors.reason quota_exhausted / quota_locked) dan kuotanya (errors.quota).",
)
@idempotent
@feature_api(FEATURE_BUYER)
def buyer_view(request, buyer_id: int = Path(..., ge=1, le=2_147_483_647)):
    buyer = _buyer(buyer_id)
    buyer_services.buyer_open(user=request.auth, buyer=buyer)
    return _buyer_detail(request.auth, buyer)


@router.post("/buyers/{buyer_id}/like", response={200: BuyerDetailOut, **W}, summary="Simpan / batal simpan buyer")
@idempotent
@feature_api(FEATURE_BUYER)
def buyer_like(request, payload: DirectoryLikeIn, buyer_id: int = Path(..., ge=1, le=2_147_483_647)):
    buyer = _buyer(buyer_id)
    buyer_services.buyer_like(user=request.auth, buyer=buyer, liked=payload.liked)
    return _buyer_detail(request.auth, buyer)


@router.post("/buyers/{buyer_id}/report", response={201: DirectoryReportOut, **W}, summary="Laporkan buyer")
@idempotent
@feature_api(FEATURE_BUYER)
def buyer_report(request, payload: DirectoryReportIn, buyer_id: int = Path(..., ge=1, le=2_147_483_647)):
    report = buyer_services.buyer_report(
        user=request.auth, buyer=_buyer(buyer_id), reason=payload.reason, detail=payload.detail
    )
    return 201, {"id": report.pk, "status": report.status}


class RoleAccessIn(Schema):
    roles: list[str] = Field(max_length=20, description="Peran yang boleh membuka Database Buyer (admin selalu boleh).")


class RoleAccessOut(Schema):
    roles: list[str]


@router.get(
    "/admin/buyer-access", response={200: RoleAccessOut, **R}, summary="Peran yang boleh membuka Database Buyer"
)
def admin_buyer_access(request):
    if not buyer_services.can_archive(request.auth):  # admins only
        raise NotAllowed(_("Hanya admin yang mengatur akses direktori."))
    return {"roles": shared.role_access_roles(kind=KIND_BUYER)}


@router.put(
    "/admin/buyer-access", response={200: RoleAccessOut, **W}, summary="Ubah peran yang boleh membuka Database Buyer"
)
@idempotent
def admin_buyer_access_set(request, payload: RoleAccessIn):
    return {"roles": shared.role_access_set(actor=request.auth, kind=KIND_BUYER, roles=payload.roles)}


class FeatureGateOut(Schema):
    key: str
    title: str
    plans_only: bool = Field(description="true: hanya paket yang menyertakan fitur ini; false: semua member (kuota).")


class FeatureGateIn(Schema):
    plans_only: bool


def _feature_gates() -> list[dict]:
    return [{"key": key, "title": str(FEATURES[key]), "plans_only": on} for key, on in shared.feature_gates().items()]


@router.get(
    "/admin/directory-features",
    response={200: list[FeatureGateOut], **R},
    summary="Akses fitur direktori: semua member atau hanya paket yang menyertakannya",
)
def admin_feature_gates(request):
    if not buyer_services.can_archive(request.auth):  # admins only
        raise NotAllowed(_("Hanya admin yang mengatur akses direktori."))
    return _feature_gates()


@router.put(
    "/admin/directory-features/{key}",
    response={200: list[FeatureGateOut], **W},
    summary="Ubah akses satu fitur direktori",
)
@idempotent
def admin_feature_gate_set(request, payload: FeatureGateIn, key: str = Path(..., max_length=60)):
    shared.feature_gate_set(actor=request.auth, key=key, plans_only=payload.plans_only)
    return _feature_gates()


@router.get(
    "/me/buyer-quota",
    response={200: DirectoryQuotaOut, **R},
    summary="Kuota buyer saya bulan ini",
    auth=member_read_auth,
)
@feature_api(FEATURE_BUYER)
def my_buyer_quota(request):
    buyer_services.buyer_access_check(request.auth)
    return quota_data(shared.quota_status(user=request.auth, kind=KIND_BUYER))


@router.get(
    "/me/directory-quota",
    response={200: list[DirectoryQuotaOut], **R},
    summary="Semua kuota direktori saya",
    auth=member_read_auth,
)
def my_quotas(request):
    return [
        quota_data(shared.quota_status(user=request.auth, kind=k))
        for k in (KIND_BUYER, KIND_FORWARDER, KIND_EXPORT_DOCUMENT)
    ]


# --- admins and mentors ----------------------------------------------------------------------------------------------


class BuyerIn(Schema):
    company: str = Field(max_length=200)
    country: str = Field(max_length=60, description="Kode ISO 2 huruf atau nama negara.")
    city: str = Field(default="", max_length=100)
    products: str = Field(max_length=500)
    hs_codes: str = Field(default="", max_length=200)
    annual_volume: str = Field(default="", max_length=100)
    business_scale: Literal["", "small", "medium", "large"] = ""
    payment_terms: str = Field(default="", max_length=100)
    shipping_terms: str = Field(default="", max_length=3)
    description: str = Field(default="", max_length=2000)
    contact_person: str = Field(default="", max_length=100)
    email: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=40)
    whatsapp: str = Field(default="", max_length=40)
    website: str = Field(default="", max_length=200)
    address: str = Field(default="", max_length=300)
    source: str = Field(default="", max_length=100)
    notes: str = Field(default="", max_length=2000)
    is_verified: bool = False
    rating: int | None = Field(default=None, ge=1, le=5)


class BuyerAdminOut(BuyerIn):
    id: int
    status: str
    view_count: int
    like_count: int
    created_at: datetime
    updated_at: datetime


class BuyerStatusIn(Schema):
    status: Literal["active", "hidden", "archived"]


def _admin_data(b: Buyer) -> dict:
    return {
        **{f: getattr(b, f) for f in buyer_services.FIELDS},
        "id": b.pk,
        "status": b.status,
        "view_count": b.view_count,
        "like_count": b.like_count,
        "created_at": b.created_at,
        "updated_at": b.updated_at,
    }


def _managed(request, pk: int) -> Buyer:
    if not buyer_services.can_manage(request.auth):
        raise NotAllowed(_("Hanya admin dan mentor."))
    buyer = selectors.buyer_get(pk=pk, admin=True)
    if buyer is None:
        raise NotFound(_("Buyer tidak ditemukan."))
    return buyer


@router.post("/admin/buyers", response={201: BuyerAdminOut, **W}, summary="Tambah buyer (admin / mentor)")
@idempotent
def admin_buyer_create(request, payload: BuyerIn):
    return 201, _admin_data(buyer_services.buyer_create(actor=request.auth, data=payload.dict()))


@router.put("/admin/buyers/{buyer_id}", response={200: BuyerAdminOut, **W}, summary="Ubah buyer (admin / mentor)")
@idempotent
def admin_buyer_update(request, payload: BuyerIn, buyer_id: int = Path(..., ge=1, le=2_147_483_647)):
    buyer = _managed(request, buyer_id)
    return _admin_data(buyer_services.buyer_update(actor=request.auth, buyer=buyer, data=payload.dict()))


@router.post(
    "/admin/buyers/{buyer_id}/status",
    response={200: BuyerAdminOut, **W},
    summary="Sembunyikan, tampilkan, arsipkan atau pulihkan buyer",
)
@idempotent
def admin_buyer_status(request, payload: BuyerStatusIn, buyer_id: int = Path(..., ge=1, le=2_147_483_647)):
    buyer = _managed(request, buyer_id)
    return _admin_data(buyer_services.buyer_set_status(actor=request.auth, buyer=buyer, status=payload.status))


# --- import and export (the same services as the admin pages) -------------------------------------------------------


import_routes(
    path="/admin/buyer-imports",
    noun="buyer",
    target="buyer",
    may=buyer_services.can_manage,
    refused=_l("Hanya admin dan mentor."),
    upload=buyer_services.buyer_import_upload,
    start=buyer_services.buyer_import_start,
    cancel=buyer_services.buyer_import_cancel,
    description="Belum ada yang ditulis: jalankan dengan `POST /admin/buyer-imports/{id}/start`. "
    "`mode`: `skip` melewati buyer yang sudah ada, `update` memperbaruinya.",
)


class BuyerExportFilters(Schema):
    format: Literal["csv", "xlsx"] = "xlsx"
    q: str = Field(default="", max_length=100)
    country: str = Field(default="", max_length=2)
    product: str = Field(default="", max_length=100)
    hs: str = Field(default="", max_length=10)
    verified: bool = False
    status: Literal["", "active", "hidden", "archived"] = ""
    sort: Literal["baru", "populer", "disukai", "nama"] = "baru"


@router.get(
    "/admin/buyer-export",
    response={200: None, **R},
    summary="Ekspor buyer hasil filter ke Excel / CSV (hanya admin; member tidak pernah bisa mengekspor)",
    openapi_extra={
        "responses": {
            "200": {
                "description": "XLSX atau CSV",
                "content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}, "text/csv": {}},
            }
        }
    },
)
def admin_buyer_export(request, filters: Query[BuyerExportFilters]):
    data = filters.dict()
    file_format = data.pop("format")
    data["verified"] = "1" if filters.verified else ""
    rows = buyer_services.buyer_export(actor=request.auth, filters=data, file_format=file_format)
    if file_format == "xlsx":
        return xlsx_response("buyer.xlsx", buyer_services.EXPORT_HEADER, rows, sheet="Buyer")
    return csv_response("buyer.csv", buyer_services.EXPORT_HEADER, rows)


# --- forwarders ------------------------------------------------------------------------------------------------------


class ForwarderRateOut(Schema):
    id: int
    forwarder_id: int
    forwarder: str
    forwarder_verified: bool
    origin_port: str
    destination_port: str
    destination_country: str
    mode: str
    mode_label: str
    price: int = Field(description="Rupiah")
    transit_days: int | None
    valid_until: date | None
    notes: str
    source: str = Field(description="Sumber tarif")
    updated_at: datetime = Field(description="Terakhir diperbarui")


class DirectoryRatingSummaryOut(Schema):
    average: float | None = Field(description="Rata-rata bintang (1–5), satu desimal; null bila belum ada.")
    count: int


class DirectoryReviewOut(Schema):
    stars: int
    comment: str
    author: str
    updated_at: datetime


class DirectoryRatingIn(Schema):
    stars: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=500)


class DirectoryMyRatingOut(Schema):
    stars: int
    comment: str
    is_hidden: bool = Field(description="Disembunyikan admin: tidak dihitung dalam rata-rata.")
    updated_at: datetime


class DirectoryRatingsOut(Schema):
    summary: DirectoryRatingSummaryOut
    may_rate: bool = Field(description="Member sudah membuka kontaknya, jadi boleh memberi rating.")
    mine: DirectoryMyRatingOut | None
    reviews: list[DirectoryReviewOut]


def ratings_data(user, *, kind: str, object_id: int) -> dict:
    """The ratings block of a supplier's or forwarder's detail (suppliers' API uses it too)."""
    summary = shared.rating_summary(kind=kind, object_id=object_id)
    mine = shared.rating_of(user=user, kind=kind, object_id=object_id)
    return {
        "summary": {"average": summary.average, "count": summary.count},
        "may_rate": shared.may_rate(user=user, kind=kind, object_id=object_id),
        "mine": None if mine is None else {
            "stars": mine.stars, "comment": mine.comment, "is_hidden": mine.is_hidden, "updated_at": mine.updated_at,
        },
        "reviews": [
            {"stars": r.stars, "comment": r.comment, "author": (r.user.full_name or "Member")[:60],
             "updated_at": r.updated_at}
            for r in shared.ratings_recent(kind=kind, object_id=object_id)
        ],
    }  # fmt: skip


class ForwarderOut(Schema):
    id: int
    name: str
    city: str
    province: str
    services: list[str]
    ports: str
    routes: str
    description: str
    is_verified: bool
    liked: bool
    opened: bool
    rating: DirectoryRatingSummaryOut


class ForwarderDetailOut(ForwarderOut):
    contact: DirectoryContactOut | None
    rates: list[ForwarderRateOut]
    quota: DirectoryQuotaOut
    ratings: DirectoryRatingsOut


class ForwarderPageOut(Schema):
    count: int
    next_page: int | None
    results: list[ForwarderOut]


class ForwarderRatePageOut(Schema):
    count: int
    next_page: int | None
    results: list[ForwarderRateOut]


class ForwarderFilters(Schema):
    q: str = Field(default="", max_length=100)
    service: str = Field(default="", max_length=20)
    verified: bool = False
    page: int = Field(default=1, ge=1, le=100_000)


class ForwarderRateFilters(Schema):
    origin: str = Field(default="", max_length=100)
    destination: str = Field(default="", max_length=100)
    country: str = Field(default="", max_length=2)
    mode: Literal["", "fcl20", "fcl40", "lcl", "air"] = ""
    page: int = Field(default=1, ge=1, le=100_000)


def _rate_data(r) -> dict:
    return {
        "id": r.pk,
        "forwarder_id": r.forwarder_id,
        "forwarder": r.forwarder.name,
        "forwarder_verified": r.forwarder.is_verified,
        "origin_port": r.origin_port,
        "destination_port": r.destination_port,
        "destination_country": r.destination_country,
        "mode": r.mode,
        "mode_label": str(r.get_mode_display()),
        "price": r.price,
        "transit_days": r.transit_days,
        "valid_until": r.valid_until,
        "notes": r.notes,
        "source": r.source,
        "updated_at": r.updated_at,
    }


def _forwarder_rows(user, items) -> list[dict]:
    ids = [f.pk for f in items]
    liked = shared.liked_ids(user=user, kind=KIND_FORWARDER, object_ids=ids)
    opened = shared.opened_ids(user=user, kind=KIND_FORWARDER, object_ids=ids)
    ratings = shared.rating_summaries(kind=KIND_FORWARDER, object_ids=ids)
    return [
        {
            "id": f.pk,
            "name": f.name,
            "city": f.city,
            "province": f.province,
            "services": f.service_list,
            "ports": f.ports,
            "routes": f.routes,
            "description": f.description,
            "is_verified": f.is_verified,
            "liked": f.pk in liked,
            "opened": f.pk in opened,
            "rating": {
                "average": ratings[f.pk].average if f.pk in ratings else None,
                "count": ratings[f.pk].count if f.pk in ratings else 0,
            },
        }
        for f in items
    ]


def _forwarder(pk: int) -> Forwarder:
    forwarder = selectors.forwarder_get(pk=pk)
    if forwarder is None:
        raise NotFound(_("Forwarder tidak ditemukan."))
    return forwarder


def _forwarder_detail(user, forwarder: Forwarder) -> dict:
    row = _forwarder_rows(user, [forwarder])[0]
    rates = forwarder.rates.select_related("forwarder").order_by("destination_country", "mode", "price")[:200]
    return {
        **row,
        "contact": _contact(forwarder) if row["opened"] else None,
        "rates": [_rate_data(r) for r in rates],
        "quota": quota_data(shared.quota_status(user=user, kind=KIND_FORWARDER)),
        "ratings": ratings_data(user, kind=KIND_FORWARDER, object_id=forwarder.pk),
    }


@router.get("/forwarders", response={200: ForwarderPageOut, **R}, summary="Database forwarder", auth=member_read_auth)
@feature_api(FEATURE_FORWARDER)
def forwarders(request, filters: Query[ForwarderFilters]):
    data = {"q": filters.q, "service": filters.service, "verified": "1" if filters.verified else ""}
    return _page(
        selectors.forwarder_list(filters=data), filters.page, lambda items: _forwarder_rows(request.auth, items)
    )


@router.get(
    "/forwarders/rates",
    response={200: ForwarderRatePageOut, **R},
    summary="Bandingkan tarif per rute (termurah dulu)",
    auth=member_read_auth,
)
@feature_api(FEATURE_FORWARDER)
def forwarder_rates(request, filters: Query[ForwarderRateFilters]):
    qs = selectors.rate_compare(
        origin=filters.origin, destination=filters.destination, country=filters.country, mode=filters.mode
    )
    return _page(qs, filters.page, lambda items: [_rate_data(r) for r in items])


@router.get(
    "/forwarders/{forwarder_id}",
    response={200: ForwarderDetailOut, **R},
    summary="Detail forwarder",
    auth=member_read_auth,
)
@feature_api(FEATURE_FORWARDER)
def forwarder_detail(request, forwarder_id: int = Path(..., ge=1, le=2_147_483_647)):
    return _forwarder_detail(request.auth, _forwarder(forwarder_id))


@router.post(
    "/forwarders/{forwarder_id}/view",
    response={200: ForwarderDetailOut, **W},
    summary="Buka kontak forwarder (pakai kuota)",
    auth=member_read_auth,
)
@idempotent
@feature_api(FEATURE_FORWARDER)
def forwarder_view(request, forwarder_id: int = Path(..., ge=1, le=2_147_483_647)):
    forwarder = _forwarder(forwarder_id)
    forwarder_services.forwarder_open(user=request.auth, forwarder=forwarder)
    return _forwarder_detail(request.auth, forwarder)


@router.post("/forwarders/{forwarder_id}/like", response={200: ForwarderDetailOut, **W}, summary="Simpan forwarder")
@idempotent
@feature_api(FEATURE_FORWARDER)
def forwarder_like(request, payload: DirectoryLikeIn, forwarder_id: int = Path(..., ge=1, le=2_147_483_647)):
    forwarder = _forwarder(forwarder_id)
    forwarder_services.forwarder_like(user=request.auth, forwarder=forwarder, liked=payload.liked)
    return _forwarder_detail(request.auth, forwarder)


@router.post("/forwarders/{forwarder_id}/report", response={201: DirectoryReportOut, **W}, summary="Laporkan forwarder")
@idempotent
@feature_api(FEATURE_FORWARDER)
def forwarder_report(request, payload: DirectoryReportIn, forwarder_id: int = Path(..., ge=1, le=2_147_483_647)):
    report = forwarder_services.forwarder_report(
        user=request.auth, forwarder=_forwarder(forwarder_id), reason=payload.reason, detail=payload.detail
    )
    return 201, {"id": report.pk, "status": report.status}


@router.post(
    "/forwarders/{forwarder_id}/rating",
    response={200: DirectoryRatingsOut, **W},
    summary="Beri / perbarui rating forwarder (1–5 bintang, setelah membuka kontaknya)",
)
@idempotent
@feature_api(FEATURE_FORWARDER)
def forwarder_rate(request, payload: DirectoryRatingIn, forwarder_id: int = Path(..., ge=1, le=2_147_483_647)):
    forwarder = _forwarder(forwarder_id)
    shared.rating_save(
        user=request.auth, kind=KIND_FORWARDER, object_id=forwarder.pk, stars=payload.stars, comment=payload.comment
    )
    return ratings_data(request.auth, kind=KIND_FORWARDER, object_id=forwarder.pk)


# --- member directory ------------------------------------------------------------------------------------------------


class DirectoryMemberOut(Schema):
    id: int
    name: str
    business_name: str
    headline: str
    province: str
    city: str
    products: str
    bio: str
    whatsapp: str
    email: str


class DirectoryMemberPageOut(Schema):
    count: int
    next_page: int | None
    results: list[DirectoryMemberOut]


class DirectoryProfileIn(Schema):
    is_listed: bool = False
    business_name: str = Field(default="", max_length=200)
    headline: str = Field(default="", max_length=200)
    products: str = Field(default="", max_length=300)
    interests: str = Field(default="", max_length=300)
    address: str = Field(default="", max_length=300)
    npwp: str = Field(default="", max_length=30)
    show_city: bool = True
    show_products: bool = True
    show_bio: bool = True
    show_whatsapp: bool = False
    show_email: bool = False


class DirectoryProfileOut(DirectoryProfileIn):
    pass


@router.get(
    "/members/directory",
    response={200: DirectoryMemberPageOut, **R},
    summary="Member directory per provinsi / kota",
    auth=member_read_auth,
)
@feature_api(FEATURE_MEMBER_DIRECTORY)
def member_directory(
    request,
    province: str = Query("", max_length=64),
    city: str = Query("", max_length=100),
    q: str = Query("", max_length=100),
    page: int = Query(1, ge=1, le=100_000),
):
    qs = selectors.member_directory(province=province, city=city, q=q)
    return _page(qs, page, lambda items: [selectors.member_card(p) for p in items])


def _profile_data(p) -> dict:
    return {f: getattr(p, f) for f in DirectoryProfileIn.model_fields}


@router.get("/me/directory-profile", response={200: DirectoryProfileOut, **R}, summary="Profil direktori saya")
def my_profile(request):
    return _profile_data(profile_services.profile_get(user=request.auth))


@router.put("/me/directory-profile", response={200: DirectoryProfileOut, **W}, summary="Simpan profil direktori saya")
@idempotent
def my_profile_save(request, payload: DirectoryProfileIn):
    return _profile_data(profile_services.profile_save(user=request.auth, data=payload.dict()))


# --- export documents ------------------------------------------------------------------------------------------------

DocKind = Literal["packing_list", "commercial_invoice", "proforma_invoice", "shipping_instruction", "coo_draft"]
Number = Decimal | None


class ExportItemIn(Schema):
    description: str = Field(max_length=300)
    hs_code: str = Field(default="", max_length=12)
    quantity: Decimal = Field(gt=0, max_digits=14, decimal_places=3)
    unit: str = Field(max_length=10)
    net_weight: Number = Field(default=None, ge=0, max_digits=14, decimal_places=3)
    gross_weight: Number = Field(default=None, ge=0, max_digits=14, decimal_places=3)
    unit_price: Number = Field(default=None, ge=0, max_digits=16, decimal_places=2)
    packages: int | None = Field(default=None, ge=0, le=10_000_000, description="Jumlah kemasan")
    dimensions: str = Field(default="", max_length=60, description='Ukuran per kemasan, mis. "60 x 40 x 30 cm"')


class ExportDocumentIn(Schema):
    kind: DocKind
    buyer: int | None = Field(default=None, ge=1, le=2_147_483_647)
    items: list[ExportItemIn] = Field(min_length=1, max_length=100)
    issue_date: date | None = None
    exporter_name: str = Field(default="", max_length=200)
    exporter_address: str = Field(default="", max_length=300)
    exporter_contact: str = Field(default="", max_length=200)
    exporter_npwp: str = Field(default="", max_length=30)
    consignee_name: str = Field(default="", max_length=200)
    consignee_address: str = Field(default="", max_length=300)
    consignee_country: str = Field(default="", max_length=60)
    notify_party: str = Field(default="", max_length=300)
    marks: str = Field(default="", max_length=300, description="Tanda kemasan (shipping marks)")
    currency: str = Field(default="USD", max_length=3)
    incoterm: str = Field(default="", max_length=3)
    port_of_loading: str = Field(default="", max_length=100)
    port_of_discharge: str = Field(default="", max_length=100)
    vessel: str = Field(default="", max_length=100)
    payment_terms: str = Field(default="", max_length=200)
    notes: str = Field(default="", max_length=2000)


class ExportDocumentUpdateIn(Schema):
    items: list[ExportItemIn] = Field(min_length=1, max_length=100)
    buyer: int | None = Field(default=None, ge=1, le=2_147_483_647)
    issue_date: date | None = None
    exporter_name: str = Field(default="", max_length=200)
    exporter_address: str = Field(default="", max_length=300)
    exporter_contact: str = Field(default="", max_length=200)
    exporter_npwp: str = Field(default="", max_length=30)
    consignee_name: str = Field(default="", max_length=200)
    consignee_address: str = Field(default="", max_length=300)
    consignee_country: str = Field(default="", max_length=60)
    notify_party: str = Field(default="", max_length=300)
    marks: str = Field(default="", max_length=300, description="Tanda kemasan (shipping marks)")
    currency: str = Field(default="USD", max_length=3)
    incoterm: str = Field(default="FOB", max_length=3)
    port_of_loading: str = Field(default="", max_length=100)
    port_of_discharge: str = Field(default="", max_length=100)
    vessel: str = Field(default="", max_length=100)
    payment_terms: str = Field(default="", max_length=200)
    notes: str = Field(default="", max_length=2000)


class ExportItemOut(Schema):
    description: str
    hs_code: str
    quantity: Decimal
    unit: str
    net_weight: Decimal | None
    gross_weight: Decimal | None
    unit_price: Decimal | None
    packages: int | None
    dimensions: str


class ExportDocumentOut(Schema):
    id: int
    kind: str
    kind_label: str
    number: str
    issue_date: date
    buyer: int | None
    exporter_name: str
    exporter_address: str
    exporter_contact: str
    exporter_npwp: str
    consignee_name: str
    consignee_address: str
    consignee_country: str
    notify_party: str
    marks: str
    currency: str
    incoterm: str
    port_of_loading: str
    port_of_discharge: str
    vessel: str
    payment_terms: str
    notes: str
    items: list[ExportItemOut]
    total: Decimal | None = Field(description="Nilai total (invoice saja)")
    amount_in_words: str | None = Field(description='Invoice: mis. "US Dollars One Thousand Two Hundred and 50/100"')
    amount_terbilang: str | None = Field(description="Invoice dalam rupiah: terbilang bahasa Indonesia")
    pdf_url: str
    updated_at: datetime


class ExportDocumentPageOut(Schema):
    count: int
    next_page: int | None
    results: list[ExportDocumentOut]


def _document_data(d: ExportDocument) -> dict:
    fields = (
        "number",
        "issue_date",
        "exporter_name",
        "exporter_address",
        "exporter_contact",
        "exporter_npwp",
        "consignee_name",
        "consignee_address",
        "consignee_country",
        "notify_party",
        "marks",
        "currency",
        "incoterm",
        "port_of_loading",
        "port_of_discharge",
        "vessel",
        "payment_terms",
        "notes",
        "updated_at",
        "kind",
    )
    items = list(d.items.all())
    words = None
    total = None
    if d.kind in PRICED:
        total = document_rows(items)[1]
        words = amount_words(total=total, currency=d.currency)
    return {
        **{f: getattr(d, f) for f in fields},
        "total": total,
        "amount_in_words": words["en"] if words else None,
        "amount_terbilang": (words["id"] or None) if words else None,
        "id": d.pk,
        "kind_label": str(d.get_kind_display()),
        "buyer": d.buyer_id,
        "pdf_url": f"/api/v1/export-documents/{d.pk}/pdf",
        "items": [{f: getattr(i, f) for f in ExportItemOut.model_fields} for i in items],
    }


def _own_document(request, pk: int) -> ExportDocument:
    document = selectors.document_for(user=request.auth, pk=pk)
    if document is None:
        raise NotFound(_("Dokumen tidak ditemukan."))
    return document


@router.get("/export-documents", response={200: ExportDocumentPageOut, **R}, summary="Dokumen ekspor saya")
@feature_api(FEATURE_EXPORT_DOCUMENTS)
def documents(request, page: int = Query(1, ge=1, le=100_000)):
    qs = selectors.documents_for(user=request.auth).prefetch_related("items")
    return _page(qs, page, lambda items: [_document_data(d) for d in items])


@router.post(
    "/export-documents",
    response={201: ExportDocumentOut, **W},
    summary="Buat dokumen ekspor (pakai kuota)",
    description="Kolom eksportir / penerima yang kosong diisi dari profil direktori dan buyer.",
)
@idempotent
@feature_api(FEATURE_EXPORT_DOCUMENTS)
def document_create(request, payload: ExportDocumentIn):
    data = payload.dict(exclude={"kind", "items"})
    items = [i.dict() for i in payload.items]
    document = document_services.document_create(user=request.auth, kind=payload.kind, data=data, items=items)
    return 201, _document_data(selectors.document_for(user=request.auth, pk=document.pk))


@router.get("/export-documents/{document_id}", response={200: ExportDocumentOut, **R}, summary="Satu dokumen ekspor")
@feature_api(FEATURE_EXPORT_DOCUMENTS)
def document_detail(request, document_id: int = Path(..., ge=1, le=2_147_483_647)):
    return _document_data(_own_document(request, document_id))


@router.put(
    "/export-documents/{document_id}", response={200: ExportDocumentOut, **W}, summary="Ubah draf dokumen ekspor"
)
@idempotent
@feature_api(FEATURE_EXPORT_DOCUMENTS)
def document_update(request, payload: ExportDocumentUpdateIn, document_id: int = Path(..., ge=1, le=2_147_483_647)):
    document = _own_document(request, document_id)
    data = payload.dict(exclude={"items"})
    document_services.document_update(
        user=request.auth, document=document, data=data, items=[i.dict() for i in payload.items]
    )
    return _document_data(_own_document(request, document_id))


@router.get(
    "/export-documents/{document_id}/pdf",
    response={200: None, **R},
    summary="PDF dokumen ekspor",
    openapi_extra={"responses": {"200": {"description": "PDF", "content": {"application/pdf": {}}}}},
)
@feature_api(FEATURE_EXPORT_DOCUMENTS)
def document_pdf_download(request, document_id: int = Path(..., ge=1, le=2_147_483_647)):
    document = _own_document(request, document_id)
    response = HttpResponse(document_pdf(document=document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.number.replace("/", "-")}.pdf"'
    return response
