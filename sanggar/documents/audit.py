"""Activity-log actions of documents."""

from django.utils.translation import gettext_lazy as _

from sanggar.audit.registry import register

from .constants import (
    ACTION_CATEGORY_SAVED,
    ACTION_CREATED,
    ACTION_DELETED,
    ACTION_DOWNLOAD_SUSPICIOUS,
    ACTION_DOWNLOAD_VERIFIED,
    ACTION_UPDATED,
)

register(
    {
        ACTION_CREATED: _("Dokumen diunggah"),
        ACTION_UPDATED: _("Dokumen diubah"),
        ACTION_DELETED: _("Dokumen dihapus"),
        ACTION_CATEGORY_SAVED: _("Kategori dokumen disimpan"),
        ACTION_DOWNLOAD_VERIFIED: _("Unduhan dokumen diverifikasi"),
        ACTION_DOWNLOAD_SUSPICIOUS: _("Unduhan dokumen mencurigakan"),
    },
    alert=(ACTION_DELETED, ACTION_DOWNLOAD_SUSPICIOUS),
)
