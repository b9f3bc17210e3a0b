from django.db import models
from django.utils.translation import gettext_lazy as _


class AffiliateStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    SUSPENDED = "suspended", _("Ditangguhkan")


class AttributionModel(models.TextChoices):
    LAST_CLICK = "last", _("Klik terakhir")
    FIRST_CLICK = "first", _("Klik pertama")


class ReferralSource(models.TextChoices):
    LINK = "link", _("Link referral")
    SHORT_LINK = "short_link", _("Link pendek")
    COUPON = "coupon", _("Kupon affiliate")
    APP = "app", _("Aplikasi (kode)")


class TargetKind(models.TextChoices):
    PLAN = "plan", _("Membership")
    PRODUCT = "product", _("Produk")
    COURSE = "course", _("Kelas")
    BIO = "bio", _("Halaman bio")
    OPTIN = "optin", _("Form opt-in")


class CommissionStatus(models.TextChoices):
    PENDING = "pending", _("Tertahan")  # inside the holding period
    REVIEW = "review", _("Ditinjau")  # flagged: stays pending until an admin clears or voids it
    AVAILABLE = "available", _("Tersedia")
    VOID = "void", _("Dibatalkan")
    REVERSED = "reversed", _("Dikembalikan")  # the order was refunded


class DecisionKind(models.TextChoices):
    ATTRIBUTED = "attributed", _("Diatribusikan")
    SELF_REFERRAL = "self_referral", _("Referral diri sendiri")
    SAME_IP = "same_ip", _("IP sama dengan affiliate")
    CLICK_FLOOD = "click_flood", _("Klik berulang dari satu alamat")
    CLEARED = "cleared", _("Disetujui admin")
    VOIDED = "voided", _("Dibatalkan admin")


class ChallengePeriod(models.TextChoices):
    WEEKLY = "weekly", _("Mingguan")
    MONTHLY = "monthly", _("Bulanan")


class KitKind(models.TextChoices):
    LOGO = "logo", _("Logo")
    BANNER = "banner", _("Banner")
    COPY = "copy", _("Copywriting")


RESERVED_SLUGS = frozenset(
    {"admin", "api", "s", "static", "media", "accounts", "login", "logout", "daftar", "checkout", "membership",
     "produk", "invoice", "webhooks", "bio", "optin", "dashboard", "profil", "notifications", "healthz", "www",
     "help", "support", "order", "register", "django-admin", "sanggar", "eksporyuk"}
)  # fmt: skip


class AffiliateAction:
    """Activity-log actions written by the affiliate services."""

    PROFILE_CREATED = "affiliate.profile_created"
    SHORT_LINK_CREATED = "affiliate.short_link_created"
    SHORT_LINK_CHANGED = "affiliate.short_link_changed"
    DOMAIN_CREATED = "affiliate.domain_created"
    DOMAIN_CHANGED = "affiliate.domain_changed"


CODE_MAX_LENGTH = 20
SLUG_MIN_LENGTH = 3
SLUG_MAX_LENGTH = 60
# Repeats from one address for one affiliate inside the window: at this many, one "click flood" decision is written.
CLICK_FLOOD_THRESHOLD = 10
# How far back the affiliate's own addresses (activity log) are compared with a buyer's address.
SAME_IP_LOOKBACK_DAYS = 90
SAME_IP_MAX_ADDRESSES = 50
# Query parameters left out of a click's landing path (tracking noise; the referral itself).
LANDING_DROP_PARAMS = frozenset({"ref", "rk", "fbclid", "gclid", "igshid"})
ATTRIBUTION_WINDOW_MAX = 365  # days a referral click may count
