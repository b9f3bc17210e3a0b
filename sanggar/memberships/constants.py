from django.db import models
from django.utils.translation import gettext_lazy as _


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    EXPIRED = "expired", _("Berakhir")
    CANCELLED = "cancelled", _("Dibatalkan")
