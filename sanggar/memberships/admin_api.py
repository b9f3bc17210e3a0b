"""Admin endpoints of memberships: every member's membership (paginated, filtered like /admin/memberships) and
the actions on one member's membership. The page and these call the same services."""

from datetime import date, datetime
from typing import Literal

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from sanggar.api.auth import admin_auth
from sanggar.api.idempotency import idempotent
from sanggar.api.schemas import ErrorOut
from sanggar.catalog.models import MembershipPlan, PlanPrice
from sanggar.core.exceptions import NotFound, ServiceError
from sanggar.core.site import absolute

from . import services_admin
from .api import membership_data
from .billing_port import plan_change_billing
from .schemas import MembershipOut
from .selectors import membership_active_for, membership_admin_list, membership_effective_status
from .services_admin import REASON_MAX

router = Router(tags=["admin: membership"])

PAGE_SIZE = 50


class AdminMembershipFilters(Schema):
    q: str = Field(default="", max_length=100, description="Cari nama atau email anggota.")
    plan: str = Field(default="", max_length=120, description="Slug paket.")
    status: Literal["", "running", "expired", "cancelled"] = Field(
        default="", description="running: aktif dan belum lewat tanggal berakhir."
    )
    source: Literal["", "order", "admin", "import"] = ""
    expiring_within_days: int | None = Field(default=None, ge=0, le=3650)
    page: int = Field(default=1, ge=1, le=100_000)


class MemberOut(Schema):
    id: int
    email: str
    full_name: str


class AdminMembershipOut(MembershipOut):
    id: int
    source: str
    user: MemberOut


class AdminMembershipPageOut(Schema):
    count: int
    next_page: int | None
    results: list[AdminMembershipOut]


def _admin_data(membership, now) -> dict:
    data = membership_data(membership, now)
    status = membership_effective_status(membership, now)
    data.update(
        id=membership.pk,
        status=status,
        source=membership.source,
        user={"id": membership.user.pk, "email": membership.user.email, "full_name": membership.user.full_name},
    )
    if status != "active":
        data["days_left"] = None if membership.ends_at is None else 0
    return data


