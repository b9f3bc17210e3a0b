"""Every write of events: create and update (admins), register with a seat quota and a waiting list, cancel (the
first on the waiting list moves up), attendance (points through the community ledger) and the reminder sweep."""

import re
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sanggar.access.constants import ResourceKind
from sanggar.access.policy import access_check
from sanggar.access.services import resource_ensure
from sanggar.audit.services import activity_record
from sanggar.catalog.uploads import generated_name
from sanggar.community import services as community
from sanggar.community.constants import PointAction
from sanggar.community.event_posts import event_post_create
from sanggar.community.features import EVENT, feature_require
from sanggar.core.exceptions import NotAllowed, NotFound, RateLimited, ServiceError
from sanggar.core.ratelimit import window_take
from sanggar.core.roles import Role
from sanggar.notifications.registry import source_key
from sanggar.notifications.services import notify, notify_users
from sanggar.notifications.smart_rules import rule_state

from . import notifications as kinds
from .constants import Action
from .models import (
    Event,
    EventStatus,
    LocationKind,
    MeetingProvider,
    Registration,
    RegistrationSource,
    RegistrationStatus,
    ReminderSent,
)

ACTIVE = (RegistrationStatus.GOING, RegistrationStatus.WAITLIST)


def _when(event) -> str:
    return timezone.localtime(event.starts_at).strftime("%d-%m-%Y %H:%M") + " WIB"


def _admin(actor):
    if actor is None or not actor.has_role(Role.ADMIN):
        raise NotAllowed(_("Hanya admin yang dapat mengelola event."))


REMINDERS_MAX = 5


def _reminders(raw) -> list[int]:
    """Reminder offsets of an event, in minutes before the start ("1440, 60, 15" or a list); empty = the defaults
    (EVENTS_REMINDER_MINUTES). At most REMINDERS_MAX, each 5 minutes to 14 days."""
    if raw in (None, "", []):
        return []
    parts = [p.strip() for p in raw.split(",")] if isinstance(raw, str) else raw
    if not isinstance(parts, list | tuple):
        raise ServiceError(_("Pengingat tidak valid."), errors={"reminder_minutes": [_("Tidak valid.")]})
    out = []
    for part in parts:
        if isinstance(part, str) and part.isdigit() and len(part) < 7:
            part = int(part)
        if not isinstance(part, int) or isinstance(part, bool) or not 5 <= part <= 20160:
            raise ServiceError(
                _("Pengingat diisi menit sebelum acara, 5 sampai 20160, dipisah koma."),
                errors={"reminder_minutes": [_("Tidak valid.")]},
            )
        out.append(part)
    out = sorted(set(out), reverse=True)
    if len(out) > REMINDERS_MAX:
        raise ServiceError(
            _("Paling banyak %(n)s pengingat.") % {"n": REMINDERS_MAX}, errors={"reminder_minutes": [_("Kurangi.")]}
        )
    return out


def _values(data: dict) -> dict:
    title = community.clean_text(data.get("title"), field="title", label=_("Judul"), max_length=150)
    description = community.clean_text(
        data.get("description"), field="description", label=_("Deskripsi"), max_length=5000, required=False
    )
    starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
    if not isinstance(starts_at, datetime) or not isinstance(ends_at, datetime):
        raise ServiceError(_("Waktu mulai dan selesai wajib diisi."), errors={"starts_at": [_("Wajib diisi.")]})
    if ends_at <= starts_at:
        raise ServiceError(_("Waktu selesai harus setelah waktu mulai."), errors={"ends_at": [_("Tidak valid.")]})
    kind = data.get("location_kind") or LocationKind.ONLINE
    if kind not in LocationKind.values:
        raise ServiceError(
            _("Jenis event tidak dikenal."), errors={"location_kind": [_("Pilih online atau tatap muka.")]}
        )
    meeting_url = community.clean_text(
        data.get("meeting_url"), field="meeting_url", label=_("Tautan meeting"), max_length=500, required=False
    )
    if meeting_url and not re.match(r"^https://\S+$", meeting_url):
        raise ServiceError(_("Tautan meeting harus diawali https://."), errors={"meeting_url": [_("Tidak valid.")]})
    address = community.clean_text(
        data.get("address"), field="address", label=_("Alamat"), max_length=300, required=False
    )
    provider = data.get("meeting_provider") or ""
    if provider not in ("", *MeetingProvider.values):
        raise ServiceError(
            _("Layanan meeting tidak dikenal."),
            errors={"meeting_provider": [_("Pilih Zoom, Google Meet atau lainnya.")]},
        )
    passcode = community.clean_text(
        data.get("meeting_passcode"), field="meeting_passcode", label=_("Kode sandi"), max_length=50, required=False
    )
    capacity = data.get("capacity")
    if capacity in ("", None):
        capacity = None
    elif not isinstance(capacity, int) or isinstance(capacity, bool) or not 1 <= capacity <= 100000:
        raise ServiceError(_("Kuota harus angka 1 sampai 100.000."), errors={"capacity": [_("Tidak valid.")]})
    reminders = _reminders(data.get("reminder_minutes"))
    return {
        "reminder_minutes": reminders,
        "title": title,
        "description": description,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "location_kind": kind,
        "meeting_url": meeting_url,
        "meeting_provider": provider,
        "meeting_passcode": passcode,
        "address": address,
        "capacity": capacity,
    }


