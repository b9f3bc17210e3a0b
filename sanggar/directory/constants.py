from django.db import models
from django.utils.translation import gettext_lazy as _

# Kinds this app registers (sanggar.suppliers registers "supplier").
KIND_BUYER = "buyer"
KIND_FORWARDER = "forwarder"
KIND_EXPORT_DOCUMENT = "export_document"

REPORT_DETAIL_MAX = 1000
ADMIN_NOTE_MAX = 1000
SEARCH_TEXT_MAX = 100

MEMBER_PAGE_SIZE = 20
ADMIN_PAGE_SIZE = 25
API_PAGE_SIZE = 30

ACTION_QUOTA_SAVED = "directory.quota_saved"
ACTION_REPORT_CREATED = "directory.report_created"
ACTION_REPORT_HANDLED = "directory.report_handled"
ACTION_BUYER_SAVED = "directory.buyer_saved"
ACTION_BUYER_ARCHIVED = "directory.buyer_archived"
ACTION_BUYER_IMPORTED = "directory.buyer_imported"
ACTION_BUYER_EXPORTED = "directory.buyer_exported"
ACTION_FORWARDER_SAVED = "directory.forwarder_saved"
ACTION_PROFILE_SAVED = "directory.member_profile_saved"
ACTION_DOCUMENT_SAVED = "directory.document_saved"


class ReportReason(models.TextChoices):
    WRONG_CONTACT = "wrong_contact", _("Kontak salah / tidak aktif")
    WRONG_DATA = "wrong_data", _("Data perusahaan salah")
    DUPLICATE = "duplicate", _("Data ganda")
    FAKE = "fake", _("Palsu / penipuan")
    CLOSED = "closed", _("Perusahaan sudah tutup")
    OTHER = "other", _("Lainnya")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Baru")
    FIXED = "fixed", _("Sudah diperbaiki")
    HIDDEN = "hidden", _("Data disembunyikan")
    REJECTED = "rejected", _("Ditolak")
