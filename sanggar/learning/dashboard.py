"""Dashboard cards of courses: the learner's "Lanjutkan belajar", the mentor's grading queue and the admin's review
queue. Each runs one or two queries."""

from django.urls import reverse
from django.utils.translation import gettext as _

from sanggar.core.roles import Role
from sanggar.dashboard.registry import Card, card

from . import selectors

LEARNERS = (Role.MEMBER, Role.AFFILIATE, Role.SUPPLIER, Role.MENTOR)


@card(roles=LEARNERS, order=15)
def continue_learning(request) -> Card | None:
    enrollment = selectors.my_enrollments(user=request.user).filter(completed_at__isnull=True).first()
    if enrollment is None:
        return Card(
            title=_("Kursus"),
            icon="graduation-cap",
            value="—",
            hint=_("Mulai belajar ekspor dari kursus."),
            link=reverse("learning:catalogue"),
            link_label=_("Lihat kursus"),
        )
    return Card(
        title=_("Lanjutkan belajar"),
        icon="graduation-cap",
        value=f"{enrollment.progress_percent}%",
        hint=enrollment.course.title,
        link=reverse("learning:resume", args=[enrollment.course.slug]),
        link_label=_("Lanjutkan"),
    )


@card(roles=(Role.MENTOR,), order=25)
def grading_waiting(request) -> Card:
    count = selectors.grading_queue(user=request.user).count()
    return Card(
        title=_("Tugas menunggu dinilai"),
        icon="pen-line",
        value=str(count),
        link=reverse("learning:grading"),
        link_label=_("Nilai tugas"),
    )


@card(roles=(Role.ADMIN,), order=35)
def courses_waiting_review(request) -> Card:
    count = selectors.review_queue().count()
    return Card(
        title=_("Kursus menunggu review"),
        icon="clipboard-check",
        value=str(count),
        link=reverse("learning:admin_review"),
        link_label=_("Review kursus"),
    )
