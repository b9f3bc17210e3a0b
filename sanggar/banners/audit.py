"""Activity-log actions of banners."""

from django.utils.translation import gettext_lazy as _

from sanggar.audit.registry import register

from .constants import (
    ACTION_ANNOUNCED,
    ACTION_CREATED,
    ACTION_DELETED,
    ACTION_PACKAGE_SAVED,
    ACTION_REVIEWED,
    ACTION_SPONSOR_SUBMITTED,
    ACTION_UPDATED,
)

register(
    {
        ACTION_CREATED: _("Banner dibuat"),
        ACTION_UPDATED: _("Banner diubah"),
        ACTION_DELETED: _("Banner dihapus"),
        ACTION_PACKAGE_SAVED: _("Paket banner sponsor disimpan"),
        ACTION_SPONSOR_SUBMITTED: _("Banner sponsor dikirim untuk review"),
        ACTION_REVIEWED: _("Banner sponsor direview"),
        ACTION_ANNOUNCED: _("Banner diumumkan sebagai notifikasi"),
    }
)
