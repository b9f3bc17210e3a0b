"""The live classes a member may name when opening a support ticket (registered with tickets' link kinds)."""

from django.utils.translation import gettext_lazy as _

from sanggar.tickets.links import TicketLinkKind

from .models import Enrollment

MAX_OPTIONS = 50


def my_classes(user) -> list[tuple[str, str]]:
    """The member's class registrations (waiting, active or past), newest first, labelled with the program and
    section (one query)."""
    rows = (
        Enrollment.objects.filter(student=user)
        .select_related("template", "section")
        .order_by("-requested_at", "-id")[:MAX_OPTIONS]
    )
    out = []
    for e in rows:
        label = e.template.name
        if e.section_id:
            label = f"{label} — Section {e.section.label}"
        out.append((str(e.pk), label))
    return out


TICKET_LINK = TicketLinkKind(kind="kelas", label=_("Kelas live"), options=my_classes)
