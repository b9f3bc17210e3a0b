"""The Flutter apps' chat API additions: participants with @username and avatar, one conversation by id (the list's
shape), the open call returning the full conversation, the blocked list and unblocking from chat, explicit mute."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sanggar.api.testing import call
from sanggar.audit.models import ActivityLog
from sanggar.chat import registry, services
from sanggar.chat.models import Block, Participant
from sanggar.community import services as community

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00"
    b"\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_one_conversation_has_the_list_shape_with_usernames_and_avatars(client, mentor, student, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    mentor.avatar.save("andi.png", SimpleUploadedFile("andi.png", PNG), save=True)
    username = community.profile_ensure(mentor).username
    conversation, _ = services.conversation_open(user=mentor, other=student)
    services.message_send(user=mentor, conversation_id=conversation.pk, body="Halo Siti")
    listed = call(client, "get", "/chat/conversations", user=student).json()["results"][0]
    one = call(client, "get", f"/chat/conversations/{conversation.pk}", user=student)
    assert one.status_code == 200
    assert one.json() == listed
    person = one.json()["participants"][0]
    assert person["username"] == username and person["name"] == "Andi Mentor"
    assert person["avatar_url"].startswith("http://testserver/") and person["avatar_url"].endswith(".png")
    assert one.json()["last_message"]["body"] == "Halo Siti" and one.json()["context"] is None
    mine = call(client, "get", f"/chat/conversations/{conversation.pk}", user=mentor).json()
    assert mine["participants"][0]["id"] == student.pk and mine["participants"][0]["avatar_url"] is None


def test_one_conversation_is_404_for_others_and_401_without_token(client, mentor, student, make_user):
    conversation, _ = services.conversation_open(user=mentor, other=student)
    stranger = make_user(full_name="Penyusup")
    assert call(client, "get", f"/chat/conversations/{conversation.pk}", user=stranger).status_code == 404
    assert call(client, "get", "/chat/conversations/999999", user=mentor).status_code == 404
    assert call(client, "get", f"/chat/conversations/{conversation.pk}").status_code == 401


def test_open_returns_the_full_conversation_201_then_200(client, mentor, student, premium):
    premium.add(student.pk)
    r = call(client, "post", "/chat/conversations", {"user": mentor.pk}, user=student)
    assert r.status_code == 201 and r.json()["last_message"] is None
    conversation_id = r.json()["id"]
    services.message_send(user=mentor, conversation_id=conversation_id, body="Selamat datang")
    r = call(client, "post", "/chat/conversations", {"user": mentor.pk}, user=student)
    assert r.status_code == 200 and r.json()["last_message"]["body"] == "Selamat datang"
    assert r.json() == call(client, "get", f"/chat/conversations/{conversation_id}", user=student).json()


def test_group_conversation_opened_and_fetched_with_members_and_last_message(client, make_user):
    ayu, bima, cici = (make_user(full_name=n) for n in ("Ayu", "Bima", "Cici"))
    key = "test-api-group:1"

    def member(user, group_key):
        return True if group_key == key else None

    def opener(user, ref):
        return services.group_conversation_ensure(group_key=key, title="UKM Ekspor", user_ids=[user.pk])

    registry.group_member_register(member)
    registry._group_openers.insert(0, opener)  # before community's (it answers only for its own groups' slugs)
    try:
        group = services.group_conversation_ensure(group_key=key, title="UKM Ekspor", user_ids=[ayu.pk, bima.pk])
        services.message_send(user=bima, conversation_id=group.pk, body="Halo grup")
        r = call(client, "post", "/chat/conversations", {"group": "ukm-ekspor"}, user=cici)
        assert r.status_code == 200, r.content
        body = r.json()
        assert body["kind"] == "group" and body["title"] == "UKM Ekspor"
        assert body["last_message"]["body"] == "Halo grup"
        assert {p["name"] for p in body["participants"]} == {"Ayu", "Bima"}
        # the list keeps a group's (possibly thousands of) members out
        listed = call(client, "get", "/chat/conversations", user=ayu).json()["results"][0]
        assert listed["participants"] == [] and listed["last_message"]["body"] == "Halo grup"
    finally:
        registry._group_members.remove(member)
        registry._group_openers.remove(opener)


def test_blocked_list_and_unblock_from_chat(client, mentor, student):
    conversation, _ = services.conversation_open(user=mentor, other=student)
    username = community.profile_ensure(student).username
    assert call(client, "post", f"/chat/conversations/{conversation.pk}/block", user=mentor).status_code == 200
    r = call(client, "get", "/chat/blocks", user=mentor)
    assert r.status_code == 200
    [row] = r.json()["results"]
    assert row["id"] == student.pk and row["username"] == username and row["blocked_at"]
    assert call(client, "get", "/chat/blocks", user=student).json()["results"] == []  # only one's own blocks
    path = f"/chat/conversations/{conversation.pk}/messages"
    assert call(client, "post", path, {"body": "hai"}, user=mentor).status_code == 403
    r = call(client, "delete", f"/chat/blocks/@{username}", user=mentor)
    assert r.status_code == 200 and r.json() == {"blocked": False}
    assert not Block.objects.exists()
    assert ActivityLog.objects.filter(action="chat.unblocked", actor=mentor).count() == 1
    assert call(client, "post", path, {"body": "hai lagi"}, user=mentor).status_code == 201
    assert call(client, "delete", f"/chat/blocks/{username}", user=mentor).status_code == 200  # a retry: same
    services.user_block(user=mentor, other=student)  # by id as well (people without a community profile)
    assert call(client, "delete", f"/chat/blocks/{student.pk}", user=mentor).status_code == 200
    assert not Block.objects.exists()
    for ref in ("tidak-ada", "999999"):
        assert call(client, "delete", f"/chat/blocks/{ref}", user=mentor).status_code == 404
    assert call(client, "delete", "/chat/blocks/a%00b", user=mentor).status_code in (400, 404)
    assert call(client, "get", "/chat/blocks?before=abc", user=mentor).status_code == 422


def test_block_pages_undo(client, mentor, student):
    conversation, _ = services.conversation_open(user=mentor, other=student)
    client.force_login(mentor)
    client.post(reverse("chat:settings", args=[conversation.pk]), {"action": "block"})
    page = client.get(reverse("chat:conversation", args=[conversation.pk])).content.decode()
    assert 'id="chat-unblock"' in page
    client.post(reverse("chat:settings", args=[conversation.pk]), {"action": "unblock"})
    assert not Block.objects.exists()
    services.user_block(user=mentor, other=student)
    page = client.get(reverse("chat:blocks")).content.decode()
    assert f'data-blocked="{student.pk}"' in page and "Siti Murid" in page
    r = client.post(reverse("chat:blocks"), {"user": str(student.pk)}, follow=True)
    assert "Blokir dibuka" in r.content.decode() and not Block.objects.exists()
    assert client.post(reverse("chat:blocks"), {"user": "x"}, follow=True).status_code == 200


def test_mute_and_unmute_endpoints(client, mentor, student):
    conversation, _ = services.conversation_open(user=mentor, other=student)
    path = f"/chat/conversations/{conversation.pk}/mute"
    assert call(client, "post", path, user=student).json() == {"muted": True}
    assert Participant.objects.get(conversation=conversation, user=student).muted
    services.message_send(user=mentor, conversation_id=conversation.pk, body="hai")
    assert call(client, "get", f"/chat/conversations/{conversation.pk}", user=student).json()["muted"] is True
    assert call(client, "delete", path, user=student).json() == {"muted": False}
    assert not Participant.objects.get(conversation=conversation, user=student).muted
    assert call(client, "post", path, user=mentor).status_code == 200
    assert call(client, "post", "/chat/conversations/999999/mute", user=mentor).status_code == 404
