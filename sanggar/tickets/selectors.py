"""Reads of tickets for pages and the API (every list selects what its rows show)."""

from datetime import timedelta

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from sanggar.core.roles import Role

from .constants import CANNED_MAX, OPEN_STATUSES, TicketStatus
from .models import CannedReply, Ticket, TicketMessage


def tickets_for_member(*, user, status: str = "", q: str = "") -> QuerySet[Ticket]:
    qs = Ticket.objects.filter(user=user).order_by("-last_activity_at", "-id")
    if status in TicketStatus.values:
        qs = qs.filter(status=status)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(subject__icontains=q) | Q(number__icontains=q))
    return qs


def ticket_for_member(*, user, number: str) -> Ticket | None:
    return Ticket.objects.select_related("assigned_to", "order").filter(user=user, number=number).first()


def visible_to_staff(user) -> QuerySet[Ticket]:
    """Admins see every ticket; support agents the unassigned queue and their own."""
    qs = Ticket.objects.all()
    if not user.has_role(Role.ADMIN):
        qs = qs.filter(Q(assigned_to__isnull=True) | Q(assigned_to=user))
    return qs


def staff_queue(
    *, user, view: str = "", status: str = "", priority: str = "", category: str = "", q: str = ""
) -> QuerySet[Ticket]:
    qs = visible_to_staff(user).select_related("user", "assigned_to")
    if view == "unassigned":
        qs = qs.filter(assigned_to__isnull=True, status__in=OPEN_STATUSES)
    elif view == "mine":
        qs = qs.filter(assigned_to=user)
    elif view == "late":
        qs = qs.filter(
            status__in=OPEN_STATUSES, first_response_at__isnull=True, first_response_due_at__lte=timezone.now()
        )
    if status in TicketStatus.values:
        qs = qs.filter(status=status)
    if priority:
        qs = qs.filter(priority=priority)
    if category:
        qs = qs.filter(category=category)
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(subject__icontains=q)
            | Q(number__icontains=q)
            | Q(user__email__icontains=q)
            | Q(user__full_name__icontains=q)
        )
    return qs.order_by("status", "-last_activity_at", "-id")


def ticket_for_staff(*, user, number: str) -> Ticket | None:
    return visible_to_staff(user).select_related("user", "assigned_to", "order").filter(number=number).first()


def thread(*, ticket: Ticket, include_notes: bool) -> list[TicketMessage]:
    qs = ticket.messages.select_related("sender").prefetch_related("attachments")
    if not include_notes:
        qs = qs.exclude(kind="note")
    return list(qs)


def support_numbers(*, user=None, now=None) -> dict:
    """Figures for the Support dashboard and the report: open, unassigned, late, today's opened/solved, averages."""
    now = now or timezone.now()
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    base = Ticket.objects.all()
    open_q = Q(status__in=OPEN_STATUSES)
    figures = base.aggregate(
        open=Count("id", filter=open_q),
        unassigned=Count("id", filter=open_q & Q(assigned_to__isnull=True)),
        late=Count("id", filter=open_q & Q(first_response_at__isnull=True, first_response_due_at__lte=now)),
        opened_today=Count("id", filter=Q(created_at__gte=today)),
        resolved_today=Count("id", filter=Q(resolved_at__gte=today)),
        breached=Count(
            "id",
            filter=Q(first_response_at__gt=F("first_response_due_at"))
            | Q(first_response_at__isnull=True, first_response_due_at__lte=now),
        ),
        total=Count("id"),
        rated=Avg("rating"),
    )
    if user is not None:
        figures["mine"] = base.filter(open_q, assigned_to=user).count()
    return figures


def _hours(value: timedelta | None) -> float | None:
    return round(value.total_seconds() / 3600, 1) if value else None


def report(*, days: int = 30, now=None) -> dict:
    """Volume per category and per day, first-response and resolution times, SLA breaches, per agent (fixed queries)."""
    now = now or timezone.now()
    since = now - timedelta(days=days)
    qs = Ticket.objects.filter(created_at__gte=since)
    first = ExpressionWrapper(F("first_response_at") - F("created_at"), output_field=DurationField())
    resolve = ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField())
    averages = qs.aggregate(first=Avg(first), resolve=Avg(resolve))
    per_category = list(qs.values("category").annotate(n=Count("id")).order_by("-n"))
    per_agent = list(
        qs.filter(assigned_to__isnull=False)
        .values("assigned_to__full_name", "assigned_to__email")
        .annotate(
            n=Count("id"),
            solved=Count("id", filter=Q(status__in=(TicketStatus.RESOLVED, TicketStatus.CLOSED))),
            first=Avg(first),
            rating=Avg("rating"),
            breached=Count("id", filter=Q(first_response_at__gt=F("first_response_due_at"))),
        )
        .order_by("-n")[:50]
    )
    for row in per_agent:
        row["first_hours"] = _hours(row.pop("first"))
    per_day = {
        row["day"]: row["n"]
        for row in qs.annotate(day=F("created_at__date")).values("day").annotate(n=Count("id")).order_by("day")
    }
    return {
        "days": days,
        "total": qs.count(),
        "first_hours": _hours(averages["first"]),
        "resolve_hours": _hours(averages["resolve"]),
        "breached": qs.filter(
            Q(first_response_at__gt=F("first_response_due_at"))
            | Q(first_response_at__isnull=True, first_response_due_at__lte=now)
        ).count(),
        "per_category": per_category,
        "per_agent": per_agent,
        "per_day": per_day,
    }


def canned_replies(*, category: str | None = None, active_only: bool = True) -> list[CannedReply]:
    """Canned replies for a ticket of `category` (those of that category and those for every ticket), or all of them
    (`category=None`), by title. One query."""
    qs = CannedReply.objects.all()
    if active_only:
        qs = qs.filter(active=True)
    if category is not None:
        qs = qs.filter(Q(category="") | Q(category=category))
    return list(qs.order_by("title", "id")[:CANNED_MAX])
