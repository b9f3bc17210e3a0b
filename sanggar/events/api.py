"""Events API: the upcoming events the caller may see, with their registration; register (a seat or the waiting
list). The meeting link is returned only to registrants."""

from datetime import datetime

from ninja import Query, Router, Schema
from ninja.responses import Status

from sanggar.api.auth import jwt_auth
from sanggar.api.idempotency import idempotent
from sanggar.api.schemas import ErrorOut
from sanggar.core.exceptions import NotFound
from sanggar.core.request_context import client_ip

from . import selectors, services
from .models import Event, Registration, RegistrationStatus

router = Router(tags=["event"])
API_ORDER = 77
_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}
PAGE = 20


class EventPageIn(Schema):
    page: int = 1


class EventOut(Schema):
    slug: str
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    location_kind: str
    address: str
    capacity: int | None
    group: str | None
    registration: str = ""
    meeting_url: str | None = None


class EventPageOut(Schema):
    count: int
    next_page: int | None
    results: list[EventOut]


class RegistrationOut(Schema):
    status: str
    meeting_url: str | None


def _out(event, status: str) -> dict:
    return {
        "slug": event.slug,
        "title": event.title,
        "description": event.description,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "location_kind": event.location_kind,
        "address": event.address,
        "capacity": event.capacity,
        "group": event.group.slug if event.group_id else None,
        "registration": status,
        "meeting_url": event.meeting_url if status == RegistrationStatus.GOING else None,
    }


@router.get("/events", response={200: EventPageOut, **_ERRORS}, auth=jwt_auth, summary="Event mendatang")
def events(request, filters: Query[EventPageIn]):
    page = max(1, min(filters.page, 10_000))
    rows = selectors.visible(request.auth, list(selectors.upcoming().select_related("group__resource")[:500]))
    chunk = rows[(page - 1) * PAGE : page * PAGE]
    mine = dict(
        Registration.objects.filter(user=request.auth, event__in=[e.pk for e in chunk]).values_list(
            "event_id", "status"
        )
    )
    return {
        "count": len(rows),
        "next_page": page + 1 if page * PAGE < len(rows) else None,
        "results": [_out(e, mine.get(e.pk, "")) for e in chunk],
    }


@router.post(
    "/events/{slug}/register", response={200: RegistrationOut, **_ERRORS}, auth=jwt_auth, summary="Daftar event"
)
@idempotent
def register(request, slug: str):
    event = Event.objects.select_related("group__resource", "resource").filter(slug=slug, status="published").first()
    if event is None or not selectors.visible(request.auth, [event]):
        raise NotFound("Event tidak ditemukan.")
    row = services.register(user=request.auth, event=event, ip=client_ip(request))
    return Status(200, {"status": row.status, "meeting_url": event.meeting_url if row.status == "going" else None})
