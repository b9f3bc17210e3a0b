"""Member documents: files an admin uploads for members of a minimum plan rank, and the log of every download."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from sanggar.core.models import TimeStampedModel

from .constants import CATEGORY_MAX, DESCRIPTION_MAX, NOTES_MAX, TITLE_MAX, DownloadStatus


class DocumentCategory(TimeStampedModel):
    """An admin-managed category (Panduan, Template, Buyer Data, Legalitas…)."""

    name = models.CharField(max_length=CATEGORY_MAX, unique=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("sort_order", "name", "id")

    def __str__(self):
        return self.name


class Document(TimeStampedModel):
    """A private file for members whose active plan's rank is at least `min_rank` (or who were granted its
    resource by an admin). The file is stored outside the public media folders and served only through a signed,
    single-use link after the policy says yes."""

    title = models.CharField(max_length=TITLE_MAX)
    description = models.TextField(max_length=DESCRIPTION_MAX, blank=True)
    category = models.ForeignKey(DocumentCategory, on_delete=models.PROTECT, related_name="documents")
    min_rank = models.PositiveIntegerField(default=1)  # the lowest plan rank that opens it
    file = models.FileField(upload_to="private/documents/", max_length=255)
    original_name = models.CharField(max_length=255, blank=True)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    deleted_at = models.DateTimeField(null=True, blank=True)  # removed by an admin; its log stays
    uploader = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    resource = models.OneToOneField(
        "access.Resource", null=True, blank=True, on_delete=models.SET_NULL, related_name="document"
    )
    views = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)  # members who downloaded it (each counted once)
    download_total = models.PositiveIntegerField(default=0)  # every successful download

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["is_active", "min_rank"])]

    def __str__(self):
        return self.title


class DocumentView(models.Model):
    """A member opened a document's page (their access history)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="view_rows")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["user", "-created_at"])]


class DownloadLog(models.Model):
    """One row per download attempt: `pending` when a link is issued, `success` when the file was sent, `failed`
    when it was refused (no access, expired or reused link, missing file)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="download_logs")
    document_title = models.CharField(max_length=TITLE_MAX)
    membership_level = models.CharField(max_length=200, blank=True)  # the member's plan at the time
    status = models.CharField(max_length=10, choices=DownloadStatus.choices, default=DownloadStatus.PENDING)
    reason = models.CharField(max_length=300, blank=True)  # why it failed
    nonce = models.CharField(max_length=40, unique=True, null=True, blank=True)  # the link's single-use key
    ip = models.GenericIPAddressField(null=True, blank=True)
    device = models.CharField(max_length=300, blank=True)  # the browser's user agent
    flagged = models.BooleanField(default=False)  # part of a suspicious burst of downloads
    admin_verified = models.BooleanField(default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    notes = models.CharField(max_length=NOTES_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            models.Index(fields=["document", "status"]),
            models.Index(fields=["flagged"], name="documents_log_flagged", condition=Q(flagged=True)),
        ]

    def __str__(self):
        return f"{self.document_title} — {self.get_status_display()}"
