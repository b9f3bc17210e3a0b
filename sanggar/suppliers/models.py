"""Suppliers: one per user (role Supplier), reviewed by a mentor and decided by an admin; the Free / Premium package
beside the review status (Premium as append-only periods); profile files and legal documents kept private and served
through access-checked views; products with images, catalogue files, categories and likes; the assessment (question
bank per supplier type, answers whose score the supplier never sees); the review history; views per day for the
statistics; the upgrade and ending reminders sent (once each)."""

from django.conf import settings
from django.db import models

from sanggar.accounts.constants import PROVINCE_CHOICES

from .constants import (
    AUTO_REPLY_MAX,
    DESCRIPTION_MAX,
    NOTE_MAX,
    PRODUCT_TITLE_MAX,
    SHORT_TEXT_MAX,
    BusinessField,
    DocumentKind,
    DocumentStatus,
    LegalForm,
    Package,
    ProductStatus,
    ReminderKind,
    ReviewAction,
    Status,
    SupplierType,
)

USER = settings.AUTH_USER_MODEL


class Supplier(models.Model):
    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="supplier")
    slug = models.SlugField(max_length=60, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    supplier_type = models.CharField(max_length=20, choices=SupplierType.choices, blank=True, db_index=True)
    package = models.CharField(max_length=10, choices=Package.choices, default=Package.FREE)
    premium_until = models.DateTimeField(null=True, blank=True, db_index=True)  # max end of the live periods
    trial_used = models.BooleanField(default=False)
    # Tab 1, Identitas usaha
    company_name = models.CharField(max_length=150, blank=True)
    legal_form = models.CharField(max_length=20, choices=LegalForm.choices, blank=True)
    business_field = models.CharField(max_length=20, choices=BusinessField.choices, blank=True, db_index=True)
    main_products = models.CharField(max_length=300, blank=True)
    year_founded = models.PositiveSmallIntegerField(null=True, blank=True)
    capacity = models.CharField(max_length=200, blank=True)  # "20 ton per bulan"
    # Tab 2, Alamat & lokasi
    address = models.CharField(max_length=300, blank=True)
    province = models.CharField(max_length=64, choices=PROVINCE_CHOICES, blank=True, db_index=True)
    city = models.CharField(max_length=100, blank=True, db_index=True)
    district = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=5, blank=True)
    production_address = models.CharField(max_length=300, blank=True)
    country = models.CharField(max_length=60, default="Indonesia")
    # Tab 3, Kontak perusahaan (never shown publicly: members reach a supplier through chat)
    pic_name = models.CharField(max_length=120, blank=True)
    pic_position = models.CharField(max_length=120, blank=True)
    whatsapp = models.CharField(max_length=20, blank=True)
    business_email = models.EmailField(blank=True)
    website = models.URLField(max_length=200, blank=True)
    instagram = models.CharField(max_length=60, blank=True)
    facebook = models.CharField(max_length=100, blank=True)
    # Tab 4, Legalitas (numbers; the files are SupplierDocument)
    nib = models.CharField(max_length=13, blank=True)
    npwp = models.CharField(max_length=16, blank=True)
    # Tab 5, Profil singkat (the bio page)
    short_description = models.TextField(max_length=DESCRIPTION_MAX, blank=True)
    strengths = models.CharField(max_length=SHORT_TEXT_MAX, blank=True)
    unique_value = models.CharField(max_length=SHORT_TEXT_MAX, blank=True)
    # Premium: the English version of the public profile text, written by the supplier (no machine translation; the
    # pages switch with ?bahasa=en and fall back to Indonesian field by field)
    main_products_en = models.CharField(max_length=300, blank=True)
    short_description_en = models.TextField(max_length=DESCRIPTION_MAX, blank=True)
    strengths_en = models.CharField(max_length=SHORT_TEXT_MAX, blank=True)
    unique_value_en = models.CharField(max_length=SHORT_TEXT_MAX, blank=True)
    # Review
    onboarding_step = models.PositiveSmallIntegerField(default=0)  # highest step completed (0–3)
    assessment_score = models.PositiveIntegerField(null=True, blank=True)  # never shown to the supplier
    submitted_at = models.DateTimeField(null=True, blank=True)
    recommended_at = models.DateTimeField(null=True, blank=True)
    recommended_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decision_reason = models.CharField(max_length=NOTE_MAX, blank=True)
    views_count = models.PositiveIntegerField(default=0)
    # Premium: chat posts it as the supplier's first answer when a member opens a conversation (Supplier §5)
    chat_auto_reply = models.TextField(max_length=AUTO_REPLY_MAX, blank=True)
    # §7b: the promo coupon sent with the reminders after the third one (created once, through catalog's service)
    promo_code = models.CharField(max_length=40, blank=True)
    promo_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["status", "province"]), models.Index(fields=["status", "-premium_until"])]

    def __str__(self):
        return self.company_name or self.user.email


