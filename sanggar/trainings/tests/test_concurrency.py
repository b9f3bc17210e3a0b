"""Seats under real concurrency (PostgreSQL row locks): ten payments racing for the last two seats."""

import threading

import pytest
from django.db import connection, connections

from sanggar.core.exceptions import ServiceError
from sanggar.trainings import services
from sanggar.trainings.constants import ParticipantStatus
from sanggar.trainings.models import Participant

from .world import World

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locking"),
]


def test_ten_payments_for_two_seats_leave_exactly_two_paid(make_user, admin_user):
    world = World(make_user, admin_user, capacity=2)
    pending = [
        services.register(user=make_user(email=f"p{n}@example.com"), batch_slug=world.batch.slug, tier_slug="platinum")
        for n in range(10)
    ]
    barrier = threading.Barrier(len(pending))
    outcomes = []

    def run(pid):
        try:
            barrier.wait()
            services.participant_activate(participant_id=pid, invoice=f"INV{pid}")
            outcomes.append("ok")
        except ServiceError as exc:
            outcomes.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(p.pk,)) for p in pending]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 2
    assert Participant.objects.filter(status=ParticipantStatus.PAID).count() == 2
