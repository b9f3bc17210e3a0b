"""Business writes of tickets: open, reply (member, staff, internal note), claim and assign, status and priority,
close, reopen, rate; the sweeps that close resolved tickets and warn about late first responses. Pages, the API and
the tasks call these."""

import secrets
from datetime import datetime, timedelta
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.accounts.selectors import users_with_role
from sanggar.audit.services import activity_record
from sanggar.core import request_context
from sanggar.core.exceptions import NotAllowed, RateLimited, ServiceError
from sanggar.core.ratelimit import window_take
from sanggar.core.roles import Role
from sanggar.notifications.services import notify_users

from .constants import (
    ACTION_ASSIGNED,
    ACTION_CANNED_DELETED,
    ACTION_CANNED_SAVED,
    ACTION_OPENED,
    ACTION_PRIORITY,
    ACTION_RATED,
    ACTION_STATUS,
    ATTACHMENT_EXTENSIONS,
    BODY_MAX,
    CANNED_MAX,
    CANNED_TITLE_MAX,
    MAX_FILES_PER_MESSAGE,
    OPEN_STATUSES,
    RATING_COMMENT_MAX,
    SLA_SETTINGS,
    SUBJECT_MAX,
    MessageKind,
    TicketCategory,
    TicketPriority,
    TicketStatus,
)
from .links import ticket_link_get
from .models import CannedReply, Ticket, TicketAttachment, TicketMessage
from .notifications import MEMBER_REPLY, NEW_TICKET, SLA_LATE, STAFF_REPLY, STATUS_CHANGED

STAFF = (Role.ADMIN, Role.SUPPORT)


def is_staff(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.role_set & set(STAFF))


def can_view(user, ticket: Ticket) -> bool:
    """The owner; admins; support agents for unassigned tickets and their own."""
    if user is None or not user.is_authenticated:
        return False
    if ticket.user_id == user.pk or user.has_role(Role.ADMIN):
        return True
    return user.has_role(Role.SUPPORT) and ticket.assigned_to_id in (None, user.pk)


def _text(value, *, field: str, max_length: int, required: bool = True) -> str:
    text = str(value or "").strip()
    if "\x00" in text:
        raise ServiceError(
            _("Teks berisi karakter yang tidak diizinkan."), errors={field: [_("Karakter tidak valid.")]}
        )
    if required and not text:
        raise ServiceError(_("Lengkapi isian yang wajib."), errors={field: [_("Wajib diisi.")]})
    if len(text) > max_length:
        message = _("Paling banyak %(max)s karakter.") % {"max": max_length}
        raise ServiceError(message, errors={field: [message]})
    return text


def _rate(key: str, *, user, setting: str, ip_setting: str) -> None:
    ip = request_context.current().ip
    waits = [window_take(f"user:{user.pk}", setting=setting)]
    if ip:
        waits.append(window_take(f"ip:{ip}", setting=ip_setting))
    wait = max(waits)
    if wait:
        raise RateLimited(
            _("Terlalu banyak %(what)s dalam waktu singkat. Coba lagi dalam %(minutes)s menit.")
            % {"what": key, "minutes": max(1, (wait + 59) // 60)},
            retry_after=wait,
        )


_MAGIC = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "webp": (b"RIFF",),
}


def _check_files(files) -> list:
    files = [f for f in (files or []) if f]
    if len(files) > MAX_FILES_PER_MESSAGE:
        message = _("Paling banyak %(n)s lampiran per pesan.") % {"n": MAX_FILES_PER_MESSAGE}
        raise ServiceError(message, errors={"attachments": [message]})
    for upload in files:
        name = str(upload.name or "")
        extension = PurePath(name).suffix.lower().lstrip(".")
        if "\x00" in name or extension not in ATTACHMENT_EXTENSIONS:
            message = _("Lampiran harus berupa gambar (PNG, JPG, WebP) atau PDF.")
            raise ServiceError(message, errors={"attachments": [message]})
        if not upload.size:
            raise ServiceError(_("Lampiran kosong."), errors={"attachments": [_("Lampiran kosong.")]})
        if upload.size > settings.TICKET_ATTACHMENT_MAX_BYTES:
            message = _("Ukuran lampiran maksimal %(mb)s MB.") % {
                "mb": settings.TICKET_ATTACHMENT_MAX_BYTES // (1024 * 1024)
            }
            raise ServiceError(message, errors={"attachments": [message]})
        upload.seek(0)
        head = upload.read(12)
        upload.seek(0)
        if not head.startswith(_MAGIC[extension]) or (extension == "webp" and head[8:12] != b"WEBP"):
            message = _("Isi lampiran “%(name)s” tidak sesuai dengan jenisnya.") % {"name": name[:80]}
            raise ServiceError(message, errors={"attachments": [message]})
    return files


def _store(message: TicketMessage, files) -> None:
    for upload in files:
        extension = PurePath(upload.name).suffix.lower().lstrip(".")
        attachment = TicketAttachment(
            message=message, original_name=str(upload.name)[:255], extension=extension, size=upload.size
        )
        attachment.file.save(f"{secrets.token_hex(16)}.{extension}", upload, save=False)
        attachment.save()


def _due(priority: str, start: datetime) -> datetime:
    return start + timedelta(hours=getattr(settings, SLA_SETTINGS[priority]))


def _staff_users(ticket: Ticket | None = None):
    if ticket is not None and ticket.assigned_to_id:
        return [ticket.assigned_to]
    ids = set(users_with_role(role=Role.ADMIN).values_list("pk", flat=True)) | set(
        users_with_role(role=Role.SUPPORT).values_list("pk", flat=True)
    )
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True))


