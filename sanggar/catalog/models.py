"""The catalog: membership plans with their price options, add-on products, and coupons.

Percentages are whole numbers (30 = 30%). Money is whole rupiah."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from sanggar.core.models import TimeStampedModel

from .constants import (
    AccessLevel,
    CommissionType,
    DiscountType,
    Duration,
    PlanStatus,
    PriceType,
    ProductKind,
    ProductStatus,
    UpgradeMode,
)


class MembershipPlan(TimeStampedModel):
    title = models.CharField(max_length=150)
    slug = models.SlugField(max_length=160, unique=True)
    description = models.TextField(blank=True)  # sanitised HTML (nh3)
    logo = models.ImageField(upload_to="catalog/plans/", blank=True)
    banner = models.ImageField(upload_to="catalog/plans/", blank=True)
    badge_best_seller = models.BooleanField(default=False)  # "Paling Laris"
    badge_cheapest = models.BooleanField(default=False)  # "Paling Murah"
    external_sales_url = models.URLField(blank=True)
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    rank = models.PositiveIntegerField(default=1, help_text="Higher rank = higher plan (upgrade target).")
    upgrade_mode = models.CharField(max_length=20, choices=UpgradeMode.choices, default=UpgradeMode.ACCUMULATE)
    affiliate_commission_type = models.CharField(
        max_length=10, choices=CommissionType.choices, default=CommissionType.PERCENT
    )
    affiliate_commission_value = models.PositiveBigIntegerField(default=0)
    # The mentor who made the plan's content, and their share (percent) of what a sale of the plan leaves after the
    # affiliate's commission (finance's revenue split, as for products); 0 = none.
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="created_plans"
    )
    mentor_share_percent = models.PositiveSmallIntegerField(default=0)
    # Tax (percent) and admin fee (rupiah) of this plan's orders; empty = the global ones (orders' ChargeSettings).
    tax_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    admin_fee = models.PositiveBigIntegerField(null=True, blank=True)
    included_resources = models.ManyToManyField("access.Resource", blank=True, related_name="plans")
    included_products = models.ManyToManyField("catalog.Product", blank=True, related_name="included_in_plans")
    sort_order = models.PositiveIntegerField(default=0)
    # Tracking pixels of this plan's sales and checkout pages, besides the global ones (`catalog.pixels`).
    pixel_meta_id = models.CharField(max_length=30, blank=True, default="")
    pixel_google_id = models.CharField(max_length=30, blank=True, default="")
    pixel_tiktok_id = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        ordering = ("sort_order", "rank", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["badge_best_seller"], condition=Q(badge_best_seller=True), name="plan_one_best_seller_badge"
            ),
            models.UniqueConstraint(
                fields=["badge_cheapest"], condition=Q(badge_cheapest=True), name="plan_one_cheapest_badge"
            ),
        ]

    def __str__(self):
        return self.title


class PlanPrice(models.Model):
    """One price option of a plan, by duration."""

    plan = models.ForeignKey(MembershipPlan, on_delete=models.CASCADE, related_name="prices")
    duration = models.CharField(max_length=10, choices=Duration.choices)
    price = models.PositiveBigIntegerField()
    promo_price = models.PositiveBigIntegerField(null=True, blank=True)
    promo_ends_at = models.DateTimeField(null=True, blank=True)
    # Commission for this option; empty = the plan's commission.
    affiliate_commission_type = models.CharField(max_length=10, choices=CommissionType.choices, blank=True)
    affiliate_commission_value = models.PositiveBigIntegerField(null=True, blank=True)
    # Commission when the order renews this option / upgrades to it; empty = the normal commission above.
    renewal_commission_type = models.CharField(max_length=10, choices=CommissionType.choices, blank=True)
    renewal_commission_value = models.PositiveBigIntegerField(null=True, blank=True)
    upgrade_commission_type = models.CharField(max_length=10, choices=CommissionType.choices, blank=True)
    upgrade_commission_value = models.PositiveBigIntegerField(null=True, blank=True)
    scalev_variant_id = models.CharField(max_length=80, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ("plan", "id")
        constraints = [
            models.UniqueConstraint(fields=["plan", "duration"], name="uniq_plan_duration"),
            models.CheckConstraint(
                condition=Q(promo_price__isnull=True) | Q(promo_price__lt=models.F("price")),
                name="plan_promo_below_price",
            ),
        ]

    def __str__(self):
        return f"{self.plan} – {self.get_duration_display()}"

    def commission_rule(self, pricing: str = "new", plan=None) -> tuple[str, int]:
        """(type, value) an affiliate earns on this option: for a renewal (`pricing="renewal"`) or an upgrade
        (`"upgrade"`) the option's own renewal/upgrade rule when set; otherwise (and for a new purchase) the
        option's override, else its plan's rule (`plan`, when the caller holds it, saves reading `self.plan`)."""
        own = {
            "renewal": (self.renewal_commission_type, self.renewal_commission_value),
            "upgrade": (self.upgrade_commission_type, self.upgrade_commission_value),
        }.get(str(pricing))
        if own is not None and own[0] and own[1] is not None:
            return own[0], own[1]
        if self.affiliate_commission_type and self.affiliate_commission_value is not None:
            return self.affiliate_commission_type, self.affiliate_commission_value
        plan = plan or self.plan
        return plan.affiliate_commission_type, plan.affiliate_commission_value


class PlanFeature(models.Model):
    """A selling point shown on the sales and checkout pages ("Akses database buyer")."""

    plan = models.ForeignKey(MembershipPlan, on_delete=models.CASCADE, related_name="features")
    label = models.CharField(max_length=200)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("sort_order", "id")

    def __str__(self):
        return self.label


class FollowUpStep(models.Model):
    """One WhatsApp follow-up message of a plan, a product or another sold resource (a course, through its
    `access.Resource`: the app owning it edits its steps with `follow_ups_replace(owner_field="resource")` and tells
    orders which resource a line sells), sent `delay_days` after payment."""

    plan = models.ForeignKey(MembershipPlan, null=True, blank=True, on_delete=models.CASCADE, related_name="follow_ups")
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.CASCADE, related_name="follow_ups"
    )
    resource = models.ForeignKey(
        "access.Resource", null=True, blank=True, on_delete=models.CASCADE, related_name="follow_ups"
    )
    delay_days = models.PositiveIntegerField(default=0)
    message = models.TextField()  # shortcodes: {name} {plan} {product} {dashboard_link} ...
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("delay_days", "sort_order", "id")
        constraints = [
            models.CheckConstraint(
                condition=(Q(plan__isnull=False) & Q(product__isnull=True) & Q(resource__isnull=True))
                | (Q(plan__isnull=True) & Q(product__isnull=False) & Q(resource__isnull=True))
                | (Q(plan__isnull=True) & Q(product__isnull=True) & Q(resource__isnull=False)),
                name="follow_up_one_owner",
            )
        ]


class ProductCategory(models.Model):
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=90, unique=True)

    class Meta:
        ordering = ("name",)

    def __str__(self):
        return self.name


class Product(TimeStampedModel):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=210, unique=True)
    kind = models.CharField(max_length=20, choices=ProductKind.choices, default=ProductKind.OTHER)
    short_description = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)  # sanitised HTML (nh3)
    cover = models.ImageField(upload_to="catalog/products/", blank=True)
    video_url = models.URLField(blank=True)
    categories = models.ManyToManyField(ProductCategory, blank=True, related_name="products")
    tags = models.JSONField(default=list, blank=True)  # ["ekspor", "training"]
    status = models.CharField(max_length=20, choices=ProductStatus.choices, default=ProductStatus.DRAFT)
    price_type = models.CharField(max_length=20, choices=PriceType.choices, default=PriceType.ONE_TIME)
    price = models.PositiveBigIntegerField(default=0)
    promo_price = models.PositiveBigIntegerField(null=True, blank=True)
    promo_ends_at = models.DateTimeField(null=True, blank=True)
    affiliate_commission_type = models.CharField(
        max_length=10, choices=CommissionType.choices, default=CommissionType.PERCENT
    )
    affiliate_commission_value = models.PositiveBigIntegerField(default=0)
    member_discount_type = models.CharField(max_length=10, choices=DiscountType.choices, default=DiscountType.PERCENT)
    member_discount_value = models.PositiveBigIntegerField(default=0)  # for active (premium) members
    access_level = models.CharField(max_length=20, choices=AccessLevel.choices, default=AccessLevel.PUBLIC)
    access_days = models.PositiveIntegerField(null=True, blank=True)  # None: no end
    included_resources = models.ManyToManyField("access.Resource", blank=True, related_name="in_products")
    bundled_products = models.ManyToManyField("self", blank=True, symmetrical=False, related_name="bundles")
    faq = models.JSONField(default=list, blank=True)  # [{"q": "...", "a": "..."}]
    cta_text = models.CharField(max_length=60, blank=True)
    stock = models.PositiveIntegerField(null=True, blank=True)  # seats / quota; None: unlimited
    sold_count = models.PositiveIntegerField(default=0)
    seo_title = models.CharField(max_length=70, blank=True)
    seo_description = models.CharField(max_length=160, blank=True)
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="created_products"
    )
    # The creator's share (percent) of what a sale of this product leaves after the affiliate's commission
    # (finance's revenue split); 0 = none.
    mentor_share_percent = models.PositiveSmallIntegerField(default=0)
    # Tax (percent) and admin fee (rupiah) of this product's orders; empty = the global ones (orders' ChargeSettings).
    tax_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    admin_fee = models.PositiveBigIntegerField(null=True, blank=True)
    # The product's own access resource (created with the product).
    resource = models.OneToOneField(
        "access.Resource", null=True, blank=True, on_delete=models.PROTECT, related_name="product"
    )
    scalev_variant_id = models.CharField(max_length=80, blank=True)
    # Tracking pixels of this product's page and checkout, besides the global ones (`catalog.pixels`).
    pixel_meta_id = models.CharField(max_length=30, blank=True, default="")
    pixel_google_id = models.CharField(max_length=30, blank=True, default="")
    pixel_tiktok_id = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(stock__isnull=True) | Q(sold_count__lte=models.F("stock")), name="product_not_oversold"
            ),
        ]

    def __str__(self):
        return self.title


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="gallery")
    image = models.ImageField(upload_to="catalog/products/")
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("sort_order", "id")


class ProductFile(models.Model):
    """A downloadable file. Stored outside the public media folders; served only through a signed,
    expiring link to a user whose access the policy confirms."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="private/products/")
    original_name = models.CharField(max_length=255, blank=True)  # the uploader's file name, for downloads
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("id",)

    def __str__(self):
        return self.title


