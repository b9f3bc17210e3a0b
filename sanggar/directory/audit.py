"""Activity-log actions of the export directory."""

from django.utils.translation import gettext_lazy as _

from sanggar.audit.registry import register

from .constants import (
    ACTION_API_KEY_CREATED,
    ACTION_API_KEY_REVOKED,
    ACTION_BUYER_ARCHIVED,
    ACTION_BUYER_EXPORTED,
    ACTION_BUYER_IMPORTED,
    ACTION_BUYER_SAVED,
    ACTION_DOCUMENT_SAVED,
    ACTION_DOCUMENT_TEMPLATE_SAVED,
    ACTION_FEATURE_GATE_SAVED,
    ACTION_FORWARDER_IMPORTED,
    ACTION_FORWARDER_SAVED,
    ACTION_PROFILE_SAVED,
    ACTION_QUOTA_SAVED,
    ACTION_RATING_HIDDEN,
    ACTION_REPORT_CREATED,
    ACTION_REPORT_HANDLED,
    ACTION_ROLE_ACCESS_SAVED,
)

register(
    {
        ACTION_QUOTA_SAVED: _("Kuota direktori diubah"),
        ACTION_REPORT_CREATED: _("Data direktori dilaporkan"),
        ACTION_REPORT_HANDLED: _("Laporan direktori ditangani"),
        ACTION_BUYER_SAVED: _("Buyer disimpan"),
        ACTION_BUYER_ARCHIVED: _("Buyer diarsipkan"),
        ACTION_BUYER_IMPORTED: _("Buyer diimpor"),
        ACTION_BUYER_EXPORTED: _("Data buyer diekspor"),
        ACTION_FORWARDER_SAVED: _("Forwarder disimpan"),
        ACTION_PROFILE_SAVED: _("Profil direktori member disimpan"),
        ACTION_DOCUMENT_SAVED: _("Dokumen ekspor disimpan"),
        ACTION_RATING_HIDDEN: _("Ulasan direktori disembunyikan / ditampilkan"),
        ACTION_ROLE_ACCESS_SAVED: _("Peran yang boleh membuka direktori diubah"),
        ACTION_DOCUMENT_TEMPLATE_SAVED: _("Templat dokumen ekspor diubah"),
        ACTION_FORWARDER_IMPORTED: _("Forwarder diimpor"),
        ACTION_API_KEY_CREATED: _("Kunci API pribadi dibuat"),
        ACTION_API_KEY_REVOKED: _("Kunci API pribadi dicabut"),
        ACTION_FEATURE_GATE_SAVED: _("Akses fitur direktori diubah"),
    },
    alert=(ACTION_BUYER_EXPORTED,),
)
