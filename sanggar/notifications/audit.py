"""Activity-log actions of notifications."""

from django.utils.translation import gettext_lazy as _

from sanggar.audit.constants import Action
from sanggar.audit.registry import register

SUPPRESSION_REMOVED = "notifications.suppression_removed"
ROLE_RULES_CHANGED = "notifications.role_rules_changed"
SMART_RULES_CHANGED = "notifications.smart_rules_changed"

register(
    {
        Action.TEMPLATE_CHANGED: _("Template pesan diubah"),
        SUPPRESSION_REMOVED: _("Alamat dihapus dari daftar berhenti berlangganan"),
        ROLE_RULES_CHANGED: _("Aturan notifikasi per peran diubah"),
        SMART_RULES_CHANGED: _("Aturan notifikasi otomatis diubah"),
    }
)
