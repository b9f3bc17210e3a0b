"""Dashboard cards for live classes: the student's class, the tutor's meetings today, the admin's waiting list."""

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.core.roles import Role
from sanggar.dashboard.registry import Card, card

from . import selectors
from .constants import EnrollmentStatus


@card(roles=(Role.MEMBER,), order=16)
def my_live_class(request) -> Card | None:
    entry = selectors.my_enrollments(request.user).filter(status=EnrollmentStatus.ACTIVE).first()
    if entry is None:
        return None
    left = max(0, entry.meetings_quota - entry.used)
    return Card(
        title=_("Kelas Live: %(program)s") % {"program": entry.template.name},
        icon="video",
        value=f"Meeting: {entry.used}/{entry.meetings_quota} (sisa {left})",
        hint=_("Section %(label)s") % {"label": entry.section.label if entry.section else "-"},
        link=reverse("classes:mine"),
        link_label=_("Kelas Saya"),
    )


@card(roles=(Role.MENTOR,), order=26)
def tutor_today(request) -> Card:
    start = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    count = selectors.tutor_meetings(request.user, start, start + timedelta(days=1), admin=False).count()
    return Card(
        title=_("Pertemuan kelas live hari ini"),
        icon="calendar",
        value=str(count),
        link=reverse("classes:tutor"),
        link_label=_("Lihat jadwal"),
    )


@card(roles=(Role.ADMIN,), order=36)
def waiting_list(request) -> Card:
    return Card(
        title=_("Daftar tunggu kelas live"),
        icon="users",
        value=str(selectors.waiting_list().count()),
        link=reverse("classes:admin_waiting"),
        link_label=_("Review semua"),
    )