def _context(ticket: Ticket, **extra) -> dict:
    return {"number": ticket.number, "subject": ticket.subject, **extra}


def _system(ticket: Ticket, text: str, actor=None) -> None:
    TicketMessage.objects.create(ticket=ticket, sender=actor, kind=MessageKind.SYSTEM, body=text[:BODY_MAX])


@transaction.atomic
def _link(user, link: str) -> tuple[str, str, str]:
    """("kursus", "12", "Dasar Ekspor") for "kursus:12" when it is one of this member's options; "" links nothing."""
    if not link:
        return "", "", ""
    message = _("Pilih kursus atau kelas Anda dari daftar.")
    kind, _sep, ref = str(link).partition(":")
    entry = ticket_link_get(kind)
    if entry is None or not ref or len(ref) > 64:
        raise ServiceError(message, errors={"link": [message]})
    label = dict(entry.options(user)).get(ref)
    if label is None:
        raise ServiceError(message, errors={"link": [message]})
    return kind, ref, str(label)[:200]


def ticket_open(*, user, category: str, subject: str, body: str, order=None, files=(), role: str = "",
                link: str = "") -> Ticket:  # fmt: skip
    """A member's new ticket: optionally about one of their orders and about one of their courses or live classes
    (`link` = "kursus:<id>" / "kelas:<id>", from `links.ticket_link_choices`)."""
    if category not in TicketCategory.values:
        raise ServiceError(_("Pilih kategori yang tersedia."), errors={"category": [_("Pilih kategori.")]})
    link_kind, link_ref, link_label = _link(user, link)
    subject = _text(subject, field="subject", max_length=SUBJECT_MAX)
    body = _text(body, field="body", max_length=BODY_MAX)
    if order is not None and order.buyer_id != user.pk:
        raise ServiceError(_("Pesanan itu bukan milik Anda."), errors={"order": [_("Pesanan tidak ditemukan.")]})
    files = _check_files(files)
    _rate(_("tiket dibuat"), user=user, setting="TICKET_CREATE_RATE_LIMIT", ip_setting="TICKET_CREATE_IP_RATE_LIMIT")
    now = timezone.now()
    ticket = Ticket.objects.create(
        user=user, user_role=(role or "")[:20], category=category, subject=subject, order=order,
        link_kind=link_kind, link_ref=link_ref, link_label=link_label, priority=TicketPriority.NORMAL,
        first_response_due_at=_due(TicketPriority.NORMAL, now), last_activity_at=now,
    )  # fmt: skip
    ticket.number = f"TKT-{ticket.pk:06d}"
    ticket.save(update_fields=["number"])
    message = TicketMessage.objects.create(ticket=ticket, sender=user, kind=MessageKind.MEMBER, body=body)
    _store(message, files)
    activity_record(
        action=ACTION_OPENED, actor=user, target=ticket, data={"number": ticket.number, "category": category}
    )
    link = reverse("tickets:staff_detail", args=[ticket.number])
    notify_users(
        users=_staff_users(), kind=NEW_TICKET, link=link,
        context=_context(ticket, member=user.full_name or user.email, category=ticket.get_category_display()),
    )  # fmt: skip
    return ticket


