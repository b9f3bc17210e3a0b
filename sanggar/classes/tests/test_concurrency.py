"""Seats and tutors under real concurrency (PostgreSQL row locks)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from sanggar.classes import services
from sanggar.classes.constants import EnrollmentStatus
from sanggar.classes.models import ClassSection, Enrollment, Meeting
from sanggar.core.exceptions import ServiceError

from .world import World

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locking"),
]


def _race(jobs):
    barrier = threading.Barrier(len(jobs))
    outcomes = []

    def run(job):
        try:
            barrier.wait()
            job()
            outcomes.append("ok")
        except ServiceError as exc:
            outcomes.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(j,)) for j in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_ten_approvals_racing_for_the_last_two_seats(make_user, admin_user):
    world = World(make_user, admin_user, max_students=10)
    for _ in range(8):
        e = services.register(user=world.new_student(make_user), template=world.template)
        services.approve(actor=admin_user, entry=e, section=world.section)
    entries = [services.register(user=world.new_student(make_user), template=world.template) for _ in range(10)]
    outcomes = _race([lambda e=e: services.approve(actor=admin_user, entry=e, section=world.section) for e in entries])
    assert outcomes.count("ok") == 2
    section = ClassSection.objects.get(pk=world.section.pk)
    assert section.seats_taken == 10 and section.status == "full"
    assert Enrollment.objects.filter(section=section, status=EnrollmentStatus.APPROVED).count() == 10


def test_a_tutor_scheduled_twice_at_once_is_refused_once(make_user, admin_user):
    world = World(make_user, admin_user)
    other = services.section_create(actor=admin_user, template=world.template, tutor=world.tutor)
    at = timezone.now() + timedelta(days=2)
    outcomes = _race(
        [
            lambda s=s: services.meeting_schedule(
                actor=admin_user, section=s, starts_at=at, minutes=60, url="https://zoom.us/j/1"
            )
            for s in (world.section, other)
        ]
    )
    assert sorted(o == "ok" for o in outcomes) == [False, True]
    assert Meeting.objects.count() == 1
