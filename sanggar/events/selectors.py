from datetime import datetime

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from sanggar.access.policy import access_decisions
from sanggar.catalog.constants import ProductKind
from sanggar.catalog.models import Product
from sanggar.community.models import Group
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


def events_of_posts(post_ids) -> dict[int, dict]:
    """The events the given community posts announce (`Event.post`), by post id (one query)."""
    rows = Event.objects.filter(post_id__in=list(post_ids)[:200]).only("post_id", "slug", "title", "starts_at")
    return {
        e.post_id: {
            "slug": e.slug,
            "title": e.title,
            "starts_at": e.starts_at,
            "url": reverse("events:detail", args=[e.slug]),
        }
        for e in rows
    }


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


def webinar_products():
    """The catalog's webinar products an event can be sold by (the product's stock is the seat quota)."""
    return Product.objects.filter(kind=ProductKind.WEBINAR).order_by("title", "pk")


def my_events(user):
    """The caller's registrations that are not cancelled nor answered "not going", soonest event first
    (for "Event Saya"; a "maybe" shows, without a seat)."""
    return (
        Registration.objects.filter(user=user)
        .exclude(status__in=(RegistrationStatus.CANCELLED, RegistrationStatus.NOT_GOING))
        .select_related("event", "event__group")
        .order_by("event__starts_at", "pk")
    )


def registration_counts(event) -> dict:
    """Registrations per status (one query), attendance, and for a paid webinar the product's seats sold."""
    counts = dict.fromkeys(RegistrationStatus.values, 0)
    for status, n in Registration.objects.filter(event=event).values_list("status").annotate(n=Count("pk")).order_by():
        counts[status] = n
    counts["attended"] = Registration.objects.filter(event=event, attended_at__isnull=False).count()
    counts["sold"] = event.product.sold_count if event.product_id else None
    counts["stock"] = event.product.stock if event.product_id else None
    return counts


def groups_with_events(user) -> list:
    """The groups with a published upcoming event the user may see (for the list's filter; at most 50)."""
    events = visible(user, list(upcoming().filter(group__isnull=False).select_related("group__resource")[:200]))
    seen = {}
    for event in events:
        seen.setdefault(event.group.slug, event.group)
    return list(seen.values())[:50]


def group_filter(user, slug: str):
    """The `?grup=` filter: a group the user may see, else none."""
    if not slug or len(slug) > 80:
        return None
    group = Group.objects.select_related("resource").filter(slug=slug).first()
    if group is None or not visible(user, [Event(group=group)]):
        return None
    return group
