"""The demo shows the builder's new capabilities: a scheduled broadcast to a segment; running it twice adds nothing."""

import pytest

from sanggar.reminders import demo
from sanggar.reminders.constants import BroadcastStatus
from sanggar.reminders.models import Broadcast, ReminderSequence

pytestmark = pytest.mark.django_db


def test_demo_builds_sequences_and_a_scheduled_broadcast_once(make_user):
    make_user("admin", email="admin@sanggar.test")
    demo.seed(log=lambda *_: None)
    demo.seed(log=lambda *_: None)
    scheduled = Broadcast.objects.get(status=BroadcastStatus.SCHEDULED)
    assert scheduled.segment_province == "Jawa Timur" and scheduled.segment_expiring_days == 14
    assert scheduled.send_at is not None
    assert Broadcast.objects.count() == 2 and ReminderSequence.objects.exists()
