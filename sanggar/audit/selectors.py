from datetime import date

from django.db.models import Q, QuerySet

from .models import ActivityLog


def activity_list(
    *, action: str = "", q: str = "", date_from: date | None = None, date_to: date | None = None
) -> QuerySet[ActivityLog]:
    qs = ActivityLog.objects.select_related("actor").order_by("-created_at", "-id")
    if action:
        qs = qs.filter(action=action)
    if q:
        qs = qs.filter(Q(actor_label__icontains=q) | Q(target_label__icontains=q) | Q(ip__icontains=q))
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    return qs


def activity_for(*, target_type: str, target_id) -> list[ActivityLog]:
    """Every row about one object, oldest first: an order's timeline (one query)."""
    return list(
        ActivityLog.objects.filter(target_type=target_type, target_id=str(target_id))
        .select_related("actor")
        .order_by("created_at", "id")
    )
