from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    PAID = "paid", _("Dibayar")
    FAILED = "failed", _("Gagal")
    EXPIRED = "expired", _("Kedaluwarsa")
    REFUNDED = "refunded", _("Dikembalikan")


class WebhookOutcome(models.TextChoices):
    PROCESSED = "processed", _("Diproses")
    DUPLICATE = "duplicate", _("Duplikat")
    IGNORED = "ignored", _("Diabaikan")
    REJECTED = "rejected", _("Ditolak")  # bad signature, unknown order, amount mismatch
    REVIEW = "review", _("Perlu ditinjau")  # e.g. paid after the order expired
    ERROR = "error", _("Error")


class RefundMode(models.TextChoices):
    PROVIDER = "provider", _("Lewat penyedia pembayaran")
    # The provider has no refund API (or the payment was a manual transfer): the money goes back outside the platform
    # and the refund is recorded here.
    MANUAL = "manual", _("Manual (transfer balik)")


class EventStatus:
    """What a provider's notification means for a payment (ProviderEvent.status)."""

    PAID = "paid"
    EXPIRED = "expired"
    FAILED = "failed"
    PENDING = "pending"
    REFUNDED = "refunded"
    IGNORED = "ignored"

    ALL = frozenset({PAID, EXPIRED, FAILED, PENDING, REFUNDED, IGNORED})


class PaymentAction:
    """Activity-log actions of payments (sanggar.audit's ActivityLog.action)."""

    STARTED = "payment.started"
    CONFIRMED = "payment.confirmed"
    MARKED_PAID = "payment.marked_paid"  # an admin confirmed a manual transfer
    REJECTED = "payment.rejected"  # amount did not match the order
    NEEDS_REVIEW = "payment.needs_review"  # paid while the order was no longer pending
    REFUNDED = "payment.refunded"


# Identifiers of the providers this app knows (the registry in providers/__init__.py).
MANUAL = "manual"
XENDIT = "xendit"
MIDTRANS = "midtrans"
SCALEV = "scalev"

# Manual confirmation proof: an image or a PDF of at most 5 MB.
PROOF_MAX_BYTES = 5 * 1024 * 1024
PROOF_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
}

# Headers never stored with a webhook delivery (credentials or session data).
SECRET_HEADERS = frozenset({"authorization", "cookie", "x-callback-token", "proxy-authorization"})
REDACTED = "[disimpan tanpa nilai]"
# A stored webhook body is cut at this many characters (a provider's notification is a few kilobytes).
WEBHOOK_BODY_MAX_CHARS = 100_000
# An unverified delivery keeps at most this many of its headers (values cut at 200 characters).
UNVERIFIED_HEADERS_MAX = 30
WEBHOOK_PURGE_BATCH = 1000

# The advisory-lock space (PostgreSQL) in which claims of one webhook event id wait for each other (orders use 7001).
WEBHOOK_CLAIM_LOCK_SPACE = 7002
