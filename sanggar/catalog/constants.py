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
