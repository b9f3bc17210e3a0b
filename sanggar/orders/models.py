"""Orders: what a buyer bought, at what price. Payment attempts live in `payments`; grants in `access`."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from .constants import FollowUpStatus, ItemKind, OrderStatus, PricingKind


class InvoiceSequence(models.Model):
    """A counter row, locked while the next invoice number is taken, so numbers are unique and never reused."""

    name = models.CharField(max_length=20, unique=True)
    last_value = models.PositiveBigIntegerField(default=0)


class Order(models.Model):
    invoice_number = models.CharField(max_length=20, unique=True)
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders")
    # The buyer as they were at checkout (the profile may change later).
    buyer_name = models.CharField(max_length=150)
    buyer_email = models.EmailField()
    buyer_whatsapp = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=20, choices=OrderStatus.choices, default=OrderStatus.PENDING, db_index=True)
    subtotal = models.BigIntegerField()
    discount = models.BigIntegerField(default=0)
    unique_code = models.PositiveIntegerField(default=0)  # manual transfer matching code (0–999)
    # Tax (e.g. PPN) and admin fee added on top of the goods (subtotal - discount); both part of `total`, never of
    # a line's amount, so commissions never see them (see ChargeSettings). `tax_label`: "PPN 11%" as charged.
    tax = models.BigIntegerField(default=0)
    tax_label = models.CharField(max_length=40, blank=True)
    admin_fee = models.BigIntegerField(default=0)
    total = models.BigIntegerField()
    coupon = models.ForeignKey("catalog.Coupon", null=True, blank=True, on_delete=models.PROTECT, related_name="orders")
    coupon_code = models.CharField(max_length=40, blank=True)
    affiliate = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="referred_orders"
    )
    provider = models.CharField(max_length=20)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    paid_at = models.DateTimeField(null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # expired / failed / cancelled / refunded
    # A payment that arrived when the order was no longer pending (e.g. after expiry): an admin decides.
    needs_review = models.BooleanField(default=False, db_index=True)
    review_reason = models.CharField(max_length=300, blank=True)
    # When the invoice page first fired the tracking pixels' Purchase event for this paid order (once per order).
    pixel_purchase_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["buyer", "-created_at"]), models.Index(fields=["status", "expires_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0) & Q(discount__gte=0), name="order_amounts_non_negative"),
            # Two pending orders of the same base amount never carry the same transfer code (a transfer would
            # match both). The code stays reserved while the order is pending, whatever provider it moves to.
            models.UniqueConstraint(
                F("total") - F("unique_code"),
                F("unique_code"),
                condition=Q(status="pending", unique_code__gt=0),
                name="order_pending_unique_code",
            ),
        ]

    def __str__(self):
        return self.invoice_number

    @property
    def amount_before_code(self) -> int:
        """The total without the manual-transfer unique code."""
        return self.total - self.unique_code


class OrderItem(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    plan = models.ForeignKey("catalog.MembershipPlan", null=True, blank=True, on_delete=models.PROTECT)
    plan_price = models.ForeignKey("catalog.PlanPrice", null=True, blank=True, on_delete=models.PROTECT)
    duration = models.CharField(max_length=10, blank=True)
    product = models.ForeignKey("catalog.Product", null=True, blank=True, on_delete=models.PROTECT)
    # What a line of a kind registered by a higher app sells (a course's id): that app reads it in its hooks.
    ref = models.CharField(max_length=64, blank=True)
    title = models.CharField(max_length=250)
    pricing = models.CharField(max_length=10, choices=PricingKind.choices, default=PricingKind.NEW)
    list_price = models.BigIntegerField()  # catalogue price (after promo)
    member_discount = models.BigIntegerField(default=0)
    upgrade_credit = models.BigIntegerField(default=0)  # unused value of the old plan (accumulate mode)
    coupon_discount = models.BigIntegerField(default=0)
    amount = models.BigIntegerField()  # what this line costs: list - member discount - credit - coupon

    class Meta:
        ordering = ("id",)
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="plan") & Q(plan__isnull=False) & Q(plan_price__isnull=False))
                | (Q(kind="product") & Q(product__isnull=False))
                | (~Q(kind__in=["plan", "product"]) & ~Q(ref="")),
                name="order_item_target",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="order_item_amount_non_negative"),
        ]

    def __str__(self):
        return self.title

    @property
    def reductions(self) -> int:
        """Member discount + upgrade credit + coupon discount of this line."""
        return self.member_discount + self.upgrade_credit + self.coupon_discount


class FollowUp(models.Model):
    """A WhatsApp follow-up message scheduled for a paid order from its plan's or product's sequence."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="follow_ups")
    step = models.ForeignKey("catalog.FollowUpStep", null=True, on_delete=models.SET_NULL)
    message = models.TextField()
    send_at = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=20, choices=FollowUpStatus.choices, default=FollowUpStatus.SCHEDULED)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivery = models.ForeignKey("notifications.Delivery", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ("send_at", "id")


class TransferProof(models.Model):
    """A buyer's proof of a manual transfer (image or PDF). Private: served only to the buyer and admins."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="proofs")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="private/proofs/")
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    original_name = models.CharField(max_length=255, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["order", "-created_at"])]


class HomePage(models.Model):
    """The front door at `/` (one row): what the admin chose to show. Empty texts fall back to the branding."""

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    headline = models.CharField(max_length=120, blank=True)
    subheadline = models.CharField(max_length=300, blank=True)
    show_plans = models.BooleanField(default=True)
    show_products = models.BooleanField(default=True)
    show_numbers = models.BooleanField(default=True)
    show_testimonials = models.BooleanField(default=True)
    # One testimonial a line: "Nama | Peran | Kutipan" (the role may be left out: "Nama | Kutipan").
    testimonials = models.TextField(blank=True)
    featured_products = models.ManyToManyField("catalog.Product", blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="homepage_singleton")]


class ChargeSettings(models.Model):
    """Tax and admin fee added to every order (one row; a plan or product may set its own, see catalog). Whole
    rupiah. Tax of an order = the sum over its lines of floor(line amount × percent / 100), on what the line costs
    after every discount; the admin fee is charged once per order (the highest of its lines'). An order whose goods
    cost Rp 0 pays neither. Both are kept out of affiliate commissions; the revenue split leaves them to the company
    unless `tax_in_split_base` / `fee_in_split_base` put them in the base shared after the company fee."""

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    tax_percent = models.PositiveSmallIntegerField(default=0)  # 0 = no tax
    tax_name = models.CharField(max_length=20, default="PPN")
    admin_fee = models.PositiveBigIntegerField(default=0)  # rupiah per order; 0 = none
    tax_in_split_base = models.BooleanField(default=False)
    fee_in_split_base = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="charge_settings_singleton"),
            models.CheckConstraint(condition=Q(tax_percent__lte=100), name="charge_tax_percent_range"),
        ]
