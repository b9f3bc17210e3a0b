from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    """Ledger account owners. Earning wallets belong to a user; the others are the company's."""

    AFFILIATE = "affiliate", _("Affiliate")
    MENTOR = "mentor", _("Mentor")
    FOUNDER = "founder", _("Founder")
    COFOUNDER = "cofounder", _("Co-Founder")
    COMPANY = "company", _("Operasional perusahaan")
    GATEWAY = "gateway", _("Kas masuk (pembayaran)")  # money received from buyers; negative = received
    PAYOUT = "payout", _("Transfer keluar")  # money sent to wallets' owners


WALLET_KINDS = (AccountKind.AFFILIATE, AccountKind.MENTOR, AccountKind.FOUNDER, AccountKind.COFOUNDER)
# Every earning wallet can be withdrawn to its owner's bank account.
PAYOUT_KINDS = WALLET_KINDS


class Bucket(models.TextChoices):
    PENDING = "pending", _("Tertahan")
    AVAILABLE = "available", _("Tersedia")
    RESERVED = "reserved", _("Diajukan penarikan")
    PAID_OUT = "paid_out", _("Sudah ditarik")
    NONE = "none", _("—")  # company / gateway / payout accounts


class TransactionKind(models.TextChoices):
    SALE_SPLIT = "sale_split", _("Bagi hasil penjualan")
    RELEASE = "release", _("Pencairan masa tahan")
    REFUND = "refund", _("Refund")
    PAYOUT_REQUEST = "payout_request", _("Pengajuan penarikan")
    PAYOUT_REJECT = "payout_reject", _("Penarikan ditolak")
    PAYOUT_PAID = "payout_paid", _("Penarikan dibayar")
    CHALLENGE_REWARD = "challenge_reward", _("Hadiah challenge")
    VOID = "void", _("Komisi dibatalkan")
    ADJUSTMENT = "adjustment", _("Penyesuaian")


class PayoutStatus(models.TextChoices):
    REQUESTED = "requested", _("Diajukan")
    APPROVED = "approved", _("Dibayar")
    REJECTED = "rejected", _("Ditolak")


class MentorShareStatus(models.TextChoices):
    PENDING = "pending", _("Tertahan")
    AVAILABLE = "available", _("Tersedia")
    REVERSED = "reversed", _("Dikembalikan")


class FinanceAction:
    """Activity-log actions of finance (sanggar.audit's ActivityLog.action)."""

    REVENUE_SETTINGS_CHANGED = "settings.changed"  # data.what = "revenue"
    PAYOUT_REQUESTED = "payout.requested"
    PAYOUT_APPROVED = "payout.approved"
    PAYOUT_REJECTED = "payout.rejected"
    PAYOUT_BATCH_APPROVED = "payout.batch_approved"
    COMMISSION_CLEARED = "commission.cleared"
    COMMISSION_VOIDED = "commission.voided"
    CHALLENGE_AWARDED = "challenge.awarded"


# Percent fields of RevenueSettings and their bounds.
PERCENT_FIELDS = ("company_fee_percent", "founder_percent", "cofounder_percent")
HOLDING_DAYS_MAX = 365
MIN_PAYOUT_MAX = 100_000_000
PAYOUT_AMOUNT_MAX = 10_000_000_000
