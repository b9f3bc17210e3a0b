from django.db import models
from django.utils.translation import gettext_lazy as _


class ResourceKind(models.TextChoices):
    """Things access can be granted to. Later capabilities (LMS, community, events, documents) register theirs."""

    PRODUCT = "product", _("Produk")
    COURSE = "course", _("Kelas")
    GROUP = "group", _("Grup")
    EVENT = "event", _("Event")
    DOCUMENT = "document", _("Dokumen")
    FEATURE = "feature", _("Fitur")


class GrantSource(models.TextChoices):
    MEMBERSHIP = "membership", _("Membership")
    PURCHASE = "purchase", _("Pembelian")
    ADMIN = "admin", _("Diberikan admin")


class DenyReason(models.TextChoices):
    """Why the policy said no; each has a message and a way to unlock (see access.policy)."""

    LOGIN_REQUIRED = "login_required", _("Perlu masuk")
    INACTIVE_RESOURCE = "inactive", _("Tidak tersedia")
    PREMIUM_REQUIRED = "premium_required", _("Khusus member premium")
    MEMBERSHIP_EXPIRED = "membership_expired", _("Membership berakhir")
    PURCHASE_REQUIRED = "purchase_required", _("Perlu membeli")
    GRANT_EXPIRED = "grant_expired", _("Masa akses berakhir")
    REVOKED = "revoked", _("Akses dicabut")
    NO_ACCESS = "no_access", _("Belum punya akses")


class GrantState(models.TextChoices):
    """A grant's state at a moment (admin filter)."""

    ACTIVE = "active", _("Aktif")
    SCHEDULED = "scheduled", _("Belum mulai")
    ENDED = "ended", _("Berakhir")
    REVOKED = "revoked", _("Dicabut")


# Activity-log actions written by the access services (labels: sanggar.audit.constants.Action).
ACTION_GRANT_CREATED = "access.granted"
ACTION_GRANT_REVOKED = "access.revoked"

# Signed download links of private files.
PRIVATE_LINK_SALT = "sanggar.access.private-file"
GRANT_NOTE_MAX_LENGTH = 200
ADMIN_PAGE_SIZE = 25
