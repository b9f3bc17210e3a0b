"""Tickets API: a member's tickets (list, open, read with replies, reply), and the agents' queue and actions. Pages
and these call the same services; someone else's ticket answers 404."""

from datetime import datetime
from typing import Literal

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from sanggar.api.auth import jwt_auth
from sanggar.api.idempotency import idempotent
from sanggar.api.schemas import ErrorOut
from sanggar.core.exceptions import NotAllowed, NotFound
from sanggar.core.site import absolute
from sanggar.orders.models import Order

from . import selectors, services
from .constants import API_PAGE_SIZE, BODY_MAX, CANNED_TITLE_MAX, SUBJECT_MAX, MessageKind
from .links import ticket_link_choices
from .models import CannedReply, Ticket

router = Router(tags=["tiket"], auth=jwt_auth)
API_ORDER = 66

W = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class TicketFilters(Schema):
    status: Literal["", "open", "in_progress", "waiting", "resolved", "closed"] = ""
    page: int = Field(default=1, ge=1, le=100_000)


class TicketIn(Schema):
    category: Literal["akun", "pembayaran", "membership", "kelas", "affiliate", "iklan", "teknis", "lainnya"]
    subject: str = Field(max_length=SUBJECT_MAX)
    body: str = Field(max_length=BODY_MAX)
    order: str | None = Field(default=None, max_length=40, description="Nomor invoice pesanan Anda (opsional).")
    link: str | None = Field(
        default=None, max_length=90,
        description="Kursus atau kelas yang dimaksud (opsional), salah satu `value` dari `GET /tickets/link-options`, "
        'mis. "kursus:12".',
    )  # fmt: skip


class TicketReplyIn(Schema):
    body: str = Field(max_length=BODY_MAX)


class TicketOut(Schema):
    id: int
    number: str
    category: str
    category_label: str
    subject: str
    status: str
    status_label: str
    priority: str
    priority_label: str
    order: str | None
    assigned_to: str | None
    link_kind: str
    link_label: str
    first_response_due_at: datetime
    first_response_at: datetime | None
    rating: int | None
    created_at: datetime
    last_activity_at: datetime


class TicketPageOut(Schema):
    count: int
    next_page: int | None
    results: list[TicketOut]


class TicketAttachmentOut(Schema):
    name: str
    size: int
    url: str


class TicketReplyOut(Schema):
    id: int
    kind: str = Field(description="member, staff, note (hanya agen) atau system.")
    sender: str | None
    body: str
    created_at: datetime
    attachments: list[TicketAttachmentOut]


class TicketDetailOut(TicketOut):
    replies: list[TicketReplyOut]


class TicketQueueFilters(Schema):
    view: Literal["unassigned", "mine", "late", "all"] = "unassigned"
    status: Literal["", "open", "in_progress", "waiting", "resolved", "closed"] = ""
    priority: Literal["", "low", "normal", "high", "urgent"] = ""
    page: int = Field(default=1, ge=1, le=100_000)


class TicketStaffUpdateIn(Schema):
    status: Literal["open", "in_progress", "waiting", "resolved", "closed"] | None = None
    priority: Literal["low", "normal", "high", "urgent"] | None = None
    assign_to: int | None = Field(default=None, ge=1, le=2_147_483_647, description="Id agen (admin saja).")


class TicketNoteIn(Schema):
    body: str = Field(max_length=BODY_MAX)
    internal: bool = Field(default=False, description="true: catatan internal, tidak terlihat member.")


def ticket_data(t: Ticket) -> dict:
    return {
        "id": t.pk, "number": t.number, "category": t.category, "category_label": str(t.get_category_display()),
        "subject": t.subject, "status": t.status, "status_label": str(t.get_status_display()), "priority": t.priority,
        "priority_label": str(t.get_priority_display()), "order": t.order.invoice_number if t.order_id else None,
        "link_kind": t.link_kind, "link_label": t.link_label,
        "assigned_to": (t.assigned_to.full_name or t.assigned_to.email) if t.assigned_to_id else None,
        "first_response_due_at": t.first_response_due_at, "first_response_at": t.first_response_at,
        "rating": t.rating, "created_at": t.created_at, "last_activity_at": t.last_activity_at,
    }  # fmt: skip


