"""Event pages: the list (upcoming and past, with recordings), the detail (meeting link only for registrants),
register and cancel, the ICS file; the admin's create page and registrant list with attendance."""

import calendar as pycalendar
from datetime import UTC, date, datetime, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sanggar.community import services as community
from sanggar.community.models import Group
from sanggar.core.exceptions import ServiceError
from sanggar.core.listing import csv_response, paginate
from sanggar.core.permissions import login_required, role_required
from sanggar.core.request_context import client_ip
from sanggar.core.roles import Role

from . import hooks, selectors, services
from .models import Event, EventStatus, MeetingProvider, Registration, RegistrationStatus


def _event(request, slug) -> Event:
    event = Event.objects.select_related("group__resource", "resource", "host").filter(slug=slug).first()
    if event is None or (event.status == EventStatus.DRAFT and not request.user.has_role(Role.ADMIN)):
        raise Http404
    if event.group_id and not selectors.visible(request.user, [event]):
        raise Http404
    return event


@login_required
@require_GET
def index(request):
    """Upcoming and past events the member may see; `?grup=<slug>` keeps one group's events."""
    now = timezone.now()
    group = selectors.group_filter(request.user, request.GET.get("grup", ""))
    upcoming_qs = selectors.upcoming()
    past_qs = Event.objects.filter(status=EventStatus.PUBLISHED, ends_at__lt=now).select_related("group__resource")
    if group is not None:
        upcoming_qs, past_qs = upcoming_qs.filter(group=group), past_qs.filter(group=group)
    upcoming = selectors.visible(request.user, list(upcoming_qs[:50]))
    past = selectors.visible(request.user, list(past_qs.order_by("-starts_at")[:20]))
    mine = {r.event_id: r.status for r in selectors.my_registrations(request.user)}
    return render(
        request,
        "events/index.html",
        {
            "upcoming": upcoming,
            "past": past,
            "mine": mine,
            "group": group,
            "groups": selectors.groups_with_events(request.user),
        },
    )


@login_required
@require_GET
def mine(request):
    """ "Event Saya": the member's registrations (going or waiting), soonest first."""
    page = paginate(request, selectors.my_events(request.user), per_page=20)
    return render(request, "events/mine.html", {"page_obj": page, "rows": page.object_list, "now": timezone.now()})


@login_required
@require_GET
def detail(request, slug):
    event = _event(request, slug)
    row = Registration.objects.filter(event=event, user=request.user).first()
    allowed, message, action_url = services.may_register(request.user, event)
    going = row is not None and row.status == RegistrationStatus.GOING
    taken = Registration.objects.filter(event=event, status=RegistrationStatus.GOING).count()
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "row": row,
            "going": going,
            "allowed": allowed,
            "message": message,
            "action_url": action_url,
            "seats_left": None if event.capacity is None else max(0, event.capacity - taken),
            "finished": event.ends_at <= timezone.now(),
            "event_source": services.event_source(event),
        },
    )


