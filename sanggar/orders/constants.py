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
    COURSE = "course", _("Kursus")  # sold by the learning app (its sellable kind); the line's `ref` is the course id


class PricingKind(models.TextChoices):
    """How a plan item was priced."""

    NEW = "new", _("Baru")
    RENEWAL = "renewal", _("Perpanjangan")
    UPGRADE = "upgrade", _("Upgrade")
    DOWNGRADE = "downgrade", _("Downgrade")  # an admin's charged plan change to a lower plan


class FollowUpStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Terjadwal")
    SENT = "sent", _("Terkirim")
    CANCELLED = "cancelled", _("Dibatalkan")
    FAILED = "failed", _("Gagal")
    # Handed to the reminder builder by `reminders.0014` (its log has the send, or the builder sends it when due).
    MOVED = "moved", _("Dipindah ke builder pengingat")


INVOICE_PREFIX = "INV"
INVOICE_DIGITS = 6


class OrderAction:
    """Activity-log actions of orders (sanggar.audit's ActivityLog.action; labels in orders/audit.py). Every event of
    an order is one row of the activity log on that order, and the order's timeline reads them back."""

    CREATED = "order.created"
    PROVIDER_CHANGED = "order.provider_changed"
    EXPIRED = "order.expired"
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
# PostgreSQL advisory-lock namespace for picking unique codes (the second key is the base amount).
UNIQUE_CODE_LOCK_SPACE = 7001
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
