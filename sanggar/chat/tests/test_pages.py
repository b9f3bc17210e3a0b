import pytest
from django.urls import reverse

from sanggar.audit.models import ActivityLog
from sanggar.chat import realtime, services
from sanggar.chat.constants import EMOJI_SET
from sanggar.chat.models import Message, Participant, Report

pytestmark = pytest.mark.django_db


def test_inbox_and_conversation_pages(client, mentor, student, django_assert_max_num_queries):
    conversation, _ = services.conversation_open(user=mentor, other=student)
    services.message_send(user=mentor, conversation_id=conversation.pk, body="Halo Siti, apa kabar?")
    client.force_login(student)
    with django_assert_max_num_queries(25):
        r = client.get(reverse("chat:inbox"))
    assert r.status_code == 200
    assert "Andi Mentor" in r.content.decode() and 'data-unread="1"' in r.content.decode()
    r = client.get(reverse("chat:conversation", args=[conversation.pk]))
    assert r.status_code == 200 and "Halo Siti, apa kabar?" in r.content.decode()
    assert Participant.objects.get(conversation=conversation, user=student).unread_count == 0  # opened = read
    r = client.post(reverse("chat:send", args=[conversation.pk]), {"body": "Baik, Pak!", "client_id": "w1"})
    assert r.status_code == 302 and Message.objects.filter(body="Baik, Pak!").count() == 1


def test_pages_refuse_strangers_and_anonymous(client, mentor, student, make_user):
    conversation, _ = services.conversation_open(user=mentor, other=student)
    url = reverse("chat:conversation", args=[conversation.pk])
    assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(make_user(full_name="Penyusup"))
    assert client.get(url).status_code == 404
    assert client.post(reverse("chat:send", args=[conversation.pk]), {"body": "hai"}).status_code == 404
    assert client.post(reverse("chat:settings", args=[conversation.pk]), {"action": "mute"}).status_code == 404
    assert not Message.objects.exists()
    assert client.get(reverse("chat:admin_reports")).status_code == 403


def test_hostile_page_input_shows_indonesian_message(client, mentor, student):
    conversation, _ = services.conversation_open(user=mentor, other=student)
    client.force_login(mentor)
    r = client.post(reverse("chat:send", args=[conversation.pk]), {"body": "a\x00b"})
    assert r.status_code == 400  # the house's input guard, with its Indonesian page
    for body, says in (("x" * 5000, "terlalu panjang"), ("  ", "tidak boleh kosong")):
        r = client.post(reverse("chat:send", args=[conversation.pk]), {"body": body}, follow=True)
        assert r.status_code == 200 and says in r.content.decode()
    assert not Message.objects.exists()
    r = client.get(reverse("chat:conversation", args=[conversation.pk]) + "?sebelum=99999999999999999999999")
    assert r.status_code == 200


def test_start_from_profile_button(client, mentor, student, make_user):
    client.force_login(mentor)
    r = client.get(reverse("chat:start", args=[student.pk]))
    assert r.status_code == 200 and "Siti Murid" in r.content.decode()
    r = client.post(reverse("chat:start", args=[student.pk]))
    conversation = Participant.objects.get(user=student).conversation
    assert r.url == reverse("chat:conversation", args=[conversation.pk])
    stranger = make_user(full_name="Orang Asing")
    r = client.post(reverse("chat:start", args=[stranger.pk]), follow=True)
    assert "tidak" in r.content.decode().lower() or "hanya" in r.content.decode()


def test_settings_block_and_report(client, mentor, student):
    conversation, _ = services.conversation_open(user=mentor, other=student)
    client.force_login(student)
    url = reverse("chat:settings", args=[conversation.pk])
    client.post(url, {"action": "mute"})
    assert Participant.objects.get(conversation=conversation, user=student).muted
    client.post(url, {"action": "report", "reason": "Mengirim spam"})
    assert Report.objects.count() == 1
    client.post(url, {"action": "block"})
    r = client.post(reverse("chat:send", args=[conversation.pk]), {"body": "hai"}, follow=True)
    assert "tidak dapat mengirim pesan" in r.content.decode()


def test_admin_reads_only_reported_conversations_and_it_is_logged(client, mentor, student, admin_user):
    conversation, _ = services.conversation_open(user=mentor, other=student)
    services.message_send(user=mentor, conversation_id=conversation.pk, body="Isi yang dilaporkan")
    report = services.report_create(user=student, conversation_id=conversation.pk, reason="Tidak sopan")
    client.force_login(admin_user)
    r = client.get(reverse("chat:admin_reports"))
    assert r.status_code == 200 and "Tidak sopan" in r.content.decode()
    r = client.get(reverse("chat:admin_report", args=[report.pk]))
    assert r.status_code == 200 and "Isi yang dilaporkan" in r.content.decode()
    assert ActivityLog.objects.filter(action="chat.report_read", actor=admin_user).count() == 1
    # the admin's own conversation page still refuses: only reports open a conversation
    assert client.get(reverse("chat:conversation", args=[conversation.pk])).status_code == 404
    client.post(reverse("chat:admin_report", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == "resolved"


def test_inbox_refresh_fragment_for_the_live_page(client, mentor, student):
    """The inbox page re-fetches its list (HX-Request) on socket events or while polling: the fragment only."""
    conversation, _ = services.conversation_open(user=mentor, other=student)
    services.message_send(user=mentor, conversation_id=conversation.pk, body="Sampel sudah dikirim")
    client.force_login(student)
    page = client.get(reverse("chat:inbox")).content.decode()
    assert 'id="chat-inbox-live"' in page and "/ws/chat/" in page
    r = client.get(reverse("chat:inbox"), headers={"HX-Request": "true"})
    body = r.content.decode()
    assert r.status_code == 200 and 'data-unread="1"' in body and "Sampel sudah dikirim" in body
    assert "<html" not in body and 'id="chat-inbox-live"' not in body
    client.logout()
    assert client.get(reverse("chat:inbox"), headers={"HX-Request": "true"}).status_code == 302


def test_conversation_composer_has_the_emoji_picker_and_live_presence_markup(client, mentor, student):
    """The chat composer reuses the community composer's built-in emoji picker (no inline handlers: the static
    chat/emoji-picker.js writes into #chat-body); the header and the inbox dots carry who to update live."""
    conversation, _ = services.conversation_open(user=mentor, other=student)
    services.message_send(user=mentor, conversation_id=conversation.pk, body="Halo")
    client.force_login(student)
    page = client.get(reverse("chat:conversation", args=[conversation.pk])).content.decode()
    assert 'data-emoji-picker data-emoji-target="chat-body"' in page and "chat/emoji-picker.js" in page
    assert all(f'data-emoji="{e}"' in page for e in EMOJI_SET[:5]) and "onclick" not in page
    assert f'id="chat-presence" data-users="{mentor.pk}" data-online="0"' in page
    realtime.presence_up(mentor.pk)
    inbox = client.get(reverse("chat:inbox")).content.decode()
    assert f'data-presence-user="{mentor.pk}" data-online="1"' in inbox
    realtime.presence_down(mentor.pk)
    inbox = client.get(reverse("chat:inbox")).content.decode()
    assert f'data-presence-user="{mentor.pk}" data-online="0"' in inbox
