from django.db import models
from django.utils.translation import gettext_lazy as _


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    EXPIRED = "expired", _("Berakhir")
    CANCELLED = "cancelled", _("Dibatalkan")


class LogKind(models.TextChoices):
    """What a MembershipLog row records."""

    ACTIVATED = "activated", _("Diaktifkan")
    EXTENDED = "extended", _("Diperpanjang")
    UPGRADED = "upgraded", _("Di-upgrade")
    EXPIRED = "expired", _("Berakhir")
    REFUNDED = "refunded", _("Dibatalkan (refund)")
    EXTENSION_REFUNDED = "extension_refunded", _("Perpanjangan dibatalkan (refund)")
    RESTORED = "restored", _("Dipulihkan")
    GRANTED = "granted", _("Diberikan admin")
    ADMIN_EXTENDED = "admin_extended", _("Diperpanjang admin")
    PLAN_CHANGED = "plan_changed", _("Paket diganti admin")
    CANCELLED = "cancelled", _("Dihentikan admin")


class MembershipSource(models.TextChoices):
    """Where a membership came from."""

    ORDER = "order", _("Pesanan")
    ADMIN = "admin", _("Admin")
    IMPORT = "import", _("Impor")


class Pricing(models.TextChoices):
    NEW = "new", _("Baru")
    RENEWAL = "renewal", _("Perpanjangan")
    UPGRADE = "upgrade", _("Upgrade")
    DOWNGRADE = "downgrade", _("Downgrade")  # only through an admin's charged plan change


# Activity-log actions (labels: memberships/audit.py).
ACTION_ACTIVATED = "membership.activated"
ACTION_EXTENDED = "membership.extended"
ACTION_UPGRADED = "membership.upgraded"
ACTION_EXPIRED = "membership.expired"
ACTION_REFUNDED = "membership.refunded"
ACTION_GRANTED = "membership.granted"
ACTION_ADMIN_EXTENDED = "membership.admin_extended"
ACTION_PLAN_CHANGED = "membership.plan_changed"
ACTION_CANCELLED = "membership.cancelled"

# Admin actions on a member's membership (page and API).
ADMIN_EXTEND_MAX_DAYS = 3650

GRANT_SOURCE_REF = "membership:{pk}"
HISTORY_LIMIT = 20
