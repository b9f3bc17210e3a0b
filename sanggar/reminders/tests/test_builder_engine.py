"""The reminder builder's engine with a fake clock (every sweep gets an explicit `now`): each trigger, delays,
preferred time, days of the week and weekends, stop on action, conditions, exactly once under two concurrent
sweeps, tracking, and the default sequences of the data migration."""

import json
from datetime import datetime, time, timedelta
from importlib import import_module
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.urls import reverse

from sanggar.access.tests.factories import make_order, make_plan
from sanggar.catalog.models import FollowUpStep
from sanggar.core.exceptions import ServiceError
from sanggar.events import services as event_services
from sanggar.events.models import Event, Registration
from sanggar.learning.models import Enrollment
from sanggar.learning.tests.world import build_course
from sanggar.memberships.models import MembershipReminder, UserMembership
from sanggar.notifications import provider_events
from sanggar.notifications.channels.email import EmailChannel
from sanggar.notifications.models import Delivery, Notification
from sanggar.orders import selectors as order_selectors
from sanggar.reminders import engine, services, tracking
from sanggar.reminders.analytics import sequence_analytics
from sanggar.reminders.constants import SendStatus
from sanggar.reminders.models import ReminderSend, ReminderSequence, ReminderStep
from sanggar.reminders.tests.conftest import two_sweeps_at_once

WIB = ZoneInfo("Asia/Jakarta")
MON = datetime(2026, 12, 7, 10, 0, tzinfo=WIB)  # a Monday


def at(day: int, hour: int = 10, minute: int = 0) -> datetime:
    """December 2026 in WIB (the 5th and 6th, 12th and 13th are weekends)."""
    return datetime(2026, 12, day, hour, minute, tzinfo=WIB)


def seq(admin, trigger, *, steps=((0, "hours"),), **fields):
    sequence = services.sequence_save(actor=admin, name=f"Uji {trigger}", trigger=trigger, **fields)
    for amount, unit, *extra in steps:
        options = extra[0] if extra else {}
        services.step_save(
            actor=admin,
            sequence=sequence,
            delay_amount=amount,
            delay_unit=unit,
            channels=options.pop("channels", ["in_app", "email"]),
            subject=f"Halo {{name}} ({amount} {unit})",
            body="Paket {plan_name} berakhir {expiry_date}, sisa {days_left} hari. {renewal_link}",
            **options,
        )
    return sequence


def join(user, plan, *, ends_at, status="active"):
    return UserMembership.objects.create(
        user=user, plan=plan, duration="1m", status=status, starts_at=ends_at - timedelta(days=30), ends_at=ends_at
    )


def make_course(actor):
    return build_course(actor, modules=1, lessons=1, quiz=False)


@pytest.fixture
def plan(db):
    return make_plan("gold", title="Gold Tahunan")


# --- the slot -----------------------------------------------------------------------------------------------


def step(**fields):
    return ReminderStep(**{"delay_hours": 0, "days_of_week": [], "avoid_weekends": False, **fields})


def test_slot_delay_preferred_time_days_and_weekends():
    anchor = at(4, 20)  # Friday 20:00
    assert engine.step_slot(step(delay_hours=3), anchor, before=False) == at(4, 23)
    # preferred 09:00: the first 09:00 at or after base (Friday 23:00) is Saturday 09:00
    assert engine.step_slot(step(delay_hours=3, preferred_time=time(9)), anchor, before=False) == at(5, 9)
    # avoiding weekends moves Saturday to Monday
    slot = engine.step_slot(step(delay_hours=3, preferred_time=time(9), avoid_weekends=True), anchor, before=False)
    assert slot == at(7, 9)
    # only Wednesdays
    assert engine.step_slot(step(delay_hours=24, days_of_week=[2]), anchor, before=False) == at(9, 20)
    # before a moment: the delay is subtracted; a slot pushed onto or past the moment goes back instead
    ends = at(14, 10)  # Monday 10:00
    assert engine.step_slot(step(delay_hours=72, preferred_time=time(8)), ends, before=True) == at(12, 8)
    # base Saturday 10:00 → Monday 08:00, still before the moment
    weekend_free = step(delay_hours=48, preferred_time=time(8), avoid_weekends=True)
    assert engine.step_slot(weekend_free, ends, before=True) == at(14, 8)
    # … but with the moment on Sunday (base Saturday 10:00) it goes back to Friday 08:00
    assert engine.step_slot(
        step(delay_hours=24, preferred_time=time(8), avoid_weekends=True), at(13, 10), before=True
    ) == at(11, 8)


