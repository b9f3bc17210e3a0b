import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanggar.api.testing import call
from sanggar.tickets import services
from sanggar.tickets.models import Ticket, TicketAttachment

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_member_opens_with_attachment_agent_replies_member_rates(member, agent):
    client = _client(member)
    response = client.post(
        reverse("tickets:create"),
        {"category": "teknis", "subject": "Video kelas tidak jalan", "body": "Layar hitam.",
         "attachments": [SimpleUploadedFile("layar.png", PNG)]},
    )  # fmt: skip
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    staff = _client(agent)
    queue = staff.get(reverse("tickets:staff_queue"))
    assert ticket.number in queue.content.decode()
    staff.post(reverse("tickets:staff_detail", args=[ticket.number]), {"action": "claim"})
    staff.post(reverse("tickets:staff_detail", args=[ticket.number]), {"action": "note", "body": "Cek CDN"})
    staff.post(
        reverse("tickets:staff_detail", args=[ticket.number]), {"action": "reply", "body": "Sudah kami perbaiki."}
    )
    staff.post(
        reverse("tickets:staff_detail", args=[ticket.number]),
        {"action": "update", "status": "resolved", "priority": "high"},
    )
    page = client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert "Sudah kami perbaiki." in page and "Cek CDN" not in page
    client.post(reverse("tickets:detail", args=[ticket.number]), {"action": "rate", "rating": "5", "comment": "Mantap"})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.rating) == ("resolved", "high", 5)
    attachment = TicketAttachment.objects.get()
    assert client.get(reverse("tickets:attachment", args=[attachment.pk])).status_code == 200
    assert staff.get(reverse("tickets:attachment", args=[attachment.pk])).status_code == 200


def test_someone_elses_ticket_is_404(ticket, make_user, agent, other_agent):
    stranger = _client(make_user())
    assert stranger.get(reverse("tickets:detail", args=[ticket.number])).status_code == 404
    assert stranger.get(reverse("tickets:staff_queue")).status_code in (302, 403)
    services.ticket_claim(ticket=ticket, agent=agent)
    assert _client(other_agent).get(reverse("tickets:staff_detail", args=[ticket.number])).status_code == 404
    attachment_less = _client(make_user()).get(reverse("tickets:attachment", args=[999]))
    assert attachment_less.status_code == 404


def test_nul_in_form_is_refused(member):
    response = _client(member).post(reverse("tickets:create"), {"category": "akun", "subject": "a\x00", "body": "b"})
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_lists_have_fixed_queries(member, agent, admin_user, django_assert_max_num_queries, settings):
    settings.TICKET_CREATE_RATE_LIMIT = "100/3600"
    services.ticket_open(user=member, category="akun", subject="Tiket awal", body="isi")
    member_client, agent_client = _client(member), _client(agent)
    few = (
        _count(member_client, reverse("tickets:list")),
        _count(agent_client, reverse("tickets:staff_queue") + "?view=all"),
    )
    for number in range(12):
        services.ticket_open(user=member, category="akun", subject=f"Tiket {number}", body="isi")
    many = (
        _count(member_client, reverse("tickets:list")),
        _count(agent_client, reverse("tickets:staff_queue") + "?view=all"),
    )
    assert many == few  # no query per row
    with django_assert_max_num_queries(30):
        assert _client(member).get(reverse("tickets:list")).status_code == 200
    with django_assert_max_num_queries(30):
        assert _client(agent).get(reverse("tickets:staff_queue") + "?view=all").status_code == 200
    with django_assert_max_num_queries(30):
        assert _client(admin_user).get(reverse("tickets:staff_report")).status_code == 200
    with django_assert_max_num_queries(15):
        assert call(Client(), "get", "/tickets", user=member).status_code == 200


def test_api_contract(member, agent, make_user):
    client = Client()
    created = call(
        client,
        "post",
        "/tickets",
        {"category": "pembayaran", "subject": "Belum lunas", "body": "Tolong cek"},
        user=member,
    )
    assert created.status_code == 201
    ticket_id = created.json()["id"]
    assert created.json()["number"].startswith("TKT-")
    listed = call(client, "get", "/tickets", user=member).json()
    assert listed["count"] == 1
    stranger = make_user()
    assert call(client, "get", f"/tickets/{ticket_id}", user=stranger).status_code == 404
    assert call(client, "post", f"/tickets/{ticket_id}/replies", {"body": "hai"}, user=stranger).status_code == 404
    assert call(client, "get", "/support/tickets", user=member).status_code == 403
    queue = call(client, "get", "/support/tickets", user=agent).json()
    assert queue["count"] == 1
    assert call(client, "post", f"/support/tickets/{ticket_id}/claim", user=agent).status_code == 200
    note = call(
        client, "post", f"/support/tickets/{ticket_id}/replies", {"body": "catatan", "internal": True}, user=agent
    )
    assert note.json()["kind"] == "note"
    reply = call(client, "post", f"/tickets/{ticket_id}/replies", {"body": "Terima kasih"}, user=agent)
    assert reply.status_code == 201 and reply.json()["kind"] == "staff"
    detail = call(client, "get", f"/tickets/{ticket_id}", user=member).json()
    assert [r["kind"] for r in detail["replies"]] == ["member", "system", "staff"]
    updated = call(
        client, "post", f"/support/tickets/{ticket_id}", {"status": "resolved", "priority": "urgent"}, user=agent
    )
    assert updated.json()["status"] == "resolved"
    assert (
        call(client, "post", "/tickets", {"category": "x", "subject": "a", "body": "b"}, user=member).status_code == 422
    )
    assert (
        call(
            client, "post", "/tickets", {"category": "akun", "subject": "a\u0000", "body": "b"}, user=member
        ).status_code
        == 400
    )
    assert (
        call(
            client,
            "post",
            "/tickets",
            {"category": "akun", "subject": "a", "body": "b", "order": "INV999"},
            user=member,
        ).status_code
        == 404
    )