@transaction.atomic
def ticket_reply(*, ticket: Ticket, actor, body: str, files=(), internal: bool = False) -> TicketMessage:
    """A reply on the thread. The owner's reply moves a waiting ticket back to "in progress" (and reopens a resolved
    one within TICKET_REOPEN_DAYS); a staff reply is the first response if none was given and waits for the member;
    an internal note (staff only) changes nothing and is never shown to the member."""
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    body = _text(body, field="body", max_length=BODY_MAX)
    staff = is_staff(actor) and actor.pk != locked.user_id
    if not staff and actor.pk != locked.user_id:
        raise NotAllowed(_("Anda tidak bisa membalas tiket ini."))
    if staff and not can_view(actor, locked):
        raise NotAllowed(_("Tiket ini ditangani agen lain."))
    if internal and not staff:
        raise NotAllowed(_("Catatan internal hanya untuk tim support."))
    if locked.status == TicketStatus.CLOSED:
        raise ServiceError(_("Tiket sudah ditutup. Buka tiket baru bila masih ada pertanyaan."), code="closed")
    files = _check_files(files)
    now = timezone.now()
    if internal:
        message = TicketMessage.objects.create(ticket=locked, sender=actor, kind=MessageKind.NOTE, body=body)
        _store(message, files)
        return message
    if not staff:
        _rate(_("balasan"), user=actor, setting="TICKET_REPLY_RATE_LIMIT", ip_setting="TICKET_REPLY_IP_RATE_LIMIT")
        if locked.status == TicketStatus.RESOLVED:
            if locked.resolved_at and now - locked.resolved_at > timedelta(days=settings.TICKET_REOPEN_DAYS):
                raise ServiceError(
                    _("Tiket ini selesai lebih dari %(days)s hari lalu. Buka tiket baru.")
                    % {"days": settings.TICKET_REOPEN_DAYS},
                    code="too_old",
                )
            locked.resolved_at = None
            _system(locked, _("Tiket dibuka kembali oleh member."), actor)
        if locked.status in (TicketStatus.WAITING, TicketStatus.RESOLVED):
            locked.status = TicketStatus.IN_PROGRESS
        kind = MessageKind.MEMBER
    else:
        if locked.first_response_at is None:
            locked.first_response_at = now
        if locked.assigned_to_id is None:
            locked.assigned_to = actor
        locked.status = TicketStatus.WAITING
        kind = MessageKind.STAFF
    locked.last_activity_at = now
    locked.save()
    message = TicketMessage.objects.create(ticket=locked, sender=actor, kind=kind, body=body)
    _store(message, files)
    if staff:
        notify_users(
            users=[locked.user], kind=STAFF_REPLY, link=reverse("tickets:detail", args=[locked.number]),
            context=_context(locked, excerpt=body[:140]),
        )  # fmt: skip
    else:
        notify_users(
            users=_staff_users(locked), kind=MEMBER_REPLY, link=reverse("tickets:staff_detail", args=[locked.number]),
            context=_context(locked, member=actor.full_name or actor.email, excerpt=body[:140]),
        )  # fmt: skip
    ticket.status = locked.status
    return message


def _set_status(locked: Ticket, status: str, actor, now: datetime) -> None:
    previous = locked.status
    locked.status = status
    if status == TicketStatus.RESOLVED:
        locked.resolved_at = now
    if status == TicketStatus.CLOSED:
        locked.closed_at = now
        locked.closed_by = actor
    if status in OPEN_STATUSES:
        locked.closed_at = None
        locked.closed_by = None
        locked.resolved_at = None
    locked.last_activity_at = now
    locked.save()
    label = TicketStatus(status).label
    who = (actor.full_name or actor.email) if actor is not None else _("sistem")
    _system(locked, _("Status diubah menjadi %(status)s oleh %(who)s.") % {"status": label, "who": who}, actor)
    activity_record(
        action=ACTION_STATUS, actor=actor, target=locked, data={"number": locked.number, "from": previous, "to": status}
    )
    if actor is None or actor.pk != locked.user_id:
        notify_users(
            users=[locked.user], kind=STATUS_CHANGED, link=reverse("tickets:detail", args=[locked.number]),
            context=_context(locked, status=str(label)),
        )  # fmt: skip


@transaction.atomic
def ticket_set_status(*, ticket: Ticket, actor, status: str) -> Ticket:
    if status not in TicketStatus.values:
        raise ServiceError(_("Status tidak dikenal."), errors={"status": [_("Pilih status yang tersedia.")]})
    if not is_staff(actor) or not can_view(actor, ticket):
        raise NotAllowed(_("Hanya tim support yang menangani tiket ini yang bisa mengubah statusnya."))
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if locked.status != status:
        _set_status(locked, status, actor, timezone.now())
    return locked


