"""Canned replies: only the support team manages them, a ticket's picker offers those of its category and the general
ones with {nama}/{nomor}/{judul}/{agen} filled, on the page and the API; hostile input is refused in Indonesian."""

import json

import pytest

from sanggar.api.testing import call
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.tickets import selectors, services
from sanggar.tickets.models import CannedReply

pytestmark = pytest.mark.django_db


def test_save_validates_and_only_staff(agent, member):
    reply = services.canned_reply_save(actor=agent, title="Salam", body="Halo {nama}, tiket {nomor}.", category="")
    assert reply.pk and reply.created_by == agent
    with pytest.raises(NotAllowed):
        services.canned_reply_save(actor=member, title="x", body="y")
    with pytest.raises(ServiceError) as err:
        services.canned_reply_save(actor=agent, title="", body="y")
    assert "title" in err.value.errors
    with pytest.raises(ServiceError):
        services.canned_reply_save(actor=agent, title="a\x00", body="y")
    with pytest.raises(ServiceError):
        services.canned_reply_save(actor=agent, title="a", body="y", category="rahasia")
    with pytest.raises(NotAllowed):
        services.canned_reply_delete(actor=member, reply=reply)


def test_picker_on_the_ticket_page_fills_shortcodes(client, agent, ticket):
    services.canned_reply_save(actor=agent, title="Umum", body="Halo {nama}, tiket {nomor} ({judul}). Salam, {agen}")
    services.canned_reply_save(actor=agent, title="Soal bayar", body="Dicek.", category="pembayaran")
    services.canned_reply_save(actor=agent, title="Soal akun", body="Reset.", category="akun")
    services.canned_reply_save(actor=agent, title="Lama", body="Tidak dipakai.", active=False)
    assert [c.title for c in selectors.canned_replies(category="pembayaran")] == ["Soal bayar", "Umum"]
    client.force_login(agent)
    html = client.get(f"/support/tiket/{ticket.number}").content.decode()
    start = html.index('id="canned-replies"')
    data = json.loads(html[html.index(">", start) + 1 : html.index("</script>", start)])
    assert [c["title"] for c in data] == ["Soal bayar", "Umum"]
    assert (
        data[1]["body"]
        == f"Halo Budi Santoso, tiket {ticket.number} (Pembayaran belum terkonfirmasi). Salam, Sinta Support"
    )


def test_manage_page(client, agent, member):
    client.force_login(member)
    assert client.get("/support/balasan-cepat").status_code == 403
    client.force_login(agent)
    assert client.get("/support/balasan-cepat").status_code == 200
    bad = client.post("/support/balasan-cepat", {"title": "", "body": "x"})
    assert bad.status_code == 400 and "Wajib diisi" in bad.content.decode()
    assert (
        client.post("/support/balasan-cepat", {"title": "Salam", "body": "Halo {nama}", "active": "on"}).status_code
        == 302
    )
    reply = CannedReply.objects.get()
    assert client.post(f"/support/balasan-cepat/{reply.pk}", {"title": "Salam pembuka", "body": "Halo",
                                                              "category": "akun"}).status_code == 302  # fmt: skip
    reply.refresh_from_db()
    assert (reply.title, reply.category, reply.active) == ("Salam pembuka", "akun", False)
    assert client.post(f"/support/balasan-cepat/{reply.pk}/hapus").status_code == 302
    assert not CannedReply.objects.exists()


def test_api(client, agent, member, ticket):
    created = call(client, "post", "/support/canned-replies", {"title": "Salam", "body": "Halo {nama}"}, user=agent)
    assert created.status_code == 201
    assert call(client, "post", "/support/canned-replies", {"title": "x", "body": "y"}, user=member).status_code == 403
    assert (
        call(client, "post", "/support/canned-replies", {"title": "x" * 81, "body": "y"}, user=agent).status_code == 422
    )
    rendered = call(client, "get", f"/support/canned-replies?ticket={ticket.pk}", user=agent).json()
    assert rendered[0]["body"] == "Halo Budi Santoso"
    assert call(client, "get", "/support/canned-replies", user=agent).json()[0]["body"] == "Halo {nama}"
    assert call(client, "get", "/support/canned-replies?ticket=999999", user=agent).status_code == 404
    assert call(client, "delete", f"/support/canned-replies/{created.json()['id']}", user=agent).status_code == 204
    assert call(client, "delete", "/support/canned-replies/999999", user=agent).status_code == 404
