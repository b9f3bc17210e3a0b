from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sanggar.access.tests.factories import make_order, make_plan
from sanggar.audit.models import ActivityLog
from sanggar.core.exceptions import ServiceError
from sanggar.memberships.models import UserMembership
from sanggar.notifications.models import Delivery, Notification
from sanggar.reminders import services
from sanggar.reminders.constants import BroadcastStatus, SendStatus
from sanggar.reminders.models import Broadcast, BroadcastRecipient, ReminderSend, ReminderSequence


def join(user, plan, *, ends_at, status="active"):
    return UserMembership.objects.create(
        user=user, plan=plan, duration="1m", status=status, starts_at=ends_at - timedelta(days=30), ends_at=ends_at
    )


@pytest.fixture
def plan(db):
    return make_plan("gold")


@pytest.fixture
def expiry(admin_user):
    """The 7/3/1-day expiry sequence: expiring in 7 days, steps at +0, +96 h (3 days left), +144 h (1 day left)."""
    seq = services.sequence_save(
        actor=admin_user, name="Perpanjangan", trigger="membership_expiring", days=7, stop_on="renewed"
    )
    for delay, label in ((0, "7"), (96, "3"), (144, "1")):
        services.step_save(
            actor=admin_user,
            sequence=seq,
            delay_hours=delay,
            channels=["email"],
            subject=f"Sisa {label} hari, {{name}}",
            body="Paket {plan} berakhir {ends_at}.",
        )
    return seq


def test_due_step_selection_with_fake_clock(expiry, make_user, plan):
    now = timezone.now()
    user = make_user(full_name="Maya Lestari")
    join(user, plan, ends_at=now + timedelta(days=7, hours=-1))  # 7-day step due, 3-day and 1-day not yet
    join(make_user(), plan, ends_at=now + timedelta(days=20))  # nothing due
    assert services.reminders_send_due(now=now) == 1
    send = ReminderSend.objects.get()
    assert send.step.delay_hours == 0 and send.user == user
    assert Notification.objects.get(user=user).title == "Sisa 7 hari, Maya Lestari"
    assert Delivery.objects.filter(user=user, channel="email").count() == 1
    # four days later the 3-day step is due
    assert services.reminders_send_due(now=now + timedelta(days=4)) == 1
    assert sorted(ReminderSend.objects.values_list("step__delay_hours", flat=True)) == [0, 96]


def test_rerun_never_duplicates(expiry, make_user, plan):
    now = timezone.now()
    join(make_user(), plan, ends_at=now + timedelta(days=6))
    assert services.reminders_send_due(now=now) == 1
    assert services.reminders_send_due(now=now) == 0
    assert services.reminders_send_due(now=now + timedelta(minutes=10)) == 0
    assert ReminderSend.objects.count() == 1 and Notification.objects.count() == 1


def test_stop_condition_renewed_and_renewal_rearms(expiry, make_user, plan):
    now = timezone.now()
    user = make_user()
    m = join(user, plan, ends_at=now + timedelta(days=6, hours=23))
    assert services.reminders_send_due(now=now) == 1
    m.ends_at = now + timedelta(days=60)  # renewed
    m.save()
    assert services.reminders_send_due(now=now + timedelta(days=4)) == 0
    assert ReminderSend.objects.count() == 1


def test_order_pending_stops_when_paid(admin_user, make_user):
    seq = services.sequence_save(actor=admin_user, name="Bayar", trigger="order_pending", stop_on="paid")
    services.step_save(
        actor=admin_user, sequence=seq, delay_hours=1, channels=[], subject="Selesaikan {invoice}", body="Total {total}"
    )
    user = make_user()
    order = make_order(user, list_price=150_000, status="pending")
    later = timezone.now() + timedelta(hours=2)
    assert services.reminders_send_due(now=later) == 1
    assert Notification.objects.get(user=user).title == f"Selesaikan {order.invoice_number}"
    order2 = make_order(user, list_price=10_000, status="pending")
    order2.status = "paid"
    order2.save()
    assert services.reminders_send_due(now=later) == 0


def test_quiet_hours(expiry, make_user, plan):
    expiry.quiet_start, expiry.quiet_end = time(21, 0), time(8, 0)
    expiry.save()
    night = timezone.localtime(timezone.now()).replace(hour=23, minute=0)
    morning = night + timedelta(hours=9, minutes=30)  # 08:30
    join(make_user(), plan, ends_at=night + timedelta(days=6))
    assert services.in_quiet_hours(expiry, night) and not services.in_quiet_hours(expiry, morning)
    assert services.reminders_send_due(now=night) == 0
    assert services.reminders_send_due(now=morning) == 1


