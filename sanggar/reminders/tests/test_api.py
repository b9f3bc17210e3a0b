"""The admin API of reminders and broadcasts: admins only, validation as 4xx with reasons, a broadcast's preview,
sending in the background exactly once per member, and its report."""

import pytest

from sanggar.api.testing import call
from sanggar.reminders.models import BroadcastRecipient

pytestmark = pytest.mark.django_db


def test_sequences_admin_only_and_validated(client, admin_user, member_user):
    assert call(client, "get", "/admin/reminders", user=member_user).status_code == 403
    assert call(client, "get", "/admin/reminders").status_code == 401
    body = {"name": "Sambutan member baru", "trigger": "membership_started", "stop_on": "none"}
    r = call(client, "post", "/admin/reminders", body, user=admin_user)
    assert r.status_code == 201, r.content
    sid = r.json()["id"]
    step = {"delay_hours": 24, "channels": ["email"], "subject": "Halo {name}", "body": "Mulai dari kelas pertama."}
    assert call(client, "post", f"/admin/reminders/{sid}/steps", step, user=admin_user).status_code == 201
    detail = call(client, "get", f"/admin/reminders/{sid}", user=admin_user).json()
    assert detail["steps"][0]["delay_hours"] == 24 and detail["stats"]["recipients"] == 0
    r = call(client, "put", f"/admin/reminders/{sid}", {**body, "is_active": False}, user=admin_user)
    assert r.status_code == 200 and r.json()["is_active"] is False
    assert call(client, "post", "/admin/reminders", {**body, "trigger": "entah"}, user=admin_user).status_code == 400
    assert call(client, "post", "/admin/reminders", {**body, "name": "a\x00b"}, user=admin_user).status_code in (
        400,
        422,
    )
    assert call(client, "post", "/admin/reminders", {**body, "days": "tiga"}, user=admin_user).status_code == 422
    assert call(client, "get", "/admin/reminders/999999", user=admin_user).status_code == 404
    assert call(client, "get", "/admin/reminders", user=admin_user).json()["count"] == 1


def test_broadcast_preview_send_once_and_report(client, admin_user, make_user, django_capture_on_commit_callbacks):
    for i in range(3):
        make_user(email=f"penerima{i}@uji.test")
    body = {
        "title": "Info webinar",
        "subject": "Webinar Sabtu",
        "body": "Halo {name}, sampai jumpa!",
        "channels": ["email"],
    }
    r = call(client, "post", "/admin/broadcasts", body, user=admin_user)
    assert r.status_code == 201 and r.json()["status"] == "draft"
    bid = r.json()["id"]
    audience = call(client, "get", f"/admin/broadcasts/{bid}/preview", user=admin_user).json()["audience"]
    assert audience >= 4  # the three and the admin
    bad = call(client, "post", "/admin/broadcasts", {**body, "segment_plan": "tidak-ada"}, user=admin_user)
    assert bad.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        r = call(client, "post", f"/admin/broadcasts/{bid}/send", user=admin_user)
    assert r.status_code == 200
    detail = call(client, "get", f"/admin/broadcasts/{bid}", user=admin_user).json()
    assert detail["status"] == "sent" and detail["processed"] == audience
    assert BroadcastRecipient.objects.filter(broadcast_id=bid).count() == audience
    again = call(client, "post", f"/admin/broadcasts/{bid}/send", user=admin_user, headers={"Idempotency-Key": "x2"})
    assert again.status_code == 400  # already sent: never twice
    assert call(client, "put", f"/admin/broadcasts/{bid}", body, user=admin_user).status_code == 400
