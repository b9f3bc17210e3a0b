import pytest
from django.utils import timezone

from sanggar.audit.models import ActivityLog
from sanggar.chat import selectors, services
from sanggar.chat.constants import Kind
from sanggar.chat.models import Block, Conversation, Message, Participant, SupplierRefusal
from sanggar.core.exceptions import NotAllowed, NotFound, RateLimited, ServiceError
from sanggar.core.roles import Role
from sanggar.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_free_student_cannot_start_chatmentor_premium_can(student, mentor, premium):
    with pytest.raises(NotAllowed, match="premium"):
        services.conversation_open(user=student, other=mentor)
    premium.add(student.pk)
    conversation, created = services.conversation_open(user=student, other=mentor)
    assert created and conversation.kind == Kind.MENTOR
    again, created = services.conversation_open(user=mentor, other=student)
    assert again == conversation and not created
    assert Participant.objects.filter(conversation=conversation).count() == 2


def test_mentor_may_start_with_own_student_but_not_a_stranger(mentor, student, make_user):
    conversation, _created = services.conversation_open(user=mentor, other=student)
    assert conversation.kind == Kind.MENTOR
    with pytest.raises(NotAllowed):
        services.conversation_open(user=mentor, other=make_user(full_name="Orang Lain"))


def test_direct_needs_connection_and_premium_or_role(make_user, connections, premium):
    a, b = make_user(full_name="Ayu"), make_user(full_name="Bima")
    with pytest.raises(NotAllowed, match="satu grup"):
        services.conversation_open(user=a, other=b)
    connections.add(frozenset((a.pk, b.pk)))
    with pytest.raises(NotAllowed, match="premium"):
        services.conversation_open(user=a, other=b)
    affiliate = make_user(Role.AFFILIATE, full_name="Citra Affiliate")
    connections.add(frozenset((affiliate.pk, b.pk)))
    conversation, _ = services.conversation_open(user=affiliate, other=b)
    assert conversation.kind == Kind.DIRECT
    # anyone may reply: the free member answers
    sent = services.message_send(user=b, conversation_id=conversation.pk, body="Halo juga")
    assert sent.created


def test_supplier_rules(make_user, premium):
    from sanggar.chat import registry

    supplier = make_user(Role.SUPPLIER, full_name="PT Kopi Nusantara")
    member = make_user(full_name="Pembeli")
    premium.add(member.pk)
    with pytest.raises(NotAllowed, match="belum dapat menerima chat"):
        services.conversation_open(user=member, other=supplier)
    assert SupplierRefusal.objects.filter(supplier=supplier, member=member).count() == 1
    assert not Conversation.objects.exists()
    with pytest.raises(NotAllowed, match="Supplier tidak dapat memulai"):
        services.conversation_open(user=supplier, other=member)

    def is_premium_supplier(user):
        return user.pk == supplier.pk

    def auto_reply(user):
        return (
            "Terima kasih sudah menghubungi PT Kopi Nusantara. Kami balas dalam 1x24 jam." if user == supplier else ""
        )

    registry.supplier_premium_register(is_premium_supplier)
    registry.supplier_auto_reply_register(auto_reply)
    try:
        conversation, _ = services.conversation_open(user=member, other=supplier)
        assert conversation.kind == Kind.SUPPLIER
        first = Message.objects.get(conversation=conversation)
        assert first.is_auto_reply and first.sender_id == supplier.pk and "1x24 jam" in first.body
        assert Participant.objects.get(conversation=conversation, user=member).unread_count == 1
        stats = selectors.supplier_inquiry_stats(supplier_user_ids=[supplier.pk])[supplier.pk]
        assert stats["inquiries"] == 1 and stats["replied"] == 0  # the automatic answer is not a reply
        services.message_send(
            user=supplier, conversation_id=conversation.pk, body="Terima kasih, ada yang bisa dibantu?"
        )
    finally:
        registry._supplier_premium.remove(is_premium_supplier)
        registry._supplier_auto_replies.remove(auto_reply)
    # the supplier's premium ended: replies are refused and counted
    with pytest.raises(NotAllowed, match="Supplier Premium"):
        services.message_send(user=supplier, conversation_id=conversation.pk, body="Halo")
    assert SupplierRefusal.objects.filter(supplier=supplier).count() == 2


def test_block_stops_both_directions(mentor, student):
    conversation, _ = services.conversation_open(user=mentor, other=student)
    services.conversation_block(user=student, conversation_id=conversation.pk)
    assert Block.objects.filter(blocker=student, blocked=mentor).exists()
    for sender in (mentor, student):
        with pytest.raises(NotAllowed):
            services.message_send(user=sender, conversation_id=conversation.pk, body="Halo")
    with pytest.raises(NotAllowed):
        services.conversation_open(user=mentor, other=student)
    assert ActivityLog.objects.filter(action="chat.blocked").count() == 1


def test_send_is_idempotent_counts_unread_and_notifies_once_per_burst(
    mentor, student, django_capture_on_commit_callbacks
):
    conversation, _ = services.conversation_open(user=mentor, other=student)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.message_send(user=mentor, conversation_id=conversation.pk, body="Halo Siti", client_id="c-1")
        again = services.message_send(user=mentor, conversation_id=conversation.pk, body="Halo Siti", client_id="c-1")
        services.message_send(user=mentor, conversation_id=conversation.pk, body="Sudah sampai modul 2?")
    assert first.created and not again.created and again.message.pk == first.message.pk
    assert Message.objects.filter(conversation=conversation).count() == 2
    p = Participant.objects.get(conversation=conversation, user=student)
    assert p.unread_count == 2
    assert Notification.objects.filter(user=student, kind="chat").count() == 1  # one for the burst
    services.conversation_mark_read(user=student, conversation_id=conversation.pk)
    p.refresh_from_db()
    assert p.unread_count == 0 and p.last_read_message_id == Message.objects.latest("id").pk
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(user=mentor, conversation_id=conversation.pk, body="Jangan lupa tugasnya")
    assert Notification.objects.filter(user=student, kind="chat").count() == 2


