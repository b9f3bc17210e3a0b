"""Dashboard cards of events: "Event aktif" for admins (upcoming published events, seats taken, waiting lists)
and the member's next registered events. Two queries each."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.core.roles import ALL_ROLES, Role
from sanggar.dashboard.registry import Card, Stat, card

from .models import Event, EventStatus, Registration, RegistrationStatus


@card(roles=(Role.ADMIN,), order=60)
def active_events(request) -> Card | None:
    now = timezone.now()
    upcoming = Event.objects.filter(status=EventStatus.PUBLISHED, ends_at__gte=now)
    count = upcoming.count()
    regs = Registration.objects.filter(event__in=upcoming).aggregate(
        going=Count("pk", filter=Q(status=RegistrationStatus.GOING)),
        waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITLIST)),
    )
    return Card(
        title=_("Event aktif"),
        icon="calendar-days",
        value=str(count),
        hint=_("event mendatang"),
        link=reverse("events:index"),
        link_label=_("Lihat event"),
        style="list",
        stats=(
            Stat(_("Peserta terdaftar"), str(regs["going"])),
            Stat(_("Daftar tunggu"), str(regs["waiting"])),
        ),
    )


@card(roles=ALL_ROLES, order=70)
def my_next_events(request) -> Card | None:
    rows = list(
        Registration.objects.filter(
            user=request.user,
            status=RegistrationStatus.GOING,
            event__status=EventStatus.PUBLISHED,
            event__ends_at__gte=timezone.now(),
        )
        .select_related("event")
        .order_by("event__starts_at")[:3]
    )
    if not rows:
        return None
    return Card(
        title=_("Event Saya"),
        icon="calendar-days",
        value=str(len(rows)),
        hint=_("event berikutnya"),
        link=reverse("events:mine"),
        link_label=_("Semua event saya"),
        style="list",
        stats=tuple(
            Stat(
                r.event.title[:60],
                timezone.localtime(r.event.starts_at).strftime("%d-%m %H:%M WIB"),
                reverse("events:detail", args=[r.event.slug]),
            )
            for r in rows
        ),
    )