@transaction.atomic
def ticket_set_priority(*, ticket: Ticket, actor, priority: str) -> Ticket:
    if priority not in TicketPriority.values:
        raise ServiceError(_("Prioritas tidak dikenal."), errors={"priority": [_("Pilih prioritas yang tersedia.")]})
    if not is_staff(actor) or not can_view(actor, ticket):
        raise NotAllowed(_("Hanya tim support yang bisa mengubah prioritas."))
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if locked.priority == priority:
        return locked
    previous = locked.priority
    locked.priority = priority
    if locked.first_response_at is None:
        locked.first_response_due_at = _due(priority, locked.created_at)
        locked.sla_warned_at = None
    locked.save(update_fields=["priority", "first_response_due_at", "sla_warned_at", "updated_at"])
    _system(locked, _("Prioritas diubah menjadi %(p)s.") % {"p": TicketPriority(priority).label}, actor)
    activity_record(
        action=ACTION_PRIORITY,
        actor=actor,
        target=locked,
        data={"number": locked.number, "from": previous, "to": priority},
    )
    return locked


@transaction.atomic
def ticket_claim(*, ticket: Ticket, agent) -> Ticket:
    """A support agent takes an unassigned ticket."""
    if not is_staff(agent):
        raise NotAllowed(_("Hanya tim support yang bisa mengambil tiket."))
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if locked.assigned_to_id not in (None, agent.pk):
        raise ServiceError(_("Tiket ini sudah diambil agen lain."), code="taken")
    return _assign(locked, agent, agent)


@transaction.atomic
def ticket_assign(*, ticket: Ticket, actor, agent) -> Ticket:
    """An admin gives a ticket to an agent (support or admin)."""
    if not actor.has_role(Role.ADMIN):
        raise NotAllowed(_("Hanya admin yang bisa menugaskan tiket."))
    if agent is None or not is_staff(agent):
        raise ServiceError(_("Pilih agen support."), errors={"agent": [_("Pengguna ini bukan agen support.")]})
    return _assign(Ticket.objects.select_for_update().get(pk=ticket.pk), agent, actor)


def _assign(locked: Ticket, agent, actor) -> Ticket:
    locked.assigned_to = agent
    if locked.status == TicketStatus.OPEN:
        locked.status = TicketStatus.IN_PROGRESS
    locked.last_activity_at = timezone.now()
    locked.save()
    _system(locked, _("Tiket ditangani oleh %(agent)s.") % {"agent": agent.full_name or agent.email}, actor)
    activity_record(
        action=ACTION_ASSIGNED, actor=actor, target=locked, data={"number": locked.number, "agent": agent.email}
    )
    return locked


@transaction.atomic
def ticket_close(*, ticket: Ticket, actor) -> Ticket:
    """The owner closes their ticket (Tutup Tiket), or staff force-close it."""
    if actor.pk != ticket.user_id and not (is_staff(actor) and can_view(actor, ticket)):
        raise NotAllowed(_("Anda tidak bisa menutup tiket ini."))
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if locked.status != TicketStatus.CLOSED:
        _set_status(locked, TicketStatus.CLOSED, actor, timezone.now())
    return locked


@transaction.atomic
def ticket_reopen(*, ticket: Ticket, actor) -> Ticket:
    """The owner reopens a resolved or closed ticket within TICKET_REOPEN_DAYS; staff at any time."""
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if locked.status in OPEN_STATUSES:
        return locked
    staff = is_staff(actor) and can_view(actor, locked) and actor.pk != locked.user_id
    if not staff:
        if actor.pk != locked.user_id:
            raise NotAllowed(_("Anda tidak bisa membuka kembali tiket ini."))
        ended = locked.closed_at or locked.resolved_at
        if ended and timezone.now() - ended > timedelta(days=settings.TICKET_REOPEN_DAYS):
            raise ServiceError(
                _("Tiket hanya bisa dibuka kembali dalam %(days)s hari. Buka tiket baru.")
                % {"days": settings.TICKET_REOPEN_DAYS},
                code="too_old",
            )
    _set_status(locked, TicketStatus.IN_PROGRESS, actor, timezone.now())
    return locked


