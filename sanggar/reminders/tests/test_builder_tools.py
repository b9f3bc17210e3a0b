"""The builder's tools: duplicate a sequence (switched off, steps copied, audited), send a step to oneself as a test
(not in the log), and the log per sequence (paginated, filtered by status, bounded queries, admins only)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.access.tests.factories import make_plan
from sanggar.audit.models import ActivityLog
from sanggar.memberships.models import UserMembership
from sanggar.notifications.models import Delivery, Notification
from sanggar.reminders import services
from sanggar.reminders.models import ReminderSend, ReminderSequence

pytestmark = pytest.mark.django_db


@pytest.fixture
def sequence(admin_user):
    seq = services.sequence_save(
        actor=admin_user, name="Perpanjangan", trigger="membership_expiring", days=7, stop_on="renewed"
    )
    for delay in (0, 96):
        services.step_save(
            actor=admin_user,
            sequence=seq,
            delay_hours=delay,
            channels=["email"],
            subject="Sisa hari {days_left}, {name}",
            body="Paket {plan} berakhir {ends_at}.",
        )
    return seq


def test_duplicate_copies_steps_switched_off(admin_client, sequence):
    response = admin_client.post(f"/admin/pengingat/{sequence.pk}/duplikat")
    copy = ReminderSequence.objects.exclude(pk=sequence.pk).get()
    assert response.status_code == 302 and response.url == f"/admin/pengingat/{copy.pk}"
    assert copy.name == "Perpanjangan (salinan)" and not copy.is_active
    assert (copy.trigger, copy.days, copy.stop_on) == ("membership_expiring", 7, "renewed")
    assert list(copy.steps.values_list("delay_hours", "subject")) == list(
        sequence.steps.values_list("delay_hours", "subject")
    )
    assert ActivityLog.objects.filter(action="reminders.sequence_duplicated").count() == 1
    assert admin_client.get(f"/admin/pengingat/{sequence.pk}/duplikat").status_code == 405


def test_test_send_goes_to_the_admin_only_and_not_into_the_log(admin_client, admin_user, sequence):
    step = sequence.steps.first()
    response = admin_client.post(f"/admin/pengingat/{sequence.pk}/langkah/{step.pk}/uji")
    assert response.status_code == 302
    note = Notification.objects.get()
    assert note.user == admin_user
    assert note.title == f"[Uji coba] Sisa hari 7, {admin_user.full_name}"
    assert "Gold Tahunan" in note.message  # sample values for what the admin does not have
    assert Delivery.objects.filter(notification=note, channel="email").count() == 1
    assert not ReminderSend.objects.exists()
    other = services.sequence_save(actor=admin_user, name="Lain", trigger="order_paid")
    assert admin_client.post(f"/admin/pengingat/{other.pk}/langkah/{step.pk}/uji").status_code == 404


def test_log_lists_sends_with_channels(admin_client, make_user, sequence, django_assert_max_num_queries, client):
    now = timezone.now()
    plan = make_plan("gold")
    for i in range(6):
        user = make_user(full_name=f"Member {i}")
        UserMembership.objects.create(
            user=user, plan=plan, duration="1m", status="active", starts_at=now - timedelta(days=20),
            ends_at=now + timedelta(days=6),
        )  # fmt: skip
    assert services.reminders_send_due(now=now) == 6
    with django_assert_max_num_queries(14):
        page = admin_client.get(f"/admin/pengingat/{sequence.pk}/log").content.decode()
    assert page.count("Member ") >= 6 and "Email" in page
    assert "Member 0" in admin_client.get(f"/admin/pengingat/{sequence.pk}/log?status=sent").content.decode()
    assert "Member 0" not in admin_client.get(f"/admin/pengingat/{sequence.pk}/log?status=skipped").content.decode()
    assert admin_client.get(f"/admin/pengingat/{sequence.pk}/log?status=x&page=abc").status_code == 200
    assert admin_client.get(f"/admin/pengingat/{sequence.pk}/log?status=x%00").status_code == 400  # NUL: refused
    member = make_user()
    client.force_login(member)
    assert client.get(f"/admin/pengingat/{sequence.pk}/log").status_code in (403, 404)
    assert client.post(f"/admin/pengingat/{sequence.pk}/duplikat").status_code in (403, 404)


def test_api_duplicate_test_and_log(client, admin_user, sequence, make_user):
    from sanggar.api.testing import call

    copy = call(client, "post", f"/admin/reminders/{sequence.pk}/duplicate", user=admin_user)
    assert copy.status_code == 201 and copy.json()["is_active"] is False and len(copy.json()["steps"]) == 2
    step = sequence.steps.first()
    tested = call(client, "post", f"/admin/reminders/{sequence.pk}/steps/{step.pk}/test", user=admin_user)
    assert tested.status_code == 200 and Notification.objects.get(pk=tested.json()["notification"]).user == admin_user
    log = call(client, "get", f"/admin/reminders/{sequence.pk}/log", user=admin_user)
    assert log.status_code == 200 and log.json()["count"] == 0
    assert (
        call(client, "get", f"/admin/reminders/{sequence.pk}/log", {"status": "x"}, user=admin_user).status_code == 422
    )
    assert call(client, "get", f"/admin/reminders/{sequence.pk}/log", user=make_user()).status_code == 403
