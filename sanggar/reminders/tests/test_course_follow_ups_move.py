"""One engine for the courses too (issue 14): a course's WhatsApp follow-ups are the builder's "after purchase" sequence
of the course. Migration 0015 moves them from orders (tested from the state before it with Django's migration
executor); a bought course is followed up by the engine only, once per step and student; learning's page and API
read and write the builder's sequence through learning's hook (contract unchanged, `{course}` as before)."""

from datetime import datetime, timedelta
from importlib import import_module
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.catalog.models import FollowUpStep
from sanggar.catalog.services import FollowUpInput
from sanggar.learning import services as learning
from sanggar.learning.models import Enrollment
from sanggar.learning.tests.world import build_course
from sanggar.notifications.models import Delivery
from sanggar.orders import selectors as order_selectors
from sanggar.orders.constants import FollowUpStatus
from sanggar.orders.models import FollowUp
from sanggar.orders.services import ItemRequest, follow_ups_send_due, order_refund
from sanggar.orders.tests.shop import Shop, legacy_follow_ups
from sanggar.reminders import services
from sanggar.reminders.models import ReminderSend, ReminderSequence

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=WIB)  # a Monday, 10:00 WIB: the moment the migration runs
BEFORE = ("reminders", "0014_follow_ups_in_builder")
AFTER = ("reminders", "0015_course_follow_ups_in_builder")
WELCOME = "Halo {name}, selamat belajar {course}! ({invoice})"
DAY_3 = "Sudah sampai modul 2 di {course}?"


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


def _whatsapp(user) -> list[str]:
    bodies = Delivery.objects.filter(user=user, channel="whatsapp").order_by("id").values_list("body", flat=True)
    return [body.split("\n")[0] for body in bodies]


def _column(order) -> tuple[int, int]:
    row = {o.pk: o for o in order_selectors.sales_list(with_items=False)}[order.pk]
    return row.follow_ups_sent, row.follow_ups_total


def _rows(order, steps, statuses):
    rows = legacy_follow_ups(order, steps)
    for row, status in zip(rows, statuses, strict=True):
        FollowUp.objects.filter(pk=row.pk).update(
            status=status, sent_at=row.send_at if status != FollowUpStatus.SCHEDULED else None
        )
    return rows


