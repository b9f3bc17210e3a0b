from django.db import models
from django.utils.translation import gettext_lazy as _


class Mode(models.TextChoices):
    SANDBOX = "sandbox", _("Sandbox (uji coba)")
    PRODUCTION = "production", _("Produksi")


class Group(models.TextChoices):
    PAYMENT = "payment", _("Pembayaran")
    MESSAGING = "messaging", _("Pesan & notifikasi")


SNAPSHOT_CACHE_KEY = "integrations:snapshot:v1"
UNIQUE_CODE_LIMIT = 999  # the code is at most three digits
PENDING_HOURS_LIMIT = 24 * 14
