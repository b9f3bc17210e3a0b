"""Event figures for the community statistics page (/admin/komunitas/statistik), registered through
`community.sidebar.stats_provider_register`. Three queries."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from .models import Event, EventStatus, Registration, RegistrationStatus


def event_stats(*, start, end) -> dict:
    events = Event.objects.filter(starts_at__gte=start, starts_at__lt=end).exclude(status=EventStatus.DRAFT)
    held = events.aggregate(
        total=Count("id"),
        cancelled=Count("id", filter=Q(status=EventStatus.CANCELLED)),
    )
    regs = Registration.objects.filter(event__in=events).aggregate(
        going=Count("id", filter=Q(status=RegistrationStatus.GOING)),
        waitlist=Count("id", filter=Q(status=RegistrationStatus.WAITLIST)),
        attended=Count("id", filter=Q(attended_at__isnull=False)),
    )
    upcoming = Event.objects.filter(starts_at__gte=end, status=EventStatus.PUBLISHED).count()
    return {
        "title": _("Event & Webinar"),
        "rows": [
            (_("Event pada periode ini"), held["total"]),
            (_("Dibatalkan"), held["cancelled"]),
            (_("Pendaftar"), regs["going"]),
            (_("Daftar tunggu"), regs["waitlist"]),
            (_("Hadir"), regs["attended"]),
            (_("Event mendatang"), upcoming),
        ],
    }