def _record(action: str, actor, event: Event, **data) -> None:
    activity_record(action=action, actor=actor, target=event, target_label=event.title[:200], data=data or None)


COVER_SIZE = (1200, 630)


def _cover_save(event: Event, upload) -> None:
    """An event's cover: an image by its content (PNG, JPEG, WebP) within EVENTS_COVER_MAX_BYTES, re-encoded as a
    fresh JPEG cropped to COVER_SIZE. The replaced file is deleted after the commit."""
    image = community.image_fit(
        upload, field="cover", label=_("Gambar sampul"), size=COVER_SIZE, max_bytes=settings.EVENTS_COVER_MAX_BYTES
    )
    old = event.cover.name if event.cover else ""
    event.cover.save(generated_name("event-cover", "jpg"), image, save=False)
    event.save(update_fields=["cover"])
    if old:
        storage = event.cover.storage
        transaction.on_commit(lambda: storage.delete(old))


def _announcement_html(event: Event) -> str:
    """The group feed post of an event: title, WIB time, place and a link to register (sanitised by community)."""
    where = _("Online") if event.location_kind == LocationKind.ONLINE else event.address
    parts = [
        "<p><strong>" + _("Acara: %(t)s") % {"t": escape(event.title)} + "</strong></p>",
        "<p>" + escape(_when(event)) + (" · " + escape(where) if where else "") + "</p>",
    ]
    if event.description:
        parts.append("<p>" + escape(event.description[:1000]) + "</p>")
    link = reverse("events:detail", args=[event.slug])
    parts.append(f'<p><a href="{link}">' + escape(_("Lihat detail dan daftar")) + "</a></p>")
    return "".join(parts)


@transaction.atomic
def event_create(*, actor, data: dict, group=None, product=None, announce: bool = False, cover=None) -> Event:
    """An event (admins). Its resource adopts an existing key (a placeholder plans or products include, e.g.
    `webinar-vip`) when the slug matches: then only those with access may register. A group's event may also be
    created by whoever the group's permissions matrix lets create events (by default its owner and admins), when
    the group has the "event" feature on; `announce` posts it in the group feed (the group's moderation applies).
    `product` makes it a paid webinar: buying the product registers the buyer. Audited."""
    if group is None or not community.group_allows(actor, group, "event"):
        _admin(actor)
    if group is not None:
        feature_require(group, EVENT)
    if product is not None:
        _admin(actor)
    values = _values(data)
    slug = slugify(data.get("slug") or values["title"])[:80]
    if not slug or Event.objects.filter(slug=slug).exists():
        raise ServiceError(_("Alamat event sudah dipakai atau kosong."), errors={"slug": [_("Pilih alamat lain.")]})
    resource = resource_ensure(kind=ResourceKind.EVENT, key=slug, title=values["title"])
    event = Event.objects.create(slug=slug, resource=resource, group=group, host=actor, product=product, **values)
    if cover is not None:
        _cover_save(event, cover)
    if group is not None and announce:
        event.post = event_post_create(actor=actor, group=group, body_html=_announcement_html(event))
        event.save(update_fields=["post"])
    _record(
        Action.CREATED,
        actor,
        event,
        group=group.slug if group else "",
        product=product.title if product else "",
        announced=bool(event.post_id),
    )
    return event


