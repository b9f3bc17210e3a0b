"""Broadcasts: the segments by province, expiring within N days and last activity; scheduling (the minute sweep starts
it, an admin can take it back to draft); an interrupted send resumes and every member gets exactly one message."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from sanggar.access.tests.factories import make_plan
from sanggar.api.testing import call
from sanggar.core.exceptions import ServiceError
from sanggar.memberships.models import UserMembership
from sanggar.notifications.models import Notification
from sanggar.reminders import services
from sanggar.reminders.constants import BroadcastStatus
from sanggar.reminders.models import Broadcast, BroadcastRecipient

pytestmark = pytest.mark.django_db


def _draft(admin_user, **segment):
    return services.broadcast_save(
        actor=admin_user, title="Info", subject="Halo {name}", body="Isi", channels=["email"], **segment
    )


def _member(make_user, *, province="", ends_in=None, last_login_days=None):
    user = make_user(province=province)
    now = timezone.now()
    if last_login_days is not None:
        type(user).objects.filter(pk=user.pk).update(
            last_login=now - timedelta(days=last_login_days), date_joined=now - timedelta(days=400)
        )
    if ends_in is not None:
        UserMembership.objects.create(
            user=user, plan=make_plan(f"p{user.pk}"), duration="1m", status="active",
            starts_at=now - timedelta(days=20), ends_at=now + timedelta(days=ends_in),
        )  # fmt: skip
    return user


def test_segments_province_expiring_and_inactive(admin_user, make_user):
    bali = _member(make_user, province="Bali", ends_in=5, last_login_days=1)
    bali_late = _member(make_user, province="Bali", ends_in=40, last_login_days=60)
    jatim = _member(make_user, province="Jawa Timur", ends_in=3, last_login_days=45)
    assert set(services.segment_users(broadcast=_draft(admin_user, segment_province="Bali"))) == {bali, bali_late}
    assert set(services.segment_users(broadcast=_draft(admin_user, segment_expiring_days=7))) == {bali, jatim}
    inactive = set(services.segment_users(broadcast=_draft(admin_user, segment_inactive_days=30)))
    assert {bali_late, jatim} <= inactive and bali not in inactive
    both = _draft(admin_user, segment_province="Bali", segment_expiring_days=7)
    assert list(services.segment_users(broadcast=both)) == [bali]
    for bad in ({"segment_province": "Atlantis"}, {"segment_expiring_days": -1}, {"segment_inactive_days": "x"}):
        with pytest.raises(ServiceError):
            _draft(admin_user, **bad)


def test_schedule_then_the_minute_sweep_sends(admin_user, make_user, django_capture_on_commit_callbacks):
    members = [make_user() for _ in range(3)]
    b = _draft(admin_user)
    with pytest.raises(ServiceError):
        services.broadcast_start(actor=admin_user, broadcast=b, send_at=timezone.now() - timedelta(minutes=1))
    send_at = timezone.now() + timedelta(hours=2)
    services.broadcast_start(actor=admin_user, broadcast=b, send_at=send_at)
    b.refresh_from_db()
    assert b.status == BroadcastStatus.SCHEDULED and b.send_at == send_at
    with pytest.raises(ServiceError):
        services.broadcast_save(actor=admin_user, broadcast=b, title="x", subject="x", body="x", channels=[])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.broadcasts_start_due(now=timezone.now()) == 0  # not yet
    assert not BroadcastRecipient.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.broadcasts_start_due(now=send_at + timedelta(seconds=30)) == 1
    b.refresh_from_db()
    assert b.status == BroadcastStatus.SENT
    for user in members:
        assert Notification.objects.filter(user=user, title=f"Halo {user.full_name}").count() == 1


def test_unschedule_back_to_draft(admin_client, admin_user):
    b = _draft(admin_user)
    when = timezone.localtime(timezone.now() + timedelta(days=30)).replace(hour=9, minute=30)
    response = admin_client.post(
        f"/admin/broadcast/{b.pk}/kirim", {"schedule": "1", "send_at": when.strftime("%Y-%m-%dT%H:%M")}, follow=True
    )
    assert "Broadcast dijadwalkan." in response.content.decode()
    b.refresh_from_db()
    assert b.status == BroadcastStatus.SCHEDULED
    assert timezone.localtime(b.send_at).strftime("%Y-%m-%d %H:%M") == when.strftime("%Y-%m-%d %H:%M")
    page = admin_client.get(f"/admin/broadcast/{b.pk}").content.decode()
    assert "Terjadwal" in page and "Batalkan Jadwal" in page
    admin_client.post(f"/admin/broadcast/{b.pk}/kirim", {"unschedule": "1"})
    b.refresh_from_db()
    assert b.status == BroadcastStatus.DRAFT and b.send_at is None
    bad = admin_client.post(f"/admin/broadcast/{b.pk}/kirim", {"schedule": "1", "send_at": "kemarin"}, follow=True)
    assert "Waktu kirim tidak valid." in bad.content.decode()
    b.refresh_from_db()
    assert b.status == BroadcastStatus.DRAFT


def test_interrupted_send_resumes_and_nobody_gets_two(
    admin_user, make_user, settings, django_capture_on_commit_callbacks
):
    settings.REMINDERS_BROADCAST_BATCH_SIZE = 4
    members = [make_user() for _ in range(11)]
    b = _draft(admin_user)
    # the worker dies before running the task
    with (
        mock.patch("sanggar.reminders.tasks.broadcast_send_task.delay"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.broadcast_start(actor=admin_user, broadcast=b)
    assert services.broadcast_send_batch(broadcast_id=b.pk) == 4  # one batch went out, then the restart
    with django_capture_on_commit_callbacks(execute=True):
        services.broadcasts_start_due()  # the minute sweep hands it to a worker again
        services.broadcasts_start_due()  # and again (twice queued: still once each)
    b.refresh_from_db()
    assert b.status == BroadcastStatus.SENT
    for user in [*members, admin_user]:
        assert BroadcastRecipient.objects.filter(broadcast=b, user=user).count() == 1
        assert Notification.objects.filter(user=user, title__startswith="Halo").count() == 1


def test_api_segments_schedule_and_unschedule(client, admin_user):
    created = call(
        client,
        "post",
        "/admin/broadcasts",
        {"title": "Info", "subject": "Halo", "body": "Isi", "segment_province": "Bali", "segment_expiring_days": 7},
        user=admin_user,
    )
    assert created.status_code == 201
    body = created.json()
    assert body["segment_province"] == "Bali" and body["segment_expiring_days"] == 7 and body["status"] == "draft"
    when = (timezone.now() + timedelta(days=30)).replace(microsecond=0)
    url = f"/admin/broadcasts/{body['id']}/send"
    too_far = call(client, "post", url, {"send_at": (when + timedelta(days=400)).isoformat()}, user=admin_user)
    assert too_far.status_code == 400
    scheduled = call(client, "post", url, {"send_at": when.isoformat()}, user=admin_user)
    assert scheduled.status_code == 200 and scheduled.json()["status"] == "scheduled"
    assert Broadcast.objects.get(pk=body["id"]).send_at == when
    back = call(client, "post", f"/admin/broadcasts/{body['id']}/unschedule", user=admin_user)
    assert back.status_code == 200 and back.json()["status"] == "draft"
    assert call(client, "post", f"/admin/broadcasts/{body['id']}/unschedule", user=admin_user).status_code == 400
    past = call(
        client, "post", f"/admin/broadcasts/{body['id']}/send", {"send_at": "2000-01-01T00:00:00Z"}, user=admin_user
    )
    assert past.status_code == 400
    assert Broadcast.objects.get(pk=body["id"]).status == BroadcastStatus.DRAFT