def test_weekend_only_days_with_avoid_weekends_are_refused(admin_user):
    sequence = seq(admin_user, "after_purchase", steps=())
    with pytest.raises(ServiceError):
        services.step_save(
            actor=admin_user,
            sequence=sequence,
            delay_amount=1,
            delay_unit="days",
            channels=["email"],
            subject="x",
            body="y",
            days_of_week=[5, 6],
            avoid_weekends=True,
        )


# --- triggers -----------------------------------------------------------------------------------------------


def test_before_expiry_with_days_delay_preferred_time_and_renewal_stop(admin_user, make_user, plan):
    sequence = seq(
        admin_user,
        "before_expiry",
        steps=((7, "days", {"preferred_time": time(8)}), (3, "days", {"preferred_time": time(8)})),
        stop_on="renewed",
        target_type="plan",
        target_id=plan.pk,
    )
    user = make_user(full_name="Maya Lestari")
    membership = join(user, plan, ends_at=at(21, 23, 59))
    join(make_user(), make_plan("silver"), ends_at=at(21, 23, 59))  # another plan: not this sequence
    assert services.reminders_send_due(now=at(14, 7, 59)) == 0  # 7 days before at 08:00 is the 15th
    assert services.reminders_send_due(now=at(15, 8, 0)) == 1
    note = Notification.objects.get(user=user)
    assert note.title == "Halo Maya Lestari (7 days)"
    assert "Paket Gold Tahunan berakhir 21 Des 2026, sisa 7 hari." in note.message
    assert services.reminders_send_due(now=at(15, 9)) == 0  # never twice
    # renewed before the 3-day step: the end moved, the old moment's steps stop (and the new end re-arms)
    membership.ends_at = at(21, 23, 59) + timedelta(days=30)
    membership.save()
    assert services.reminders_send_due(now=at(19, 8, 0)) == 0
    assert ReminderSend.objects.filter(step__sequence=sequence).count() == 1
    del sequence


def test_after_expiry_and_stop_when_renewed(admin_user, make_user, plan):
    seq(admin_user, "after_expiry", steps=((1, "days"), (3, "days")), stop_on="renewed")
    user = make_user()
    join(user, plan, ends_at=at(7, 10), status="expired")
    assert services.reminders_send_due(now=at(8, 10)) == 1
    join(user, plan, ends_at=at(7, 10) + timedelta(days=40))  # renewed
    assert services.reminders_send_due(now=at(10, 10)) == 0


def test_after_purchase_per_product_target_and_stop_on_paid_elsewhere(admin_user, make_user, plan):
    price = plan.prices.first()
    sequence = seq(admin_user, "after_purchase", steps=((2, "hours"),), target_type="plan", target_id=plan.pk)
    buyer = make_user()
    order = make_order(buyer, plan_price=price)
    make_order(make_user())  # no plan line: not this sequence's target
    paid = order.paid_at
    assert services.reminders_send_due(now=paid + timedelta(hours=1)) == 0
    assert services.reminders_send_due(now=paid + timedelta(hours=2)) == 1
    send = ReminderSend.objects.get(step__sequence=sequence)
    assert send.order_id == order.pk and send.user == buyer


