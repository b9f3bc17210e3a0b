from django.conf import settings
from django.db import models
from django.db.models import Q

from .constants import PaymentStatus, RefundMode, WebhookOutcome


class Payment(models.Model):
    """One payment attempt of an order at one provider."""

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=20)
    provider_reference = models.CharField(max_length=120, blank=True)  # the provider's id for this attempt
    amount = models.BigIntegerField()
    status = models.CharField(max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING)
    checkout_url = models.URLField(max_length=500, blank=True)
    instructions = models.JSONField(default=dict, blank=True)  # manual transfer: bank, account, amount…
    expires_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_amount = models.BigIntegerField(null=True, blank=True)
    method = models.CharField(max_length=60, blank=True)  # e.g. BANK_TRANSFER / qris / va_bca
    raw_response = models.JSONField(default=dict, blank=True)  # provider's answer on creation
    proof = models.FileField(upload_to="private/payment-proofs/", blank=True)  # manual confirmation
    note = models.CharField(max_length=300, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_reference"],
                condition=~Q(provider_reference=""),
                name="uniq_payment_provider_reference",
            )
        ]
        indexes = [
            models.Index(fields=["provider", "provider_reference"]),
            models.Index(fields=["order", "-created_at"]),
        ]

    def __str__(self):
        return f"{self.provider}:{self.provider_reference or self.pk}"


class WebhookEvent(models.Model):
    """Every delivery to /webhooks/<provider>, stored before it is processed (also rejected ones)."""

    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=200)  # the provider's event id, or a hash of the body
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    headers = models.JSONField(default=dict, blank=True)  # without secrets
    body = models.TextField()
    signature_valid = models.BooleanField(default=False)
    outcome = models.CharField(max_length=20, choices=WebhookOutcome.choices, default=WebhookOutcome.IGNORED)
    detail = models.CharField(max_length=300, blank=True)
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="webhooks")
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="webhooks")
    # A verified delivery of an event already received: kept for the log, pointing at the first delivery.
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ("-received_at", "-id")
        constraints = [
            # One verified first delivery per provider event: the last guard against processing an event twice.
            models.UniqueConstraint(
                fields=["provider", "event_id"],
                condition=Q(signature_valid=True, duplicate_of__isnull=True),
                name="uniq_valid_webhook_event",
            )
        ]
        indexes = [models.Index(fields=["order", "-received_at"])]

    def __str__(self):
        return f"{self.provider}:{self.event_id}"


class Refund(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.BigIntegerField()
    reason = models.CharField(max_length=300)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    provider_reference = models.CharField(max_length=120, blank=True)
    mode = models.CharField(max_length=20, choices=RefundMode.choices, default=RefundMode.MANUAL)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive")]

    def __str__(self):
        return f"refund:{self.payment_id}:{self.amount}"