@router.get(
    "/admin/memberships",
    auth=admin_auth,
    response={200: AdminMembershipPageOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Daftar membership anggota (admin)",
    description="Semua membership, terbaru dulu (atau yang paling cepat berakhir bila `expiring_within_days` diisi), "
    "50 per halaman; `next_page` null di halaman terakhir. `status` di jawaban: active, expired atau cancelled.",
)
def admin_membership_list(request, filters: Query[AdminMembershipFilters]):
    now = timezone.now()
    plan_id = None
    if filters.plan:
        plan_id = MembershipPlan.objects.filter(slug=filters.plan).values_list("pk", flat=True).first() or -1
    qs = membership_admin_list(
        q=filters.q.strip(), plan_id=plan_id, status=filters.status, source=filters.source,
        expiring_days=filters.expiring_within_days, now=now,
    )  # fmt: skip
    count = qs.count()
    start = (filters.page - 1) * PAGE_SIZE
    rows = list(qs[start : start + PAGE_SIZE]) if start < count else []
    return {
        "count": count,
        "next_page": filters.page + 1 if start + PAGE_SIZE < count else None,
        "results": [_admin_data(m, now) for m in rows],
    }


class MembershipActionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    action: Literal["grant", "extend", "change_plan", "cancel"]
    reason: str = Field(min_length=1, max_length=REASON_MAX, description="Wajib: dicatat di riwayat dan log.")
    plan: str | None = Field(default=None, max_length=120, description="grant, change_plan: slug paket.")
    duration: str | None = Field(
        default=None, max_length=10, description="grant, change_plan: 1m, 3m, 6m, 12m, lifetime."
    )
    days: int | None = Field(default=None, ge=1, le=3650, description="extend: tambah hari (atau `until`).")
    until: date | None = Field(default=None, description="extend: tanggal berakhir baru (atau `days`).")
    keep_end: bool = Field(
        default=True, description="change_plan tanpa tagihan: pertahankan tanggal berakhir sekarang."
    )
    charge: bool = Field(
        default=False,
        description="change_plan: true = buat tagihan selisih harga (harga opsi baru dikurangi sisa nilai paket "
        "sekarang, pro rata sisa hari); paket diganti setelah dibayar. false = ganti sekarang tanpa tagihan.",
    )
    expire: bool = Field(default=False, description="cancel: true = berakhir sekarang, false = dibatalkan.")


class PlanChangeOrderOut(Schema):
    invoice_number: str
    status: str = Field(description="`pending` (menunggu dibayar member) atau `paid` (Rp 0, paket sudah diganti).")
    subtotal: int
    discount: int = Field(description="Sisa nilai paket sekarang yang dipotong.")
    total: int
    invoice_url: str


class MembershipActionOut(Schema):
    action: str
    membership: AdminMembershipOut = Field(description="Membership sesudah aksi (untuk tagihan: yang masih berjalan).")
    order: PlanChangeOrderOut | None = Field(default=None, description="change_plan dengan `charge`: tagihannya.")
    at: datetime


def _plan_price(payload: MembershipActionIn) -> PlanPrice:
    if not payload.plan or not payload.duration:
        raise ServiceError(
            _("Isi paket dan durasinya."), errors={"plan": [_("Wajib untuk aksi ini.")]}, code="plan_required"
        )
    price = PlanPrice.objects.select_related("plan").filter(plan__slug=payload.plan, duration=payload.duration).first()
    if price is None:
        raise ServiceError(
            _("Paket dengan durasi itu tidak ada."), errors={"plan": [_("Paket atau durasi tidak dikenal.")]}
        )
    return price


@router.post(
    "/admin/users/{user_id}/membership",
    auth=admin_auth,
    response={200: MembershipActionOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Ubah membership anggota (admin)",
    description="`action`: `grant` (beri membership gratis tanpa pesanan dan tanpa bagi hasil; `plan`, `duration`), "
    "`extend` (`days` atau `until`), `change_plan` (`plan`, `duration`; tanpa tagihan dengan `keep_end`, atau dengan "
    "`charge`: tagihan selisih pro rata di `order`, paket diganti setelah dibayar) atau `cancel` "
    "(`expire`). `reason` wajib. Setiap aksi dicatat di activity log dan anggota diberi tahu.",
)
@idempotent
def admin_membership_action(request, user_id: int, payload: MembershipActionIn):
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise NotFound(_("Pengguna tidak ditemukan."))
    actor = request.auth
    if payload.action == "grant":
        membership = services_admin.membership_grant(
            user=user, plan_price=_plan_price(payload), reason=payload.reason, actor=actor
        )
    elif payload.action == "extend":
        membership = services_admin.membership_extend(
            user=user, days=payload.days, until=payload.until, reason=payload.reason, actor=actor
        )
    elif payload.action == "change_plan" and payload.charge:
        order = plan_change_billing()(user=user, plan_price=_plan_price(payload), reason=payload.reason, actor=actor)
        now = timezone.now()
        membership = membership_active_for(user=user, now=now)
        membership.user = user
        return {
            "action": payload.action,
            "membership": _admin_data(membership, now),
            "order": {
                "invoice_number": order.invoice_number, "status": order.status, "subtotal": order.subtotal,
                "discount": order.discount, "total": order.total,
                "invoice_url": absolute(reverse("orders:invoice", args=[order.invoice_number])),
            },
            "at": now,
        }  # fmt: skip
    elif payload.action == "change_plan":
        membership = services_admin.membership_change_plan(
            user=user, plan_price=_plan_price(payload), keep_end=payload.keep_end, reason=payload.reason, actor=actor
        )
    else:
        membership = services_admin.membership_cancel(
            user=user, expire=payload.expire, reason=payload.reason, actor=actor
        )
    now = timezone.now()
    membership.user = user
    return {"action": payload.action, "membership": _admin_data(membership, now), "at": now}
