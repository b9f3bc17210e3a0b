"""Activity-log actions of banners."""

from django.utils.translation import gettext_lazy as _

from sanggar.audit.registry import register

from .constants import ACTION_CREATED, ACTION_DELETED, ACTION_UPDATED

register(
    {
        ACTION_CREATED: _("Banner dibuat"),
        ACTION_UPDATED: _("Banner diubah"),
        ACTION_DELETED: _("Banner dihapus"),
    }
)