COMPOSER_DURATION = timedelta(hours=1)  # an event posted from the composer without an end time


def _wib(value, field: str):
    """A time from the composer: a datetime (naive = WIB) or the page's "YYYY-MM-DDTHH:MM" (WIB)."""
    if isinstance(value, str) and value.strip():
        try:
            value = datetime.strptime(value.strip()[:16], "%Y-%m-%dT%H:%M")
        except ValueError:
            raise ServiceError(_("Waktu tidak valid."), errors={field: [_("Format YYYY-MM-DDTHH:MM (WIB).")]}) from None
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return None


def _free_slug(title: str) -> str:
    base = slugify(title)[:70] or "acara"
    taken = set(Event.objects.filter(slug__startswith=base).values_list("slug", flat=True)[:500])
    if base not in taken:
        return base
    for n in range(2, 502):
        if f"{base}-{n}" not in taken:
            return f"{base}-{n}"
    return f"{base}-{secrets.token_hex(4)}"


def event_post_from_composer(*, actor, group, data: dict, cover=None):
    """The group composer's "event" option (registered with community.event_posts): a real event of the group,
    created by `event_create` (the group's permissions matrix, its "event" feature and every value checked there),
    announced in the group feed; returns that post. The start is in WIB and must lie ahead; without an end the event
    lasts COMPOSER_DURATION."""
    starts_at = _wib(data.get("starts_at"), "starts_at")
    if starts_at is None:
        raise ServiceError(_("Waktu mulai acara wajib diisi."), errors={"starts_at": [_("Wajib diisi.")]})
    if starts_at <= timezone.now():
        raise ServiceError(_("Waktu mulai acara harus di masa depan."), errors={"starts_at": [_("Tidak valid.")]})
    ends_at = _wib(data.get("ends_at"), "ends_at") or starts_at + COMPOSER_DURATION
    title = data.get("title") if isinstance(data.get("title"), str) else ""
    values = {**data, "starts_at": starts_at, "ends_at": ends_at, "slug": _free_slug(title)}
    event = event_create(actor=actor, data=values, group=group, announce=True, cover=cover)
    return event.post


@transaction.atomic
def event_update(*, actor, event: Event, data: dict, group=None, cover=None, remove_cover: bool = False) -> Event:
    """Edits an event (admins, or its host). A new time tells the registrants and re-arms the reminders; a
    cancellation tells them too; a recording link (https) opens the recording to the registrants."""
    if actor is None or not (actor.has_role(Role.ADMIN) or event.host_id == actor.pk):
        raise NotAllowed(_("Hanya admin atau pembawa acara yang dapat mengubah event ini."))
    event = Event.objects.select_for_update().get(pk=event.pk)
    values = _values(data)
    recording_url = community.clean_text(
        data.get("recording_url"), field="recording_url", label=_("Tautan rekaman"), max_length=500, required=False
    )
    if recording_url and not re.match(r"^https://\S+$", recording_url):
        raise ServiceError(_("Tautan rekaman harus diawali https://."), errors={"recording_url": [_("Tidak valid.")]})
    status = data.get("status") or event.status
    if status not in EventStatus.values:
        raise ServiceError(_("Status event tidak dikenal."), errors={"status": [_("Tidak valid.")]})
    moved = values["starts_at"] != event.starts_at
    cancelled = status == EventStatus.CANCELLED and event.status != EventStatus.CANCELLED
    recorded = bool(recording_url) and recording_url != event.recording_url
    for key, value in values.items():
        setattr(event, key, value)
    event.recording_url, event.status, event.group = recording_url, status, group
    old_cover = event.cover.name if remove_cover and event.cover and cover is None else ""
    if old_cover:
        event.cover = ""
    event.save()
    if cover is not None:
        _cover_save(event, cover)
    elif old_cover:
        storage = Event._meta.get_field("cover").storage
        transaction.on_commit(lambda: storage.delete(old_cover))
    resource_ensure(kind=ResourceKind.EVENT, key=event.resource.key, title=event.title)
    _record(Action.UPDATED, actor, event, status=status, group=group.slug if group else "")
    if moved:
        _record(Action.RESCHEDULED, actor, event, starts_at=_when(event))
    if cancelled:
        _record(Action.CANCELLED, actor, event)
    if recorded:
        _record(Action.RECORDING, actor, event)
    if moved:
        ReminderSent.objects.filter(event=event).delete()  # the reminders count from the new time
    registrants = [
        r.user for r in Registration.objects.filter(event=event, status__in=ACTIVE).select_related("user")[:5000]
    ]
    link = reverse("events:detail", args=[event.slug])
    if registrants and (moved or cancelled or recorded):
        kind = kinds.CANCELLED if cancelled else (kinds.RESCHEDULED if moved else kinds.RECORDING)
        source = event_source(event) if kind == kinds.RECORDING else ""  # a change of plan reaches everyone
        notify_users(
            users=registrants, kind=kind, link=link, context={"event": event.title, "time": _when(event)}, source=source
        )
    return event


