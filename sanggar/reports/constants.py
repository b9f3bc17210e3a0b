from django.db import models
from django.utils.translation import gettext_lazy as _

from sanggar.core.roles import Role


class ReportKind(models.TextChoices):
    WEEKLY = "weekly", _("Ringkasan mingguan")
    MONTHLY = "monthly", _("Laporan bulanan")


# Who receives the reports (active users holding one of these roles).
RECIPIENT_ROLES = (Role.ADMIN, Role.FOUNDER, Role.COFOUNDER)
