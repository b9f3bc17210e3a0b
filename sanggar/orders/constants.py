from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu pembayaran")
    PAID = "paid", _("Lunas")
    EXPIRED = "expired", _("Kedaluwarsa")
    FAILED = "failed", _("Gagal")
    CANCELLED = "cancelled", _("Dibatalkan")
    REFUNDED = "refunded", _("Dikembalikan")


class ItemKind(models.TextChoices):
    PLAN = "plan", _("Membership")
    PRODUCT = "product", _("Produk")


class PricingKind(models.TextChoices):
    """How a plan item was priced."""

    NEW = "new", _("Baru")
    RENEWAL = "renewal", _("Perpanjangan")
    UPGRADE = "upgrade", _("Upgrade")


class FollowUpStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Terjadwal")
    SENT = "sent", _("Terkirim")
    CANCELLED = "cancelled", _("Dibatalkan")
    FAILED = "failed", _("Gagal")


INVOICE_PREFIX = "INV"
INVOICE_DIGITS = 6


class OrderEventKind(models.TextChoices):
    """What happened to an order (OrderEvent.kind)."""

    CREATED = "created", _("Pesanan dibuat")
    PAYMENT_STARTED = "payment_started", _("Pembayaran dimulai")
    PROVIDER_CHANGED = "provider_changed", _("Metode pembayaran diganti")
    PAYMENT_REJECTED = "payment_rejected", _("Pembayaran ditolak (jumlah tidak cocok)")
    PAYMENT_REVIEW = "payment_review", _("Pembayaran perlu ditinjau")
    PAID = "paid", _("Lunas")
    EXPIRED = "expired", _("Kedaluwarsa")
    CANCELLED = "cancelled", _("Dibatalkan")
    REFUNDED = "refunded", _("Dana dikembalikan")
    NOTIFICATION_RESENT = "notification_resent", _("Notifikasi dikirim ulang")
    REVIEW_ACCEPTED = "review_accepted", _("Pembayaran terlambat diterima")
    REVIEW_REJECTED = "review_rejected", _("Pembayaran terlambat ditolak")
    FULFILMENT_NOTE = "fulfilment_note", _("Catatan pemenuhan")
    PROOF_UPLOADED = "proof_uploaded", _("Bukti transfer diunggah")


class OrderAction:
    """Activity-log actions of orders (sanggar.audit's ActivityLog.action)."""

    PAID = "order.paid"
    PROOF_UPLOADED = "order.proof_uploaded"
    CANCELLED = "order.cancelled"
    REFUNDED = "order.refunded"
    NOTIFICATION_RESENT = "order.notification_resent"
    REVIEW_ACCEPTED = "order.review_accepted"
    REVIEW_REJECTED = "order.review_rejected"


# Statuses in which an order is finished and cannot be paid by the normal path any more.
CLOSED_STATUSES = frozenset({OrderStatus.EXPIRED, OrderStatus.FAILED, OrderStatus.CANCELLED})
# Where every invoice number comes from (InvoiceSequence.name).
INVOICE_SEQUENCE_NAME = "invoice"
# The provider recorded on an order whose total is 0 (free product, 100% coupon): paid at once, no payment attempt.
FREE_PROVIDER = "free"
MAX_ITEMS_PER_ORDER = 10
UNIQUE_CODE_MAX = 999
# Grants and other records an order gives are tagged with this reference.
ORDER_SOURCE_PREFIX = "order:"
EXPIRE_BATCH = 500
FOLLOW_UP_BATCH = 200

# How each provider is named on invoices and in the sales list (the payments registry only lists enabled ones).
PROVIDER_LABELS = {
    "manual": _("Transfer bank (manual)"),
    "xendit": _("Xendit"),
    "midtrans": _("Midtrans"),
    "scalev": _("Scalev"),
    FREE_PROVIDER: _("Gratis"),
}


# Transfer proofs: what the content must be (checked by its first bytes / Pillow, never the name).
PROOF_CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp", "pdf": "application/pdf"}
PROOF_NOTE_MAX_LENGTH = 300