def is_gated(event: Event) -> bool:
    """An event a plan or a product includes is for those with access; otherwise any signed-in user (or the group's
    members for a group event) may register."""
    return event.resource.plans.exists() or event.resource.in_products.exists()


def may_register(user, event: Event):
    """(allowed, message, action_url)."""
    if event.status != EventStatus.PUBLISHED:
        return False, _("Event ini tidak dibuka untuk pendaftaran."), ""
    if event.ends_at <= timezone.now():
        return False, _("Event ini sudah selesai."), ""
    if event.product_id:
        return (
            False,
            _("Event berbayar: beli tiketnya untuk terdaftar otomatis."),
            reverse("orders:product_detail", args=[event.product.slug]),
        )
    if event.group_id and not community.is_member(user, event.group):
        return False, _("Event ini khusus anggota grup %(g)s.") % {"g": event.group.name}, ""
    if is_gated(event):
        decision = access_check(user=user, resource=event.resource)
        if not decision.allowed:
            return False, str(decision.message), str(decision.action_url)
    return True, "", ""


def _limits(user, ip):
    wait = window_take(f"u{user.pk}", setting="EVENTS_REGISTER_RATE_LIMIT")
    if not wait and ip:
        wait = window_take(f"ip{ip}", setting="EVENTS_REGISTER_IP_RATE_LIMIT")
    if wait:
        raise RateLimited(_("Terlalu banyak pendaftaran. Coba lagi dalam %(s)s detik.") % {"s": wait}, retry_after=wait)


RESPONSES = (RegistrationStatus.GOING, RegistrationStatus.MAYBE, RegistrationStatus.NOT_GOING)


def _require_may_register(user, event: Event) -> None:
    allowed, message, _url = may_register(user, event)
    if not allowed:
        if event.group_id and event.group.visibility == "hidden" and not community.can_read(user, event.group):
            raise NotFound(_("Event tidak ditemukan."))
        raise NotAllowed(message)


