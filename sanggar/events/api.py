"""Events API: the upcoming events the caller may see, with their registration; register (a seat or the waiting
list). The meeting link is returned only to registrants."""

from datetime import datetime
from typing import Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from sanggar.api.auth import jwt_auth
from sanggar.api.idempotency import idempotent
from sanggar.api.schemas import ErrorOut
from sanggar.community.models import Group
from sanggar.core.exceptions import NotAllowed, NotFound
from sanggar.core.listing import csv_response
from sanggar.core.request_context import client_ip
from sanggar.core.roles import Role

from . import selectors, services
from .models import Event, EventStatus, Registration, RegistrationStatus

router = Router(tags=["event"])
API_ORDER = 77
_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}
PAGE = 20


class EventPageIn(Schema):
    page: int = 1
    group: str = ""


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
    meeting_provider: str = Field(default="", description="zoom, meet, other atau kosong.")
    meeting_passcode: str | None = Field(default=None, description="Kode sandi meeting: hanya untuk peserta terdaftar.")
    cover_url: str | None = Field(default=None, description="Gambar sampul (1200 × 630, JPEG) atau null.")


class EventPageOut(Schema):
    count: int
    next_page: int | None
    results: list[EventOut]


class RsvpIn(Schema):
    response: Literal["going", "maybe", "not_going"] = Field(
        default="going",
        description="going = daftar (kursi atau daftar tunggu); maybe / not_going = jawaban tanpa kursi dan tautan.",
    )


class RegistrationOut(Schema):
    status: str
    meeting_url: str | None
    meeting_passcode: str | None = None


def _out(event, status: str, request=None) -> dict:
    going = status == RegistrationStatus.GOING
    cover = event.cover.url if event.cover else None
    return {
        "meeting_provider": event.meeting_provider,
        "meeting_passcode": (event.meeting_passcode or None) if going else None,
        "cover_url": request.build_absolute_uri(cover) if cover and request is not None else cover,
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
        "meeting_url": event.meeting_url if going else None,
    }


@router.get(
    "/events",
    response={200: EventPageOut, **_ERRORS},
    auth=jwt_auth,
    summary="Event mendatang (`?group=<slug>` untuk acara satu grup)",
)
def events(request, filters: Query[EventPageIn]):
    page = max(1, min(filters.page, 10_000))
    qs = selectors.upcoming().select_related("group__resource")
    if filters.group:
        group = selectors.group_filter(request.auth, filters.group)
        if group is None:
            raise NotFound("Grup tidak ditemukan.")
        qs = qs.filter(group=group)
    rows = selectors.visible(request.auth, list(qs[:500]))
    chunk = rows[(page - 1) * PAGE : page * PAGE]
    mine = dict(
        Registration.objects.filter(user=request.auth, event__in=[e.pk for e in chunk]).values_list(
            "event_id", "status"
        )
    )
    return {
        "count": len(rows),
        "next_page": page + 1 if page * PAGE < len(rows) else None,
        "results": [_out(e, mine.get(e.pk, ""), request) for e in chunk],
    }


@router.post(
    "/events/{slug}/register", response={200: RegistrationOut, **_ERRORS}, auth=jwt_auth, summary="Daftar event"
)
@idempotent
def register(request, slug: str, data: RsvpIn | None = None):
    event = Event.objects.select_related("group__resource", "resource").filter(slug=slug, status="published").first()
    if event is None or not selectors.visible(request.auth, [event]):
        raise NotFound("Event tidak ditemukan.")
    response = data.response if data is not None else RegistrationStatus.GOING
    row = services.respond(user=request.auth, event=event, response=response, ip=client_ip(request))
    going = row.status == RegistrationStatus.GOING
    return Status(
        200,
        {
            "status": row.status,
            "meeting_url": event.meeting_url if going else None,
            "meeting_passcode": (event.meeting_passcode or None) if going else None,
        },
    )


class EventDetailOut(EventOut):
    host: str
    status: str
    can_register: bool
    message: str
    action_url: str
    seats_left: int | None
    product: str | None
    post_id: int | None
    recording_url: str | None
    can_organise: bool


class RecordingOut(Schema):
    slug: str
    title: str
    starts_at: datetime
    recording_url: str


class RecordingPageOut(Schema):
    count: int
    next_page: int | None
    results: list[RecordingOut]


class GroupEventIn(Schema):
    title: str
    slug: str = ""
    description: str = ""
    starts_at: datetime
    ends_at: datetime
    location_kind: str = "online"
    meeting_url: str = ""
    address: str = ""
    capacity: int | None = None
    meeting_provider: str = Field(default="", max_length=10, description="zoom, meet atau other.")
    meeting_passcode: str = Field(default="", max_length=200)


