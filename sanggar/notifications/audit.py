"""Activity-log actions of notifications."""

from django.utils.translation import gettext_lazy as _

from sanggar.audit.constants import Action
from sanggar.audit.registry import register

SUPPRESSION_REMOVED = "notifications.suppression_removed"

register(
    {
        Action.TEMPLATE_CHANGED: _("Template pesan diubah"),
        SUPPRESSION_REMOVED: _("Alamat dihapus dari daftar berhenti berlangganan"),
    }
)
