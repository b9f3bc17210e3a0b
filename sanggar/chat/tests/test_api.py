import pytest

from sanggar.api.testing import call
from sanggar.chat import services
from sanggar.chat.models import Message, Report

pytestmark = pytest.mark.django_db


def test_open_list_send_read_flow(client, mentor, student, premium):
    premium.add(student.pk)
    r = call(client, "post", "/chat/conversations", {"user": mentor.email}, user=student)
    assert r.status_code == 201, r.content
    conv = r.json()
    assert conv["kind"] == "mentor" and conv["participants"][0]["name"] == "Andi Mentor"
    r = call(client, "post", "/chat/conversations", {"user": student.pk}, user=mentor)
    assert r.status_code == 200 and r.json()["id"] == conv["id"]

    path = f"/chat/conversations/{conv['id']}/messages"
    r = call(client, "post", path, {"body": "Halo Pak Andi", "client_id": "abc"}, user=student)
    assert r.status_code == 201 and r.json()["body"] == "Halo Pak Andi"
    r = call(client, "post", path, {"body": "Halo Pak Andi", "client_id": "abc"}, user=student)
    assert r.status_code == 200 and Message.objects.count() == 1

    r = call(client, "get", "/chat/conversations", user=mentor)
    row = r.json()["results"][0]
    assert row["unread_count"] == 1 and row["last_message"]["body"] == "Halo Pak Andi"
    assert call(client, "post", f"/chat/conversations/{conv['id']}/read", user=mentor).status_code == 200
    assert call(client, "get", "/chat/conversations", user=mentor).json()["results"][0]["unread_count"] == 0
    r = call(client, "get", path, user=student)
    assert r.json()["last_read_by_others"] == r.json()["results"][0]["id"]


def test_refusals_are_4xx_with_reasons(client, mentor, student, make_user):
    r = call(client, "post", "/chat/conversations", {"user": mentor.pk}, user=student)
    assert r.status_code == 403 and "premium" in r.json()["message"]
    r = call(client, "post", "/chat/conversations", {"user": 999999}, user=student)
    assert r.status_code == 404
    r = call(client, "post", "/chat/conversations", {"group": "ekspor"}, user=student)
    assert r.status_code == 404  # no such group (group chats: sanggar/community/tests/test_group_chat.py)
    assert call(client, "get", "/chat/conversations").status_code == 401
    conversation, _ = services.conversation_open(user=mentor, other=student)
    stranger = make_user(full_name="Penyusup")
    path = f"/chat/conversations/{conversation.pk}/messages"
    assert call(client, "get", path, user=stranger).status_code == 404
    assert call(client, "post", path, {"body": "hai"}, user=stranger).status_code == 404


@pytest.mark.parametrize(
    "payload,status",
    [
        ({"body": "a\x00b"}, 400),
        ({"body": "x" * 5000}, 400),
        ({"body": 12}, 422),
        ({"body": ["a"]}, 422),
        ({"body": "ok", "client_id": "c" * 65}, 422),
        ({"body": "ok", "extra": 1}, 422),
        ({}, 400),  # body is optional since stickers (a sticker alone); empty is refused by the service
    ],
)
def test_hostile_message_input(client, mentor, student, payload, status):
    conversation, _ = services.conversation_open(user=mentor, other=student)
    r = call(client, "post", f"/chat/conversations/{conversation.pk}/messages", payload, user=mentor)
    assert r.status_code == status, r.content
    assert r.json()["message"]
    assert not Message.objects.exists()


def test_hostile_open_input(client, student):
    for payload in ({"user": "a\x00@b.c"}, {"user": ["x"]}, {"user": True}, {"user": {"a": 1}}):
        r = call(client, "post", "/chat/conversations", payload, user=student)
        assert 400 <= r.status_code < 500, (payload, r.status_code)
    r = call(client, "post", "/chat/conversations", raw="{" * 5000, user=student)
    assert r.status_code == 400


