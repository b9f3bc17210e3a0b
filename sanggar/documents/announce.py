"""The background fan-outs of documents (run by tasks.py): a new document to the members it opens for, the weekly
reminder of unopened new documents, and admins about a suspicious burst of downloads. Each sends in chunks through
`notify_users` (one insert per chunk), respecting each person's notification preferences."""

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from sanggar.accounts.selectors import users_with_role
from sanggar.core.roles import Role
from sanggar.memberships.constants import MembershipStatus
from sanggar.memberships.models import UserMembership
from sanggar.notifications.services import notify_users

from .models import Document, DocumentView, DownloadLog
from .notifications import NEW_DOCUMENT, SUSPICIOUS, WEEKLY_REMINDER
from .policy import level_label, level_plans

CHUNK = 500


def _eligible_user_ids(*, min_rank: int, now: datetime) -> list[int]:
    running = Q(status=MembershipStatus.ACTIVE) & (Q(ends_at__isnull=True) | Q(ends_at__gt=now))
    return list(
        UserMembership.objects.filter(running, plan__rank__gte=min_rank)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )


def _send(user_ids: list[int], **kwargs) -> int:
    users = get_user_model().objects.filter(is_active=True)
    sent = 0
    for start in range(0, len(user_ids), CHUNK):
        chunk = list(users.filter(pk__in=user_ids[start : start + CHUNK]))
        if chunk:
            notify_users(users=chunk, **kwargs)
            sent += len(chunk)
    return sent


def document_announce(*, document_id: int, now: datetime | None = None) -> int:
    """Tells the members whose plan opens a new document; returns how many were told."""
    now = now or timezone.now()
    document = Document.objects.select_related("category").filter(pk=document_id).first()
    if document is None or not document.is_active or document.deleted_at is not None:
        return 0
    ids = _eligible_user_ids(min_rank=document.min_rank, now=now)
    return _send(
        ids,
        kind=NEW_DOCUMENT,
        link=reverse("documents:detail", args=[document.pk]),
        context={
            "title": document.title,
            "level": level_label(document.min_rank, level_plans()),
            "category": document.category.name,
        },
    )


def documents_remind_sweep(*, now: datetime | None = None) -> int:
    """Weekly: each eligible member who has opened none of the week's new documents is reminded once."""
    now = now or timezone.now()
    week = list(
        Document.objects.filter(is_active=True, deleted_at__isnull=True, created_at__gte=now - timedelta(days=7))
        .order_by("min_rank", "-created_at")
        .values_list("pk", "title", "min_rank")
    )
    if not week:
        return 0
    lowest = min(rank for _pk, _title, rank in week)
    candidates = _eligible_user_ids(min_rank=lowest, now=now)
    doc_ids = [pk for pk, _title, _rank in week]
    opened = set(DocumentView.objects.filter(document_id__in=doc_ids).values_list("user_id", flat=True)) | set(
        DownloadLog.objects.filter(document_id__in=doc_ids).values_list("user_id", flat=True)
    )
    ids = [pk for pk in candidates if pk not in opened]
    titles = ", ".join(title for _pk, title, _rank in week[:3])
    return _send(
        ids,
        kind=WEEKLY_REMINDER,
        link=reverse("documents:list"),
        context={"count": str(len(week)), "titles": titles},
    )


def suspicious_notify(*, user_id: int, count: int) -> int:
    member = get_user_model().objects.filter(pk=user_id).first()
    if member is None:
        return 0
    admins = list(users_with_role(role=Role.ADMIN).values_list("pk", flat=True))
    return _send(
        admins,
        kind=SUSPICIOUS,
        link=reverse("documents:admin_logs") + f"?q={member.email}",
        context={"member": member.full_name or member.email, "email": member.email, "count": str(count)},
    )