def test_muted_or_online_recipient_gets_no_notification(mentor, student, django_capture_on_commit_callbacks):
    from sanggar.chat import realtime

    conversation, _ = services.conversation_open(user=mentor, other=student)
    realtime.presence_touch(student.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(user=mentor, conversation_id=conversation.pk, body="Halo")
    assert not Notification.objects.filter(user=student).exists()


def test_non_participant_cannot_send_or_read(mentor, student, make_user):
    conversation, _ = services.conversation_open(user=mentor, other=student)
    stranger = make_user(full_name="Penyusup")
    with pytest.raises(NotFound):
        services.message_send(user=stranger, conversation_id=conversation.pk, body="Halo")
    with pytest.raises(NotFound):
        services.conversation_mark_read(user=stranger, conversation_id=conversation.pk)


@pytest.mark.parametrize("body", ["", "   ", "a\x00b", "x" * 4001, 123, None, ["a"]])
def test_hostile_bodies_are_refused(mentor, student, body):
    conversation, _ = services.conversation_open(user=mentor, other=student)
    with pytest.raises(ServiceError):
        services.message_send(user=mentor, conversation_id=conversation.pk, body=body)
    assert not Message.objects.exists()


def test_message_limits_and_tighter_for_new_accounts(mentor, student, settings):
    settings.CHAT_MESSAGE_RATE_LIMIT = "3/60"
    settings.CHAT_NEW_ACCOUNT_MESSAGE_RATE_LIMIT = "2/60"
    conversation, _ = services.conversation_open(user=mentor, other=student)
    for n in range(2):  # the student's account is new (joined today)
        services.message_send(user=student, conversation_id=conversation.pk, body=f"Pesan {n}")
    with pytest.raises(RateLimited):
        services.message_send(user=student, conversation_id=conversation.pk, body="Satu lagi")
    type(mentor).objects.filter(pk=mentor.pk).update(date_joined=timezone.now() - timezone.timedelta(days=30))
    mentor.refresh_from_db()
    for n in range(3):
        services.message_send(user=mentor, conversation_id=conversation.pk, body=f"Balasan {n}")
    with pytest.raises(RateLimited):
        services.message_send(user=mentor, conversation_id=conversation.pk, body="Satu lagi")


def test_ip_limit(mentor, student, settings):
    settings.CHAT_MESSAGE_IP_RATE_LIMIT = "2/60"
    conversation, _ = services.conversation_open(user=mentor, other=student)
    services.message_send(user=mentor, conversation_id=conversation.pk, body="1", ip="10.0.0.9")
    services.message_send(user=student, conversation_id=conversation.pk, body="2", ip="10.0.0.9")
    with pytest.raises(RateLimited):
        services.message_send(user=mentor, conversation_id=conversation.pk, body="3", ip="10.0.0.9")


def test_conversation_limit(mentor, make_user, settings):
    settings.CHAT_CONVERSATION_RATE_LIMIT = "1/3600"
    admin = make_user(Role.ADMIN, full_name="Admin")
    services.conversation_open(user=admin, other=mentor)
    with pytest.raises(RateLimited):
        services.conversation_open(user=admin, other=make_user(full_name="Lain"))


def test_conversation_limit_is_tighter_for_new_accounts(mentor, make_user, settings):
    settings.CHAT_CONVERSATION_RATE_LIMIT = "3/3600"
    settings.CHAT_NEW_ACCOUNT_CONVERSATION_RATE_LIMIT = "1/3600"
    young = make_user(Role.ADMIN, full_name="Admin Baru")  # joined today: a new account
    services.conversation_open(user=young, other=mentor)
    with pytest.raises(RateLimited, match="percakapan baru"):
        services.conversation_open(user=young, other=make_user(full_name="Lain"))
    services.conversation_open(user=young, other=mentor)  # an existing conversation is not a new one
    older = make_user(Role.ADMIN, full_name="Admin Lama")
    type(older).objects.filter(pk=older.pk).update(date_joined=timezone.now() - timezone.timedelta(days=30))
    older.refresh_from_db()
    for n in range(3):  # an older account has the ordinary limit
        services.conversation_open(user=older, other=make_user(full_name=f"Orang {n}"))
    with pytest.raises(RateLimited):
        services.conversation_open(user=older, other=make_user(full_name="Satu lagi"))


def test_report_and_admin_reading_is_audited(mentor, student, admin_user):
    conversation, _ = services.conversation_open(user=mentor, other=student)
    services.message_send(user=mentor, conversation_id=conversation.pk, body="Pesan kasar")
    report = services.report_create(user=student, conversation_id=conversation.pk, reason="Kata-kata kasar")
    with pytest.raises(ServiceError):
        services.report_create(user=student, conversation_id=conversation.pk, reason="a\x00")
    services.report_read(admin=admin_user, report=report)
    with pytest.raises(NotAllowed):
        services.report_read(admin=student, report=report)
    assert ActivityLog.objects.filter(action="chat.report_read", actor=admin_user).count() == 1