class Coupon(TimeStampedModel):
    code = models.CharField(max_length=40, unique=True)  # stored upper-case
    description = models.CharField(max_length=200, blank=True)
    discount_type = models.CharField(max_length=10, choices=DiscountType.choices)
    value = models.PositiveBigIntegerField()  # percent (1-100) or rupiah
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    max_uses = models.PositiveIntegerField(null=True, blank=True)
    max_uses_per_user = models.PositiveIntegerField(null=True, blank=True)
    plans = models.ManyToManyField(MembershipPlan, blank=True, related_name="coupons")  # empty + empty = all
    products = models.ManyToManyField(Product, blank=True, related_name="coupons")
    # Course lines (and other sellable kinds priced by an access resource) the coupon is limited to; with plans and
    # products all empty the coupon applies to everything.
    resources = models.ManyToManyField("access.Resource", blank=True, related_name="coupons")
    affiliate = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="coupons"
    )
    is_active = models.BooleanField(default=True)
    # Order line kinds the coupon is limited to, space-separated (blank = any): a higher app's automatic coupon,
    # e.g. "supplier" for the Premium supplier package only (coupon_issue)
    item_kinds = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.CheckConstraint(
                condition=~Q(discount_type="percent") | Q(value__gte=1, value__lte=100), name="coupon_percent_range"
            ),
        ]

    def __str__(self):
        return self.code
