"""Dashboard cards for live classes: the student's class, the tutor's meetings today, the admin's waiting list."""

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.core.formatting import tanggal
from sanggar.core.roles import Role
from sanggar.dashboard.registry import Card, card

from . import selectors
from .constants import EnrollmentStatus, MeetingStatus


@card(roles=(Role.MEMBER,), order=16)
def my_live_class(request) -> Card | None:
    entry = selectors.my_enrollments(request.user).filter(status=EnrollmentStatus.ACTIVE).first()
    if entry is None:
        return None
    left = max(0, entry.meetings_quota - entry.used)
    hint = _("Section %(label)s") % {"label": entry.section.label if entry.section else "-"}
    upcoming = selectors.next_meetings(entry, timezone.now(), limit=1)
    if upcoming:
        when = timezone.localtime(upcoming[0].starts_at)
        hint += " · " + _("Jadwal berikutnya: %(when)s WIB") % {"when": f"{tanggal(when)} {when:%H:%M}"}
    else:
        hint += " · " + _("Belum ada jadwal berikutnya")
    return Card(
        title=_("Kelas Live: %(program)s") % {"program": entry.template.name},
        icon="video",
        value=f"Meeting: {entry.used}/{entry.meetings_quota} (sisa {left})",
        hint=hint,
        link=reverse("classes:mine"),
        link_label=_("Kelas Saya"),
    )


@card(roles=(Role.MENTOR,), order=26)
def tutor_today(request) -> Card:
    start = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    meetings = list(
        selectors.tutor_meetings(request.user, start, start + timedelta(days=1), admin=False)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related(None)
        .select_related("section__template")
        .prefetch_related(None)[:20]
    )
    hint = " · ".join(
        f"{timezone.localtime(m.starts_at):%H:%M} {m.section.template.name} {m.section.label}" for m in meetings[:3]
    )
    return Card(
        title=_("Pertemuan kelas live hari ini"),
        icon="calendar",
        value=str(len(meetings)),
        hint=hint or _("Tidak ada pertemuan hari ini"),
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