class SupplierFile(models.Model):
    """A logo, banner or company photo (shown on a listed supplier's pages), or a product image or catalogue file.
    Stored under private/ with a generated name; `/supplier/berkas/<id>` sends it after the access check."""

    class Kind(models.TextChoices):
        LOGO = "logo", "Logo"
        BANNER = "banner", "Banner"
        PHOTO = "photo", "Foto usaha"
        PRODUCT_IMAGE = "product_image", "Foto produk"
        CATALOGUE = "catalogue", "Katalog"

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="files")
    product = models.ForeignKey(
        "SupplierProduct", null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to="private/suppliers/", max_length=255)
    original_name = models.CharField(max_length=255)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField(default=0)
    caption = models.CharField(max_length=150, blank=True)
    digest = models.CharField(max_length=64, blank=True)  # sha256 of the content: the same image twice is spam
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("id",)
        indexes = [
            models.Index(fields=["supplier", "kind"]),
            models.Index(fields=["product", "kind"]),
            models.Index(fields=["supplier", "digest"]),
        ]


class SupplierDocument(models.Model):
    """A legal document or certificate: always private (the supplier, mentors and admins); an admin verifies it."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    number = models.CharField(max_length=60, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    file = models.FileField(upload_to="private/supplier-documents/", max_length=255)
    original_name = models.CharField(max_length=255)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.PENDING)
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("id",)


class SupplierSettings(models.Model):
    """The admins' package limits and reminder switches (one row, pk=1). 0 means unlimited where noted."""

    free_max_products = models.PositiveSmallIntegerField(default=1)
    free_max_images = models.PositiveSmallIntegerField(default=3)
    free_max_catalogues = models.PositiveSmallIntegerField(default=0)
    premium_max_products = models.PositiveSmallIntegerField(default=0)  # 0 = unlimited
    premium_max_images = models.PositiveSmallIntegerField(default=10)
    premium_max_catalogues = models.PositiveSmallIntegerField(default=5)
    trial_days = models.PositiveSmallIntegerField(default=7)  # 0 = no trial
    reminders_enabled = models.BooleanField(default=True)
    # Description drafts (Supplier §7c "AI Product Description" switch; §10 one draft = one unit): monthly allowance
    drafts_enabled = models.BooleanField(default=True)
    free_drafts_month = models.PositiveSmallIntegerField(default=3)  # 0 = not available
    premium_drafts_month = models.PositiveSmallIntegerField(default=50)  # 0 = not available
    # §7a "active chats per week": conversations a supplier takes part in per week (WIB, Monday to Sunday)
    free_chats_week = models.PositiveSmallIntegerField(default=0)  # 0 = Free suppliers do not chat (§5)
    premium_chats_week = models.PositiveSmallIntegerField(default=0)  # 0 = unlimited
    # §7a "reminder frequency", per step: {kind: {"on": bool, "days": int}} over REMINDER_STEP_DEFAULTS
    reminder_steps = models.JSONField(default=dict, blank=True)
    # §7b: a promo coupon for the Premium package after the third upgrade reminder
    promo_enabled = models.BooleanField(default=True)
    promo_percent = models.PositiveSmallIntegerField(default=20)
    promo_days = models.PositiveSmallIntegerField(default=14)
    # §11 anti-spam on uploads: words refused in product / profile text (one per line), links allowed per text
    spam_words = models.TextField(blank=True)
    spam_max_links = models.PositiveSmallIntegerField(default=3)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")