def detail_data(t: Ticket, *, include_notes: bool) -> dict:
    return {
        **ticket_data(t),
        "replies": [
            {
                "id": m.pk,
                "kind": m.kind,
                "body": m.body,
                "created_at": m.created_at,
                "sender": (m.sender.full_name or m.sender.email)
                if m.sender_id and m.kind != MessageKind.SYSTEM
                else None,
                "attachments": [
                    {
                        "name": a.original_name,
                        "size": a.size,
                        "url": absolute(reverse("tickets:attachment", args=[a.pk])),
                    }
                    for a in m.attachments.all()
                ],
            }  # fmt: skip
            for m in selectors.thread(ticket=t, include_notes=include_notes)
        ],
    }


def _page(qs, page: int):
    count = qs.count()
    start = (page - 1) * API_PAGE_SIZE
    rows = list(qs.select_related("order", "assigned_to")[start : start + API_PAGE_SIZE]) if start < count else []
    return {"count": count, "next_page": page + 1 if start + API_PAGE_SIZE < count else None,
            "results": [ticket_data(t) for t in rows]}  # fmt: skip


def _own(request, ticket_id: int) -> Ticket:
    ticket = Ticket.objects.select_related("order", "assigned_to").filter(pk=ticket_id, user=request.auth).first()
    if ticket is None:
        raise NotFound(_("Tiket tidak ditemukan."))
    return ticket


@router.get("/tickets", response={200: TicketPageOut, 401: ErrorOut, 422: ErrorOut}, summary="Tiket saya")
def tickets(request, filters: Query[TicketFilters]):
    return _page(selectors.tickets_for_member(user=request.auth, status=filters.status), filters.page)


@router.post("/tickets", response={201: TicketOut, **W}, summary="Buat tiket")
@idempotent
def ticket_create(request, payload: TicketIn):
    order = None
    if payload.order:
        order = Order.objects.filter(invoice_number=payload.order.strip().upper(), buyer=request.auth).first()
        if order is None:
            raise NotFound(_("Pesanan tidak ditemukan."), errors={"order": [_("Pesanan tidak ditemukan.")]})
    ticket = services.ticket_open(
        user=request.auth, category=payload.category, subject=payload.subject, body=payload.body, order=order,
        link=payload.link or "",
    )  # fmt: skip
    return Status(201, ticket_data(ticket))


class TicketLinkOptionOut(Schema):
    group: str
    value: str
    label: str


@router.get("/tickets/link-options", response={200: list[TicketLinkOptionOut], 401: ErrorOut},
            summary="Kursus dan kelas yang bisa dikaitkan ke tiket")  # fmt: skip
def ticket_link_options(request):
    return [
        {"group": str(group), "value": value, "label": label}
        for group, options in ticket_link_choices(request.auth)
        for value, label in options
    ]


