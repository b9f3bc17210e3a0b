"""Group chat: a group permission (moderators switch it on), a conversation of the group's members, joined and left as
membership changes (join, invitation, leave, ban, expiry of the plan that brought them), over the service, the pages,
the API and the chat's live path."""

import pytest
from django.utils import timezone

from sanggar.access.models import Grant
from sanggar.api.testing import call
from sanggar.chat import services as chat
from sanggar.chat.models import Conversation, Message, Participant
from sanggar.community import services
from sanggar.community.models import GroupMember
from sanggar.core.exceptions import NotAllowed, NotFound
from sanggar.memberships.models import UserMembership

from .world import World


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CHAT_MESSAGE_RATE_LIMIT = settings.CHAT_NEW_ACCOUNT_MESSAGE_RATE_LIMIT = "1000/60"
    return World(make_user, admin_user)


def _active(conversation):
    return set(
        Participant.objects.filter(conversation=conversation, left_at__isnull=True).values_list("user", flat=True)
    )


def test_moderators_switch_group_chat_members_follow_membership(world):
    with pytest.raises(NotAllowed):
        services.group_chat_open(user=world.premium, group=world.public)  # not switched on yet
    with pytest.raises(NotAllowed):
        services.group_chat_set(actor=world.premium, group=world.public, enabled=True)  # not a moderator
    services.group_chat_set(actor=world.admin, group=world.public, enabled=True)
    conversation = Conversation.objects.get(group_key=services.group_chat_key(world.public))
    assert conversation.kind == "group" and conversation.title == "UKM Ekspor"
    assert world.premium.pk in _active(conversation)  # joined the public group before: in from the start
    services.group_join(user=world.free, group=world.public)
    assert world.free.pk in _active(conversation)
    sent = chat.message_send(user=world.free, conversation_id=conversation.pk, body="Halo semua!")
    assert sent.created
    assert Participant.objects.get(conversation=conversation, user=world.premium).unread_count == 1
    services.group_leave(user=world.free, group=world.public)
    assert world.free.pk not in _active(conversation)
    with pytest.raises(NotFound):
        chat.message_send(user=world.free, conversation_id=conversation.pk, body="masih di sini?")
    services.member_ban(actor=world.admin, group=world.public, user=world.premium)
    assert world.premium.pk not in _active(conversation)
    with pytest.raises(NotFound):
        services.group_chat_open(user=world.outsider, group=world.hidden)


def test_plan_member_joins_on_open_and_leaves_when_the_plan_expires(world):
    services.group_chat_set(actor=world.admin, group=world.hidden, enabled=True)
    conversation = services.group_chat_open(user=world.premium, group=world.hidden)
    assert world.premium.pk in _active(conversation)
    chat.message_send(user=world.premium, conversation_id=conversation.pk, body="Ada info buyer Jepang?")
    # the membership ran out (as the expiry sweep leaves it: ended, its grants closed), with no group event at all
    past = timezone.now() - timezone.timedelta(minutes=1)
    UserMembership.objects.filter(pk=world.membership.pk).update(status="expired", ends_at=past, ended_at=past)
    Grant.objects.filter(user=world.premium).update(revoked_at=past)
    with pytest.raises(NotFound):  # access lapsed: the chat refuses and marks them as left
        chat.message_send(user=world.premium, conversation_id=conversation.pk, body="halo?")
    assert world.premium.pk not in _active(conversation)


def test_invitation_brings_member_into_group_chat(world):
    services.group_chat_set(actor=world.admin, group=world.private, enabled=True)
    inv = services.invitation_create(actor=world.admin, group=world.private, invitee=world.outsider)
    services.invitation_respond(user=world.outsider, invitation=inv, accept=True)
    conversation = Conversation.objects.get(group_key=services.group_chat_key(world.private))
    assert world.outsider.pk in _active(conversation)