def test_message_rate_limit_is_429(client, mentor, student, settings):
    settings.CHAT_NEW_ACCOUNT_MESSAGE_RATE_LIMIT = "1/60"
    conversation, _ = services.conversation_open(user=mentor, other=student)
    path = f"/chat/conversations/{conversation.pk}/messages"
    assert call(client, "post", path, {"body": "1"}, user=student).status_code == 201
    r = call(client, "post", path, {"body": "2"}, user=student)
    assert r.status_code == 429 and r.headers["Retry-After"]


def test_mute_archive_block_report(client, mentor, student):
    conversation, _ = services.conversation_open(user=mentor, other=student)
    base = f"/chat/conversations/{conversation.pk}"
    assert call(client, "post", base + "/settings", {"muted": True, "archived": True}, user=student).status_code == 200
    assert call(client, "get", "/chat/conversations", user=student).json()["results"] == []
    r = call(client, "post", base + "/report", {"reason": "Spam"}, user=student)
    assert r.status_code == 201 and Report.objects.count() == 1
    assert call(client, "post", base + "/block", user=student).status_code == 200
    r = call(client, "post", base + "/messages", {"body": "halo"}, user=mentor)
    assert r.status_code == 403


def test_lists_stay_within_query_budget(client, make_user, django_assert_max_num_queries):
    admin = make_user("admin", full_name="Admin Chat")
    for n in range(8):
        other = make_user(full_name=f"Member {n}")
        conversation, _ = services.conversation_open(user=admin, other=other)
        for k in range(3):
            services.message_send(user=other, conversation_id=conversation.pk, body=f"Pesan {k}")
    headers_user = admin
    with django_assert_max_num_queries(8):
        r = call(client, "get", "/chat/conversations", user=headers_user)
    assert len(r.json()["results"]) == 8
    with django_assert_max_num_queries(8):
        r = call(client, "get", f"/chat/conversations/{conversation.pk}/messages", user=headers_user)
    assert len(r.json()["results"]) == 3


def test_cursor_pagination(client, mentor, student, settings):
    settings.CHAT_PAGE_SIZE = 2
    conversation, _ = services.conversation_open(user=mentor, other=student)
    ids = [
        services.message_send(user=mentor, conversation_id=conversation.pk, body=str(n)).message.pk for n in range(5)
    ]
    path = f"/chat/conversations/{conversation.pk}/messages"
    seen, before = [], None
    while True:
        r = call(client, "get", path, {"before": before} if before else None, user=student).json()
        seen += [m["id"] for m in r["results"]]
        before = r["next_before"]
        if not before:
            break
    assert seen == sorted(ids, reverse=True)
    assert call(client, "get", path, {"before": "abc"}, user=student).status_code == 422


def test_presence_only_for_contacts(client, mentor, student, make_user):
    from sanggar.chat import realtime

    services.conversation_open(user=mentor, other=student)
    stranger = make_user(full_name="Orang Asing")
    realtime.presence_touch(student.pk)
    realtime.presence_touch(stranger.pk)
    r = call(client, "get", "/chat/presence", {"users": f"{student.pk},{stranger.pk}"}, user=mentor)
    assert r.status_code == 200
    assert r.json()["results"] == [
        {"id": student.pk, "name": "Siti Murid", "online": True, "last_seen": r.json()["results"][0]["last_seen"]}
    ]
    for bad in ("a,b", "1," * 101, "\x00"):
        assert call(client, "get", "/chat/presence", {"users": bad}, user=mentor).status_code in (400, 422)


def test_deactivated_people_leave_the_inbox_history_stays(client, mentor, student):
    conversation, _ = services.conversation_open(user=mentor, other=student)
    services.message_send(user=student, conversation_id=conversation.pk, body="Terima kasih, Pak")
    assert len(call(client, "get", "/chat/conversations", user=mentor).json()["results"]) == 1
    type(student).objects.filter(pk=student.pk).update(is_active=False)
    assert call(client, "get", "/chat/conversations", user=mentor).json()["results"] == []
    r = call(client, "get", f"/chat/conversations/{conversation.pk}/messages", user=mentor)
    assert [m["body"] for m in r.json()["results"]] == ["Terima kasih, Pak"]
