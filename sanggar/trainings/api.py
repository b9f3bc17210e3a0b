"""Trainings API (issue 15): the open and published batches with their tiers, registering for a tier (an order like
`POST /orders`), and the member's trainings."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict, Field

from sanggar.api.auth import JWTAuth, jwt_auth
from sanggar.api.idempotency import idempotent
from sanggar.api.schemas import ErrorOut
from sanggar.core import request_context
from sanggar.core.roles import Role
from sanggar.orders.api import order_data
from sanggar.orders.checkout import checkout_place
from sanggar.orders.schemas import OrderOut, ProviderValue
from sanggar.orders.services import ItemRequest

from . import selectors, services
from .constants import ITEM_KIND
from .models import TrainingBatch, TrainingTier

router = Router(tags=["training"])
API_ORDER = 79
_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class _In(Schema):
    model_config = ConfigDict(extra="forbid")


class TrainingPageIn(_In):
    page: int = Field(default=1, ge=1, le=10_000)


class TrainingTierOut(Schema):
    slug: str
    name: str
    price: int
    benefits: list[str]
    access_days: int | None


class TrainingBatchOut(Schema):
    slug: str
    name: str
    starts_on: dt.date
    ends_on: dt.date
    location: str
    is_online: bool
    status: str
    capacity: int
    seats_taken: int
    trainer: str
    tiers: list[TrainingTierOut]


class TrainingBatchPageOut(Schema):
    count: int
    next_page: int | None
    results: list[TrainingBatchOut]


class MyTrainingOut(Schema):
    id: int
    batch: str
    batch_name: str
    tier: str
    tier_name: str
    price: int
    status: str
    status_label: str
    starts_on: dt.date
    ends_on: dt.date
    workspace_url: str


class MyTrainingPageOut(Schema):
    count: int
    next_page: int | None
    results: list[MyTrainingOut]


class TrainingRegisterIn(_In):
    provider: ProviderValue
    coupon: str = Field(default="", max_length=40)


def _tier(t) -> dict:
    return {
        "slug": t.slug,
        "name": t.name,
        "price": t.price,
        "benefits": t.benefit_list,
        "access_days": t.access_days,
    }


def _batch(b) -> dict:
    return {
        "slug": b.slug,
        "name": b.name,
        "starts_on": b.starts_on,
        "ends_on": b.ends_on,
        "location": b.location,
        "is_online": b.is_online,
        "status": b.status,
        "capacity": b.capacity,
        "seats_taken": b.seats_taken,
        "trainer": b.trainer,
        "tiers": [_tier(t) for t in b.tiers.all()],
    }


@router.get(
    "/trainings/batches", response={200: TrainingBatchPageOut, **_ERRORS}, auth=None, summary="Batch training dibuka"
)
def batches(request, filters: Query[TrainingPageIn]):
    count, next_page, rows = selectors.page(selectors.listed_batches(), filters.page)
    return {"count": count, "next_page": next_page, "results": [_batch(b) for b in rows]}


@router.post(
    "/trainings/batches/{batch}/tiers/{tier}/register",
    response={201: OrderOut, **_ERRORS},
    auth=jwt_auth,
    summary="Daftar tier training",
    description="Membuat pendaftaran dan pesanan seperti `POST /orders` untuk tier yang dipilih.",
)
@idempotent
def register(request, batch: str, tier: str, payload: TrainingRegisterIn):
    participant = services.register(user=request.auth, batch_slug=batch[:160], tier_slug=tier[:120])
    result = checkout_place(
        buyer=request.auth,
        items=[ItemRequest(kind=ITEM_KIND, slug=str(participant.pk))],
        coupon_code=payload.coupon,
        provider=payload.provider,
        client_ip=request_context.current().ip,
    )
    return Status(201, order_data(request, result.order, payment=result.payment, payment_error=result.error))


@router.get("/me/trainings", response={200: MyTrainingPageOut, **_ERRORS}, auth=jwt_auth, summary="Training saya")
def my_trainings(request, filters: Query[TrainingPageIn]):
    count, next_page, rows = selectors.page(selectors.my_trainings(request.auth), filters.page)
    return {
        "count": count,
        "next_page": next_page,
        "results": [
            {
                "id": p.pk,
                "batch": p.batch.slug,
                "batch_name": p.batch.name,
                "tier": p.tier.slug,
                "tier_name": p.tier.name,
                "price": p.tier.price,
                "status": p.status,
                "status_label": p.get_status_display(),
                "starts_on": p.batch.starts_on,
                "ends_on": p.batch.ends_on,
                "workspace_url": f"/training/{p.batch.slug}" if p.status == "paid" else "",
            }
            for p in rows
        ],
    }


class TierUpdateIn(_In):
    name: str | None = Field(default=None, max_length=120)
    price: int | None = Field(default=None, ge=0, le=1_000_000_000)
    benefits: str | None = Field(default=None, max_length=2000)
    access_days: int | None = Field(default=None, ge=1, le=3650)
    position: int | None = Field(default=None, ge=0, le=1000)
    scalev_variant_id: str | None = Field(default=None, max_length=80)
    course_ids: list[int] | None = Field(
        default=None, max_length=50, description="Kosong = semua kursus terbit, termasuk yang terbit nanti"
    )


class TierCreateIn(_In):
    name: str = Field(min_length=1, max_length=120)
    slug: str = Field(default="", max_length=120)
    price: int = Field(ge=0, le=1_000_000_000)
    benefits: str = Field(default="", max_length=2000)
    access_days: int | None = Field(default=None, ge=1, le=3650)
    position: int = Field(default=0, ge=0, le=1000)
    course_ids: list[int] = Field(default_factory=list, max_length=50)


class AdminTierOut(Schema):
    id: int
    slug: str
    name: str
    price: int
    access_days: int | None
    position: int
    scalev_variant_id: str
    course_ids: list[int]


class TierRegrantOut(Schema):
    changed: int


class BatchCreateIn(_In):
    name: str = Field(min_length=1, max_length=160)
    starts_on: dt.date
    ends_on: dt.date
    capacity: int = Field(ge=1, le=100_000)
    location: str = Field(default="", max_length=200)
    is_online: bool = False
    status: str = Field(default="draft", max_length=12, description="draft / open / published / closed")
    trainer: str = Field(default="", max_length=160)
    rundown: str = Field(default="", max_length=10_000)


class BatchUpdateIn(_In):
    name: str | None = Field(default=None, max_length=160)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    capacity: int | None = Field(default=None, ge=1, le=100_000)
    location: str | None = Field(default=None, max_length=200)
    is_online: bool | None = None
    status: str | None = Field(default=None, max_length=12)
    trainer: str | None = Field(default=None, max_length=160)
    rundown: str | None = Field(default=None, max_length=10_000)


class AdminBatchOut(Schema):
    id: int
    slug: str
    name: str
    starts_on: dt.date
    ends_on: dt.date
    location: str
    is_online: bool
    capacity: int
    status: str
    trainer: str
    rundown: str
    tiers: list[AdminTierOut]


class AdminBatchPageOut(Schema):
    count: int
    next_page: int | None
    results: list[AdminBatchOut]


_ADMIN = JWTAuth(roles=(Role.ADMIN,))


def _admin_tier(tier) -> dict:
    return {
        "id": tier.pk,
        "slug": tier.slug,
        "name": tier.name,
        "price": tier.price,
        "access_days": tier.access_days,
        "position": tier.position,
        "scalev_variant_id": tier.scalev_variant_id,
        "course_ids": sorted(c.pk for c in tier.courses.all()),
    }


def _admin_batch(batch) -> dict:
    return {
        "id": batch.pk,
        "slug": batch.slug,
        "name": batch.name,
        "starts_on": batch.starts_on,
        "ends_on": batch.ends_on,
        "location": batch.location,
        "is_online": batch.is_online,
        "capacity": batch.capacity,
        "status": batch.status,
        "trainer": batch.trainer,
        "rundown": batch.rundown,
        "tiers": [_admin_tier(t) for t in batch.tiers.all()],
    }


def _batch_with_tiers(pk: int):
    return get_object_or_404(selectors.admin_batches(), pk=pk)


@router.get(
    "/admin/trainings/batches",
    response={200: AdminBatchPageOut, **_ERRORS},
    auth=_ADMIN,
    summary="Semua batch training (admin)",
    description="Semua batch (termasuk draft dan ditutup) dengan tiernya, terbaru dulu, 20 per halaman.",
)
def admin_batches(request, filters: Query[TrainingPageIn]):
    count, next_page, rows = selectors.page(selectors.admin_batches(), filters.page)
    return {"count": count, "next_page": next_page, "results": [_admin_batch(b) for b in rows]}


@router.post(
    "/admin/trainings/batches",
    response={201: AdminBatchOut, **_ERRORS},
    auth=_ADMIN,
    summary="Buat batch training (admin)",
)
@idempotent
def admin_batch_create(request, payload: BatchCreateIn):
    data = payload.model_dump()
    rundown = data.pop("rundown")
    batch = services.batch_create(actor=request.auth, **data)
    if rundown:
        batch = services.batch_update(actor=request.auth, batch=batch, data={"rundown": rundown})
    return Status(201, _admin_batch(_batch_with_tiers(batch.pk)))


@router.patch(
    "/admin/trainings/batches/{int:batch_id}",
    response={200: AdminBatchOut, **_ERRORS},
    auth=_ADMIN,
    summary="Ubah batch training (admin)",
    description="Nama, tanggal, lokasi, kapasitas (tidak di bawah peserta yang sudah membayar), status, trainer, "
    "rundown; hanya kolom yang dikirim yang diubah.",
)
@idempotent
def admin_batch_update(request, batch_id: int, payload: BatchUpdateIn):
    batch = get_object_or_404(TrainingBatch, pk=batch_id)
    services.batch_update(actor=request.auth, batch=batch, data=payload.model_dump(exclude_unset=True))
    return _admin_batch(_batch_with_tiers(batch.pk))


@router.post(
    "/admin/trainings/batches/{int:batch_id}/tiers",
    response={201: AdminTierOut, **_ERRORS},
    auth=_ADMIN,
    summary="Tambah tier training (admin)",
)
@idempotent
def admin_tier_create(request, batch_id: int, payload: TierCreateIn):
    batch = get_object_or_404(TrainingBatch, pk=batch_id)
    tier = services.tier_create(actor=request.auth, batch=batch, **payload.model_dump())
    return Status(201, _admin_tier(tier))


@router.patch(
    "/admin/trainings/tiers/{int:tier_id}",
    response={200: AdminTierOut, **_ERRORS},
    auth=_ADMIN,
    summary="Ubah tier training (admin)",
    description="Mengubah nama, harga, benefit, masa akses, urutan, varian Scalev dan daftar kursus (ID kursus) "
    "sebuah tier. Daftar kursus yang berubah langsung berlaku untuk peserta yang sudah membayar.",
)
@idempotent
def tier_update(request, tier_id: int, payload: TierUpdateIn):
    tier = get_object_or_404(TrainingTier, pk=tier_id)
    data = payload.model_dump(exclude_unset=True)
    tier = services.tier_update(actor=request.auth, tier=tier, data=data)
    return _admin_tier(tier)


@router.post(
    "/admin/trainings/tiers/{int:tier_id}/regrant",
    response={200: TierRegrantOut, **_ERRORS},
    auth=_ADMIN,
    summary="Selaraskan akses kursus peserta tier (admin)",
    description="Memberi peserta yang sudah membayar kursus yang kini termasuk tier dan mencabut yang tidak lagi "
    "termasuk; `changed` = jumlah akses yang dibuat atau dicabut.",
)
@idempotent
def tier_regrant(request, tier_id: int):
    tier = get_object_or_404(TrainingTier, pk=tier_id)
    return {"changed": services.tier_regrant(tier=tier, actor=request.auth)}
