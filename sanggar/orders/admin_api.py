"""Admin endpoints of orders: confirm a manual transfer from the admin app.

The schemas live here (orders/schemas.py holds the buyer-facing order schemas)."""

from datetime import datetime

from ninja import Router, Schema
from pydantic import ConfigDict, Field

from sanggar.api.auth import admin_auth
from sanggar.api.idempotency import idempotent
from sanggar.api.schemas import ErrorOut

from . import selectors
from .constants import OrderStatus
from .payments_port import payments

router = Router(tags=["admin: penjualan"])


class MarkPaidIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(default="", max_length=300)


class AdminOrderOut(Schema):
    invoice_number: str
    status: str
    total: int
    paid_at: datetime | None
    needs_review: bool
    review_reason: str


def admin_order_data(order) -> dict:
    return {
        "invoice_number": order.invoice_number,
        "status": order.status,
        "total": order.total,
        "paid_at": order.paid_at,
        "needs_review": order.needs_review,
        "review_reason": order.review_reason,
    }


@router.post(
    "/admin/orders/{invoice_number}/mark-paid",
    auth=admin_auth,
    response={200: AdminOrderOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Tandai pesanan lunas (admin)",
    description="Konfirmasi transfer manual: pesanan menjadi lunas dan membership/akses pembeli dibuka. Pesanan yang "
    "sudah lunas tidak berubah (200). Pesanan yang sudah kedaluwarsa atau dibatalkan: pembayaran dicatat dan "
    "pesanan ditandai `needs_review` untuk diputuskan admin.",
)
@idempotent
def mark_paid(request, invoice_number: str, payload: MarkPaidIn):
    order = selectors.sale_get(invoice_number=invoice_number)
    if order.status != OrderStatus.PAID:  # a retry after a lost response: the order is already paid
        payments().mark_paid_manual(order=order, actor=request.auth, note=payload.note.strip())
        order.refresh_from_db()
    return admin_order_data(order)