def test_inactivity_on_a_course_and_stop_when_completed(admin_user, make_user):
    course = make_course(admin_user)
    sequence = seq(admin_user, "inactivity", days=3, steps=((0, "hours"),), target_type="course", target_id=course.pk)
    sequence.stop_on = "completed"
    sequence.save()
    user, done = make_user(), make_user()
    Enrollment.objects.create(user=user, course=course, source="plan", created_at=at(1), last_activity_at=at(4, 10))
    Enrollment.objects.create(
        user=done, course=course, source="plan", created_at=at(1), last_activity_at=at(4, 10), completed_at=at(4, 11)
    )
    assert services.reminders_send_due(now=at(7, 9)) == 0  # 3 days after 4 Dec 10:00 is 7 Dec 10:00
    assert services.reminders_send_due(now=at(7, 10)) == 1
    assert ReminderSend.objects.get(step__sequence=sequence).user == user


def test_on_a_date_reaches_the_plans_members_once(admin_user, make_user, plan):
    seq(admin_user, "on_date", specific_at=at(10, 9), target_type="plan", target_id=plan.pk)
    members = [make_user(), make_user()]
    for member in members:
        join(member, plan, ends_at=at(28))
    make_user()  # not a member
    assert services.reminders_send_due(now=at(10, 8, 59)) == 0
    assert services.reminders_send_due(now=at(10, 9)) == 2
    assert services.reminders_send_due(now=at(10, 9, 1)) == 0


def test_before_an_event_reaches_registrants(admin_user, make_user):
    event = event_services.event_create(
        actor=admin_user,
        data={"title": "Webinar Ekspor", "slug": "webinar", "starts_at": at(10, 19), "ends_at": at(10, 21)},
    )
    seq(admin_user, "before_event", steps=((1, "days"), (1, "hours")), target_type="event", target_id=event.pk)
    user = make_user()
    Registration.objects.create(event=event, user=user, status="going")
    Registration.objects.create(event=event, user=make_user(), status="cancelled")
    assert services.reminders_send_due(now=at(9, 18, 59)) == 0
    assert services.reminders_send_due(now=at(9, 19)) == 1
    assert services.reminders_send_due(now=at(10, 18)) == 1
    assert Notification.objects.filter(user=user).count() == 2
    assert isinstance(Event.objects.get(pk=event.pk), Event)


def test_condition_courses_completed_zero_skips_and_logs(admin_user, make_user, plan):
    seq(admin_user, "after_expiry", steps=((0, "hours"),), conditions=["courses_completed_zero"])
    learner, idle = make_user(), make_user()
    Enrollment.objects.create(
        user=learner, course=make_course(admin_user), source="plan", created_at=at(1), completed_at=at(2)
    )
    join(learner, plan, ends_at=at(7, 10), status="expired")
    join(idle, plan, ends_at=at(7, 10), status="expired")
    assert services.reminders_send_due(now=at(7, 11)) == 1
    statuses = dict(ReminderSend.objects.values_list("user_id", "status"))
    assert statuses == {learner.pk: SendStatus.CONDITION, idle.pk: SendStatus.SENT}


def test_channels_get_their_own_text_and_limits(admin_user, make_user, plan):
    sequence = seq(admin_user, "after_expiry", steps=())
    services.step_save(
        actor=admin_user,
        sequence=sequence,
        delay_amount=0,
        delay_unit="hours",
        channels=["in_app", "email", "whatsapp", "push"],
        subject="Judul umum",
        body="Isi umum",
        content={
            "whatsapp": {"text": "*WA* {name} <b>x</b>"},
            "push": {"title": "Push {plan_name}"},
            "email": {"subject": "Email {name}", "cta_text": "Perpanjang", "cta_link": "{renewal_link}"},
        },
    )
    user = make_user(full_name="Budi", whatsapp="6281200000000")
    join(user, plan, ends_at=at(7, 10), status="expired")
    assert services.reminders_send_due(now=at(7, 11)) == 1
    deliveries = {d.channel: d for d in Delivery.objects.filter(user=user)}
    assert deliveries["email"].subject == "Email Budi"
    assert deliveries["whatsapp"].body.startswith("*WA* Budi <b>x</b>")
    assert deliveries["push"].subject == "Push Gold Tahunan"
    send = ReminderSend.objects.get()
    assert send.link.endswith(reverse("orders:checkout_plan", args=[plan.slug]))
    with pytest.raises(ServiceError):
        services.step_save(
            actor=admin_user,
            sequence=sequence,
            delay_amount=0,
            channels=["push"],
            subject="x",
            body="y",
            content={"push": {"title": "x" * 66}},
        )
    with pytest.raises(ServiceError):
        services.step_save(
            actor=admin_user,
            sequence=sequence,
            delay_amount=0,
            channels=["email"],
            subject="x",
            body="y",
            content={"email": {"cta_link": "javascript:alert(1)"}},
        )


