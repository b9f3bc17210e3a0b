"""Orders API for the mobile apps: check out (create an order and start its payment), list and read one's own
orders, retry the payment of a pending order. Orders of other users are answered 404."""

from datetime import datetime

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from sanggar.api.auth import jwt_auth
from sanggar.api.idempotency import idempotent
from sanggar.api.schemas import ErrorOut
from sanggar.core import request_context
from sanggar.core.exceptions import NotFound

from . import selectors, services
from .checkout import checkout_pay, checkout_place
from .models import Order
from .payments_port import payments
from .schemas import PAGE_SIZE, OrderFilters, OrderIn, OrderOut, OrderPageOut, PayIn
from .services import ItemRequest

router = Router(tags=["pesanan"], auth=jwt_auth)
# Mounted by `sanggar.api.api` (discovery): this app's routers, at this place in the document.
API_ORDER = 70
API_ROUTERS = ("sanggar.orders.api.router", "sanggar.orders.admin_api.router")

_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def _own_orders(user):
    """The user's orders with items and payment attempts (newest attempt first): three queries per page."""
    return selectors.order_list_for_buyer(user=user).prefetch_related(
        Prefetch("payments", queryset=_payment_model().objects.order_by("-created_at", "-id"))
    )


def _own_order(user, invoice_number: str) -> Order:
    order = _own_orders(user).filter(invoice_number=(invoice_number or "").strip().upper()).first()
    if order is None:
        raise NotFound(_("Pesanan tidak ditemukan."))
    return order


def _payment_model():
    """The payments app's Payment model, reached through the relation (payments sits above orders)."""
    return Order._meta.get_field("payments").related_model


def payment_data(payment) -> dict | None:
    if payment is None:
        return None
    return {
        "provider": payment.provider,
        "provider_label": payments().provider_label(payment.provider),
        "status": payment.status,
        "amount": payment.amount,
        "url": payment.checkout_url or None,
        "instructions": dict(payment.instructions) if payment.instructions else None,
        "expires_at": payment.expires_at,
    }


def order_data(request, order: Order, *, payment=None, payment_error: str = "") -> dict:
    """`payment`: the attempt just started; otherwise the order's latest attempt (prefetched)."""
    if payment is None and not payment_error:
        attempts = list(order.payments.all())
        payment = attempts[0] if attempts else None
    return {
        "invoice_number": order.invoice_number,
        "status": order.status,
        "status_label": str(order.get_status_display()),
        "subtotal": order.subtotal,
        "discount": order.discount,
        "tax": order.tax,
        "tax_label": order.tax_label,
        "admin_fee": order.admin_fee,
        "unique_code": order.unique_code,
        "total": order.total,
        "coupon": order.coupon_code or None,
        "provider": order.provider,
        "items": [
            {
                "kind": item.kind,
                "title": item.title,
                "plan": item.plan.slug if item.plan_id else None,
                "product": item.product.slug if item.product_id else None,
                "duration": item.duration or None,
                "pricing": item.pricing,
                "list_price": item.list_price,
                "member_discount": item.member_discount,
                "upgrade_credit": item.upgrade_credit,
                "coupon_discount": item.coupon_discount,
                "amount": item.amount,
            }
            for item in order.items.all()
        ],
        "payment": payment_data(payment),
        "payment_error": payment_error or None,
        "invoice_url": request.build_absolute_uri(reverse("orders:invoice", args=[order.invoice_number])),
        "created_at": order.created_at,
        "expires_at": order.expires_at,
        "paid_at": order.paid_at,
    }


