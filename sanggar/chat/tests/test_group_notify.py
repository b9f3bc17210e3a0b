"""Group chat messages reach offline members as notifications: one per unread burst, by their chat preferences, never
when they muted the chat, are online, read it meanwhile, or lost access to the group."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanggar.chat import realtime, registry, services
from sanggar.chat.constants import NOTIFY_GROUP_MESSAGE
from sanggar.chat.models import Participant
from sanggar.notifications.models import Delivery, Notification

pytestmark = pytest.mark.django_db

KEY = "test-group:1"


@pytest.fixture
def members(make_user):
    return {name: make_user(full_name=name) for name in ("Ayu", "Bima", "Citra", "Dodi", "Eka")}


@pytest.fixture
def lapsed():
    """User ids whose access to the test group lapsed (what the community app answers through the registry)."""
    gone: set[int] = set()

    def answer(user, key):
        return None if key != KEY else user.pk not in gone

    registry.group_member_register(answer)
    yield gone
    registry._group_members.remove(answer)


@pytest.fixture
def group(members, lapsed):
    return services.group_conversation_ensure(
        group_key=KEY, title="UKM Ekspor", user_ids=[u.pk for u in members.values()]
    )


def _send(user, group, body, capture):
    with capture(execute=True):
        return services.message_send(user=user, conversation_id=group.pk, body=body)


def _told(user):
    return Notification.objects.filter(user=user, data__template=NOTIFY_GROUP_MESSAGE)


def test_offline_members_get_one_notification_per_burst(
    members, group, lapsed, django_capture_on_commit_callbacks, settings
):
    ayu, bima, citra, dodi, eka = members.values()
    Participant.objects.filter(conversation=group, user=citra).update(muted=True)
    realtime.presence_touch(dodi.pk)  # online: sees it live
    lapsed.add(eka.pk)  # plan expired: not told what the group says
    bima.notification_prefs = {"chat": {"email": True, "whatsapp": False, "push": True}}
    bima.save(update_fields=["notification_prefs"])

    _send(ayu, group, "Halo semua, ada buyer baru dari Jepang", django_capture_on_commit_callbacks)
    _send(ayu, group, "Detailnya di dokumen", django_capture_on_commit_callbacks)
    _send(ayu, group, "Silakan cek", django_capture_on_commit_callbacks)

    assert _told(bima).count() == 1  # a burst of three is one notification
    note = _told(bima).get()
    assert note.kind == "chat" and note.title == "Ayu di UKM Ekspor"
    assert "buyer baru dari Jepang" in note.message and note.data["conversation"] == group.pk
    channels = set(Delivery.objects.filter(user=bima, notification=note).values_list("channel", flat=True))
    assert channels == {"email", "push"}  # by Bima's preferences: no WhatsApp
    assert not _told(ayu).exists()  # never the sender
    assert not _told(citra).exists()  # muted the group chat
    assert not _told(dodi).exists()  # online
    assert not _told(eka).exists()  # lost access to the group

    services.conversation_mark_read(user=bima, conversation_id=group.pk)
    _send(ayu, group, "Satu lagi: sampel dikirim besok", django_capture_on_commit_callbacks)
    assert _told(bima).count() == 2  # read, then a new burst: told again


def test_a_member_who_read_before_the_background_send_is_not_told(members, group, django_capture_on_commit_callbacks):
    ayu, bima = members["Ayu"], members["Bima"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sent = services.message_send(user=ayu, conversation_id=group.pk, body="Rapat jam 3")
    services.conversation_mark_read(user=bima, conversation_id=group.pk)  # read on another device meanwhile
    for callback in callbacks:
        callback()
    assert not _told(bima).exists()
    assert _told(members["Citra"]).count() == 1
    assert services.group_message_notify(message_id=sent.message.pk, participant_ids=[]) == 0


def test_direct_chat_still_uses_its_own_kind(mentor, student, django_capture_on_commit_callbacks):
    conversation, _ = services.conversation_open(user=mentor, other=student)
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(user=mentor, conversation_id=conversation.pk, body="Halo")
    assert Notification.objects.get(user=student).data["template"] == "chat.message"


def test_a_group_send_reads_only_the_members_it_may_notify(make_user, monkeypatch):
    """Whatever the group's size, a message reads the members not yet told of their unread burst (and unmuted),
    not every member's row: the same statements for 3 members as for 40, and presence asked only for those."""

    def answer(user, key):
        return True if key.startswith("test-scale:") else None

    registry.group_member_register(answer)
    asked: list[list[int]] = []
    real_in_chat_ids = realtime.in_chat_ids
    monkeypatch.setattr(realtime, "in_chat_ids", lambda ids: asked.append(sorted(ids)) or real_in_chat_ids(ids))
    counts = []
    try:
        for size in (3, 40):
            people = [make_user(full_name=f"Anggota {size}-{i}") for i in range(size)]
            group = services.group_conversation_ensure(
                group_key=f"test-scale:{size}", title=f"UKM {size}", user_ids=[u.pk for u in people]
            )
            fresh, muted = people[1], people[2]
            Participant.objects.filter(conversation=group).update(notified=True)  # told already, not read yet
            Participant.objects.filter(conversation=group, user=muted).update(muted=True, notified=False)
            services.message_send(user=people[0], conversation_id=group.pk, body="Pemanasan")  # caches warm
            Participant.objects.filter(conversation=group, user=fresh).update(notified=False)
            asked.clear()
            with CaptureQueriesContext(connection) as queries:
                services.message_send(user=people[0], conversation_id=group.pk, body="Buyer baru dari Jepang")
            counts.append(len(queries))
            assert asked == [[fresh.pk]]  # presence asked for the one member who may be told, not for all
            assert Participant.objects.get(conversation=group, user=fresh).notified is True
            assert Participant.objects.get(conversation=group, user=muted).notified is False
    finally:
        registry._group_members.remove(answer)
    assert counts[0] == counts[1]
