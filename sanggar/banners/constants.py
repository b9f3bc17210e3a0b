from django.db import models
from django.utils.translation import gettext_lazy as _

ACTION_CREATED = "banners.created"
ACTION_UPDATED = "banners.updated"
ACTION_DELETED = "banners.deleted"

IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
IMAGE_MAX_BYTES = 2 * 1024 * 1024
IMAGE_MAX_SIDE = 4096
TITLE_MAX = 120
DESCRIPTION_MAX = 300
CTA_MAX = 40
URL_MAX = 500
ADMIN_PAGE_SIZE = 20
API_MAX_ITEMS = 5


class Placement(models.TextChoices):
    DASHBOARD = "dashboard", _("Dashboard (atas)")
    SIDEBAR = "sidebar", _("Sidebar")
    FEED = "feed", _("Feed komunitas")


class Audience(models.TextChoices):
    ALL = "all", _("Semua member")
    PREMIUM = "premium", _("Hanya member premium")
    FREE = "free", _("Hanya member gratis")