def _visible_event(request, slug: str) -> Event:
    event = Event.objects.select_related("group__resource", "resource", "host", "product").filter(slug=slug).first()
    if event is None or (event.status == EventStatus.DRAFT and not request.auth.has_role(Role.ADMIN)):
        raise NotFound("Event tidak ditemukan.")
    if not selectors.visible(request.auth, [event]):
        raise NotFound("Event tidak ditemukan.")
    return event


def _page_of(qs, page: int):
    page = max(1, min(page, 10_000))
    count = qs.count()
    start = (page - 1) * PAGE
    rows = list(qs[start : start + PAGE]) if start < count else []
    return count, (page + 1 if start + PAGE < count else None), rows


@router.get(
    "/events/recordings", response={200: RecordingPageOut, **_ERRORS}, auth=jwt_auth, summary="Arsip rekaman event"
)
def recordings(request, filters: Query[EventPageIn]):
    count, nxt, rows = _page_of(selectors.recordings(request.auth), filters.page)
    return {
        "count": count,
        "next_page": nxt,
        "results": [
            {"slug": e.slug, "title": e.title, "starts_at": e.starts_at, "recording_url": e.recording_url} for e in rows
        ],
    }


@router.get("/me/events", response={200: EventPageOut, **_ERRORS}, auth=jwt_auth, summary="Event saya")
def my_events(request, filters: Query[EventPageIn]):
    count, nxt, rows = _page_of(selectors.my_events(request.auth), filters.page)
    return {"count": count, "next_page": nxt, "results": [_out(r.event, r.status, request) for r in rows]}


@router.get("/events/{slug}", response={200: EventDetailOut, **_ERRORS}, auth=jwt_auth, summary="Detail event")
def event_detail(request, slug: str):
    event = _visible_event(request, slug)
    row = Registration.objects.filter(event=event, user=request.auth).first()
    status = row.status if row and row.status != RegistrationStatus.CANCELLED else ""
    allowed, message, action_url = services.may_register(request.auth, event)
    taken = Registration.objects.filter(event=event, status=RegistrationStatus.GOING).count()
    going = status == RegistrationStatus.GOING
    organiser = services.can_organise(request.auth, event)
    ended = event.ends_at <= timezone.now()
    return {
        **_out(event, status, request),
        "host": event.host.full_name if event.host_id else "",
        "status": event.status,
        "can_register": allowed and not status,
        "message": message,
        "action_url": action_url or (f"/produk/{event.product.slug}" if event.product_id else ""),
        "seats_left": None if event.capacity is None else max(0, event.capacity - taken),
        "product": event.product.slug if event.product_id else None,
        "post_id": event.post_id,
        "recording_url": event.recording_url if event.recording_url and ended and (going or organiser) else None,
        "can_organise": organiser,
    }


@router.post(
    "/events/{slug}/cancel", response={200: RegistrationOut, **_ERRORS}, auth=jwt_auth, summary="Batalkan pendaftaran"
)
@idempotent
def cancel(request, slug: str):
    event = _visible_event(request, slug)
    services.cancel(user=request.auth, event=event)
    return {"status": RegistrationStatus.CANCELLED, "meeting_url": None}


@router.get(
    "/events/{slug}/registrants",
    response={200: None, **_ERRORS},
    auth=jwt_auth,
    summary="Unduh peserta (CSV; admin / penyelenggara)",
)
def registrants_csv(request, slug: str):
    event = _visible_event(request, slug)
    if not services.can_organise(request.auth, event):
        raise NotAllowed("Hanya admin atau penyelenggara event yang dapat mengunduh peserta.")
    rows = services.registrants_export(actor=request.auth, event=event)
    return csv_response(f"peserta-{event.slug}.csv", rows[0], rows[1:])


@router.post(
    "/groups/{slug}/events",
    response={201: EventOut, **_ERRORS},
    auth=jwt_auth,
    summary="Buat acara grup (diumumkan di feed grup)",
)
@idempotent
def group_event_create(request, slug: str, payload: GroupEventIn):
    group = Group.objects.select_related("resource").filter(slug=slug).first()
    if group is None:
        raise NotFound("Grup tidak ditemukan.")
    probe = Event(group=group)
    if not selectors.visible(request.auth, [probe]):
        raise NotFound("Grup tidak ditemukan.")
    data = payload.dict()
    event = services.event_create(actor=request.auth, data=data, group=group, announce=True)
    return Status(201, _out(event, "", request))