@router.post(
    "/orders",
    response={201: OrderOut, **_ERRORS},
    summary="Buat pesanan dan mulai pembayaran",
    description="Membuat pesanan untuk pengguna yang masuk lalu memulai pembayarannya. `payment.url` adalah halaman "
    "pembayaran penyedia; untuk transfer manual `payment.instructions` berisi rekening dan jumlah tepat (dengan kode "
    "unik). Total 0 (produk gratis, kupon 100%) langsung lunas tanpa pembayaran. Bila penyedia gagal, pesanan tetap "
    "dibuat (status `pending`), `payment` null dan `payment_error` menjelaskan; ulangi dengan "
    "`POST /orders/{invoice_number}/pay`. Pesanan yang ditolak (paket tidak aktif, kuota habis, downgrade, kupon "
    "tidak berlaku, metode nonaktif) dijawab 400 dengan `errors` per field.",
)
@idempotent
def order_create(request, payload: OrderIn):
    result = checkout_place(
        buyer=request.auth,
        items=[ItemRequest(kind=item.kind, slug=item.slug, duration=item.duration) for item in payload.items],
        coupon_code=payload.coupon,
        provider=payload.provider,
        ref_code=payload.ref,
        client_ip=request_context.current().ip,
    )
    # The order as checkout returns it: its lines in hand and its payment just started (no query to read it back).
    return Status(201, order_data(request, result.order, payment=result.payment, payment_error=result.error))


@router.get(
    "/orders",
    response={200: OrderPageOut, 401: ErrorOut, 422: ErrorOut},
    summary="Daftar pesanan saya",
    description="Pesanan milik pengguna, terbaru dulu, 20 per halaman; `next_page` null di halaman terakhir.",
)
def order_list(request, filters: Query[OrderFilters]):
    qs = _own_orders(request.auth)
    if filters.status:
        qs = qs.filter(status=filters.status)
    count = qs.count()
    start = (filters.page - 1) * PAGE_SIZE
    rows = list(qs[start : start + PAGE_SIZE]) if start < count else []
    return {
        "count": count,
        "next_page": filters.page + 1 if start + PAGE_SIZE < count else None,
        "results": [order_data(request, order) for order in rows],
    }


@router.get(
    "/orders/{invoice_number}",
    response={200: OrderOut, 401: ErrorOut, 404: ErrorOut},
    summary="Detail pesanan saya",
    description="Satu pesanan milik pengguna dengan item dan pembayaran terakhirnya; pesanan orang lain dijawab 404.",
)
def order_detail(request, invoice_number: str):
    return order_data(request, _own_order(request.auth, invoice_number))


@router.post(
    "/orders/{invoice_number}/pay",
    response={200: OrderOut, **_ERRORS},
    summary="Bayar ulang pesanan",
    description="Memulai percobaan pembayaran baru untuk pesanan yang masih menunggu pembayaran, dengan metode yang "
    "sama atau lain. Jumlah tagihan tidak berubah.",
)
@idempotent
def order_pay(request, invoice_number: str, payload: PayIn):
    order = _own_order(request.auth, invoice_number)
    result = checkout_pay(order=order, provider=payload.provider, actor=request.auth)
    order = _own_order(request.auth, invoice_number)
    return order_data(request, order, payment=result.payment, payment_error=result.error)


class ProofOut(Schema):
    id: int
    invoice_number: str
    content_type: str
    size: int
    note: str
    created_at: datetime
    status: str


@router.post(
    "/orders/{invoice_number}/proof",
    response={201: ProofOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Kirim bukti transfer",
    description="Pembeli mengunggah bukti transfer manual (multipart: `file` berupa foto JPG/PNG/WebP atau PDF, "
    "jenisnya diperiksa dari isi file, maksimal `TRANSFER_PROOF_MAX_BYTES`; `note` opsional). Pesanan masuk antrean "
    '"Menunggu konfirmasi" admin dan admin diberi tahu. File bersifat privat. Pesanan orang lain dijawab 404; '
    "pesanan yang tidak lagi menunggu pembayaran dijawab 400.",
)
@idempotent
def order_proof(request, invoice_number: str, file: File[UploadedFile], note: Form[str] = ""):
    order = _own_order(request.auth, invoice_number)
    proof = services.order_proof_upload(order=order, user=request.auth, file=file, note=note[:300])
    return Status(
        201,
        {
            "id": proof.pk,
            "invoice_number": order.invoice_number,
            "content_type": proof.content_type,
            "size": proof.size,
            "note": proof.note,
            "created_at": proof.created_at,
            "status": "waiting_confirmation",
        },
    )
