"""The courses a member may name when opening a support ticket (registered with tickets' link kinds)."""

from django.utils.translation import gettext_lazy as _

from sanggar.tickets.links import TicketLinkKind

from .models import Enrollment

MAX_OPTIONS = 50


def enrolled_courses(user) -> list[tuple[str, str]]:
    """The member's enrolled courses, newest enrolment first (one query)."""
    rows = (
        Enrollment.objects.filter(user=user)
        .select_related("course")
        .only("course__id", "course__title")
        .order_by("-created_at", "-id")[:MAX_OPTIONS]
    )
    return [(str(e.course_id), e.course.title) for e in rows]


TICKET_LINK = TicketLinkKind(kind="kursus", label=_("Kursus"), options=enrolled_courses)