@router.get("/tickets/{ticket_id}", response={200: TicketDetailOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
            summary="Satu tiket dengan balasannya")  # fmt: skip
def ticket_detail(request, ticket_id: int):
    return detail_data(_own(request, ticket_id), include_notes=False)


@router.post("/tickets/{ticket_id}/replies", response={201: TicketReplyOut, **W}, summary="Balas tiket",
             description="Pemilik tiket atau agennya. Tiket yang ditutup tidak bisa dibalas.")  # fmt: skip
@idempotent
def ticket_reply(request, ticket_id: int, payload: TicketReplyIn):
    ticket = Ticket.objects.filter(pk=ticket_id).first()
    if ticket is None or not services.can_view(request.auth, ticket):
        raise NotFound(_("Tiket tidak ditemukan."))
    message = services.ticket_reply(ticket=ticket, actor=request.auth, body=payload.body)
    return 201, {"id": message.pk, "kind": message.kind, "body": message.body, "created_at": message.created_at,
                 "sender": request.auth.full_name or request.auth.email, "attachments": []}  # fmt: skip


# --- agents -------------------------------------------------------------------------------------------------------


def _agent(request):
    if not services.is_staff(request.auth):
        raise NotAllowed(_("Hanya untuk tim support."))
    return request.auth


def _visible(agent, ticket_id: int) -> Ticket:
    ticket = (
        selectors.visible_to_staff(agent).select_related("order", "assigned_to", "user").filter(pk=ticket_id).first()
    )
    if ticket is None:
        raise NotFound(_("Tiket tidak ditemukan."))
    return ticket


@router.get("/support/tickets", response={200: TicketPageOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
            summary="Antrean tiket (agen)")  # fmt: skip
def queue(request, filters: Query[TicketQueueFilters]):
    agent = _agent(request)
    qs = selectors.staff_queue(user=agent, view=filters.view, status=filters.status, priority=filters.priority)
    return _page(qs, filters.page)


@router.get("/support/tickets/{ticket_id}", response={200: TicketDetailOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
            422: ErrorOut}, summary="Satu tiket (agen), dengan catatan internal")  # fmt: skip
def staff_ticket(request, ticket_id: int):
    return detail_data(_visible(_agent(request), ticket_id), include_notes=True)


@router.post("/support/tickets/{ticket_id}/claim", response={200: TicketOut, **W}, summary="Ambil tiket (agen)")
@idempotent
def claim(request, ticket_id: int):
    agent = _agent(request)
    return ticket_data(services.ticket_claim(ticket=_visible(agent, ticket_id), agent=agent))


@router.post("/support/tickets/{ticket_id}/replies", response={201: TicketReplyOut, **W},
             summary="Balas atau beri catatan internal (agen)")  # fmt: skip
@idempotent
def staff_reply(request, ticket_id: int, payload: TicketNoteIn):
    agent = _agent(request)
    message = services.ticket_reply(
        ticket=_visible(agent, ticket_id), actor=agent, body=payload.body, internal=payload.internal
    )
    return 201, {"id": message.pk, "kind": message.kind, "body": message.body, "created_at": message.created_at,
                 "sender": agent.full_name or agent.email, "attachments": []}  # fmt: skip


@router.post("/support/tickets/{ticket_id}", response={200: TicketOut, **W},
             summary="Ubah status, prioritas atau agen (agen; menugaskan: admin)")  # fmt: skip
@idempotent
def staff_update(request, ticket_id: int, payload: TicketStaffUpdateIn):
    agent = _agent(request)
    ticket = _visible(agent, ticket_id)
    if payload.assign_to is not None:
        target = get_user_model().objects.filter(pk=payload.assign_to).first()
        ticket = services.ticket_assign(ticket=ticket, actor=agent, agent=target)
    if payload.priority:
        ticket = services.ticket_set_priority(ticket=ticket, actor=agent, priority=payload.priority)
    if payload.status:
        ticket = services.ticket_set_status(ticket=ticket, actor=agent, status=payload.status)
    return ticket_data(_visible(agent, ticket_id))


# --- canned replies (agents) ----------------------------------------------------------------------------------------


class TicketCannedFilters(Schema):
    ticket: int | None = Field(default=None, ge=1, description="Isi kode {nama}, {nomor}, … dari tiket ini.")


class TicketCannedIn(Schema):
    title: str = Field(max_length=CANNED_TITLE_MAX)
    body: str = Field(max_length=BODY_MAX)
    category: Literal["", "akun", "pembayaran", "membership", "kelas", "affiliate", "iklan", "teknis", "lainnya"] = ""
    active: bool = True


class TicketCannedOut(Schema):
    id: int
    title: str
    category: str
    active: bool
    body: str


CANNED_READ = {200: list[TicketCannedOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.get("/support/canned-replies", response=CANNED_READ, summary="Balasan cepat (agen)")
def canned_list(request, filters: Query[TicketCannedFilters]):
    agent = _agent(request)
    if filters.ticket is None:
        return [{"id": c.pk, "title": c.title, "category": c.category, "active": c.active, "body": c.body}
                for c in selectors.canned_replies(active_only=False)]  # fmt: skip
    ticket = _visible(agent, filters.ticket)
    return [
        {
            "id": c.pk,
            "title": c.title,
            "category": c.category,
            "active": c.active,
            "body": services.canned_reply_render(reply=c, ticket=ticket, agent=agent),
        }  # fmt: skip
        for c in selectors.canned_replies(category=ticket.category)
    ]


@router.post("/support/canned-replies", response={201: TicketCannedOut, **W}, summary="Buat balasan cepat (agen)")
@idempotent
def canned_create(request, payload: TicketCannedIn):
    reply = services.canned_reply_save(actor=_agent(request), **payload.dict())
    return Status(201, {"id": reply.pk, "title": reply.title, "category": reply.category, "active": reply.active,
                        "body": reply.body})  # fmt: skip


@router.delete("/support/canned-replies/{reply_id}", response={204: None, 401: ErrorOut, 403: ErrorOut,
               404: ErrorOut, 422: ErrorOut}, summary="Hapus balasan cepat (agen)")  # fmt: skip
def canned_delete(request, reply_id: int):
    agent = _agent(request)
    reply = CannedReply.objects.filter(pk=reply_id).first()
    if reply is None:
        raise NotFound(_("Balasan cepat tidak ditemukan."))
    services.canned_reply_delete(actor=agent, reply=reply)
    return Status(204, None)
