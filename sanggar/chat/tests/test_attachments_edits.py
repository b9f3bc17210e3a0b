"""Attachments (images and PDFs checked by content, private, signed links for participants only) and editing /
deleting one's own messages within the time windows ("diedit", "pesan dihapus"): services, page and API."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from sanggar.api.testing import bearer, call
from sanggar.chat import services
from sanggar.chat.models import Attachment, Message
from sanggar.core.exceptions import NotAllowed, NotFound, ServiceError

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CHAT_ATTACHMENT_RATE_LIMIT = "1000/60"


def png():
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buf, "PNG")
    return SimpleUploadedFile("foto.png", buf.getvalue(), content_type="image/png")


@pytest.fixture
def conv(mentor, student):
    conversation, _created = services.conversation_open(user=mentor, other=student)
    return conversation


def test_image_and_pdf_attachments_checked_by_content(conv, mentor, settings):
    sent = services.message_send(
        user=mentor, conversation_id=conv.pk, body="", files=[png(), SimpleUploadedFile("invoice.pdf", PDF)]
    )
    kinds = sorted(a.kind for a in sent.message.attachments.all())
    assert kinds == ["image", "pdf"] and sent.message.body == "📎"
    assert all(a.file.name.startswith("private/chat/") for a in sent.message.attachments.all())
    for bad in (
        SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>"),
        SimpleUploadedFile("x.exe", b"MZ...."),
        SimpleUploadedFile("x.png", b"GIF89a....."),
    ):
        with pytest.raises(ServiceError):
            services.message_send(user=mentor, conversation_id=conv.pk, body="lihat", files=[bad])
    settings.CHAT_ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ServiceError, match="maksimal"):
        services.message_send(user=mentor, conversation_id=conv.pk, body="besar", files=[png()])
    assert Attachment.objects.count() == 2


def test_signed_link_only_for_participants(conv, mentor, student, make_user, client):
    sent = services.message_send(user=mentor, conversation_id=conv.pk, body="faktur", files=[png()])
    token = services.attachment_token(sent.message.attachments.get(), conv.pk)
    client.force_login(student)
    r = client.get(f"/chat/lampiran/{token}")
    assert r.status_code == 200 and r["Cache-Control"] == "private, no-store"
    client.force_login(make_user(full_name="Orang Luar"))
    assert client.get(f"/chat/lampiran/{token}").status_code == 404
    assert client.get(f"/chat/lampiran/{token}x").status_code == 404
    with pytest.raises(NotFound):
        services.attachment_open(user=student, token=token[:-2] + "zz")


def test_expired_link_refused(conv, mentor, student, settings):
    sent = services.message_send(user=mentor, conversation_id=conv.pk, body="faktur", files=[png()])
    token = services.attachment_token(sent.message.attachments.get(), conv.pk)
    settings.CHAT_ATTACHMENT_LINK_TTL_SECONDS = -1
    with pytest.raises(NotAllowed, match="kedaluwarsa"):
        services.attachment_open(user=student, token=token)


def test_edit_and_delete_own_message_within_window(conv, mentor, student, settings):
    msg = services.message_send(user=mentor, conversation_id=conv.pk, body="Halo Siti").message
    with pytest.raises(NotFound):
        services.message_edit(user=student, message_id=msg.pk, body="diubah orang lain")
    edited = services.message_edit(user=mentor, message_id=msg.pk, body="Halo Siti, apa kabar?")
    assert edited.edited_at is not None and services.message_payload(edited)["edited_at"]
    with pytest.raises(ServiceError):
        services.message_edit(user=mentor, message_id=msg.pk, body="a\x00b")
    Message.objects.filter(pk=msg.pk).update(created_at=timezone.now() - timezone.timedelta(hours=2))
    with pytest.raises(ServiceError, match="menit"):
        services.message_edit(user=mentor, message_id=msg.pk, body="terlambat")
    with pytest.raises(ServiceError, match="menit"):
        services.message_delete(user=mentor, message_id=msg.pk)
    fresh = services.message_send(user=mentor, conversation_id=conv.pk, body="salah kirim", files=[png()]).message
    deleted = services.message_delete(user=mentor, message_id=fresh.pk)
    payload = services.message_payload(deleted)
    assert payload["deleted"] and payload["body"] == "" and payload["attachments"] == []
    token = services.attachment_token(fresh.attachments.get(), conv.pk)
    with pytest.raises(NotFound):  # a deleted message's files are no longer served
        services.attachment_open(user=student, token=token)


def test_page_shows_edited_and_deleted(conv, mentor, client):
    a = services.message_send(user=mentor, conversation_id=conv.pk, body="Pesan pertama").message
    b = services.message_send(user=mentor, conversation_id=conv.pk, body="Pesan rahasia").message
    client.force_login(mentor)
    assert client.post(f"/chat/pesan/{a.pk}/ubah", {"body": "Pesan pertama (revisi)"}).status_code == 302
    assert client.post(f"/chat/pesan/{b.pk}/hapus").status_code == 302
    page = client.get(f"/chat/{conv.pk}").content.decode()
    assert "diedit" in page and "pesan dihapus" in page and "Pesan rahasia" not in page
    assert client.post(f"/chat/pesan/{a.pk}/lain").status_code == 404


def test_api_attachment_edit_delete(conv, mentor, student, client):
    r = client.post(
        f"/api/v1/chat/conversations/{conv.pk}/attachments",
        {"file": SimpleUploadedFile("katalog.pdf", PDF), "body": "Katalog", "client_id": "c-1"},
        headers=bearer(mentor),
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["attachments"][0]["kind"] == "pdf"
    api_url = body["attachments"][0]["api_url"]
    assert client.get(api_url, headers=bearer(student)).status_code == 200
    r = call(client, "patch", f"/chat/messages/{body['id']}", {"body": "Katalog terbaru"}, user=mentor)
    assert r.status_code == 200 and r.json()["edited_at"]
    assert call(client, "patch", f"/chat/messages/{body['id']}", {"body": 5}, user=mentor).status_code == 422
    assert call(client, "delete", f"/chat/messages/{body['id']}", user=student).status_code == 404
    r = call(client, "delete", f"/chat/messages/{body['id']}", user=mentor)
    assert r.status_code == 200 and r.json()["deleted"] is True
    listed = call(client, "get", f"/chat/conversations/{conv.pk}/messages", user=student).json()["results"]
    assert listed[0]["deleted"] is True and listed[0]["body"] == ""


def test_a_suspended_sender_may_not_edit_but_may_still_delete(conv, mentor, student, admin_user, client):
    first = services.message_send(user=mentor, conversation_id=conv.pk, body="Pesan kasar").message
    second = services.message_send(user=mentor, conversation_id=conv.pk, body="Pesan lain").message
    services.chat_suspend(admin=admin_user, user=mentor, days=2, reason="Kasar")
    with pytest.raises(NotAllowed, match="ditangguhkan admin sampai"):
        services.message_edit(user=mentor, message_id=first.pk, body="Pesan baru lewat ubah")
    first.refresh_from_db()
    assert first.body == "Pesan kasar" and first.edited_at is None
    # the API refuses with the reason; the page says it and hides the edit form, keeping "Hapus pesan"
    r = call(client, "patch", f"/chat/messages/{first.pk}", {"body": "lewat API"}, user=mentor)
    assert r.status_code == 403 and "ditangguhkan" in r.json()["message"]
    client.force_login(mentor)
    response = client.post(f"/chat/pesan/{first.pk}/ubah", {"body": "lewat halaman"}, follow=True)
    page = response.content.decode()
    assert "ditangguhkan admin sampai" in page and "Ubah pesan" not in page and "Hapus pesan" in page
    first.refresh_from_db()
    assert first.body == "Pesan kasar"
    # deleting adds nothing and keeps the text for the admins' review
    deleted = services.message_delete(user=mentor, message_id=second.pk)
    assert deleted.deleted_at is not None and Message.objects.get(pk=second.pk).body == "Pesan lain"
    services.chat_suspension_lift(admin=admin_user, user=mentor)
    assert services.message_edit(user=mentor, message_id=first.pk, body="Maaf, saya ralat").edited_at
