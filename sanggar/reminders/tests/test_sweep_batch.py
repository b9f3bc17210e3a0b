"""The sweep in batches (queries per batch bounded, whatever its size), the providers' pace for reminder WhatsApp and
push sends (fake clock: over the rate waits for the next minute, never dropped; the WhatsApp night rule), and the
membershipUsage / userActive conditions (Q-51), read in bulk for a batch."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanggar.access.tests.factories import make_order, make_plan
from sanggar.api.testing import call
from sanggar.community import services as community_services
from sanggar.community.models import Post
from sanggar.core.exceptions import ServiceError
from sanggar.learning.models import Lesson, LessonProgress
from sanggar.learning.tests.world import build_course
from sanggar.memberships.models import UserMembership
from sanggar.notifications.models import Delivery
from sanggar.reminders import engine, services, throttle
from sanggar.reminders.constants import SendStatus
from sanggar.reminders.forms import SequenceForm
from sanggar.reminders.models import ChannelThrottle, ReminderSend, ReminderSequence
from sanggar.reminders.tests.conftest import two_sweeps_at_once

WIB = ZoneInfo("Asia/Jakarta")


def at(day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=WIB)


def expired_sequence(admin, *, channels=("in_app", "email"), **fields):
    sequence = services.sequence_save(actor=admin, name="Uji batch", trigger="after_expiry", **fields)
    services.step_save(
        actor=admin,
        sequence=sequence,
        delay_amount=0,
        delay_unit="hours",
        channels=list(channels),
        subject="Halo {name}",
        body="Paket {plan_name} berakhir {expiry_date}. {renewal_link}",
    )
    return sequence


def expired_members(make_user, plan, n, *, ends_at, **fields):
    users = []
    for _i in range(n):
        user = make_user(**fields)
        UserMembership.objects.create(
            user=user,
            plan=plan,
            duration="1m",
            status="expired",
            starts_at=ends_at - timedelta(days=30),
            ends_at=ends_at,
        )
        users.append(user)
    return users


@pytest.fixture
def plan(db):
    return make_plan("gold", title="Gold Tahunan")


# --- batches ---------------------------------------------------------------------------------------------------


def _sweep_queries(now) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        sent = services.reminders_send_due(now=now)
    return sent, len(ctx.captured_queries)


def test_queries_per_batch_do_not_grow_with_the_batch(admin_user, make_user, plan, settings):
    """A batch of 3 and a batch of 15 take the same queries: candidates, log, stop actions, conditions, the log
    rows, notifications and deliveries are each read or written once per batch."""
    settings.REMINDERS_SEND_BATCH_SIZE = 50
    expired_sequence(admin_user, stop_on="renewed", conditions=["not_renewed", "no_group", "usage_low"])
    expired_members(make_user, plan, 1, ends_at=at(6, 9))
    assert services.reminders_send_due(now=at(6, 10)) == 1  # warm (cached role rules, settings rows)
    expired_members(make_user, plan, 3, ends_at=at(7, 9))
    sent_small, small = _sweep_queries(at(7, 10))
    expired_members(make_user, plan, 15, ends_at=at(8, 9))
    sent_big, big = _sweep_queries(at(8, 10))
    assert (sent_small, sent_big) == (3, 15)
    assert big == small, (small, big)
    assert small <= 30
    assert ReminderSend.objects.filter(status=SendStatus.SENT).count() == 19
    assert Delivery.objects.filter(channel="email").count() == 19
    assert services.reminders_send_due(now=at(8, 10)) == 0  # at most once per member and step


def test_batches_split_by_size_and_each_is_bounded(admin_user, make_user, plan, settings):
    settings.REMINDERS_SEND_BATCH_SIZE = 4
    expired_sequence(admin_user)
    expired_members(make_user, plan, 4, ends_at=at(7, 9))
    _sent, one_batch = _sweep_queries(at(7, 10))
    expired_members(make_user, plan, 12, ends_at=at(8, 9))
    sent, three_batches = _sweep_queries(at(8, 10))
    assert sent == 12
    per_batch = (three_batches - one_batch) / 2
    assert per_batch <= 12, (one_batch, three_batches)


def test_a_broken_batch_is_sent_one_by_one_and_the_broken_member_logged_failed(
    admin_user, make_user, plan, monkeypatch
):
    expired_sequence(admin_user)
    users = expired_members(make_user, plan, 3, ends_at=at(7, 9))
    real = services.send_context

    def flaky(candidate, **kwargs):
        if candidate.user == users[1]:
            raise RuntimeError("rusak")
        return real(candidate, **kwargs)

    monkeypatch.setattr(services, "send_context", flaky)
    assert services.reminders_send_due(now=at(7, 10)) == 2
    assert ReminderSend.objects.get(user=users[1]).status == SendStatus.FAILED
    assert ReminderSend.objects.filter(status=SendStatus.SENT).count() == 2


def test_stop_on_action_is_read_for_the_batch(admin_user, make_user, plan):
    expired_sequence(admin_user, stop_on="renewed")
    users = expired_members(make_user, plan, 3, ends_at=at(7, 9))
    UserMembership.objects.create(
        user=users[0], plan=plan, duration="1m", status="active", starts_at=at(7, 9, 30), ends_at=at(30)
    )
    assert services.reminders_send_due(now=at(7, 10)) == 2
    assert not ReminderSend.objects.filter(user=users[0]).exists()


# --- the providers' pace ---------------------------------------------------------------------------------------


@pytest.fixture
def fonnte(monkeypatch, settings):
    """WhatsApp through Fonnte (2 a minute) and push through OneSignal (3 a minute), without sending anything out."""
    monkeypatch.setattr(throttle, "provider_name", lambda channel: {"whatsapp": "fonnte", "push": "onesignal"}[channel])
    settings.REMINDERS_FONNTE_PER_MINUTE = 2
    settings.REMINDERS_ONESIGNAL_PER_MINUTE = 3
    return settings


def test_whatsapp_over_the_rate_waits_for_the_next_minute(admin_user, make_user, plan, fonnte):
    expired_sequence(admin_user, channels=("in_app", "whatsapp"))
    users = expired_members(make_user, plan, 5, ends_at=at(7, 9), whatsapp="6281200000001")
    clock = at(7, 10)
    assert services.reminders_send_due(now=clock) == 2
    assert services.reminders_send_due(now=clock + timedelta(seconds=30)) == 0  # the same minute: budget spent
    assert ChannelThrottle.objects.get(channel="whatsapp:fonnte").used == 2
    assert services.reminders_send_due(now=clock + timedelta(minutes=1)) == 2
    assert services.reminders_send_due(now=clock + timedelta(minutes=2)) == 1
    assert services.reminders_send_due(now=clock + timedelta(minutes=3)) == 0
    assert Delivery.objects.filter(channel="whatsapp").count() == 5  # nothing dropped, nobody twice
    assert set(ReminderSend.objects.values_list("user_id", flat=True)) == {u.pk for u in users}


def test_members_without_the_paced_channel_are_not_held_back(admin_user, make_user, plan, fonnte):
    expired_sequence(admin_user, channels=("in_app", "whatsapp"))
    expired_members(make_user, plan, 3, ends_at=at(7, 9), whatsapp="6281200000001")
    expired_members(make_user, plan, 3, ends_at=at(7, 9), whatsapp="")  # no number: no WhatsApp to pace
    assert services.reminders_send_due(now=at(7, 10)) == 5


def test_push_is_paced_per_provider_and_shared_with_broadcasts(admin_user, make_user, plan, fonnte):
    expired_sequence(admin_user, channels=("in_app", "push"))
    expired_members(make_user, plan, 4, ends_at=at(7, 9))
    clock = at(7, 10)
    throttle.reserve({"push": 2}, clock)  # a broadcast took two of this minute's three
    assert services.reminders_send_due(now=clock) == 1
    assert services.reminders_send_due(now=clock + timedelta(minutes=1)) == 3
    assert Delivery.objects.filter(channel="push").count() == 4


def test_unused_budget_goes_back(admin_user, make_user, plan, fonnte):
    expired_sequence(admin_user, channels=("in_app", "whatsapp"), conditions=["no_purchase"])
    expired_members(make_user, plan, 1, ends_at=at(7, 9), whatsapp="6281200000001")
    services.reminders_send_due(now=at(7, 10))
    assert ChannelThrottle.objects.get(channel="whatsapp:fonnte").used == 1


def test_a_paced_whatsapp_waits_for_the_morning_not_the_night(admin_user, make_user, plan, fonnte, whatsapp_night):
    expired_sequence(admin_user, channels=("in_app", "whatsapp"))
    expired_members(make_user, plan, 3, ends_at=at(7, 20, 58), whatsapp="6281200000001")
    assert services.reminders_send_due(now=at(7, 20, 59)) == 2
    assert services.reminders_send_due(now=at(7, 21, 5)) == 0  # 21:05 WIB: held until 08:00
    assert services.reminders_send_due(now=at(8, 7, 59)) == 0
    assert services.reminders_send_due(now=at(8, 8, 0)) == 1
    assert Delivery.objects.filter(channel="whatsapp").count() == 3


def test_a_step_set_for_the_night_still_goes_at_night(admin_user, make_user, plan, fonnte, whatsapp_night):
    expired_sequence(admin_user, channels=("in_app", "whatsapp"))
    expired_members(make_user, plan, 1, ends_at=at(7, 22), whatsapp="6281200000001")
    assert services.reminders_send_due(now=at(7, 22, 1)) == 1


# --- membership usage and activity (the spec's membershipUsage and userActive) ---------------------------------


@pytest.fixture
def usage(settings):
    settings.REMINDERS_USAGE_DAYS = 30
    settings.REMINDERS_USAGE_LOW_LESSONS = 2
    settings.REMINDERS_USAGE_LOW_DAYS = 2
    settings.REMINDERS_USAGE_HIGH_LESSONS = 3
    settings.REMINDERS_USAGE_HIGH_DAYS = 5
    settings.REMINDERS_INACTIVE_DAYS = 7
    return settings


def _complete(user, lessons, *, when):
    for i, lesson in enumerate(lessons):
        LessonProgress.objects.create(
            user=user, lesson=lesson, course=lesson.module.course, completed_at=when - timedelta(days=i)
        )


def test_usage_levels_count_the_plans_courses_and_active_days(admin_user, make_user, plan, usage):
    inside = build_course(admin_user, "Kelas Paket", modules=1, lessons=3, quiz=False)
    outside = build_course(admin_user, "Kelas Lain", modules=1, lessons=3, quiz=False)
    plan.included_resources.add(inside.resource)
    now = at(20)
    low, medium, high, elsewhere, old = (make_user() for _ in range(5))
    _complete(medium, Lesson.objects.filter(module__course=inside)[:2], when=now - timedelta(days=1))
    _complete(high, Lesson.objects.filter(module__course=inside), when=now - timedelta(days=1))
    _complete(elsewhere, Lesson.objects.filter(module__course=outside), when=now - timedelta(days=1))
    _complete(old, Lesson.objects.filter(module__course=inside), when=now - timedelta(days=40))
    with CaptureQueriesContext(connection) as ctx:
        found = engine.usage_of([(u, plan.pk) for u in (low, medium, high, elsewhere, old)], now=now)
    assert len(ctx.captured_queries) == 4  # lessons, posts, comments, the plans' courses: the whole batch
    levels = {u: found[(u.pk, plan.pk)] for u in (low, medium, high, elsewhere, old)}
    assert levels[low].level == "LOW"
    assert (levels[medium].level, levels[medium].lessons) == ("MEDIUM", 2)
    assert (levels[high].level, levels[high].lessons) == ("HIGH", 3)
    # lessons of a course outside the plan do not count, but the three days of study make them active
    assert (levels[elsewhere].lessons, levels[elsewhere].active_days, levels[elsewhere].level) == (0, 3, "MEDIUM")
    assert levels[old].level == "LOW"  # older than the window


def test_usage_counts_sign_ins_and_community_activity_as_active_days(admin_user, make_user, usage):
    now = at(20)
    user = make_user(last_login=now - timedelta(days=2))
    group = community_services.group_create(actor=admin_user, data={"name": "Eksportir"})
    for days in (3, 4, 5, 6):
        post = Post.objects.create(group=group, author=user, body="Halo", status="published")
        Post.objects.filter(pk=post.pk).update(created_at=now - timedelta(days=days))
    found = engine.usage_of([(user, None)], now=now)[(user.pk, None)]
    assert (found.active_days, found.level) == (5, "HIGH")


def test_usage_low_condition_sends_only_to_low_usage_members(admin_user, make_user, plan, usage):
    course = build_course(admin_user, "Kelas Paket", modules=1, lessons=3, quiz=False)
    plan.included_resources.add(course.resource)
    expired_sequence(admin_user, conditions=["usage_low"])
    low, high = expired_members(make_user, plan, 2, ends_at=at(7, 9))
    _complete(high, Lesson.objects.filter(module__course=course), when=at(6))
    assert services.reminders_send_due(now=at(7, 10)) == 1
    assert ReminderSend.objects.get(user=low).status == SendStatus.SENT
    assert ReminderSend.objects.get(user=high).status == SendStatus.CONDITION


def test_no_activity_condition_is_the_specs_user_active_false(admin_user, make_user, plan, usage):
    expired_sequence(admin_user, conditions=["no_activity"])
    idle, active = expired_members(make_user, plan, 2, ends_at=at(7, 9))
    type(active).objects.filter(pk=active.pk).update(last_login=at(5))
    assert services.reminders_send_due(now=at(7, 10)) == 1
    assert ReminderSend.objects.get(user=idle).status == SendStatus.SENT
    assert ReminderSend.objects.get(user=active).status == SendStatus.CONDITION


def test_all_six_spec_conditions_are_offered_and_one_usage_level_at_a_time(admin_user):
    offered = dict(SequenceForm().fields["conditions"].choices)
    # userActive, coursesCompleted, groupJoined, lastLoginDays, purchaseCount, membershipUsage
    for key in ("no_activity", "courses_completed_zero", "no_group", "inactive", "no_purchase", "usage_low"):
        assert key in offered
    assert {"usage_medium", "usage_high"} <= set(offered)
    assert "RENDAH" in str(SequenceForm().fields["conditions"].help_text)
    with pytest.raises(ServiceError, match="satu tingkat"):
        services.sequence_save(
            actor=admin_user, name="Dua tingkat", trigger="after_expiry", conditions=["usage_low", "usage_high"]
        )


def test_the_api_takes_the_usage_condition(client, admin_user):
    body = {"name": "Pemakaian rendah", "trigger": "after_expiry", "conditions": ["usage_low"]}
    response = call(client, "post", "/admin/reminders", body, user=admin_user)
    assert response.status_code == 201, response.content
    assert response.json()["conditions"] == ["usage_low"]
    bad = call(client, "post", "/admin/reminders", {**body, "conditions": ["usage_low", "usage_high"]}, user=admin_user)
    assert bad.status_code == 400
    assert "satu tingkat" in bad.content.decode()


def test_a_member_with_two_due_orders_gets_both_each_logged_with_its_own_notification(admin_user, make_user):
    sequence = services.sequence_save(actor=admin_user, name="Terima kasih", trigger="after_purchase")
    services.step_save(
        actor=admin_user, sequence=sequence, delay_amount=0, delay_unit="hours", channels=["in_app"],
        subject="Terima kasih {name}", body="Invoice {invoice}",
    )  # fmt: skip
    buyer, other = make_user(), make_user()
    first, second, third = make_order(buyer), make_order(buyer), make_order(other)
    assert services.reminders_send_due(now=third.paid_at + timedelta(minutes=1)) == 3
    for order in (first, second, third):
        send = ReminderSend.objects.select_related("notification").get(order=order)
        assert send.notification.user_id == send.user_id
        assert send.notification.message == f"Invoice {order.invoice_number}"
        assert send.notification.data == {"reminder_send": send.pk}


def test_the_editors_show_the_usage_levels_and_their_rule_in_indonesian(client, admin_user, make_user):
    sequence = services.sequence_save(
        actor=admin_user, name="Pemakaian rendah", trigger="after_expiry", conditions=["usage_low", "no_group"]
    )
    client.force_login(admin_user)
    page = client.get(reverse("reminders:sequence_edit", args=[sequence.pk])).content.decode()
    for label in ("Pemakaian membership RENDAH", "Pemakaian membership SEDANG", "Pemakaian membership TINGGI"):
        assert label in page
    assert "RENDAH: kurang dari 2 pelajaran" in page
    step_page = client.get(reverse("reminders:step_create", args=[sequence.pk])).content.decode()
    assert "data-conditions-help" in step_page
    assert "Pemakaian membership RENDAH; Belum bergabung di grup komunitas" in step_page
    client.force_login(make_user())
    assert client.get(reverse("reminders:step_create", args=[sequence.pk])).status_code in (302, 403, 404)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_with_small_batches_send_each_member_once(admin_user, make_user, settings):
    """Many batches per sweep: the two sweeps' batches overlap in every way (one waits on the other's rows, gets
    the unique violation, re-reads the log and inserts the rest), and every member gets each step once."""
    settings.REMINDERS_SEND_BATCH_SIZE = 4
    ReminderSequence.objects.exclude(origin="").update(is_active=False)
    plan = make_plan("gold")
    sequence = expired_sequence(admin_user)
    services.step_save(
        actor=admin_user, sequence=sequence, delay_amount=1, delay_unit="hours", channels=["in_app"],
        subject="Lagi {name}", body="Pengingat kedua",
    )  # fmt: skip
    users = expired_members(make_user, plan, 18, ends_at=at(7, 9))
    results = two_sweeps_at_once(at(7, 11))
    assert sum(results) == 36
    assert ReminderSend.objects.count() == 36
    assert ReminderSend.objects.filter(notification__isnull=True).count() == 0
    assert Delivery.objects.filter(user__in=users, channel="email").count() == 18
