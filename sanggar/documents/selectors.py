"""Reads of documents shared by pages and the API. Every list selects what its rows show (a fixed number of
queries per page)."""

from datetime import date

from django.db.models import Count, Q, QuerySet, Sum

from .constants import DocumentState, DownloadStatus
from .models import Document, DocumentCategory, DocumentView, DownloadLog


def category_list() -> QuerySet[DocumentCategory]:
    return DocumentCategory.objects.all()


def category_get(*, pk) -> DocumentCategory | None:
    return DocumentCategory.objects.filter(pk=pk).first()


def document_list_member(*, q: str = "", category: str = "") -> QuerySet[Document]:
    """Active documents for the members' list (locked ones included: the page shows them with a lock)."""
    qs = (
        Document.objects.filter(is_active=True, deleted_at__isnull=True)
        .select_related("category", "resource")
        .order_by("-created_at", "-id")
    )
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
    if category:
        qs = qs.filter(category_id=category)
    return qs


def document_get_member(*, pk: int) -> Document | None:
    return (
        Document.objects.filter(pk=pk, is_active=True, deleted_at__isnull=True)
        .select_related("category", "resource")
        .first()
    )


def document_get(*, pk: int) -> Document | None:
    """Any document not removed (admins)."""
    return Document.objects.filter(pk=pk, deleted_at__isnull=True).select_related("category", "resource").first()


def document_list_admin(
    *, q: str = "", category: str = "", level: str = "", state: str = "", date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Document]:  # fmt: skip
    qs = (
        Document.objects.filter(deleted_at__isnull=True)
        .select_related("category", "uploader")
        .order_by("-created_at", "-id")
    )
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q) | Q(original_name__icontains=q))
    if category:
        qs = qs.filter(category_id=category)
    if level:
        qs = qs.filter(min_rank=level)
    if state == DocumentState.ACTIVE:
        qs = qs.filter(is_active=True)
    elif state == DocumentState.INACTIVE:
        qs = qs.filter(is_active=False)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    return qs


def log_list(
    *, q: str = "", status: str = "", document: str = "", flagged: bool = False, verified: str = "", user_id=None
) -> QuerySet[DownloadLog]:
    qs = DownloadLog.objects.select_related("user", "verified_by").order_by("-created_at", "-id")
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(user__email__icontains=q) | Q(user__full_name__icontains=q) | Q(document_title__icontains=q))
    if status in DownloadStatus.values:
        qs = qs.filter(status=status)
    if document:
        qs = qs.filter(document_id=document)
    if flagged:
        qs = qs.filter(flagged=True)
    if verified == "yes":
        qs = qs.filter(admin_verified=True)
    elif verified == "no":
        qs = qs.filter(admin_verified=False)
    if user_id is not None:
        qs = qs.filter(user_id=user_id)
    return qs


def log_get(*, pk: int) -> DownloadLog | None:
    return DownloadLog.objects.select_related("user", "document", "verified_by").filter(pk=pk).first()


def history_for_user(*, user) -> QuerySet[DownloadLog]:
    """A member's own downloads (success and failed; pending links are not shown)."""
    return (
        DownloadLog.objects.filter(user=user)
        .exclude(status=DownloadStatus.PENDING)
        .select_related("document")
        .order_by("-created_at", "-id")
    )


def views_for_user(*, user, limit: int = 10) -> list[DocumentView]:
    return list(
        DocumentView.objects.filter(user=user).select_related("document").order_by("-created_at", "-id")[:limit]
    )


def totals() -> dict:
    """The admin's summary: documents, views, downloads (unique members and all), flagged downloads."""
    agg = Document.objects.filter(deleted_at__isnull=True).aggregate(
        documents=Count("id"), views=Sum("views"), downloads=Sum("downloads"), download_total=Sum("download_total")
    )
    agg["flagged"] = DownloadLog.objects.filter(flagged=True).count()
    return {k: v or 0 for k, v in agg.items()}
