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
