"""Chat statistics for admins (§4.10): counts per day and per kind, answer rate, reports, blocks; never a text."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.chat import selectors, services
from sanggar.chat.models import Message
from sanggar.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def traffic(mentor, student, make_user):
    conversation, _ = services.conversation_open(user=mentor, other=student)
    services.message_send(user=mentor, conversation_id=conversation.pk, body="Rahasia dagang kopi Gayo")
    services.message_send(user=student, conversation_id=conversation.pk, body="Siap, Pak")
    other = make_user(full_name="Member Diam")
    boss = make_user(Role.ADMIN, full_name="Admin Sapa")
    unanswered, _ = services.conversation_open(user=boss, other=other)
    services.message_send(user=boss, conversation_id=unanswered.pk, body="Halo?")
    old = services.message_send(user=boss, conversation_id=unanswered.pk, body="Pesan lama").message
    Message.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    services.report_create(user=student, conversation_id=conversation.pk, reason="Spam")
    services.user_block(user=other, other=boss)
    return conversation


def test_stats_count_what_happened_in_the_period(traffic, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        stats = selectors.admin_stats(days=30)
    assert stats["messages"] == 3 and stats["active_conversations"] == 2 and stats["new_conversations"] == 2
    assert stats["senders"] == 3 and stats["answer_rate"] == 50
    assert stats["open_reports"] == 1 and stats["new_blocks"] == 1
    mentor_row = next(k for k in stats["by_kind"] if k["kind"] == "mentor")
    assert mentor_row == {"kind": "mentor", "label": "ChatMentor", "active": 1, "messages": 2, "new": 1}
    direct_row = next(k for k in stats["by_kind"] if k["kind"] == "direct")
    assert (direct_row["active"], direct_row["messages"], direct_row["new"]) == (1, 1, 1)
    assert len(stats["series"]) == 30 and stats["series"][-1]["messages"] == 3
    assert selectors.admin_stats(days=90)["messages"] == 4
    empty = selectors.admin_stats(days=7, now=timezone.now() + timedelta(days=60))
    assert empty["messages"] == 0 and empty["answer_rate"] is None


def test_stats_page_admin_only_and_never_shows_text(client, traffic, make_user, django_assert_max_num_queries):
    url = reverse("chat:admin_stats")
    client.force_login(make_user(Role.MENTOR))
    assert client.get(url).status_code == 403
    client.force_login(make_user(Role.ADMIN))
    with django_assert_max_num_queries(30):
        r = client.get(url + "?hari=7")
    body = r.content.decode()
    assert r.status_code == 200 and 'data-stat="messages">3<' in body and "Rahasia" not in body
    assert client.get(url + "?hari=<script>").status_code == 200  # unknown period → 30 days


def test_stats_api(client, traffic, make_user):
    admin = make_user(Role.ADMIN)
    r = call(client, "get", "/admin/chat/stats?days=7", user=admin)
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["messages"] == 3 and data["answer_rate"] == 50 and "Rahasia" not in r.content.decode()
    assert len(data["series"]) == 7 and data["series"][-1]["day"] == timezone.localdate().isoformat()
    r = call(client, "get", "/admin/chat/stats", user=make_user(full_name="Member Biasa"))
    assert r.status_code == 403 and r.json()["message"]
    assert call(client, "get", "/admin/chat/stats?days=99999999999", user=admin).status_code in (400, 422)
    assert call(client, "get", "/admin/chat/stats?days=abc", user=admin).status_code == 422
    assert call(client, "get", "/admin/chat/stats").status_code == 401