@login_required
@require_POST
def register(request, slug):
    event = _event(request, slug)
    try:
        response = request.POST.get("response") or RegistrationStatus.GOING
        row = services.respond(user=request.user, event=event, response=response, ip=client_ip(request))
        if row.status == RegistrationStatus.MAYBE:
            messages.success(request, _("Jawaban Anda: mungkin hadir. Daftar bila sudah pasti untuk mendapat kursi."))
        elif row.status == RegistrationStatus.NOT_GOING:
            messages.success(request, _("Jawaban Anda: tidak hadir."))
        elif row.status == RegistrationStatus.WAITLIST:
            messages.info(request, _("Kuota penuh. Anda masuk daftar tunggu dan akan diberi tahu bila ada kursi."))
        else:
            messages.success(request, _("Anda terdaftar. Tautan meeting kini tampil di halaman ini."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("events:detail", slug=event.slug)


@login_required
@require_POST
def cancel(request, slug):
    event = _event(request, slug)
    try:
        services.cancel(user=request.user, event=event)
        messages.success(request, _("Pendaftaran dibatalkan."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("events:detail", slug=event.slug)


@login_required
@require_GET
def ics(request, slug):
    event = _event(request, slug)
    fmt = "%Y%m%dT%H%M%SZ"
    body = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Sanggar//Event//ID",
            "BEGIN:VEVENT",
            f"UID:event-{event.pk}@sanggar",
            f"DTSTAMP:{datetime.now(tz=UTC).strftime(fmt)}",
            f"DTSTART:{event.starts_at.astimezone(UTC).strftime(fmt)}",
            f"DTEND:{event.ends_at.astimezone(UTC).strftime(fmt)}",
            "SUMMARY:" + event.title.replace("\n", " ").replace(",", "\\,"),
            "URL:" + request.build_absolute_uri(f"/event/{event.slug}"),
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


def _parse_dt(value: str):
    try:
        return timezone.make_aware(datetime.strptime(value, "%Y-%m-%dT%H:%M"))
    except (TypeError, ValueError):
        return None


def _create_data(post) -> dict:
    capacity = post.get("capacity") or ""
    return {
        "title": post.get("title", ""),
        "slug": post.get("slug", ""),
        "description": post.get("description", ""),
        "starts_at": _parse_dt(post.get("starts_at")),
        "ends_at": _parse_dt(post.get("ends_at")),
        "location_kind": post.get("location_kind", ""),
        "meeting_url": post.get("meeting_url", ""),
        "meeting_provider": post.get("meeting_provider", ""),
        "meeting_passcode": post.get("meeting_passcode", ""),
        "address": post.get("address", ""),
        "capacity": int(capacity) if capacity.isdigit() else (capacity or None),
        "reminder_minutes": post.get("reminder_minutes", ""),
    }


def _pick(qs, raw):
    return qs.filter(pk=raw).first() if (raw or "").isdigit() and len(raw) < 12 else None


@role_required(Role.ADMIN)
def admin_create(request):
    groups = Group.objects.filter(status="active").order_by("name")
    products = selectors.webinar_products()
    if request.method == "POST":
        group = _pick(groups, request.POST.get("group"))
        product = _pick(products, request.POST.get("product"))
        try:
            event = services.event_create(
                actor=request.user,
                data=_create_data(request.POST),
                group=group,
                product=product,
                announce=request.POST.get("announce") == "1",
                cover=request.FILES.get("cover"),
            )
            messages.success(request, _("Event dibuat."))
            return redirect("events:admin_registrants", slug=event.slug)
        except ServiceError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "events/admin_form.html",
        {"groups": groups, "products": products, "values": request.POST or None, "providers": MeetingProvider.choices},
    )


@login_required
def group_event_create(request, slug):
    """A group's staff (whoever the group's matrix lets create events) create an event of the group; it is posted
    in the group feed and listed on the group's Events tab."""
    group = Group.objects.select_related("resource").filter(slug=slug).first()
    if group is None or not selectors.visible(request.user, [Event(group=group)]):
        raise Http404
    if not community.group_allows(request.user, group, "event"):
        raise PermissionDenied
    if request.method == "POST":
        try:
            event = services.event_create(
                actor=request.user,
                data=_create_data(request.POST),
                group=group,
                announce=True,
                cover=request.FILES.get("cover"),
            )
            messages.success(request, _("Acara dibuat dan diumumkan di feed grup."))
            return redirect("events:detail", slug=event.slug)
        except ServiceError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "events/admin_form.html",
        {"fixed_group": group, "values": request.POST or None, "groups": [], "providers": MeetingProvider.choices},
    )


@login_required
@require_GET
def registrants_csv(request, slug):
    event = _event(request, slug)
    if not services.can_organise(request.user, event):
        raise Http404
    rows = services.registrants_export(actor=request.user, event=event)
    return csv_response(f"peserta-{event.slug}.csv", rows[0], rows[1:])


MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")  # fmt: skip


@login_required
@require_GET
def calendar(request):
    """A month of events as a calendar grid (Monday first, WIB), `?bulan=YYYY-MM`."""
    today = timezone.localdate()
    raw = request.GET.get("bulan", "")
    try:
        year, month = (int(x) for x in raw.split("-")) if len(raw) == 7 else (today.year, today.month)
        first = date(year, month, 1)
    except (TypeError, ValueError):
        year, month, first = today.year, today.month, date(today.year, today.month, 1)
    if not 2000 <= year <= 2100:
        year, month, first = today.year, today.month, date(today.year, today.month, 1)
    by_day: dict[int, list] = {}
    for event in selectors.month_events(request.user, year, month):
        by_day.setdefault(timezone.localtime(event.starts_at).day, []).append(event)
    weeks = []
    for week in pycalendar.Calendar(firstweekday=0).monthdayscalendar(year, month):
        weeks.append([(d, by_day.get(d, [])) for d in week])
    prev_month = (first - timedelta(days=1)).strftime("%Y-%m")
    next_month = (first + timedelta(days=32)).replace(day=1).strftime("%Y-%m")
    return render(
        request,
        "events/calendar.html",
        {
            "weeks": weeks,
            "title": f"{MONTHS[month - 1]} {year}",
            "prev_month": prev_month,
            "next_month": next_month,
            "today": today if (today.year, today.month) == (year, month) else None,
            "count": sum(len(v) for v in by_day.values()),
        },
    )


@login_required
@require_GET
def recordings(request):
    page = paginate(request, selectors.recordings(request.user), per_page=20)
    return render(request, "events/recordings.html", {"page_obj": page, "events": page.object_list})


def event_tabs(request, event) -> list[dict]:
    """The link tabs of an event's admin pages: the form, the registrants and (admins only) the tabs higher apps
    registered (hooks.edit_tab_register): key, label, url."""
    tabs = [{"key": "peserta", "label": _("Peserta"), "url": reverse("events:admin_registrants", args=[event.slug])}]
    if not (request.user.has_role(Role.ADMIN) or event.host_id == request.user.pk):
        return tabs  # a group's event staff see the registrants only
    tabs.insert(0, {"key": "ubah", "label": _("Ubah Event"), "url": reverse("events:admin_edit", args=[event.slug])})
    if request.user.has_role(Role.ADMIN):
        tabs += [
            {"key": k, "label": label, "url": reverse(url, args=[event.pk])} for k, label, url in hooks.edit_tabs()
        ]
    return tabs


def event_tab_context(request, event, tab: str) -> dict:
    """What `events/_admin_layout.html` needs: a higher app's tab of an event's admin page renders with it."""
    return {"event": event, "event_tabs": event_tabs(request, event), "tab": tab}


@role_required(Role.ADMIN, Role.MENTOR)
def admin_edit(request, slug):
    event = _event(request, slug)
    if not (request.user.has_role(Role.ADMIN) or event.host_id == request.user.pk):
        raise Http404
    groups = Group.objects.filter(status="active").order_by("name")
    if request.method == "POST":
        group = (
            groups.filter(pk=request.POST.get("group")).first() if (request.POST.get("group") or "").isdigit() else None
        )
        capacity = request.POST.get("capacity") or ""
        data = {
            "title": request.POST.get("title", ""),
            "description": request.POST.get("description", ""),
            "starts_at": _parse_dt(request.POST.get("starts_at")),
            "ends_at": _parse_dt(request.POST.get("ends_at")),
            "location_kind": request.POST.get("location_kind", ""),
            "meeting_url": request.POST.get("meeting_url", ""),
            "meeting_provider": request.POST.get("meeting_provider", ""),
            "meeting_passcode": request.POST.get("meeting_passcode", ""),
            "address": request.POST.get("address", ""),
            "capacity": int(capacity) if capacity.isdigit() else (capacity or None),
            "recording_url": request.POST.get("recording_url", ""),
            "status": request.POST.get("status", ""),
            "reminder_minutes": request.POST.get("reminder_minutes", ""),
        }
        try:
            services.event_update(
                actor=request.user,
                event=event,
                data=data,
                group=group,
                cover=request.FILES.get("cover"),
                remove_cover=request.POST.get("remove_cover") == "1",
            )
            messages.success(request, _("Event disimpan."))
            return redirect("events:admin_registrants", slug=event.slug)
        except ServiceError as exc:
            messages.error(request, exc.message)
        values = request.POST
    else:
        fmt = "%Y-%m-%dT%H:%M"
        values = {
            "title": event.title,
            "description": event.description,
            "starts_at": timezone.localtime(event.starts_at).strftime(fmt),
            "ends_at": timezone.localtime(event.ends_at).strftime(fmt),
            "location_kind": event.location_kind,
            "meeting_url": event.meeting_url,
            "meeting_provider": event.meeting_provider,
            "meeting_passcode": event.meeting_passcode,
            "address": event.address,
            "capacity": event.capacity or "",
            "recording_url": event.recording_url,
            "status": event.status,
            "group": str(event.group_id or ""),
            "reminder_minutes": ", ".join(str(m) for m in event.reminder_minutes or []),
        }
    return render(
        request,
        "events/admin_form.html",
        {
            "groups": groups,
            "values": values,
            "event": event,
            "statuses": EventStatus.choices,
            "providers": MeetingProvider.choices,
            "event_tabs": event_tabs(request, event),
            "tab": "ubah",
        },
    )


@login_required
def admin_registrants(request, slug):
    event = _event(request, slug)
    if not services.can_organise(request.user, event):
        raise Http404
    if request.method == "POST":
        row = (
            Registration.objects.filter(event=event, pk=request.POST.get("registration") or 0)
            .select_related("user")
            .first()
        )
        if row is not None:
            try:
                services.attendance_mark(
                    actor=request.user, event=event, user=row.user, attended=request.POST.get("attended") == "1"
                )
                messages.success(request, _("Kehadiran disimpan."))
            except ServiceError as exc:
                messages.error(request, exc.message)
        return redirect("events:admin_registrants", slug=event.slug)
    rows = (
        Registration.objects.filter(event=event)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("user")[:500]
    )
    return render(
        request,
        "events/admin_registrants.html",
        {
            "event": event,
            "rows": rows,
            "counts": selectors.registration_counts(event),
            "event_tabs": event_tabs(request, event),
            "tab": "peserta",
        },
    )
