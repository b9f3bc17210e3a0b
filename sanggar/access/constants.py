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
