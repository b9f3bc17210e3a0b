"""Affiliates: profiles and codes, clicks, referral attribution, short links, commissions, tiers, challenges,
marketing kit. Money moves only through `finance` (the ledger); a Commission row is the affiliate's view of it."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from sanggar.core.models import TimeStampedModel

from .constants import (
    AffiliateStatus,
    AttributionModel,
    ChallengePeriod,
    CommissionStatus,
    DecisionKind,
    KitKind,
    ReferralSource,
    TargetKind,
)


class Tier(models.Model):
    """Affiliates with at least `min_sales` paid referred orders in the last `period_days` earn `bonus_percent` more."""

    name = models.CharField(max_length=60)
    min_sales = models.PositiveIntegerField()
    period_days = models.PositiveIntegerField(default=30)
    bonus_percent = models.PositiveIntegerField(default=0)  # +10 = commission × 1.10
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ("min_sales",)

    def __str__(self):
        return self.name


class AffiliateProfile(TimeStampedModel):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="affiliate_profile")
    code = models.SlugField(max_length=40, unique=True)
    status = models.CharField(max_length=20, choices=AffiliateStatus.choices, default=AffiliateStatus.ACTIVE)
    bank_name = models.CharField(max_length=60, blank=True)
    bank_account_number = models.CharField(max_length=40, blank=True)
    bank_account_holder = models.CharField(max_length=120, blank=True)

    def __str__(self):
        return self.code


class Click(models.Model):
    affiliate = models.ForeignKey(AffiliateProfile, on_delete=models.CASCADE, related_name="clicks")
    short_link = models.ForeignKey("affiliates.ShortLink", null=True, blank=True, on_delete=models.SET_NULL)
    landing_path = models.CharField(max_length=500)
    referrer = models.CharField(max_length=500, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    ip_hash = models.CharField(max_length=64, db_index=True)
    counted = models.BooleanField(default=True)  # False: a repeat from the same address inside the window
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-created_at",)
        indexes = [models.Index(fields=["affiliate", "-created_at"])]


class Referral(models.Model):
    """A registered user's attribution to an affiliate (survives device changes and cookie-less in-app browsers)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral")
    affiliate = models.ForeignKey(AffiliateProfile, on_delete=models.PROTECT, related_name="referrals")
    source = models.CharField(max_length=20, choices=ReferralSource.choices)
    clicked_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)


class ShortLinkDomain(TimeStampedModel):
    domain = models.CharField(max_length=253, unique=True)  # lower-case host, e.g. link.eksporyuk.com
    is_active = models.BooleanField(default=True)

    def __str__(self):
        return self.domain


class ShortLink(TimeStampedModel):
    affiliate = models.ForeignKey(AffiliateProfile, on_delete=models.CASCADE, related_name="short_links")
    # None: the main domain, served under /s/<slug>.
    domain = models.ForeignKey(ShortLinkDomain, null=True, blank=True, on_delete=models.PROTECT, related_name="links")
    slug = models.SlugField(max_length=60)  # stored lower-case
    target_kind = models.CharField(max_length=20, choices=TargetKind.choices)
    target_slug = models.CharField(max_length=210)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["domain", "slug"], name="uniq_short_link_domain_slug"),
            models.UniqueConstraint(
                fields=["slug"], condition=Q(domain__isnull=True), name="uniq_short_link_main_slug"
            ),
        ]

    def __str__(self):
        return self.slug


class Commission(TimeStampedModel):
    """The affiliate's commission on one paid order. Its money is in the ledger (finance)."""

    order = models.OneToOneField("orders.Order", on_delete=models.PROTECT, related_name="commission")
    affiliate = models.ForeignKey(AffiliateProfile, on_delete=models.PROTECT, related_name="commissions")
    base_amount = models.BigIntegerField()  # what the order paid for the commissionable items
    amount = models.BigIntegerField()
    rule = models.CharField(max_length=120)  # "Rp 250.000 flat" / "30% × Rp 1.000.000" + tier bonus
    status = models.CharField(max_length=20, choices=CommissionStatus.choices, default=CommissionStatus.PENDING)
    available_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)
    flag_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ("-created_at",)
        indexes = [models.Index(fields=["status", "available_at"]), models.Index(fields=["affiliate", "status"])]


class AttributionDecision(models.Model):
    """Every decision about an affiliate and an order or click, with its reason, for admins to audit."""

    affiliate = models.ForeignKey(AffiliateProfile, on_delete=models.CASCADE, related_name="decisions")
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=DecisionKind.choices)
    reason = models.CharField(max_length=300)
    # The buyer's address at checkout as a keyed hash (same_ip decisions compare it with the affiliate's).
    ip_hash = models.CharField(max_length=64, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["order", "kind"])]


class Challenge(TimeStampedModel):
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    period = models.CharField(max_length=10, choices=ChallengePeriod.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    target_sales = models.PositiveIntegerField()  # paid referred orders in the window
    reward = models.PositiveBigIntegerField()  # rupiah, posted to the winner's wallet when the window closes
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ("-starts_at",)


class ChallengeAward(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="awards")
    affiliate = models.ForeignKey(AffiliateProfile, on_delete=models.PROTECT, related_name="awards")
    sales = models.PositiveIntegerField()
    amount = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["challenge", "affiliate"], name="uniq_challenge_award")]


class MarketingKitItem(TimeStampedModel):
    title = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=KitKind.choices)
    file = models.FileField(upload_to="marketing-kit/", blank=True)
    text = models.TextField(blank=True)  # copywriting; {link} is replaced by the affiliate's link
    target_kind = models.CharField(max_length=20, choices=TargetKind.choices, blank=True)
    target_slug = models.CharField(max_length=210, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ("kind", "title")


class AttributionSettings(models.Model):
    """How referral attribution works (moved here from finance's revenue settings). Versioned: the newest row is
    in force."""

    attribution_window_days = models.PositiveIntegerField(default=30)
    attribution_model = models.CharField(
        max_length=10, choices=AttributionModel.choices, default=AttributionModel.LAST_CLICK
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self):
        return f"Atribusi {self.attribution_window_days} hari, {self.get_attribution_model_display()}"
