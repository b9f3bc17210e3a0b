from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from sanggar.access.policy import access_decisions
from sanggar.core.roles import Role

from .models import Event, EventStatus, Registration, RegistrationStatus


def upcoming(user=None):
    return (
        Event.objects.filter(status=EventStatus.PUBLISHED, ends_at__gte=timezone.now())
        .select_related("group", "resource", "host")
        .order_by("starts_at")
    )


def visible(user, events):
    """The events `user` may see: not tied to a group, or tied to one they may read (hidden groups stay hidden)."""
    groups = [e.group for e in events if e.group_id]
    if not groups:
        return list(events)
    decisions = access_decisions(user=user, resources=[g.resource for g in groups])
    out = []
    for event in events:
        group = event.group
        if group is None or decisions[group.resource_id].allowed or group.visibility == "public":
            out.append(event)
    return out


def upcoming_for_sidebar(user) -> list[dict]:
    events = visible(user, list(upcoming().select_related("group__resource")[:10]))[:5]
    return [
        {"title": e.title, "starts_at": e.starts_at, "url": reverse("events:detail", args=[e.slug])} for e in events
    ]


def group_events(group, *, offset: int = 0, limit: int = 20) -> list[dict]:
    """A group's published (or cancelled) events for its "Acara" tab: the coming ones (soonest first), then the past
    ones (latest first); at most three queries per page. The page already checked the viewer may read the group."""
    now = timezone.now()
    shown = Event.objects.filter(group=group, status__in=(EventStatus.PUBLISHED, EventStatus.CANCELLED))
    coming = shown.filter(ends_at__gte=now).order_by("starts_at", "id")
    past = shown.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    n_coming = coming.count()
    rows = list(coming[offset : offset + limit]) if offset < n_coming else []
    if len(rows) < limit:
        start = max(0, offset - n_coming)
        rows += list(past[start : start + limit - len(rows)])
    return [
        {
            "title": e.title,
            "starts_at": e.starts_at,
            "url": reverse("events:detail", args=[e.slug]),
            "cancelled": e.status == EventStatus.CANCELLED,
            "past": e.ends_at < now,
            "online": e.location_kind == "online",
        }
        for e in rows
    ]


def my_registrations(user):
    return Registration.objects.filter(user=user).exclude(status=RegistrationStatus.CANCELLED).select_related("event")


def month_events(user, year: int, month: int):
    """The published events of a month the user may see (bounded: at most 200), for the calendar."""
    start = timezone.make_aware(datetime(year, month, 1))
    end = timezone.make_aware(datetime(year + (month == 12), month % 12 + 1, 1))
    events = list(
        Event.objects.filter(status=EventStatus.PUBLISHED, starts_at__gte=start, starts_at__lt=end)
        .select_related("group__resource")
        .order_by("starts_at")[:200]
    )
    return visible(user, events)


def recordings(user):
    """Past events with a recording the user may watch: the registrants (admins see all)."""
    qs = (
        Event.objects.filter(ends_at__lt=timezone.now())
        .exclude(recording_url="")
        .exclude(status=EventStatus.CANCELLED)
        .select_related("group", "host")
        .order_by("-starts_at")
    )
    if not user.has_role(Role.ADMIN):
        mine = Registration.objects.filter(user=user, status=RegistrationStatus.GOING).values("event_id")
        qs = qs.filter(pk__in=mine)
    return qs