def test_shortcodes_fill_once_and_drop_unknown():
    assert engine.render_text("{name} {zzz} {plan_name}", {"name": "{plan_name}"}) == "{plan_name}  "
    assert engine.render_text("{zzz}", {}, keep_unknown=True) == "{zzz}"


# --- exactly once under concurrency -------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_send_each_member_once(admin_user, make_user):
    plan = make_plan("gold")
    ReminderSequence.objects.exclude(origin="").update(is_active=False)
    seq(admin_user, "after_expiry", steps=((0, "hours"), (2, "hours")))
    users = [make_user() for _ in range(6)]
    for user in users:
        join(user, plan, ends_at=at(7, 10), status="expired")
    results = two_sweeps_at_once(at(7, 12))
    assert sum(results) == 12
    assert ReminderSend.objects.count() == 12
    assert Notification.objects.filter(user__in=users).count() == 12


# --- tracking and analytics ---------------------------------------------------------------------------------


def test_open_pixel_click_redirect_and_conversion(client, admin_user, make_user, plan):
    seq(admin_user, "before_expiry", steps=((3, "days"),), stop_on="renewed")
    user = make_user()
    membership = join(user, plan, ends_at=at(10, 10))
    assert services.reminders_send_due(now=at(7, 10)) == 1
    send = ReminderSend.objects.get()
    email = Delivery.objects.get(user=user, channel="email")
    html = email_html(email)
    assert tracking.open_url(send.pk) in html
    token = tracking.open_url(send.pk).rsplit("/", 1)[1][: -len(".gif")]
    assert client.get(reverse("reminders:track_open", args=[token])).status_code == 200
    assert client.get(reverse("reminders:track_open", args=["palsu"])).status_code == 200  # a bad token: no record
    send.refresh_from_db()
    assert send.opened_at is not None
    click = tracking.click_url(send.pk, "whatsapp").rsplit("/", 1)[1]
    response = client.get(reverse("reminders:track_click", args=[click]))
    assert response.status_code == 302 and response["Location"].endswith(f"/checkout/{plan.slug}")
    forged = tracking.click_url(send.pk, "whatsapp").rsplit("/", 1)[1][:-2] + "xx"
    assert client.get(reverse("reminders:track_click", args=[forged])).status_code == 404
    assert client.get(reverse("reminders:track_click", args=[click]) + "?next=https://jahat.example").status_code == 302
    send.refresh_from_db()
    assert send.clicked_channel == "whatsapp"
    # the member renews: converted
    membership.ends_at += timedelta(days=365)
    membership.save()
    assert services.reminders_conversions_sweep() == 1


def test_provider_reports_count_as_delivered_opened_and_clicked(admin_user, make_user, plan, settings):
    """A push tapped (OneSignal's webhook) marks the send opened and clicked; the analytics show the provider's
    confirmation per channel."""
    settings.ONESIGNAL_WEBHOOK_SECRET = "rahasia"
    sequence = seq(admin_user, "before_expiry", steps=((3, "days", {"channels": ["in_app", "push"]}),))
    user = make_user()
    join(user, plan, ends_at=at(10, 10))
    assert services.reminders_send_due(now=at(7, 10)) == 1
    push = Delivery.objects.get(user=user, channel="push")
    Delivery.objects.filter(pk=push.pk).update(provider="onesignal", provider_message_id="os-1")
    body = json.dumps({"event": "notification.clicked", "notificationId": "os-1"}).encode()
    answer = provider_events.onesignal_event_receive(headers={}, query_secret="rahasia", raw_body=body)
    assert answer.outcome == "applied"
    send = ReminderSend.objects.get()
    assert send.opened_at is not None and send.clicked_at is not None and send.clicked_channel == "push"
    first = send.clicked_at
    assert provider_events.onesignal_event_receive(headers={}, query_secret="rahasia", raw_body=body).outcome == (
        "unchanged"
    )
    send.refresh_from_db()
    assert send.clicked_at == first
    data = sequence_analytics(sequence=sequence)
    row = next(c for c in data["channels"] if c["channel"] == "push")
    assert row["confirmed"] == 1 and row["provider_opened"] == 1 and row["clicked"] == 1
    assert data["totals"]["confirmed"] == 1 and data["totals"]["opened"] == 1


