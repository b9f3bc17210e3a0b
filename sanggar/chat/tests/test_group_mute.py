"""A group's moderator mutes a member in the group chat for a time: sending is refused on the service (which the page,
the API and the websocket all use) until it ends; only moderators mute, never another moderator; audited."""

from datetime import timedelta

import pytest

from sanggar.api.testing import call
from sanggar.audit.models import ActivityLog
from sanggar.chat import registry, services
from sanggar.chat.models import GroupChatMute, Message
from sanggar.core.exceptions import NotAllowed, ServiceError

pytestmark = pytest.mark.django_db

KEY = "test-mute:1"


@pytest.fixture
def people(make_user):
    return {name: make_user(full_name=name) for name in ("Mod", "Ayu", "Bima")}


@pytest.fixture
def group(people):
    mods = {people["Mod"].pk}

    def member(user, key):
        return None if key != KEY else True

    def moderator(user, key):
        return None if key != KEY else user.pk in mods

    registry.group_member_register(member)
    registry.group_moderator_register(moderator)
    yield services.group_conversation_ensure(group_key=KEY, title="UKM", user_ids=[u.pk for u in people.values()])
    registry._group_members.remove(member)
    registry._group_moderators.remove(moderator)


def test_mute_blocks_sending_until_it_ends(people, group):
    mod, ayu, bima = people["Mod"], people["Ayu"], people["Bima"]
    mute = services.group_chat_mute(actor=mod, conversation_id=group.pk, member_id=ayu.pk, minutes=60, reason="spam")
    assert mute.reason == "spam"
    with pytest.raises(NotAllowed, match="dibisukan"):
        services.message_send(user=ayu, conversation_id=group.pk, body="halo")
    services.message_send(user=bima, conversation_id=group.pk, body="halo")  # others still talk
    GroupChatMute.objects.filter(pk=mute.pk).update(until=mute.until - timedelta(hours=2))  # time is up
    services.message_send(user=ayu, conversation_id=group.pk, body="sudah boleh")
    assert Message.objects.filter(sender=ayu).count() == 1
    actions = set(ActivityLog.objects.values_list("action", flat=True))
    assert "chat.member_muted" in actions
    assert services.group_chat_unmute(actor=mod, conversation_id=group.pk, member_id=ayu.pk) is True
    assert "chat.member_unmuted" in set(ActivityLog.objects.values_list("action", flat=True))


def test_only_moderators_and_valid_minutes(people, group, settings):
    mod, ayu, bima = people["Mod"], people["Ayu"], people["Bima"]
    with pytest.raises(NotAllowed):
        services.group_chat_mute(actor=ayu, conversation_id=group.pk, member_id=bima.pk, minutes=10)
    with pytest.raises(NotAllowed):  # a moderator is not muted
        services.group_chat_mute(actor=mod, conversation_id=group.pk, member_id=mod.pk, minutes=10)
    for bad in (0, -5, "x", None, True, settings.CHAT_MUTE_MAX_MINUTES + 1):
        with pytest.raises(ServiceError):
            services.group_chat_mute(actor=mod, conversation_id=group.pk, member_id=ayu.pk, minutes=bad)
    with pytest.raises(ServiceError):
        services.group_chat_mute(actor=mod, conversation_id=group.pk, member_id=ayu.pk, minutes=5, reason="a\x00")


def test_page_and_api(client, people, group):
    mod, ayu = people["Mod"], people["Ayu"]
    client.force_login(mod)
    page = client.get(f"/chat/{group.pk}").content.decode()
    assert 'id="member-mute"' in page
    # every member is offered, also those who have not written yet; never the moderator themself
    assert f'<option value="{ayu.pk}">' in page and f'<option value="{people["Bima"].pk}">' in page
    assert f'<option value="{mod.pk}">' not in page
    r = client.post(f"/chat/{group.pk}/pengaturan", {"action": "mute_member", "member": ayu.pk, "minutes": "15"})
    assert r.status_code == 302 and GroupChatMute.objects.filter(user=ayu).exists()
    client.force_login(ayu)
    assert 'id="member-mute"' not in client.get(f"/chat/{group.pk}").content.decode()
    client.post(f"/chat/{group.pk}/kirim", {"body": "tetap kirim"})
    assert not Message.objects.filter(sender=ayu).exists()
    api = call(client, "post", f"/chat/conversations/{group.pk}/messages", {"body": "x", "client_id": "1"}, user=ayu)
    assert api.status_code == 403
    path = f"/chat/conversations/{group.pk}/members/{mod.pk}/mute"
    assert call(client, "post", path, {"minutes": 5}, user=ayu).status_code == 403
    path = f"/chat/conversations/{group.pk}/members/{ayu.pk}/mute"
    assert call(client, "post", path, {"minutes": "lima"}, user=mod).status_code == 422
    assert call(client, "delete", path, user=mod).json() == {"member": ayu.pk, "until": None}
    assert call(client, "post", path, {"minutes": 30}, user=mod).json()["until"]
