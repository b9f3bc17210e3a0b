"""A premium supplier's chat auto-reply (PRD Supplier §5: "Template auto-reply", premium only), registered with chat by
this app: set on the supplier's chat page or through the API, posted by chat as the supplier's first answer when a
member opens a conversation ("Hubungi Supplier"), marked automatic and not counted as a reply in the statistics."""

import pytest

from sanggar.api.testing import call
from sanggar.audit.models import ActivityLog
from sanggar.chat import registry
from sanggar.chat.models import Conversation, Message, Participant
from sanggar.chat.services import message_send
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.suppliers import selectors, services
from sanggar.suppliers.constants import ACTION_AUTO_REPLY
from sanggar.suppliers.models import Supplier

pytestmark = pytest.mark.django_db

TEXT = "Terima kasih sudah menghubungi CV Rempah. Kami balas dalam 1×24 jam kerja."


@pytest.fixture
def member(make_user, monkeypatch):
    monkeypatch.setattr("sanggar.chat.policy.is_premium", lambda *, user: True)  # the member holds a membership
    return make_user(full_name="Pembeli Premium")


def test_the_app_registers_its_hook_with_chat():
    assert services.auto_reply_for_user in registry._supplier_auto_replies
    assert services.premium_for_user in registry._supplier_premium


def test_member_contacts_premium_supplier_and_gets_the_auto_reply_first(client, make_supplier, member):
    s_user, supplier = make_supplier("verified", premium_days=30)
    client.force_login(s_user)
    page = client.get("/supplier/chat")
    assert page.status_code == 200 and 'name="chat_auto_reply"' in page.content.decode()
    saved = client.post("/supplier/chat", {"chat_auto_reply": f"  {TEXT}  "}, follow=True)
    assert "Balasan otomatis disimpan." in saved.content.decode()
    supplier.refresh_from_db()
    assert supplier.chat_auto_reply == TEXT
    assert ActivityLog.objects.filter(action=ACTION_AUTO_REPLY, actor=s_user).count() == 1

    client.force_login(member)
    response = client.post(f"/supplier/{supplier.slug}/hubungi")
    conversation = Conversation.objects.get(kind="supplier")
    assert response.status_code == 302 and response.url == f"/chat/{conversation.pk}"
    first = Message.objects.get(conversation=conversation)
    assert first.sender_id == s_user.pk and first.body == TEXT and first.is_auto_reply
    assert Participant.objects.get(conversation=conversation, user=member).unread_count == 1
    assert TEXT in client.get(f"/chat/{conversation.pk}").content.decode()  # the member reads it in the chat

    # contacting again opens the same conversation: no second auto-reply
    client.post(f"/supplier/{supplier.slug}/hubungi")
    assert Message.objects.filter(conversation=conversation, is_auto_reply=True).count() == 1

    # the auto-reply is not a reply: the supplier's answer rate counts only what the supplier writes
    inquiry = message_send(user=member, conversation_id=conversation.pk, body="Minta harga cengkeh 1 ton").message
    assert selectors.supplier_stats(supplier, detailed=True)["reply_rate"] == 0
    # the member's first inquiry is unread for the supplier (their read mark stops at their own auto-reply)
    theirs = Participant.objects.get(conversation=conversation, user=s_user)
    assert theirs.unread_count == 1 and theirs.last_read_message_id == first.pk < inquiry.pk
    message_send(user=s_user, conversation_id=conversation.pk, body="Siap, penawaran kami kirim hari ini")
    assert selectors.supplier_stats(supplier, detailed=True)["reply_rate"] == 100


def test_no_auto_reply_when_none_set_or_premium_ended(make_supplier, member, make_user):
    s_user, supplier = make_supplier("verified", premium_days=30)
    conversation = services.contact(supplier=supplier, member=member)
    assert not Message.objects.filter(conversation=conversation).exists()  # none set: nothing is sent

    services.auto_reply_set(supplier=supplier, actor=s_user, text=TEXT)
    assert services.auto_reply_for_user(s_user) == TEXT
    Supplier.objects.filter(pk=supplier.pk).update(premium_until=None)  # the premium period ended
    supplier.refresh_from_db()
    assert services.auto_reply_for_user(s_user) == ""
    with pytest.raises(NotAllowed):
        services.contact(supplier=supplier, member=make_user(full_name="Pembeli Lain"))
    assert Conversation.objects.count() == 1 and not Message.objects.exists()


def test_free_supplier_cannot_set_it_and_input_is_checked(client, make_supplier):
    s_user, supplier = make_supplier("verified")
    with pytest.raises(NotAllowed, match="Premium"):
        services.auto_reply_set(supplier=supplier, actor=s_user, text=TEXT)
    client.force_login(s_user)
    page = client.get("/supplier/chat").content.decode()
    assert 'name="chat_auto_reply"' not in page and "data-locked" in page
    assert call(client, "put", "/me/supplier/auto-reply", {"text": TEXT}, user=s_user).status_code == 403

    services.premium_extend(supplier=supplier, days=30, source="admin")
    supplier.refresh_from_db()
    for bad in ("a\x00b", "x" * 1001):
        with pytest.raises(ServiceError):
            services.auto_reply_set(supplier=supplier, actor=s_user, text=bad)
    assert call(client, "put", "/me/supplier/auto-reply", {"text": "a\x00b"}, user=s_user).status_code == 400
    put = call(client, "put", "/me/supplier/auto-reply", {"text": TEXT}, user=s_user)
    assert put.status_code == 200 and put.json() == {"text": TEXT, "active": True}
    assert call(client, "get", "/me/supplier/auto-reply", user=s_user).json()["text"] == TEXT
    assert call(client, "put", "/me/supplier/auto-reply", {"text": ""}, user=s_user).json()["active"] is False