def email_html(delivery) -> str:
    return EmailChannel().message_for(delivery).html


def test_safe_target_refuses_other_schemes():
    assert tracking.safe_target("/kursus/a") == "/kursus/a"
    assert tracking.safe_target("//jahat.example/x") == "/dashboard"
    assert tracking.safe_target("javascript:alert(1)") == "/dashboard"
    assert tracking.safe_target("https://zoom.us/j/1") == "https://zoom.us/j/1"


# --- the default sequences (data migration) ------------------------------------------------------------------


def _defaults():
    if not ReminderSequence.objects.filter(origin="membership_expiry").exists():  # a flushed test database
        import_module("sanggar.reminders.migrations.0004_default_sequences").forwards(django_apps, None)
    return ReminderSequence.objects.get(origin="membership_expiry")


@pytest.mark.default_sequences
def test_expiry_reminders_are_a_default_sequence_equivalent_to_the_old_sweep(make_user, plan):
    sequence = _defaults()
    sequence.is_active = True
    sequence.save()
    assert [(s.delay_amount, s.delay_unit, s.preferred_time) for s in sequence.steps.all()] == [
        (7, "days", time(8)),
        (3, "days", time(8)),
        (1, "days", time(8)),
    ]
    user = make_user(full_name="Maya")
    join(user, plan, ends_at=at(21, 23, 59))
    sent_days = []
    for day in range(10, 23):
        for hour in (7, 8, 9):
            if services.reminders_send_due(now=at(day, hour)):
                sent_days.append((day, hour))
    # the old sweep ran at 08:00 and sent at 7, 3 and 1 calendar days left
    assert sent_days == [(15, 8), (19, 8), (21, 8)]
    note = Notification.objects.filter(user=user).order_by("id").first()
    assert note.title == "Membership Gold Tahunan Anda akan berakhir dalam 7 hari"


@pytest.mark.default_sequences
def test_reminders_the_old_sweep_sent_are_not_sent_again(make_user, plan):
    user = make_user()
    membership = join(user, plan, ends_at=at(21, 23, 59))
    MembershipReminder.objects.create(
        membership=membership, threshold_days=7, ends_at=membership.ends_at, sent_at=at(15, 8)
    )
    ReminderSequence.objects.filter(origin="membership_expiry").delete()
    sequence = _defaults()
    assert ReminderSend.objects.filter(step__sequence=sequence, user=user).count() == 1
    assert services.reminders_send_due(now=at(15, 9)) == 0
    assert services.reminders_send_due(now=at(19, 8)) == 1


def test_follow_up_steps_become_switched_off_sequences(make_user):
    plan = make_plan("emas", title="Emas")
    FollowUpStep.objects.create(
        plan=plan, delay_days=1, message="Halo {name}, selamat bergabung di {plan}!", sort_order=0
    )
    FollowUpStep.objects.create(plan=plan, delay_days=3, message="Sudah coba kelasnya?", sort_order=1)
    import_module("sanggar.reminders.migrations.0004_default_sequences").forwards(django_apps, None)
    sequence = ReminderSequence.objects.get(origin=f"follow_up:plan:{plan.pk}")
    assert (sequence.trigger, sequence.target_type, sequence.target_id, sequence.is_active) == (
        "after_purchase",
        "plan",
        plan.pk,
        False,
    )
    steps = list(sequence.steps.all())
    assert [(s.delay_amount, s.channels) for s in steps] == [(1, ["whatsapp"]), (3, ["whatsapp"])]
    assert steps[0].content["whatsapp"]["text"] == "Halo {name}, selamat bergabung di {plan_name}!"


