from datetime import timedelta

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


ORDER_PENDING_TTL = timedelta(hours=24)
INVOICE_PREFIX = "INV"
INVOICE_DIGITS = 6
