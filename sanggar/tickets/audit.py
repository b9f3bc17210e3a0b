"""Activity-log actions of tickets."""

from django.utils.translation import gettext_lazy as _

from sanggar.audit.registry import register

from .constants import (
    ACTION_ASSIGNED,
    ACTION_CANNED_DELETED,
    ACTION_CANNED_SAVED,
    ACTION_OPENED,
    ACTION_PRIORITY,
    ACTION_RATED,
    ACTION_STATUS,
)

register(
    {
        ACTION_OPENED: _("Tiket dibuka"),
        ACTION_ASSIGNED: _("Tiket ditugaskan"),
        ACTION_STATUS: _("Status tiket diubah"),
        ACTION_PRIORITY: _("Prioritas tiket diubah"),
        ACTION_RATED: _("Tiket dinilai"),
        ACTION_CANNED_SAVED: _("Balasan cepat disimpan"),
        ACTION_CANNED_DELETED: _("Balasan cepat dihapus"),
    }
)
