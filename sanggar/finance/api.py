"""The finance API: the signed-in user's wallets and payout requests; the admin's finance summary and payout
decisions. Every write calls a finance service."""

from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from sanggar.api.auth import JWTAuth, admin_auth, jwt_auth
from sanggar.api.idempotency import idempotent
from sanggar.api.schemas import ErrorOut
from sanggar.core.exceptions import ServiceError
from sanggar.core.listing import parse_date
from sanggar.core.roles import Role

from . import selectors, services
from .models import Payout
from .schemas import (
    FinanceSummaryOut,
    MentorSalesOut,
    MentorSalesQuery,
    PayoutApproveIn,
    PayoutIn,
    PayoutOut,
    PayoutRejectIn,
    SummaryQuery,
    WalletOut,
)
from .selectors_mentor import mentor_months, mentor_sales

router = Router(tags=["keuangan"])
# Mounted by `sanggar.api.api` (discovery): this app's routers, at this place in the document.
API_ORDER = 90
finance_auth = JWTAuth(roles=(Role.ADMIN, Role.FOUNDER, Role.COFOUNDER))
mentor_auth = JWTAuth(roles=(Role.MENTOR,))
MENTOR_SALES_PAGE = 20


def payout_data(payout: Payout) -> dict:
    return {
        "id": payout.pk,
        "wallet_kind": payout.wallet_kind,
        "amount": payout.amount,
        "status": payout.status,
        "bank_name": payout.bank_name,
        "bank_account_number": payout.bank_account_number,
        "bank_account_holder": payout.bank_account_holder,
        "requested_at": payout.requested_at,
        "decided_at": payout.decided_at,
        "transfer_reference": payout.transfer_reference,
        "reason": payout.reason,
    }


@router.get(
    "/me/wallets",
    auth=jwt_auth,
    response={200: list[WalletOut], 401: ErrorOut},
    summary="Dompet saya",
    description="Satu entri per dompet (affiliate, mentor, founder, cofounder) yang dimiliki pengguna: saldo tertahan "
    "(`pending`), tersedia, sedang diajukan (`reserved`) dan sudah ditarik (`paid_out`). Satu query.",
)
def my_wallets(request):
    return [
        {
            "kind": w.kind,
            "label": w.label,
            "pending": w.pending,
            "available": w.available,
            "reserved": w.reserved,
            "paid_out": w.paid_out,
        }
        for w in selectors.wallet_balances(user=request.auth)
    ]


@router.post(
    "/me/payouts",
    auth=jwt_auth,
    response={201: PayoutOut, 400: ErrorOut, 401: ErrorOut, 422: ErrorOut},
    summary="Ajukan penarikan dana",
    description="Memindahkan `amount` dari saldo tersedia ke pengajuan. Ditolak (400) bila melebihi saldo tersedia "
    "(`errors.amount`), di bawah minimal penarikan, atau data rekening tidak valid.",
)
@idempotent
def payout_create(request, payload: PayoutIn):
    payout = services.payout_request(user=request.auth, **payload.model_dump())
    return Status(201, payout_data(payout))


@router.get(
    "/admin/finance/summary",
    auth=finance_auth,
    response={200: FinanceSummaryOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut},
    summary="Ringkasan keuangan (admin, founder)",
    description="Angka bagi hasil yang diposting pada rentang `from`–`to` (YYYY-MM-DD, WIB, inklusif; default bulan "
    "ini): pendapatan kotor, komisi affiliate, bagian mentor, bagian perusahaan (fee + sisa), founder, co-founder, "
    "refund, penarikan dibayar. Akhir rentang setelah hari ini dipotong ke hari ini; `date_from`/`date_to` selalu "
    "menyebut rentang yang dipakai dan `range_note` alasannya bila berbeda. Rentang lebih panjang dari batas "
    "(FINANCE_RANGE_MAX_DAYS) dijawab 400 dengan alasannya.",
)
def finance_summary(request, filters: Query[SummaryQuery]):
    raw_from, raw_to = filters.date_from.strip(), filters.date_to.strip()
    parsed_from, parsed_to = parse_date(raw_from), parse_date(raw_to)
    errors = {}
    if raw_from and parsed_from is None:
        errors["from"] = [_("Tanggal harus berformat YYYY-MM-DD.")]
    if raw_to and parsed_to is None:
        errors["to"] = [_("Tanggal harus berformat YYYY-MM-DD.")]
    if errors:
        raise ServiceError(_("Tanggal harus berformat YYYY-MM-DD."), errors=errors)
    used = selectors.report_range(parsed_from, parsed_to)
    return {
        "date_from": used.date_from,
        "date_to": used.date_to,
        "range_note": used.note or None,
        **selectors.finance_summary(date_from=used.date_from, date_to=used.date_to),
    }


@router.post(
    "/admin/payouts/{payout_id}/approve",
    auth=admin_auth,
    response={200: PayoutOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Setujui penarikan (admin)",
    description="Menandai penarikan dibayar dengan referensi transfer bank. Bukti transfer diunggah lewat halaman "
    "admin. Penarikan yang sudah diproses: 400.",
)
@idempotent
def payout_approve(request, payout_id: int, payload: PayoutApproveIn):
    payout = selectors.payout_get(pk=payout_id)
    payout = services.payout_approve(payout=payout, actor=request.auth, transfer_reference=payload.transfer_reference)
    return payout_data(payout)


@router.post(
    "/admin/payouts/{payout_id}/reject",
    auth=admin_auth,
    response={200: PayoutOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Tolak penarikan (admin)",
    description="Menolak penarikan dengan alasan; saldo kembali tersedia di dompet pengguna.",
)
@idempotent
def payout_reject(request, payout_id: int, payload: PayoutRejectIn):
    payout = selectors.payout_get(pk=payout_id)
    payout = services.payout_reject(payout=payout, actor=request.auth, reason=payload.reason)
    return payout_data(payout)


@router.get(
    "/me/mentor-sales",
    auth=mentor_auth,
    response={200: MentorSalesOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Penjualan saya (mentor)",
    description="Pesanan lunas (atau yang lalu dikembalikan) berisi paket/produk buatan Anda, kursus yang Anda "
    "ampu atau kelas yang Anda ajar, terbaru dulu, 20 per halaman (`next_page` null di halaman terakhir), dengan "
    "bagian Anda dari buku besar; `months`: total per bulan "
    "12 bulan terakhir. Hanya untuk role mentor.",
)
def my_mentor_sales(request, query: Query[MentorSalesQuery]):
    user = request.auth
    found = mentor_sales(user=user)
    count = found.count()
    start = (query.page - 1) * MENTOR_SALES_PAGE
    rows = list(found[start : start + MENTOR_SALES_PAGE]) if start < count else []
    return {
        "count": count,
        "next_page": query.page + 1 if start + MENTOR_SALES_PAGE < count else None,
        "results": [
            {
                "invoice_number": order.invoice_number,
                "paid_at": order.paid_at,
                "status": order.status,
                "buyer_name": order.buyer_name,
                "items": [{"title": item.title, "amount": item.amount} for item in order.mine_items],
                "amount": order.mine_amount,
                "share": order.share,
                "net_share": order.net_share,
            }
            for order in rows
        ],
        "months": mentor_months(user=user),
    }