@transaction.atomic
def respond(*, user, event: Event, response: str = RegistrationStatus.GOING, ip: str | None = None) -> Registration:
    """The RSVP answer (EVT-D2): "going" registers (a seat or the waiting list); "maybe" and "not_going" are
    recorded without a seat, the meeting link or reminders, and give up a seat held (the first waiting takes it)."""
    if response not in RESPONSES:
        raise ServiceError(
            _("Jawaban RSVP harus going, maybe atau not_going."), errors={"response": [_("Tidak valid.")]}
        )
    if response == RegistrationStatus.GOING:
        return register(user=user, event=event, ip=ip)
    _require_may_register(user, event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    row = Registration.objects.filter(event=event, user=user).first()
    if row is not None and row.status == response:
        return row
    _limits(user, ip)
    if row is None:
        try:
            with transaction.atomic():
                return Registration.objects.create(event=event, user=user, status=response)
        except IntegrityError:
            row = Registration.objects.get(event=event, user=user)
    if row.status == RegistrationStatus.GOING:
        _release(event, row)  # the seat goes to the first on the waiting list
    row.status = response
    row.save(update_fields=["status"])
    return row


@transaction.atomic
def register(*, user, event: Event, ip: str | None = None) -> Registration:
    """Registers `user`: a seat while the quota lasts (the event row is locked, so the last seat goes to one
    person), otherwise the waiting list. Registering again changes nothing; a "maybe" or "not going" answer
    becomes a registration."""
    _require_may_register(user, event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    row = Registration.objects.filter(event=event, user=user).first()
    if row is not None and row.status in ACTIVE:
        return row
    _limits(user, ip)
    taken = Registration.objects.filter(event=event, status=RegistrationStatus.GOING).count()
    status = (
        RegistrationStatus.GOING if event.capacity is None or taken < event.capacity else RegistrationStatus.WAITLIST
    )
    if row is None:
        try:
            with transaction.atomic():
                row = Registration.objects.create(event=event, user=user, status=status)
        except IntegrityError:
            return Registration.objects.get(event=event, user=user)
    else:
        row.status = status
        row.save(update_fields=["status"])
    if status == RegistrationStatus.GOING:
        notify(
            user=user,
            kind=kinds.REGISTERED,
            link=reverse("events:detail", args=[event.slug]),
            context={"event": event.title, "time": _when(event)},
        )
    return row


@transaction.atomic
def cancel(*, user, event: Event) -> None:
    event = Event.objects.select_for_update().get(pk=event.pk)
    row = Registration.objects.filter(event=event, user=user, status__in=ACTIVE).first()
    if row is None:
        raise ServiceError(_("Anda belum terdaftar di event ini."))
    _release(event, row)


def _release(event: Event, row: Registration) -> None:
    """Cancels `row` (the event row is locked by the caller); a freed seat goes to the first on the waiting list."""
    was_going = row.status == RegistrationStatus.GOING
    row.status = RegistrationStatus.CANCELLED
    row.save(update_fields=["status"])
    if was_going:
        nxt = (
            Registration.objects.filter(event=event, status=RegistrationStatus.WAITLIST)
            .order_by("created_at", "id")
            .first()
        )
        if nxt is not None:
            nxt.status = RegistrationStatus.GOING
            nxt.save(update_fields=["status"])
            notify(
                user=nxt.user,
                kind=kinds.PROMOTED,
                link=reverse("events:detail", args=[event.slug]),
                context={"event": event.title, "time": _when(event)},
            )


# --- paid webinars: the order's sale step (sellables.py) -------------------------------------------------------------


def _product_events(product_ids) -> list[Event]:
    if not product_ids:
        return []
    return list(
        Event.objects.filter(Q(product_id__in=product_ids) | Q(resource__in_products__in=product_ids))
        .exclude(status=EventStatus.CANCELLED)
        .distinct()
        .order_by("pk")
    )


def register_purchase(*, order, items) -> int:
    """A paid order: its buyer is registered (a seat: the product's stock is the quota) for every event its product
    lines sell, once. Inside the paid transaction; returns how many registrations it made."""
    product_ids = sorted({item.product_id for item in items if item.product_id})
    made = 0
    for event in _product_events(product_ids):
        event = Event.objects.select_for_update().get(pk=event.pk)
        row = Registration.objects.filter(event=event, user_id=order.buyer_id).first()
        if row is not None and row.status == RegistrationStatus.GOING:
            continue
        if row is None:
            row = Registration(event=event, user_id=order.buyer_id)
        row.status, row.source, row.order_id = RegistrationStatus.GOING, RegistrationSource.PURCHASE, order.pk
        row.save()
        made += 1
        _record(Action.PURCHASE_REGISTERED, None, event, order=order.pk, buyer=order.buyer_id)
        buyer, link, context = (
            row.user,
            reverse("events:detail", args=[event.slug]),
            {
                "event": event.title,
                "time": _when(event),
            },
        )
        transaction.on_commit(
            lambda b=buyer, ln=link, c=context: notify(user=b, kind=kinds.REGISTERED, link=ln, context=c)
        )
    return made


def cancel_for_refund(*, order) -> int:
    """A refunded order: the registrations it made are cancelled and their seats go to the waiting list."""
    cancelled = 0
    rows = Registration.objects.filter(order_id=order.pk, source=RegistrationSource.PURCHASE, status__in=ACTIVE)
    for event_id, row_id in rows.values_list("event_id", "pk"):
        event = Event.objects.select_for_update().get(pk=event_id)
        row = Registration.objects.select_for_update().get(pk=row_id)
        if row.status not in ACTIVE:
            continue
        _release(event, row)
        cancelled += 1
        _record(Action.REFUND_CANCELLED, None, event, order=order.pk, buyer=row.user_id)
    return cancelled


def can_organise(user, event: Event) -> bool:
    """Admins, the event's host, and for a group's event whoever the group lets create events."""
    if user is None or not user.is_authenticated:
        return False
    if user.has_role(Role.ADMIN) or event.host_id == user.pk:
        return True
    return bool(event.group_id) and community.group_allows(user, event.group, "event")


REGISTRANTS_EXPORT_MAX = 20_000


def registrants_export(*, actor, event: Event) -> list[list[str]]:
    """The registrants of an event as CSV rows (header first) for its organisers and admins. Audited."""
    if not can_organise(actor, event):
        raise NotAllowed(_("Hanya admin atau penyelenggara event yang dapat mengunduh peserta."))
    rows = [["nama", "email", "status", "asal", "terdaftar", "hadir"]]
    qs = Registration.objects.filter(event=event).select_related("user").order_by("created_at", "id")
    for reg in qs[:REGISTRANTS_EXPORT_MAX]:
        rows.append(
            [
                reg.user.full_name,
                reg.user.email,
                reg.get_status_display(),
                reg.get_source_display(),
                timezone.localtime(reg.created_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(reg.attended_at).strftime("%Y-%m-%d %H:%M") if reg.attended_at else "",
            ]
        )
    _record(Action.REGISTRANTS_EXPORTED, actor, event, rows=len(rows) - 1)
    return rows


def is_registered(user, event: Event) -> bool:
    return (
        user.is_authenticated
        and Registration.objects.filter(event=event, user=user, status=RegistrationStatus.GOING).exists()
    )


@transaction.atomic
def attendance_mark(*, actor, event: Event, user, attended: bool = True) -> Registration:
    if not (actor.has_role(Role.ADMIN) or actor.pk == event.host_id):
        raise NotAllowed(_("Hanya admin atau host yang dapat mencatat kehadiran."))
    row = Registration.objects.filter(event=event, user=user, status=RegistrationStatus.GOING).first()
    if row is None:
        raise ServiceError(_("Member ini tidak terdaftar di event."))
    row.attended_at = timezone.now() if attended else None
    row.save(update_fields=["attended_at"])
    _record(Action.ATTENDANCE, actor, event, member=user.email, attended=attended)
    if attended:
        community.points_award(
            user=user, action=PointAction.EVENT_ATTENDED, key=f"event:{event.pk}:{user.pk}", group=event.group
        )
    return row


def event_source(event: Event) -> str:
    """The notification source of an event ("event:<id>"): registrants follow it unless they unfollow."""
    return source_key(kinds.SOURCE_KIND, event.pk)


REMINDER_LOOKAHEAD = timedelta(days=31)  # offsets are at most 30 days (the smart rule's limit)


def reminders_send_due(*, now=None) -> int:
    """Smart rule "Pengingat event": sends each registrant every reminder whose time has come (the event's own
    offsets, else the rule's, default 24 h / 1 h / 15 min), once: a row per (event, user, offset) is the proof. Only
    the nearest due offset goes out (a late sweep does not send 24 h and 1 h together). Nothing while the rule is off;
    a registrant who unfollowed the event is not reminded. Runs every few minutes."""
    now = now or timezone.now()
    rule = rule_state(kinds.RULE_REMINDERS)
    if not rule.enabled:
        return 0
    sent = 0
    events = Event.objects.filter(
        status=EventStatus.PUBLISHED, starts_at__gt=now, starts_at__lte=now + REMINDER_LOOKAHEAD
    )
    for event in events:
        offsets = [int(m) for m in (event.reminder_minutes or rule.value)]
        due = [m for m in offsets if event.starts_at - timedelta(minutes=m) <= now]
        if not due:
            continue
        minutes = min(due)
        regs = Registration.objects.filter(event=event, status=RegistrationStatus.GOING).select_related("user")
        done = set(ReminderSent.objects.filter(event=event, minutes=minutes).values_list("user_id", flat=True))
        for reg in regs:
            if reg.user_id in done:
                continue
            try:
                with transaction.atomic():
                    for m in due:
                        ReminderSent.objects.get_or_create(event=event, user=reg.user, minutes=m)
                    when = (
                        _("%(n)s menit lagi") % {"n": minutes}
                        if minutes < 120
                        else _("%(n)s jam lagi") % {"n": minutes // 60}
                    )
                    told = notify(
                        user=reg.user,
                        kind=kinds.REMINDER,
                        link=reverse("events:detail", args=[event.slug]),
                        context={"event": event.title, "time": _when(event), "when": when},
                        source=event_source(event),
                    )
                    sent += 1 if told is not None else 0
            except IntegrityError:
                continue
    return sent
