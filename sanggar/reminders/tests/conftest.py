import threading

import pytest
from django.db import connection

from sanggar.reminders import services
from sanggar.reminders.models import ReminderSequence


@pytest.fixture(autouse=True)
def _default_sequences_off(db, request):
    """The data migration's default sequences (the 7/3/1-day expiry reminders, follow-ups) are in every test
    database; tests remove them (inside the test's transaction) unless they are about them (marker
    `default_sequences`)."""
    if request.node.get_closest_marker("default_sequences") is None:
        ReminderSequence.objects.exclude(origin="").delete()


def two_sweeps_at_once(now) -> list[int]:
    """Runs reminders_send_due in two threads released together (a transactional test: each thread has its own
    connection); the sends each sweep reports."""
    barrier = threading.Barrier(2)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(services.reminders_send_due(now=now))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