@pytest.fixture
def course(admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PAYMENT_PROVIDERS = ["manual"]
    return build_course(admin_user, "Ekspor Rempah", modules=1, lessons=1, quiz=False, price=300_000)


def _buy(shop, user, course, at):
    order = shop.buy_paid(user, ItemRequest("course", course.slug), now=at)
    assert order.paid_at == at
    return order


def test_migration_moves_the_course_follow_ups_to_the_builder(admin_user, make_user, course, monkeypatch):
    _migrate(BEFORE)
    shop = Shop(admin_user)
    steps = [
        FollowUpStep.objects.create(resource=course.resource, delay_days=0, message=WELCOME, sort_order=0),
        FollowUpStep.objects.create(resource=course.resource, delay_days=3, message=DAY_3, sort_order=1),
    ]
    long_ago, ani = make_user(whatsapp="6281200000040"), make_user(full_name="Ani", whatsapp="6281200000041")
    budi, citra = make_user(full_name="Budi", whatsapp="6281200000042"), make_user(whatsapp="6281200000043")
    dewi = make_user(whatsapp="6281200000044")
    old = _buy(shop, long_ago, course, NOW - timedelta(days=10))
    _rows(old, steps, [FollowUpStatus.SENT] * 2)  # long before the engine's window: stays with orders
    a = _buy(shop, ani, course, NOW - timedelta(days=2))  # welcome sent, day 3 still scheduled
    _rows(a, steps, [FollowUpStatus.SENT, FollowUpStatus.SCHEDULED])
    b = _buy(shop, budi, course, NOW - timedelta(hours=1))  # the welcome due an hour ago, not sent yet
    _rows(b, steps, [FollowUpStatus.SCHEDULED] * 2)
    # Citra joined the course (admin) a day before buying it: the engine's slot would be her enrolment's
    Enrollment.objects.create(user=citra, course=course, source="admin", created_at=NOW - timedelta(days=3))
    c = _buy(shop, citra, course, NOW - timedelta(days=2))
    _rows(c, steps, [FollowUpStatus.SENT, FollowUpStatus.SCHEDULED])
    # Dewi joined without buying: orders never followed her up, the builder does not send her history either
    dewi_enrolment = Enrollment.objects.create(
        user=dewi, course=course, source="free", created_at=NOW - timedelta(days=1)
    )

    monkeypatch.setattr(timezone, "now", lambda: NOW)
    _migrate(AFTER)
    monkeypatch.undo()

    sequence = ReminderSequence.objects.get(origin=f"follow_up:course:{course.pk}")
    assert (sequence.is_active, sequence.trigger, sequence.target_type, sequence.target_id) == (
        True,
        "after_purchase",
        "course",
        course.pk,
    )
    assert sequence.active_from == NOW - timedelta(hours=48) - timedelta(days=3)
    welcome, day_3 = sequence.steps.order_by("delay_hours")
    assert [(s.delay_amount, s.channels, s.content["whatsapp"]["text"]) for s in (welcome, day_3)] == [
        (0, ["whatsapp"], "Halo {name}, selamat belajar {course_name}! ({invoice})"),
        (3, ["whatsapp"], "Sudah sampai modul 2 di {course_name}?"),
    ]
    enrol = {e.user_id: f"en:{e.pk}" for e in Enrollment.objects.filter(course=course)}
    logged = {
        (s.user_id, s.object_key, s.step_id): s.status for s in ReminderSend.objects.filter(step__sequence=sequence)
    }
    assert logged == {
        (ani.pk, enrol[ani.pk], welcome.pk): "sent",
        (citra.pk, enrol[citra.pk], welcome.pk): "sent",
        (citra.pk, enrol[citra.pk], day_3.pk): "condition",  # orders' sender keeps her day 3
        (dewi.pk, f"en:{dewi_enrolment.pk}", welcome.pk): "condition",
        (dewi.pk, f"en:{dewi_enrolment.pk}", day_3.pk): "condition",
    }
    assert ReminderSend.objects.get(user=ani, step=welcome).order_id == a.pk
    assert set(FollowUp.objects.filter(order=old).values_list("status", flat=True)) == {FollowUpStatus.SENT}
    assert set(FollowUp.objects.filter(order__in=[a, b]).values_list("status", flat=True)) == {FollowUpStatus.MOVED}
    assert FollowUp.objects.get(order=c, step=steps[1]).status == FollowUpStatus.SCHEDULED

    def sweep(moment):
        sent = services.reminders_send_due(now=moment)
        assert services.reminders_send_due(now=moment) == 0  # a second run at the same time sends nothing
        return sent, follow_ups_send_due(now=moment)

    assert sweep(NOW + timedelta(minutes=1)) == (1, 0)  # Budi's welcome, by the engine
    assert _whatsapp(budi) == [f"Halo Budi, selamat belajar Ekspor Rempah! ({b.invoice_number})"]
    assert sweep(NOW + timedelta(days=1, minutes=1)) == (1, 1)  # Ani's day 3 (engine), Citra's (orders)
    assert sweep(NOW + timedelta(days=3, minutes=1)) == (1, 0)  # Budi's day 3
    assert sweep(NOW + timedelta(days=6)) == (0, 0)
    assert [len(_whatsapp(u)) for u in (long_ago, ani, budi, citra, dewi)] == [0, 1, 2, 1, 0]
    assert _whatsapp(ani) == ["Sudah sampai modul 2 di Ekspor Rempah?"]
    # the sales list's column: orders' own rows before the move, the builder's log after it
    assert [_column(o) for o in (old, a, b)] == [(2, 2), (2, 2), (2, 2)]

    def state():
        return (
            list(
                ReminderSequence.objects.filter(origin__startswith="follow_up:").values_list("is_active", "active_from")
            ),
            list(ReminderSend.objects.order_by("id").values_list("step_id", "user_id", "object_key", "status")),
            list(FollowUp.objects.order_by("id").values_list("status", flat=True)),
        )

    before = state()
    monkeypatch.setattr(timezone, "now", lambda: NOW + timedelta(days=6))
    import_module("sanggar.reminders.migrations.0015_course_follow_ups_in_builder").forwards(django_apps, None)
    monkeypatch.undo()
    assert state() == before  # running it again changes nothing


def test_a_bought_course_is_followed_up_by_the_engine_once(admin_user, make_user, course, client):
    shop = Shop(admin_user)
    learning.course_follow_ups_set(
        actor=admin_user,
        course=course,
        steps=[FollowUpInput(delay_days=0, message=WELCOME), FollowUpInput(delay_days=3, message=DAY_3)],
    )
    sequence = ReminderSequence.objects.get(origin=f"follow_up:course:{course.pk}")
    assert sequence.is_active and sequence.target_type == "course" and sequence.target_id == course.pk
    # learning's page and API show the builder's steps as they were typed ({course}, days)
    shown = call(client, "get", f"/mentor/courses/{course.slug}/follow-ups", user=admin_user).json()
    assert [(s["delay_days"], s["message"]) for s in shown["steps"]] == [(0, WELCOME), (3, DAY_3)]
    assert [s["id"] for s in shown["steps"]] == list(
        sequence.steps.order_by("delay_hours").values_list("pk", flat=True)
    )

    now = timezone.now()
    maya, rani = make_user(full_name="Maya", whatsapp="6281200000050"), make_user(whatsapp="6281200000051")
    tono = make_user(full_name="Tono", whatsapp="6281200000052")
    order = _buy(shop, maya, course, now)
    tono_order = _buy(shop, tono, course, now)
    assert not FollowUp.objects.filter(order=order).exists()  # orders schedules nothing of its own
    assert _column(order) == (0, 2)
    for moment in (now + timedelta(minutes=1), now + timedelta(minutes=2)):
        services.reminders_send_due(now=moment)
        assert follow_ups_send_due(now=moment) == 0
    assert _whatsapp(maya) == [f"Halo Maya, selamat belajar Ekspor Rempah! ({order.invoice_number})"]
    assert _column(order) == (1, 2)
    order_refund(order=tono_order, actor=admin_user, reason="Batal")  # refunded: the rest is not sent
    # buying it again (after a refund) does not start the sequence over: once per step and student
    order_refund(order=order, actor=admin_user, reason="Batal")
    again = _buy(shop, maya, course, now + timedelta(hours=1))
    learning.enrollment_ensure(user=rani, course=course, now=now + timedelta(hours=1))  # joined without buying
    for moment in (
        now + timedelta(hours=1, minutes=1),
        now + timedelta(days=3, hours=2),
        now + timedelta(days=3, hours=3),
    ):
        services.reminders_send_due(now=moment)
        assert follow_ups_send_due(now=moment) == 0
    assert _whatsapp(maya) == [
        f"Halo Maya, selamat belajar Ekspor Rempah! ({order.invoice_number})",
        "Sudah sampai modul 2 di Ekspor Rempah?",
    ]
    assert len(_whatsapp(tono)) == 1
    assert len(_whatsapp(rani)) == 2  # the engine's course purchase is the enrolment (free ones too)
    assert _column(again) == (1, 2)  # its day 3 went with the order it was sent for

    # editing keeps the ids of unchanged steps, an admin's extra channel stays; the mentor reads, never writes
    day_3 = sequence.steps.get(delay_hours=72)
    services.step_save(
        actor=admin_user,
        sequence=sequence,
        step=day_3,
        delay_amount=3,
        delay_unit="days",
        channels=["whatsapp", "email"],
        subject=day_3.subject,
        body=day_3.body,
        content=day_3.content,
    )
    saved = call(
        client,
        "put",
        f"/admin/courses/{course.slug}/follow-ups",
        {"steps": [{"delay_days": 4, "message": "Hari keempat di {course}"}, {"delay_days": 0, "message": WELCOME}]},
        user=admin_user,
    )
    assert saved.status_code == 200
    welcome = sequence.steps.get(delay_hours=0)
    assert saved.json()["steps"] == [  # the API sends no ids: the same text, then the same delay keep the steps
        {"id": welcome.pk, "delay_days": 0, "message": WELCOME},
        {"id": day_3.pk, "delay_days": 4, "message": "Hari keempat di {course}"},
    ]
    assert ReminderSend.objects.filter(step=welcome).count() == 3  # its log kept: nobody gets the welcome again
    day_3.refresh_from_db()
    assert (day_3.delay_hours, day_3.channels, day_3.content["whatsapp"]["text"]) == (
        96,
        ["whatsapp", "email"],
        "Hari keempat di {course_name}",
    )
    assert sequence.steps.count() == 2
    bad = call(
        client,
        "put",
        f"/admin/courses/{course.slug}/follow-ups",
        {"steps": [{"delay_days": 400, "message": "Halo {kode_asing}"}]},
        user=admin_user,
    )
    assert bad.status_code == 400 and sequence.steps.count() == 2
    client.force_login(admin_user)
    page = client.get(reverse("learning:follow_ups", args=[course.slug])).content.decode()
    assert "Hari keempat di {course}" in page