# --- the sales list's follow-up column ----------------------------------------------------------------------


def test_sales_list_follow_up_column_reads_the_builders_log(admin_user, make_user, plan):
    price = plan.prices.first()
    seq(
        admin_user,
        "after_purchase",
        steps=((0, "hours", {"channels": ["whatsapp"]}), (2, "days", {"channels": ["whatsapp"]})),
        target_type="plan",
        target_id=plan.pk,
    )
    order = make_order(make_user(whatsapp="6281200000001"), plan_price=price)
    other = make_order(make_user())
    assert services.reminders_send_due(now=order.paid_at + timedelta(minutes=1)) == 1
    rows = {o.pk: (o.follow_ups_sent, o.follow_ups_total) for o in order_selectors.sales_list()}
    assert rows[order.pk] == (1, 2)
    assert rows[other.pk] == (0, 0)


@pytest.mark.parametrize("trigger", ["after_expiry", "on_date"])
def test_runs_with_a_small_limit_reach_every_member_once(admin_user, make_user, plan, settings, trigger):
    """REMINDERS_MAX_PER_RUN = 3 and 8 members: the runs send 3, 3, 2, then nothing; each member once."""
    settings.REMINDERS_MAX_PER_RUN = 3
    if trigger == "on_date":
        seq(admin_user, trigger, specific_at=at(7, 10), target_type="plan", target_id=plan.pk)
    else:
        seq(admin_user, trigger, steps=((0, "hours"),))
    users = [make_user() for _ in range(8)]
    for user in users:
        join(
            user,
            plan,
            ends_at=at(7, 10) if trigger == "after_expiry" else at(28),
            status="expired" if trigger == "after_expiry" else "active",
        )
    assert [services.reminders_send_due(now=at(7, 12, minute)) for minute in range(4)] == [3, 3, 2, 0]
    assert sorted(ReminderSend.objects.values_list("user_id", flat=True)) == sorted(u.pk for u in users)
    assert Notification.objects.filter(user__in=users).count() == 8


def test_a_member_with_a_later_step_due_is_not_crowded_out(admin_user, make_user, plan, settings):
    """Two steps, limit 3: members whose first step is logged and whose second is not yet due take no place."""
    settings.REMINDERS_MAX_PER_RUN = 3
    seq(admin_user, "after_expiry", steps=((0, "hours"), (1, "days")))
    users = [make_user() for _ in range(8)]
    for user in users:
        join(user, plan, ends_at=at(7, 10), status="expired")
    assert sum(services.reminders_send_due(now=at(7, 12, minute)) for minute in range(4)) == 8
    assert sum(services.reminders_send_due(now=at(8, 11, minute)) for minute in range(4)) == 8
    assert ReminderSend.objects.count() == 16
    assert ReminderSend.objects.values("user_id", "step_id").distinct().count() == 16


def test_conversions_are_checked_for_every_send_in_a_few_queries(
    admin_user, make_user, plan, settings, django_assert_max_num_queries
):
    """8 sends (limit 3 per run) and 8 renewals: all converted, in a bounded number of queries (it used to read
    only the first REMINDERS_MAX_PER_RUN sends, with 1-3 queries each)."""
    settings.REMINDERS_MAX_PER_RUN = 3
    seq(admin_user, "before_expiry", steps=((3, "days"),), stop_on="renewed")
    memberships = [join(make_user(), plan, ends_at=at(10, 10)) for _ in range(8)]
    assert sum(services.reminders_send_due(now=at(7, 10, minute)) for minute in range(3)) == 8
    for membership in memberships[:7]:
        membership.ends_at += timedelta(days=365)  # renewed
        membership.save()
    with django_assert_max_num_queries(6):
        assert services.reminders_conversions_sweep() == 7
    assert ReminderSend.objects.filter(converted_at__isnull=False).count() == 7
    assert services.reminders_conversions_sweep() == 0