@transaction.atomic
def ticket_rate(*, ticket: Ticket, user, rating, comment: str = "") -> Ticket:
    if user.pk != ticket.user_id:
        raise NotAllowed(_("Hanya pembuat tiket yang bisa memberi penilaian."))
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ServiceError(_("Pilih nilai 1 sampai 5."), errors={"rating": [_("Pilih nilai 1 sampai 5.")]})
    comment = _text(comment, field="comment", max_length=RATING_COMMENT_MAX, required=False)
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if locked.status not in (TicketStatus.RESOLVED, TicketStatus.CLOSED):
        raise ServiceError(_("Penilaian diberikan setelah tiket selesai."), code="not_resolved")
    if locked.rating is not None:
        raise ServiceError(_("Anda sudah memberi penilaian untuk tiket ini."), code="rated")
    locked.rating = rating
    locked.rating_comment = comment
    locked.save(update_fields=["rating", "rating_comment", "updated_at"])
    activity_record(action=ACTION_RATED, actor=user, target=locked, data={"number": locked.number, "rating": rating})
    return locked


def tickets_auto_close_sweep(*, now: datetime | None = None) -> int:
    """Closes tickets resolved more than TICKET_AUTO_CLOSE_DAYS ago."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.TICKET_AUTO_CLOSE_DAYS)
    closed = 0
    for pk in Ticket.objects.filter(status=TicketStatus.RESOLVED, resolved_at__lte=cutoff).values_list("pk", flat=True):
        with transaction.atomic():
            locked = Ticket.objects.select_for_update().get(pk=pk)
            if locked.status == TicketStatus.RESOLVED:
                _set_status(locked, TicketStatus.CLOSED, None, now)
                closed += 1
    return closed


def tickets_sla_sweep(*, now: datetime | None = None) -> int:
    """Tells staff (the assignee, or every agent) once about each ticket past its first-response target."""
    now = now or timezone.now()
    late = Ticket.objects.filter(
        status__in=OPEN_STATUSES,
        first_response_at__isnull=True,
        first_response_due_at__lte=now,
        sla_warned_at__isnull=True,
    ).select_related("assigned_to", "user")
    warned = 0
    for ticket in late[:500]:
        with transaction.atomic():
            notify_users(
                users=_staff_users(ticket), kind=SLA_LATE, link=reverse("tickets:staff_detail", args=[ticket.number]),
                context=_context(ticket, priority=ticket.get_priority_display()),
            )  # fmt: skip
            Ticket.objects.filter(pk=ticket.pk).update(sla_warned_at=now)
            warned += 1
    return warned


# --- canned replies ("balasan cepat") ------------------------------------------------------------------------------


def _require_staff(actor) -> None:
    if not is_staff(actor):
        raise NotAllowed(_("Hanya tim support dan admin yang dapat mengelola balasan cepat."))


def canned_reply_save(*, actor, title, body, category="", active=True, reply: CannedReply | None = None) -> CannedReply:
    """Creates (or changes) a canned reply the whole support team can pick; `category` empty = every ticket."""
    _require_staff(actor)
    title = _text(title, field="title", max_length=CANNED_TITLE_MAX)
    body = _text(body, field="body", max_length=BODY_MAX)
    category = str(category or "")
    if category and category not in TicketCategory.values:
        raise ServiceError(_("Pilih kategori yang tersedia."), errors={"category": [_("Kategori tidak dikenal.")]})
    with transaction.atomic():
        if reply is None:
            if CannedReply.objects.count() >= CANNED_MAX:
                raise ServiceError(_("Balasan cepat sudah %(n)s. Hapus yang tidak dipakai dulu.") % {"n": CANNED_MAX})
            reply = CannedReply(created_by=actor)
        reply.title, reply.body, reply.category, reply.active = title, body, category, bool(active)
        reply.save()
        activity_record(action=ACTION_CANNED_SAVED, actor=actor, target=reply, data={"title": title})
    return reply


def canned_reply_delete(*, actor, reply: CannedReply) -> None:
    _require_staff(actor)
    with transaction.atomic():
        activity_record(action=ACTION_CANNED_DELETED, actor=actor, target=reply, target_label=reply.title)
        reply.delete()


def canned_reply_render(*, reply: CannedReply, ticket: Ticket, agent) -> str:
    """The reply's text with {nama}, {nomor}, {judul} and {agen} filled from the ticket and the agent."""
    values = {
        "{nama}": ticket.user.full_name,
        "{nomor}": ticket.number,
        "{judul}": ticket.subject,
        "{agen}": getattr(agent, "full_name", "") or _("Tim Support"),
    }
    text = reply.body
    for code, value in values.items():
        text = text.replace(code, value)
    return text