class SupplierPlan(models.Model):
    """A Premium package sold through the checkout (order line kind `supplier`, ref = this slug)."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=60, unique=True)
    duration_days = models.PositiveSmallIntegerField()
    price = models.PositiveIntegerField()  # whole rupiah
    commission_percent = models.PositiveSmallIntegerField(default=0)  # an affiliate's share of an upgrade
    is_active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("order", "duration_days")

    def __str__(self):
        return self.name


class PremiumPeriod(models.Model):
    """Append-only: one row per Premium period (a paid order, the trial, or an admin's grant). A refund marks the
    period revoked; `Supplier.premium_until` is recomputed from the live rows."""

    class Source(models.TextChoices):
        ORDER = "order", "Pembelian"
        TRIAL = "trial", "Uji coba"
        ADMIN = "admin", "Diberikan admin"

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="premium_periods")
    source = models.CharField(max_length=10, choices=Source.choices)
    plan = models.ForeignKey(SupplierPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    invoice = models.CharField(max_length=40, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-ends_at",)


class SupplierProduct(models.Model):
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="products")
    title = models.CharField(max_length=PRODUCT_TITLE_MAX)
    slug = models.SlugField(max_length=120)
    description = models.TextField(blank=True)  # sanitised HTML (nh3)
    title_en = models.CharField(max_length=PRODUCT_TITLE_MAX, blank=True)  # Premium: English text
    description_en = models.TextField(blank=True)
    hs_code = models.CharField(max_length=10, blank=True, db_index=True)
    moq = models.PositiveIntegerField(null=True, blank=True)
    moq_unit = models.CharField(max_length=20, blank=True)
    price_min = models.PositiveBigIntegerField(null=True, blank=True)  # rupiah per unit
    price_max = models.PositiveBigIntegerField(null=True, blank=True)
    price_unit = models.CharField(max_length=20, blank=True)
    capacity = models.CharField(max_length=120, blank=True)  # "5 ton per bulan"
    link_url = models.CharField(max_length=200, blank=True)  # Premium: a group / class / event page of this site
    status = models.CharField(max_length=10, choices=ProductStatus.choices, default=ProductStatus.DRAFT)
    views_count = models.PositiveIntegerField(default=0)
    likes_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [models.UniqueConstraint(fields=["supplier", "slug"], name="supplier_product_slug_unique")]
        indexes = [models.Index(fields=["status", "hs_code"])]

    def __str__(self):
        return self.title


class ProductCategory(models.Model):
    product = models.ForeignKey(SupplierProduct, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(max_length=20, choices=BusinessField.choices, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["product", "code"], name="supplier_product_category_unique")]


class ProductLike(models.Model):
    product = models.ForeignKey(SupplierProduct, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["product", "user"], name="supplier_product_like_unique")]


class SupplierView(models.Model):
    """One viewer (a user, or a hashed client address) per supplier page (product 0 = the profile) per day."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="views")
    product_id = models.PositiveIntegerField(default=0)
    viewer_key = models.CharField(max_length=40)
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "product_id", "viewer_key", "day"], name="supplier_view_unique_per_day"
            )
        ]
        indexes = [models.Index(fields=["supplier", "day"])]


class AssessmentQuestion(models.Model):
    """A question of the supplier-type assessment; blank type = asked of every type. Mentors and admins add them."""

    supplier_type = models.CharField(max_length=20, choices=SupplierType.choices, blank=True)
    text = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("order", "id")


class AssessmentOption(models.Model):
    question = models.ForeignKey(AssessmentQuestion, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(max_length=200)
    score = models.PositiveSmallIntegerField(default=0)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("order", "id")


class AssessmentAnswer(models.Model):
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(AssessmentQuestion, on_delete=models.CASCADE, related_name="+")
    option = models.ForeignKey(AssessmentOption, on_delete=models.CASCADE, related_name="+")
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["supplier", "question"], name="supplier_answer_unique")]


class ReviewEntry(models.Model):
    """The review history: submissions, mentor notes and recommendations, admin decisions (append-only)."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="reviews")
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=20, choices=ReviewAction.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(max_length=NOTE_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")


class ReminderSent(models.Model):
    """A reminder sent to a supplier, once per kind (and per Premium period for the ending ones, `ref`)."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    ref = models.CharField(max_length=20, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["supplier", "kind", "ref"], name="supplier_reminder_once")]


class DescriptionDraft(models.Model):
    """Append-only: one row per product-description draft a supplier generated (the monthly allowance counts them;
    the writer says which adapter wrote it: the local template or the configured HTTP service)."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="drafts")
    product = models.ForeignKey(SupplierProduct, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    writer = models.CharField(max_length=20)
    language = models.CharField(max_length=2, default="id")
    month = models.CharField(max_length=7)  # "2026-12" (WIB)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["supplier", "month"])]


class ChatWeekUse(models.Model):
    """Append-only: a conversation counted in a supplier's week (WIB Monday) against the package's allowance of
    active chats; a conversation counts once per week however many replies it gets."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="chat_weeks")
    conversation_id = models.PositiveBigIntegerField()
    week = models.DateField()  # the Monday (WIB) the week starts
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["supplier", "week", "conversation_id"], name="supplier_chat_week_once")
        ]
