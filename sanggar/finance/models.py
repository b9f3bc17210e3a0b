"""The money of the platform as a double-entry ledger. Balances are sums of entries; nothing stores a balance.

Every LedgerTransaction's entries sum to zero, and each transaction has a unique `key` ("split:INV000123",
"release:commission:7", "payout:12:paid"), so posting the same business event twice has one effect."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .constants import AccountKind, Bucket, MentorShareStatus, PayoutStatus, TransactionKind


class RevenueSettings(models.Model):
    """Versioned: the newest row is in force; a split records the version it used, so a change applies to
    later orders only. (Attribution window and model live in `affiliates.AttributionSettings`.)"""

    enabled = models.BooleanField(default=True)
    company_fee_percent = models.PositiveIntegerField(default=15)
    founder_percent = models.PositiveIntegerField(default=60)  # of what remains after the company fee
    cofounder_percent = models.PositiveIntegerField(default=40)
    holding_days = models.PositiveIntegerField(default=7)
    min_payout = models.PositiveBigIntegerField(default=100_000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(founder_percent__lte=100) & Q(cofounder_percent__lte=100) & Q(company_fee_percent__lte=100),
                name="revenue_percents_in_range",
            )
        ]


class LedgerAccount(models.Model):
    kind = models.CharField(max_length=20, choices=AccountKind.choices)
    bucket = models.CharField(max_length=20, choices=Bucket.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "bucket", "user"], name="uniq_ledger_account"),
            models.UniqueConstraint(
                fields=["kind", "bucket"], condition=Q(user__isnull=True), name="uniq_ledger_company_account"
            ),
        ]

    def __str__(self):
        return f"{self.kind}:{self.bucket}:{self.user_id or '-'}"


class LedgerTransaction(models.Model):
    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=TransactionKind.choices)
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    payout = models.ForeignKey("finance.Payout", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    memo = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)  # e.g. the revenue settings used, the rule of each part
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-created_at", "-id")


class LedgerEntry(models.Model):
    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="entries")
    amount = models.BigIntegerField()  # positive: the account's owner gains
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("id",)
        indexes = [models.Index(fields=["account", "created_at"])]


class Payout(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payouts")
    wallet_kind = models.CharField(max_length=20, choices=AccountKind.choices)
    amount = models.BigIntegerField()
    bank_name = models.CharField(max_length=60)
    bank_account_number = models.CharField(max_length=40)
    bank_account_holder = models.CharField(max_length=120)
    status = models.CharField(max_length=20, choices=PayoutStatus.choices, default=PayoutStatus.REQUESTED)
    requested_at = models.DateTimeField(auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    transfer_reference = models.CharField(max_length=120, blank=True)
    proof = models.FileField(upload_to="private/payout-proofs/", blank=True)
    reason = models.CharField(max_length=300, blank=True)
    batch = models.ForeignKey("finance.PayoutBatch", null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ("-requested_at", "-id")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payout_amount_positive")]


class PayoutBatch(models.Model):
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=200, blank=True)


class MentorShare(models.Model):
    """A mentor's share of one paid order (the items they created). Its money is in the ledger: pending until
    `available_at` (the holding period), then released by the sweep; reversed when the order is refunded."""

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="mentor_shares")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentor_shares")
    amount = models.BigIntegerField()
    status = models.CharField(max_length=20, choices=MentorShareStatus.choices, default=MentorShareStatus.PENDING)
    available_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [models.UniqueConstraint(fields=["order", "mentor"], name="uniq_mentor_share_order_mentor")]
        indexes = [models.Index(fields=["status", "available_at"])]