def test_group_chat_page_and_api(world, client):
    services.group_chat_set(actor=world.admin, group=world.public, enabled=True)
    client.force_login(world.premium)
    r = client.post(f"/komunitas/grup/{world.public.slug}/obrolan")
    conversation = Conversation.objects.get(group_key=services.group_chat_key(world.public))
    assert r.status_code == 302 and r["Location"] == f"/chat/{conversation.pk}"
    page = client.get(f"/chat/{conversation.pk}").content.decode()
    assert "UKM Ekspor" in page and 'value="block"' not in page
    client.force_login(world.outsider)
    assert client.get(f"/chat/{conversation.pk}").status_code == 404
    r = call(client, "post", "/chat/conversations", {"group": world.public.slug}, user=world.free)
    assert r.status_code == 403  # not a member of the group
    services.group_join(user=world.free, group=world.public)
    r = call(client, "post", "/chat/conversations", {"group": world.public.slug}, user=world.free)
    assert r.status_code == 200 and r.json()["kind"] == "group" and r.json()["title"] == "UKM Ekspor"
    assert call(client, "post", "/chat/conversations", {"group": "tidak-ada"}, user=world.free).status_code == 404
    r = call(client, "post", f"/chat/conversations/{conversation.pk}/messages", {"body": "Halo"}, user=world.free)
    assert r.status_code == 201
    inbox = call(client, "get", "/chat/conversations", user=world.premium).json()["results"]
    assert inbox[0]["kind"] == "group" and inbox[0]["unread_count"] == 1 and inbox[0]["participants"] == []


def test_group_moderators_mute_members_in_the_group_chat(world):
    """Community answers chat's moderator question from the group's matrix: the group's owner/moderators (and site
    admins) mute a member; a plain member cannot; keys that are not a group's are not community's to answer."""
    services.group_chat_set(actor=world.admin, group=world.public, enabled=True)
    services.group_join(user=world.free, group=world.public)
    conversation = Conversation.objects.get(group_key=services.group_chat_key(world.public))
    assert services.group_chat_moderator(world.admin, conversation.group_key) is True
    assert services.group_chat_moderator(world.free, conversation.group_key) is False
    assert services.group_chat_moderator(world.free, "other:1") is None
    with pytest.raises(NotAllowed):
        chat.group_chat_mute(actor=world.free, conversation_id=conversation.pk, member_id=world.premium.pk, minutes=5)
    chat.group_chat_mute(actor=world.admin, conversation_id=conversation.pk, member_id=world.free.pk, minutes=5)
    with pytest.raises(NotAllowed):
        chat.message_send(user=world.free, conversation_id=conversation.pk, body="Halo?")


def test_a_member_muted_or_banned_in_the_group_cannot_post_in_its_chat(world, client):
    """`member_mute` (GroupMember.muted_until) silences the member in the group chat too, on the service, the page
    (said in Indonesian above a disabled composer) and the API (403 with the reason); a ban takes them out of it."""
    services.group_chat_set(actor=world.admin, group=world.public, enabled=True)
    services.group_join(user=world.free, group=world.public)
    conversation = Conversation.objects.get(group_key=services.group_chat_key(world.public))
    services.member_mute(actor=world.admin, group=world.public, user=world.free, hours=2)
    with pytest.raises(NotAllowed, match="dibisukan"):
        chat.message_send(user=world.free, conversation_id=conversation.pk, body="Halo?")
    client.force_login(world.free)
    page = client.get(f"/chat/{conversation.pk}").content.decode()
    assert "data-send-restriction" in page and "Anda dibisukan di chat grup ini sampai" in page
    r = client.post(f"/chat/{conversation.pk}/kirim", {"body": "lewat halaman"}, follow=True)
    assert "Anda dibisukan di chat grup ini sampai" in r.content.decode()
    path = f"/chat/conversations/{conversation.pk}/messages"
    r = call(client, "post", path, {"body": "lewat API", "client_id": "m1"}, user=world.free)
    assert r.status_code == 403 and "dibisukan" in r.json()["message"]
    assert not Message.objects.filter(sender=world.free).exists()
    chat.message_send(user=world.premium, conversation_id=conversation.pk, body="yang lain tetap bisa")
    # the mute ends: posting again
    GroupMember.objects.filter(group=world.public, user=world.free).update(
        muted_until=timezone.now() - timezone.timedelta(minutes=1)
    )
    assert "data-send-restriction" not in client.get(f"/chat/{conversation.pk}").content.decode()
    assert call(client, "post", path, {"body": "sudah boleh", "client_id": "m2"}, user=world.free).status_code == 201
    # banned: out of the chat (page and API alike)
    services.member_ban(actor=world.admin, group=world.public, user=world.free)
    assert call(client, "post", path, {"body": "diblokir", "client_id": "m3"}, user=world.free).status_code == 404
    assert client.post(f"/chat/{conversation.pk}/kirim", {"body": "diblokir"}).status_code == 404
    assert Message.objects.filter(sender=world.free).count() == 1
    assert services.group_chat_muted_until(world.free, "lain:1") is None
