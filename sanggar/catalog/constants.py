from django.db import models
from django.utils.translation import gettext_lazy as _


class Duration(models.TextChoices):
    M1 = "1m", _("1 Bulan")
    M3 = "3m", _("3 Bulan")
    M6 = "6m", _("6 Bulan")
    M12 = "12m", _("12 Bulan")
    LIFETIME = "lifetime", _("Lifetime")


# Months per duration; None = never expires.
DURATION_MONTHS: dict[str, int | None] = {"1m": 1, "3m": 3, "6m": 6, "12m": 12, "lifetime": None}


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Aktif")
    ARCHIVED = "archived", _("Diarsipkan")


class UpgradeMode(models.TextChoices):
    ACCUMULATE = "accumulate", _("Akumulasi (bayar selisih)")
    FULL = "full", _("Bayar penuh")


class CommissionType(models.TextChoices):
    FLAT = "flat", _("Nominal (Rp)")
    PERCENT = "percent", _("Persen (%)")


class ProductStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Publish")
    COMING_SOON = "coming_soon", _("Segera Hadir")


class ProductKind(models.TextChoices):
    EBOOK = "ebook", _("Ebook")
    WEBINAR = "webinar", _("Webinar")
    TEMPLATE = "template", _("Template")
    COURSE_BUNDLE = "course_bundle", _("Bundel Kelas")
    SERVICE = "service", _("Jasa")
    OTHER = "other", _("Lainnya")


class PriceType(models.TextChoices):
    ONE_TIME = "one_time", _("Sekali bayar")
    FREE = "free", _("Gratis")


class AccessLevel(models.TextChoices):
    PUBLIC = "public", _("Publik")
    MEMBER = "member", _("Khusus member")
    PREMIUM = "premium", _("Khusus member premium")


class DiscountType(models.TextChoices):
    PERCENT = "percent", _("Persen (%)")
    FIXED = "fixed", _("Nominal (Rp)")


LOGO_MAX_BYTES = 2 * 1024 * 1024
IMAGE_MAX_BYTES = 5 * 1024 * 1024
FILE_MAX_BYTES = 200 * 1024 * 1024

# Durations in display order (price rows, API lists).
DURATION_ORDER: tuple[str, ...] = ("1m", "3m", "6m", "12m", "lifetime")

# Slugs a plan may not take: `/checkout/compare` and `/checkout/all` are routed before `/checkout/<slug>`.
RESERVED_PLAN_SLUGS = frozenset({"compare", "all", "baru"})
RESERVED_PRODUCT_SLUGS = frozenset({"baru", "kategori", "checkout"})

# Image uploads (logo, banner, cover, gallery): opened with Pillow; never SVG.
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
IMAGE_MAX_SIDE = 6000
GALLERY_MAX_IMAGES = 20

# Private product files: extension → a check of the file's first bytes (see catalog/uploads.py).
PRODUCT_FILE_EXTENSIONS = ("pdf", "zip", "epub", "docx", "xlsx", "pptx", "mp4", "mp3", "png", "jpg", "jpeg")
PRODUCT_FILES_MAX = 30

# Limits of the admin forms, checked by the services.
PLAN_FEATURES_MAX = 40
FOLLOW_UP_STEPS_MAX = 60
FOLLOW_UP_MESSAGE_MAX = 1024  # WhatsApp template, as in the spec
FOLLOW_UP_DELAY_MAX_DAYS = 3650
FAQ_MAX_ITEMS = 30
FAQ_QUESTION_MAX = 200
FAQ_ANSWER_MAX = 2000
TAGS_MAX = 20
TAG_MAX_LENGTH = 40
RICH_TEXT_MAX = 100_000
MONEY_MAX = 1_000_000_000_000  # Rp 1 triliun: anything above is a typo


class CouponState(models.TextChoices):
    """Filter of the coupon list (derived, not stored)."""

    ACTIVE = "active", _("Berlaku")
    SCHEDULED = "scheduled", _("Terjadwal")
    EXPIRED = "expired", _("Kedaluwarsa")
    INACTIVE = "inactive", _("Nonaktif")


# `data["what"]` of the catalog's `settings.changed` activity rows.
class AuditWhat:
    PLAN_CREATED = "plan.created"
    PLAN_UPDATED = "plan.updated"
    PLAN_PRICES = "plan.prices"
    PLAN_FEATURES = "plan.features"
    PLAN_CONTENT = "plan.content"
    PLAN_FOLLOW_UPS = "plan.follow_ups"
    PRODUCT_CREATED = "product.created"
    PRODUCT_UPDATED = "product.updated"
    PRODUCT_GALLERY = "product.gallery"
    PRODUCT_FILES = "product.files"
    PRODUCT_FOLLOW_UPS = "product.follow_ups"
    CATEGORY_CREATED = "category.created"
    CATEGORY_UPDATED = "category.updated"
    CATEGORY_DELETED = "category.deleted"
    COUPON_CREATED = "coupon.created"
    COUPON_UPDATED = "coupon.updated"
    RESOURCE_CREATED = "resource.created"
