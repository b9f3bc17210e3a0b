"""The demo shows the builder's new capabilities: a scheduled broadcast to a segment; running it twice adds nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.access.tests.factories import make_plan
from sanggar.events.services import event_create
from sanggar.learning.services import course_create
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


def test_demo_builder_sequences_cover_the_triggers(make_user):
    make_user("admin", email="admin@sanggar.test")
    demo.seed(log=lambda *_: None)
    triggers = set(ReminderSequence.objects.filter(is_active=True, origin="").values_list("trigger", flat=True))
    assert {"after_purchase", "inactivity", "before_event", "after_expiry"} <= triggers
    welcome = ReminderSequence.objects.get(name__startswith="Sambutan")
    first = welcome.steps.first()
    assert (first.delay_amount, first.delay_unit, first.content["email"]["cta_text"]) == (1, "days", "Buka dasbor")
    win_back = ReminderSequence.objects.get(name="Masa aktif berakhir: ajakan kembali").steps.get()
    html = win_back.content["email"]["body_html"]
    assert "<h2>Kami rindu Anda, {name}</h2>" in html and "<ul><li>" in html and 'href="{renewal_link}"' in html
    assert win_back.content["email"]["body"].startswith("Kami rindu Anda, {name}")  # its plain text


def test_demo_binds_one_sequence_to_a_course_and_one_to_an_event(make_user):
    admin = make_user("admin", email="admin@sanggar.test")
    course = course_create(actor=admin, data={"title": "Dasar Ekspor", "summary": "Ringkasan"})
    start = timezone.now() + timedelta(days=5)
    event = event_create(
        actor=admin,
        data={
            "title": "Klinik",
            "slug": "klinik-dokumen-ekspor",
            "starts_at": start,
            "ends_at": start + timedelta(hours=1),
        },
    )
    demo.seed(log=lambda *_: None)
    demo.seed(log=lambda *_: None)
    bound = ReminderSequence.objects.filter(target_id__isnull=False, target_type__in=["course", "event"])
    assert sorted(bound.values_list("target_type", "target_id")) == [("course", course.pk), ("event", event.pk)]
    assert all(seq.steps.exists() and seq.is_active for seq in bound)


def test_demo_follow_ups_are_builder_sequences(make_user):
    """The plans' and products' WhatsApp follow-ups (once the catalog's "Follow-up WhatsApp" tab) are switched-on
    "after purchase" sequences of the builder, one per demo plan and the webinar."""
    make_user("admin", email="admin@sanggar.test")
    gold = make_plan("gold", title="Gold")
    demo.seed(log=lambda *_: None)
    demo.seed(log=lambda *_: None)
    sequence = ReminderSequence.objects.get(origin=f"follow_up:plan:{gold.pk}")
    assert (sequence.is_active, sequence.trigger, sequence.target_type, sequence.target_id) == (
        True,
        "after_purchase",
        "plan",
        gold.pk,
    )
    assert [(s.delay_amount, s.delay_unit, s.channels) for s in sequence.steps.all()] == [
        (0, "days", ["whatsapp"]),
        (3, "days", ["whatsapp"]),
        (7, "days", ["whatsapp"]),
    ]
    pending = ReminderSequence.objects.get(trigger="order_pending")
    assert pending.is_active  # the only engine reminding an unpaid order
