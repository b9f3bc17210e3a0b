import pytest

from sanggar.reminders.models import ReminderSequence


@pytest.fixture(autouse=True)
def _default_sequences_off(db, request):
    """The data migration's default sequences (the 7/3/1-day expiry reminders, follow-ups) are in every test
    database; tests remove them (inside the test's transaction) unless they are about them (marker
    `default_sequences`)."""
    if request.node.get_closest_marker("default_sequences") is None:
        ReminderSequence.objects.exclude(origin="").delete()
