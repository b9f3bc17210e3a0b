from django.db import models
from django.utils.translation import gettext_lazy as _

ACTION_CREATED = "banners.created"
ACTION_UPDATED = "banners.updated"
ACTION_DELETED = "banners.deleted"
ACTION_PACKAGE_SAVED = "banners.package_saved"
ACTION_SPONSOR_SUBMITTED = "banners.sponsor_submitted"
ACTION_REVIEWED = "banners.reviewed"
ACTION_ANNOUNCED = "banners.announced"
ANNOUNCE_BATCH = 1000  # recipients per notification batch

IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
IMAGE_MAX_BYTES = 2 * 1024 * 1024
IMAGE_MAX_SIDE = 4096
TITLE_MAX = 120
DESCRIPTION_MAX = 300
CTA_MAX = 40
URL_MAX = 500
ADMIN_PAGE_SIZE = 20
API_MAX_ITEMS = 5
SPONSOR_NAME_MAX = 120
REVIEW_NOTE_MAX = 500
PACKAGE_DAYS_MAX = 366
DAILY_CAP_MAX = 100
STATS_DAYS_MAX = 366
CAROUSEL_MAX = 5  # dashboard carousel: at most this many banners, one slide every 5 seconds
FEED_EVERY = 5  # the feed shows a banner after every this many posts
CLICK_SIGNATURE_SALT = "banners.click"
CLICK_SIGNATURE_MAX_AGE = 2 * 24 * 3600  # a rendered banner's click link stays countable for two days


class Placement(models.TextChoices):
    DASHBOARD = "dashboard", _("Dashboard (atas)")
    SIDEBAR = "sidebar", _("Sidebar")
    FEED = "feed", _("Feed komunitas (setiap 5 postingan)")
    GROUP = "grup", _("Header grup komunitas")
    PROFILE = "profil", _("Profil member / affiliate")
    COURSE = "kursus", _("Halaman kursus")
    EVENT = "event", _("Halaman event")
    PRODUCT = "produk", _("Halaman produk")


class Kind(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    SPONSOR = "sponsor", _("Sponsor")


class Review(models.TextChoices):
    APPROVED = "approved", _("Disetujui")
    PENDING = "pending", _("Menunggu review")
    REJECTED = "rejected", _("Ditolak")


class Audience(models.TextChoices):
    ALL = "all", _("Semua member")
    PREMIUM = "premium", _("Hanya member premium")
    FREE = "free", _("Hanya member gratis")
