from django.db import models
from django.utils.translation import gettext_lazy as _

SOURCE = "sejoli"
AUDIT_RUN = "migration.run"
BATCH_SIZE = 1000
PAGE_SIZE = 20
INVOICE_PREFIX = "SJ"  # Sejoli order 1234 → invoice SJ1234: never the platform's own INV sequence


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Berjalan")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


class Category(models.TextChoices):
    """What a Sejoli product becomes (the spec's product → membership table)."""

    LIFETIME = "lifetime", _("Lifetime")
    M12 = "12m", _("12 Bulan")
    M6 = "6m", _("6 Bulan")
    RENEWAL = "renewal", _("Perpanjangan")
    EVENT = "event", _("Event/Webinar/Zoominar")
    TOOL = "tool", _("Tool/Aplikasi")
    SERVICE = "service", _("Jasa")
    FREE = "free", _("Gratis")
    OTHER = "other", _("Lainnya")


# "DATA MIGRASI SEJOLI" → product mapping (Sejoli product id → category). 16826 "Paket Umroh" has no stated result:
# it is kept as history (an order line of a draft product), like events, tools and services (D-MIG-8/9).
PRODUCT_CATEGORIES: dict[int, str] = {
    **dict.fromkeys(
        (28, 93, 179, 1529, 3840, 4684, 6068, 6810, 11207, 13401, 15234, 16956, 17920, 19296, 20852), Category.LIFETIME
    ),
    **dict.fromkeys((8683, 13399), Category.M12),
    **dict.fromkeys((8684, 13400), Category.M6),
    **dict.fromkeys((8910, 8914, 8915), Category.RENEWAL),
    **dict.fromkeys(
        (
            397,
            488,
            12994,
            13039,
            13045,
            16130,
            16860,
            16963,
            17227,
            17322,
            17767,
            18358,
            18528,
            18705,
            18893,
            19042,
            20130,
            20336,
            21476,
        ),
        Category.EVENT,
    ),  # fmt: skip
    **dict.fromkeys((2910, 3764, 4220, 8686), Category.TOOL),
    **dict.fromkeys((5928, 5932, 5935, 16581, 16587, 16592), Category.SERVICE),
    300: Category.FREE,
    16826: Category.OTHER,
}
MEMBERSHIP_CATEGORIES = {Category.LIFETIME: "lifetime", Category.M12: "12m", Category.M6: "6m"}
# The plans the membership categories become (demo slugs) and their rank order.
PLAN_SLUGS = {"6m": "6-bulan", "12m": "12-bulan", "lifetime": "lifetime"}
DURATION_RANK = {"6m": 1, "12m": 2, "lifetime": 3}

# Sejoli order status → the platform's; the spec's SUCCESS / PENDING / FAILED groups (C-MIG-11).
STATUS_GROUP = {
    "completed": "success",
    "in-progress": "success",
    "shipping": "success",
    "on-hold": "pending",
    "payment-confirm": "pending",
    "cancelled": "failed",
    "refunded": "failed",
}
STATUS_MAP = {
    "completed": "paid",
    "in-progress": "paid",
    "shipping": "paid",
    "on-hold": "pending",
    "payment-confirm": "pending",
    "cancelled": "cancelled",
    "refunded": "refunded",
}

# PR #2 / #3: the required course and group assignments per plan duration.
COURSE_PLANS = {"ekspor yuk": ("6m", "12m", "lifetime"), "website ekspor": ("lifetime",)}
GROUPS = (("Support Ekspor Yuk", ("6m", "12m", "lifetime")), ("Website Ekspor", ("lifetime",)))


# The main figure set of "DATA MIGRASI SEJOLI" (PRODUCT.md: the migration reconciles to it).
SPEC_FIGURES = {
    "users": 19016,
    "orders": 19252,
    "orders_success": 12827,
    "orders_pending": 42,
    "orders_failed": 6383,
    "revenue": 4130776001,
    "affiliates": 124,
    "conversions": 3742,
    "commission_total": 971545000,
    "memberships": 10124,
    "top_affiliates": [
        ("Sutisna", 209395000, 539),
        ("Rahmat Al Fianto", 109435000, 415),
        ("Asep Abdurrahman Wahid", 103285000, 443),
        ("Hamid Baidowi", 93510000, 374),
        ("Yoga Andrian", 90385000, 342),
        ("NgobrolinEkspor", 82055000, 329),
        ("eko wibowo", 49260000, 197),
        ("Muhamad safrizal", 36995000, 148),
        ("PintarEkspor", 31225000, 125),
        ("Fadlul Rahmat", 23720000, 95),
    ],
}
# The second, contradicting figure set (C-MIG-1..3): reported beside, never reconciled to.
SPEC_ALTERNATE = {"orders": 18584, "orders_success": 12539, "revenue": 3950660373, "commission_total": 1232435000}
