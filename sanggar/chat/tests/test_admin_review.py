"""An admin reviews a report: the reported conversation's attachments through signed admin links (each opening
audited, like the reading), actions against the offender (suspend their chat for some days, block them from chat,
lift it: through services, audited, enforced on every send path), admins told in the app when a report comes in."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sanggar.api.testing import bearer, call
from sanggar.audit.models import ActivityLog
from sanggar.chat import policy, services
from sanggar.chat.models import Message, Report, Suspension
from sanggar.core.exceptions import NotAllowed, NotFound, ServiceError
from sanggar.core.roles import Role
from sanggar.notifications.models import Notification

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00"
    b"\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def reported(mentor, student, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CHAT_ATTACHMENT_RATE_LIMIT = "1000/60"
    conversation, _ = services.conversation_open(user=mentor, other=student)
    sent = services.message_send(
        user=mentor,
        conversation_id=conversation.pk,
        body="Lihat ini",
        files=[SimpleUploadedFile("bukti.png", PNG, content_type="image/png")],
    )
    report = services.report_create(
        user=student, conversation_id=conversation.pk, reason="Gambar tidak pantas", message_id=sent.message.pk
    )
    return report, sent.message


def test_admins_are_told_in_the_app_when_a_report_comes_in(reported, admin_user, make_user, student):
    report, _message = reported
    other_admin = make_user(Role.ADMIN, full_name="Admin Dua")
    services.report_create(user=student, conversation_id=report.conversation_id, reason="Lagi")
    rows = Notification.objects.filter(data__template="chat.report_created")
    assert set(rows.values_list("user_id", flat=True)) == {admin_user.pk, other_admin.pk}
    assert rows.filter(user=admin_user).count() == 2  # one per report
    first = rows.filter(user=admin_user).order_by("id").first()
    assert "Siti Murid" in first.title and f"/admin/chat/laporan/{report.pk}" in first.link
    assert first.kind == "chat" and "Gambar" not in first.message  # never the text


def test_admin_opens_attachments_through_audited_signed_links(client, reported, admin_user, student, mentor):
    report, message = reported
    client.force_login(admin_user)
    page = client.get(reverse("chat:admin_report", args=[report.pk])).content.decode()
    attachment = message.attachments.get()
    assert f'data-admin-attachment="{attachment.pk}"' in page and "bukti.png" in page
    token = services.report_attachment_token(report, attachment)
    url = reverse("chat:admin_report_attachment", args=[report.pk, token])
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PNG
    opened = ActivityLog.objects.filter(action="chat.report_attachment_read", actor=admin_user)
    assert opened.count() == 1 and opened.get().data["attachment"] == attachment.pk
    # a deleted message's files stay reviewable for the report
    Message.objects.filter(pk=message.pk).update(deleted_at=timezone.now())
    assert client.get(url).status_code == 200 and opened.count() == 2
    # forged, another report's, non-admins
    assert client.get(reverse("chat:admin_report_attachment", args=[report.pk, "rusak"])).status_code == 404
    other = services.report_create(user=mentor, conversation_id=report.conversation_id, reason="Balik melapor")
    assert client.get(reverse("chat:admin_report_attachment", args=[other.pk, token])).status_code == 404
    with pytest.raises(NotAllowed):
        services.report_attachment_open(admin=student, report=report, token=token)
    client.force_login(student)
    assert client.get(url).status_code in (302, 403, 404)
    # the API gives admin links as well
    detail = call(client, "get", f"/admin/chat/reports/{report.pk}", user=admin_user).json()
    [with_file] = [m for m in detail["messages"] if m["attachments"]]
    api_url = with_file["attachments"][0]["api_url"]
    assert with_file["body"] == "Lihat ini"  # the review sees the deleted message's text
    r = client.get(api_url, headers=bearer(admin_user))
    assert r.status_code == 200 and opened.count() == 3
    assert call(client, "get", f"/admin/chat/reports/{report.pk}", user=student).status_code == 403


def test_suspension_stops_sending_and_starting_until_it_ends_or_is_lifted(mentor, student, admin_user, make_user):
    conversation, _ = services.conversation_open(user=mentor, other=student)
    suspension = services.chat_suspend(admin=admin_user, user=mentor, days=3, reason="Kasar")
    assert suspension.until > timezone.now() + timezone.timedelta(days=2)
    with pytest.raises(NotAllowed, match="ditangguhkan admin sampai"):
        services.message_send(user=mentor, conversation_id=conversation.pk, body="halo")
    with pytest.raises(NotAllowed, match="ditangguhkan"):
        services.conversation_open(user=mentor, other=make_user(full_name="Murid Baru"))
    services.message_send(user=student, conversation_id=conversation.pk, body="saya masih bisa")
    Suspension.objects.filter(pk=suspension.pk).update(until=timezone.now() - timezone.timedelta(minutes=1))
    services.message_send(user=mentor, conversation_id=conversation.pk, body="sudah boleh")
    # blocked from chat: until lifted
    services.chat_suspend(admin=admin_user, user=mentor, days=None)
    assert policy.send_restriction(mentor, conversation) == "Akun Anda diblokir dari chat oleh admin."
    with pytest.raises(NotAllowed, match="diblokir dari chat"):
        services.message_send(user=mentor, conversation_id=conversation.pk, body="halo")
    assert services.chat_suspension_lift(admin=admin_user, user=mentor) == 1
    services.message_send(user=mentor, conversation_id=conversation.pk, body="kembali")
    actions = list(ActivityLog.objects.filter(actor=admin_user).values_list("action", flat=True))
    assert actions.count("chat.suspended") == 2 and actions.count("chat.suspension_lifted") == 1
    # only admins; never an admin; valid days only
    with pytest.raises(NotAllowed):
        services.chat_suspend(admin=student, user=mentor, days=1)
    with pytest.raises(NotAllowed):
        services.chat_suspend(admin=admin_user, user=make_user(Role.ADMIN), days=1)
    with pytest.raises(NotFound):
        services.chat_suspend(admin=admin_user, user=None, days=1)
    for bad in (0, -1, 366, "x", True, 2.5):
        with pytest.raises(ServiceError):
            services.chat_suspend(admin=admin_user, user=mentor, days=bad)
    with pytest.raises(ServiceError):
        services.chat_suspend(admin=admin_user, user=mentor, days=1, reason="a\x00")


def test_report_page_actions_and_every_send_path_refused(client, reported, admin_user, mentor, student):
    report, _message = reported
    client.force_login(admin_user)
    url = reverse("chat:admin_report", args=[report.pk])
    page = client.get(url).content.decode()
    assert f'data-person="{mentor.pk}"' in page and 'value="suspend"' in page
    r = client.post(url, {"action": "suspend", "user": mentor.pk, "days": "7", "reason": "Spam"}, follow=True)
    assert "ditangguhkan sampai" in r.content.decode()
    suspension = Suspension.objects.get(user=mentor, lifted_at__isnull=True)
    assert suspension.report_id == report.pk and suspension.reason == "Spam"
    assert "data-suspended" in client.get(url).content.decode()
    # the offender: page (said above a disabled composer), API 403 with the reason
    client.force_login(mentor)
    page = client.get(reverse("chat:conversation", args=[report.conversation_id])).content.decode()
    assert "data-send-restriction" in page and "ditangguhkan admin" in page
    r = client.post(reverse("chat:send", args=[report.conversation_id]), {"body": "tetap"}, follow=True)
    assert "ditangguhkan admin" in r.content.decode()
    path = f"/chat/conversations/{report.conversation_id}/messages"
    r = call(client, "post", path, {"body": "lewat API", "client_id": "x1"}, user=mentor)
    assert r.status_code == 403 and "ditangguhkan" in r.json()["message"]
    # lift, block from chat, hostile input
    client.force_login(admin_user)
    client.post(url, {"action": "lift", "user": mentor.pk})
    assert not Suspension.objects.filter(user=mentor, lifted_at__isnull=True).exists()
    client.post(url, {"action": "suspend", "user": mentor.pk, "days": "blokir"})
    assert Suspension.objects.get(user=mentor, lifted_at__isnull=True).until is None
    r = client.post(url, {"action": "suspend", "user": mentor.pk, "days": "999"}, follow=True)
    assert "Lama penangguhan 1 sampai 365 hari." in r.content.decode()
    for who in ("x", admin_user.pk):  # not a participant of the reported conversation
        r = client.post(url, {"action": "suspend", "user": who, "days": "1"}, follow=True)
        assert "Pengguna tidak ditemukan di percakapan ini." in r.content.decode()
    client.post(url, {"action": "resolve"})
    assert Report.objects.get(pk=report.pk).status == "resolved"


def test_admin_api_reports_and_suspensions(client, reported, admin_user, mentor, student):
    report, _message = reported
    r = call(client, "get", "/admin/chat/reports", user=admin_user)
    assert r.status_code == 200 and r.json()["results"][0]["id"] == report.pk
    assert call(client, "get", "/admin/chat/reports?status=x", user=admin_user).status_code == 400
    assert call(client, "get", "/admin/chat/reports", user=student).status_code == 403
    detail = call(client, "get", f"/admin/chat/reports/{report.pk}", user=admin_user).json()
    assert detail["report"]["reason"] == "Gambar tidak pantas"
    assert {p["id"] for p in detail["people"]} == {mentor.pk, student.pk}
    assert ActivityLog.objects.filter(action="chat.report_read", actor=admin_user).count() == 1
    r = call(
        client, "post", "/admin/chat/suspensions", {"user": mentor.pk, "days": 2, "report": report.pk}, user=admin_user
    )
    assert r.status_code == 201 and r.json()["until"] and r.json()["report"] == report.pk
    path = f"/chat/conversations/{report.conversation_id}/messages"
    assert call(client, "post", path, {"body": "x"}, user=mentor).status_code == 403
    people = call(client, "get", f"/admin/chat/reports/{report.pk}", user=admin_user).json()["people"]
    assert [p["suspension"]["until"] for p in people if p["id"] == mentor.pk][0]
    r = call(client, "post", "/admin/chat/suspensions", {"user": mentor.pk, "days": None}, user=admin_user)
    assert r.status_code == 201 and r.json()["until"] is None
    assert (
        call(client, "post", "/admin/chat/suspensions", {"user": mentor.pk, "days": 0}, user=admin_user).status_code
        == 400
    )
    assert call(client, "post", "/admin/chat/suspensions", {"user": 999999}, user=admin_user).status_code == 404
    assert call(client, "post", "/admin/chat/suspensions", {"user": mentor.pk}, user=student).status_code == 403
    r = call(client, "delete", f"/admin/chat/suspensions/{mentor.pk}", user=admin_user)
    assert r.json() == {"user": mentor.pk, "lifted": 1}
    assert call(client, "post", path, {"body": "boleh lagi"}, user=mentor).status_code == 201
    r = call(client, "post", f"/admin/chat/reports/{report.pk}/resolve", user=admin_user)
    assert r.status_code == 200 and r.json()["status"] == "resolved"
    assert call(client, "get", "/admin/chat/reports/999999", user=admin_user).status_code == 404