def test_new_sequence_skips_history(expiry, make_user, plan):
    now = timezone.now()
    join(make_user(), plan, ends_at=now - timedelta(days=10), status="expired")
    seq = services.sequence_save(actor=expiry and None, name="Berakhir", trigger="membership_expired")
    services.step_save(actor=None, sequence=seq, delay_hours=0, channels=[], subject="a", body="b")
    assert services.reminders_send_due(now=now) == 0


def test_opt_out_respected(expiry, make_user, plan):
    now = timezone.now()
    user = make_user(notification_prefs={"system": {"email": False}})
    join(user, plan, ends_at=now + timedelta(days=6))
    assert services.reminders_send_due(now=now) == 0
    assert ReminderSend.objects.get().status == SendStatus.SKIPPED
    assert not Notification.objects.filter(user=user).exists()


def test_hostile_input(admin_user):
    with pytest.raises(ServiceError):
        services.sequence_save(actor=admin_user, name="a\x00b", trigger="order_paid")
    with pytest.raises(ServiceError):
        services.sequence_save(actor=admin_user, name="x", trigger="bogus")
    with pytest.raises(ServiceError):
        services.sequence_save(actor=admin_user, name="x", trigger="membership_expiring", days=0)
    seq = services.sequence_save(actor=admin_user, name="x", trigger="order_paid")
    with pytest.raises(ServiceError):
        services.step_save(actor=admin_user, sequence=seq, delay_hours="abc", channels=[], subject="a", body="b")
    with pytest.raises(ServiceError):
        services.step_save(actor=admin_user, sequence=seq, delay_hours=1, channels=["sms"], subject="a", body="b")
    with pytest.raises(ServiceError):
        services.broadcast_save(actor=admin_user, title="t", subject="s\x00", body="b", channels=[])


def test_segment_selection_and_broadcast_batches(
    admin_user, make_user, plan, settings, django_capture_on_commit_callbacks
):
    settings.REMINDERS_BROADCAST_BATCH_SIZE = 2
    now = timezone.now()
    actives = [make_user() for _ in range(3)]
    for u in actives:
        join(u, plan, ends_at=now + timedelta(days=30))
    lapsed = make_user()
    join(lapsed, plan, ends_at=now - timedelta(days=3), status="expired")
    opted_out = make_user(notification_prefs={"system": {"email": False}})
    join(opted_out, plan, ends_at=now + timedelta(days=30))
    mentor = make_user("mentor")
    b = services.broadcast_save(
        actor=admin_user, title="Promo", subject="Halo {name}", body="Isi", channels=["email"], segment_status="active"
    )
    assert set(services.segment_users(broadcast=b)) == {*actives, opted_out}
    b2 = services.broadcast_save(
        actor=admin_user,
        broadcast=b,
        title="Promo",
        subject="Halo {name}",
        body="Isi",
        channels=["email"],
        segment_status="expired",
    )
    assert list(services.segment_users(broadcast=b2)) == [lapsed]
    b3 = Broadcast.objects.create(title="m", subject="s", body="b", segment_role="mentor")
    assert list(services.segment_users(broadcast=b3)) == [mentor]
    b = services.broadcast_save(
        actor=admin_user,
        broadcast=b,
        title="Promo",
        subject="Halo {name}",
        body="Isi",
        channels=["email"],
        segment_plan=plan,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.broadcast_start(actor=admin_user, broadcast=b)  # eager task: all batches
    b.refresh_from_db()
    assert b.status == BroadcastStatus.SENT
    assert BroadcastRecipient.objects.filter(broadcast=b, status="sent").count() == 3
    assert BroadcastRecipient.objects.get(broadcast=b, user=opted_out).status == SendStatus.SKIPPED
    assert (
        Delivery.objects.filter(
            channel="email", notification__in=BroadcastRecipient.objects.values("notification")
        ).count()
        == 3
    )
    # a broadcast is marketing: every email carries the signed unsubscribe link (notifications' suppression list)
    broadcast_emails = Delivery.objects.filter(
        channel="email", notification__in=BroadcastRecipient.objects.values("notification")
    )
    assert all(d.marketing and "/berhenti-langganan/" in d.body for d in broadcast_emails)
    assert services.broadcast_send_all(broadcast_id=b.pk) == 0  # rerun: nothing more
    with pytest.raises(ServiceError):
        services.broadcast_start(actor=admin_user, broadcast=b)
    stats = services.broadcast_stats(broadcast=b)
    assert stats["recipients"] == 3 and stats["opted_out"] == 1
    assert ActivityLog.objects.filter(action="reminders.broadcast_sent").exists()


URLS = ["reminders:sequences", "reminders:sequence_create", "reminders:broadcasts", "reminders:broadcast_create"]


@pytest.mark.parametrize("name", URLS)
def test_admin_only(client, member_client, name):
    assert client.get(reverse(name)).status_code in (302, 403)
    assert member_client.get(reverse(name)).status_code in (403, 404)


def test_pages_create_edit_preview(admin_client, admin_user, django_capture_on_commit_callbacks):
    r = admin_client.post(
        reverse("reminders:sequence_create"),
        {
            "name": "Berakhir 7 hari",
            "trigger": "membership_expiring",
            "days": "7",
            "stop_on": "renewed",
            "is_active": "on",
        },
    )
    seq = ReminderSequence.objects.get()
    assert r.status_code == 302
    url = reverse("reminders:step_create", args=[seq.pk])
    data = {
        "delay_amount": "0",
        "delay_unit": "hours",
        "channels": ["email"],
        "subject": "Halo {name}",
        "body": "Paket {plan}",
    }
    r = admin_client.post(url, {**data, "preview": "1"})
    assert "Halo Maya Lestari" in r.content.decode() and not seq.steps.exists()
    assert admin_client.post(url, data).status_code == 302
    page = admin_client.get(reverse("reminders:sequence_edit", args=[seq.pk])).content.decode()
    assert "Gold Tahunan" in page and "Statistik" in page
    r = admin_client.post(
        reverse("reminders:sequence_create"), {"name": "a\x00", "trigger": "order_paid", "stop_on": "none"}
    )
    assert r.status_code in (200, 400) and ReminderSequence.objects.count() == 1  # the input guard refuses NUL
    r = admin_client.post(
        reverse("reminders:broadcast_create"),
        {"title": "Info", "subject": "Hai {name}", "body": "Kelas baru", "channels": ["email"]},
    )
    b = Broadcast.objects.get()
    page = admin_client.get(reverse("reminders:broadcast_edit", args=[b.pk])).content.decode()
    assert "Hai Maya Lestari" in page
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("reminders:broadcast_send", args=[b.pk]))
    b.refresh_from_db()
    assert b.status == BroadcastStatus.SENT and b.recipients.count() >= 1


