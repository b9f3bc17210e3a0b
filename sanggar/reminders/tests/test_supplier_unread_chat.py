"""The reminder "Chat calon pembeli belum dibalas" (issue 14, checklist §4.3, Starsender L2001) on the one reminder
engine: a Premium supplier with a member's inquiry unread for 4 hours gets one WhatsApp + in-app reminder a day
while it stays unread; not a free supplier, not once the supplier read or replied; the data migration's sequence."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from sanggar.chat import services as chat
from sanggar.chat.models import Conversation, Message, Participant
from sanggar.notifications.models import Delivery
from sanggar.reminders import services as reminders
from sanggar.reminders import supplier_triggers
from sanggar.reminders.models import ReminderSend, ReminderSequence
from sanggar.suppliers.models import Supplier

MIGRATION = import_module("sanggar.reminders.migrations.0017_supplier_unread_chat")


@pytest.fixture(autouse=True)
def _only_this_sequence(_default_sequences_off):
    """The conftest removed the default sequences; the one of migration 0017 is made again (idempotent)."""
    MIGRATION.forwards(django_apps, None)


@pytest.fixture
def t0():
    """The member's message: 09:00 local today, so the 4-hour slot (13:00) is outside the quiet hours."""
    return timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)


def _make_supplier(make_user, name, *, premium=True):
    user = make_user(full_name=f"Pemilik {name}")
    until = timezone.now() + timedelta(days=60) if premium else None
    supplier = Supplier.objects.create(
        user=user, slug=name.lower().replace(" ", "-"), status="verified", company_name=name, premium_until=until
    )
    return user, supplier


def _inquiry(member, supplier_user, at) -> Conversation:
    conv = Conversation.objects.create(
        kind="supplier", pair_key=f"{min(member.pk, supplier_user.pk)}:{max(member.pk, supplier_user.pk)}"
    )
    Participant.objects.create(conversation=conv, user=member)
    Participant.objects.create(conversation=conv, user=supplier_user)
    msg = Message.objects.create(conversation=conv, sender=member, body="Ready stok cengkeh 1 ton?", created_at=at)
    Participant.objects.filter(conversation=conv, user=member).update(last_read_message_id=msg.pk)
    Participant.objects.filter(conversation=conv, user=supplier_user).update(unread_count=1)
    Conversation.objects.filter(pk=conv.pk).update(last_message_at=at)
    return conv


def _sends(user):
    return list(ReminderSend.objects.filter(user=user, status="sent").values_list("object_key", flat=True))


def test_the_migration_creates_the_default_sequence():
    ReminderSequence.objects.filter(origin=MIGRATION.ORIGIN).delete()
    MIGRATION.forwards(django_apps, None)
    MIGRATION.forwards(django_apps, None)  # idempotent
    seq = ReminderSequence.objects.get(origin=MIGRATION.ORIGIN)
    assert (seq.trigger, seq.target_type, seq.kind, seq.stop_on, seq.is_active) == (
        "supplier_unread_chat",
        "supplier",
        "transactional",
        "replied",
        True,
    )
    assert (seq.quiet_start.hour, seq.quiet_end.hour) == (21, 8)
    (step,) = seq.steps.all()
    assert (step.delay_hours, step.channels) == (4, ["whatsapp", "in_app"])
    for code in ("{name}", "{company}", "{chat_link}"):
        assert code in step.content["whatsapp"]["text"] and code in step.body


def test_premium_supplier_reminded_once_a_day_while_unread(make_user, t0):
    member = make_user(full_name="Pembeli Satu")
    user, _supplier = _make_supplier(make_user, "CV Rempah Jaya")
    conv = _inquiry(member, user, t0)
    assert reminders.reminders_send_due(now=t0 + timedelta(hours=3, minutes=59)) == 0  # under the threshold
    assert reminders.reminders_send_due(now=t0 + timedelta(hours=4, minutes=1)) == 1
    assert reminders.reminders_send_due(now=t0 + timedelta(hours=4, minutes=2)) == 0  # two sweeps: once a day
    assert reminders.reminders_send_due(now=t0 + timedelta(hours=9)) == 0
    day = timezone.localdate(t0).strftime("%Y%m%d")
    assert _sends(user) == [f"su:{conv.pk}:{day}"]
    note = user.notifications.order_by("-id").first()
    assert "Pemilik CV Rempah Jaya" in note.message and "CV Rempah Jaya" in note.message
    assert f"/chat/{conv.pk}" in note.message and note.link  # (the tracked link)
    assert Delivery.objects.filter(user=user, channel="whatsapp").count() == 1
    # the next day, still unread: again, once
    assert reminders.reminders_send_due(now=t0 + timedelta(days=1, hours=4, minutes=1)) == 1
    assert reminders.reminders_send_due(now=t0 + timedelta(days=1, hours=4, minutes=2)) == 0
    assert len(_sends(user)) == 2


def test_not_for_a_free_supplier(make_user, t0):
    member = make_user(full_name="Pembeli Dua")
    user, _supplier = _make_supplier(make_user, "CV Gratis", premium=False)
    _inquiry(member, user, t0)
    assert reminders.reminders_send_due(now=t0 + timedelta(hours=4, minutes=1)) == 0
    assert _sends(user) == []


def test_not_once_read_or_replied(make_user, t0):
    member = make_user(full_name="Pembeli Tiga")
    read_user, _s1 = _make_supplier(make_user, "CV Baca")
    reply_user, _s2 = _make_supplier(make_user, "CV Balas")
    read_conv = _inquiry(member, read_user, t0)
    reply_conv = _inquiry(member, reply_user, t0)
    chat.conversation_mark_read(user=read_user, conversation_id=read_conv.pk)
    Message.objects.create(conversation=reply_conv, sender=reply_user, body="Ready, Kak.", created_at=t0)
    assert reminders.reminders_send_due(now=t0 + timedelta(hours=4, minutes=1)) == 0
    assert _sends(read_user) == [] and _sends(reply_user) == []


def test_stop_is_rechecked_just_before_sending(make_user, t0):
    member = make_user(full_name="Pembeli Empat")
    user, _supplier = _make_supplier(make_user, "CV Cek")
    conv = _inquiry(member, user, t0)
    candidates = list(
        reminders.trigger_source("supplier_unread_chat")(
            ReminderSequence.objects.get(origin=MIGRATION.ORIGIN), now=t0 + timedelta(hours=5), lo=t0, hi=t0
        )
    )
    assert [c.object_key.split(":")[1] for c in candidates] == [str(conv.pk)]
    assert supplier_triggers.replied_indexes(candidates) == set()
    chat.conversation_mark_read(user=user, conversation_id=conv.pk)
    assert supplier_triggers.replied_indexes(candidates) == {0}
