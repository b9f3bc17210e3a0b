"""A student names one of their live classes when opening a support ticket (classes registers "kelas" with tickets);
someone else's class is refused."""

import pytest

from sanggar.classes import services
from sanggar.core.exceptions import ServiceError
from sanggar.tickets.links import ticket_link_choices
from sanggar.tickets.services import ticket_open

from .world import World

pytestmark = pytest.mark.django_db


def test_student_links_their_class(make_user, admin_user):
    world = World(make_user, admin_user, max_students=10)
    entry = services.register(user=world.student, template=world.template)
    other = services.register(user=world.new_student(make_user), template=world.template)
    choices = dict(ticket_link_choices(world.student))
    assert choices["Kelas live"] == [(f"kelas:{entry.pk}", "Semi-Private Grammar")]
    ticket = ticket_open(user=world.student, category="kelas", subject="Jadwal bentrok", body="Mohon pindah section.",
                         link=f"kelas:{entry.pk}")  # fmt: skip
    assert (ticket.link_kind, ticket.link_kind_label, ticket.link_label) == (
        "kelas",
        "Kelas live",
        "Semi-Private Grammar",
    )
    with pytest.raises(ServiceError):
        ticket_open(user=world.student, category="kelas", subject="x", body="y", link=f"kelas:{other.pk}")
