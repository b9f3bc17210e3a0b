from django.db import models
from django.utils.translation import gettext_lazy as _

# Files an admin may upload: the first bytes must match the extension (and an Office file must be the zip of its
# kind), see uploads.py.
DOCUMENT_EXTENSIONS = ("pdf", "docx", "xlsx", "pptx", "zip")
TITLE_MAX = 255
DESCRIPTION_MAX = 2000
CATEGORY_MAX = 100
NOTES_MAX = 500
MEMBER_PAGE_SIZE = 12
ADMIN_PAGE_SIZE = 25
HISTORY_PAGE_SIZE = 20
API_PAGE_SIZE = 50

ACTION_CREATED = "documents.created"
ACTION_UPDATED = "documents.updated"
ACTION_DELETED = "documents.deleted"
ACTION_DOWNLOAD_VERIFIED = "documents.download_verified"
ACTION_DOWNLOAD_SUSPICIOUS = "documents.download_suspicious"
ACTION_CATEGORY_SAVED = "documents.category_saved"


class DownloadStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")  # a link was issued and not used yet
    SUCCESS = "success", _("Berhasil")
    FAILED = "failed", _("Gagal")


class DocumentState(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    INACTIVE = "inactive", _("Nonaktif")