def test_list_query_budget(admin_client, admin_user, django_assert_max_num_queries):
    for i in range(30):
        services.sequence_save(actor=admin_user, name=f"Urutan {i}", trigger="order_paid")
        Broadcast.objects.create(title=f"B {i}", subject="s", body="b")
    with django_assert_max_num_queries(15):
        assert admin_client.get(reverse("reminders:sequences")).status_code == 200
    with django_assert_max_num_queries(15):
        assert admin_client.get(reverse("reminders:broadcasts")).status_code == 200


def test_runs_with_a_small_limit_go_on_past_those_already_sent(expiry, make_user, plan, settings):
    """The per-run limit counts members still to send to: each run goes on past the ones sent before (the limit
    used to take the same first N every run, so the rest were never sent)."""
    settings.REMINDERS_MAX_PER_RUN = 3
    now = timezone.now()
    users = [make_user() for _ in range(8)]
    for user in users:
        join(user, plan, ends_at=now + timedelta(days=6))
    assert [services.reminders_send_due(now=now + timedelta(minutes=i)) for i in range(4)] == [3, 3, 2, 0]
    assert sorted(ReminderSend.objects.values_list("user_id", flat=True)) == sorted(u.pk for u in users)
    assert Notification.objects.filter(user__in=users).count() == 8


def test_conversions_of_paid_orders_are_marked_in_one_sweep(admin_user, make_user):
    seq = services.sequence_save(actor=admin_user, name="Bayar", trigger="order_pending", stop_on="paid")
    services.step_save(
        actor=admin_user, sequence=seq, delay_hours=1, channels=[], subject="Selesaikan {invoice}", body="Total {total}"
    )
    orders = [make_order(make_user(), list_price=150_000, status="pending") for _ in range(4)]
    assert services.reminders_send_due(now=timezone.now() + timedelta(hours=2)) == 4
    for order in orders[:3]:
        order.status = "paid"
        order.save()
    assert services.reminders_conversions_sweep() == 3
    converted = set(ReminderSend.objects.filter(converted_at__isnull=False).values_list("object_key", flat=True))
    assert converted == {f"o:{o.pk}" for o in orders[:3]}
