"""One engine (issue 14, PRODUCT.md "Reminders"): the plans' and products' WhatsApp follow-ups are sent by the reminder
builder only. Migration 0014 switches the copied sequences on and hands over what orders sent and still had
scheduled, tested here from the state before it (Django's migration executor); a paid order is followed up by the
engine only, once per step, and the sales list counts from the builder's log."""

from datetime import datetime, timedelta
from importlib import import_module
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from sanggar.notifications.models import Delivery
from sanggar.orders import selectors as order_selectors
from sanggar.orders.constants import FollowUpStatus
from sanggar.orders.models import FollowUp
from sanggar.orders.services import follow_ups_send_due, order_mark_paid
from sanggar.orders.tests.shop import Shop, legacy_follow_ups, plan_item, product_item
from sanggar.reminders import services
from sanggar.reminders.models import ReminderSend, ReminderSequence

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=WIB)  # a Monday, 10:00 WIB: the moment the migration runs
BEFORE = ("reminders", "0013_link_clicks")
AFTER = ("reminders", "0014_follow_ups_in_builder")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


def _paid(shop, user, *items, at):
    order = shop.buy_paid(user, *items, now=at)
    assert order.paid_at == at
    return order


def _rows(order, steps, statuses):
    rows = legacy_follow_ups(order, steps)
    for row, status in zip(rows, statuses, strict=True):
        FollowUp.objects.filter(pk=row.pk).update(
            status=status, sent_at=row.send_at if status != FollowUpStatus.SCHEDULED else None
        )
    return rows


def _whatsapp(user) -> list[str]:
    """The WhatsApp messages the user got (their first line: the engine adds the tracked link below)."""
    bodies = Delivery.objects.filter(user=user, channel="whatsapp").order_by("id").values_list("body", flat=True)
    return [body.split("\n")[0] for body in bodies]


def _column(order) -> tuple[int, int]:
    row = {o.pk: o for o in order_selectors.sales_list(with_items=False)}[order.pk]
    return row.follow_ups_sent, row.follow_ups_total


def test_migration_moves_the_follow_ups_to_the_builder(admin_user, make_user, monkeypatch):
    _migrate(BEFORE)
    shop = Shop(admin_user)
    gold = shop.plan("Gold", follow_ups=[(0, "Halo {name}, selamat datang di {plan}!"), (3, "Hari ketiga")])
    # 0004 copied the steps as a switched-off sequence (orders kept sending them)
    import_module("sanggar.reminders.migrations.0004_default_sequences").forwards(django_apps, None)
    copy = ReminderSequence.objects.get(origin=f"follow_up:plan:{gold.pk}")
    assert not copy.is_active
    # after 0004 the admin edited a text and added a step on the catalog's old tab, and gave a product its step
    first, second = gold.follow_ups.order_by("delay_days")
    second.message = "Hari ketiga, {name}: sudah coba kelasnya?"
    second.save()
    old_steps = [first, second]
    third = gold.follow_ups.create(delay_days=7, message="Satu minggu bersama kami", sort_order=2)
    steps = [first, second, third]
    ebook = shop.product("Ebook", follow_ups=[(1, "Sudah baca {product}?")])
    ebook_step = ebook.follow_ups.get()

    long_ago, ann = make_user(whatsapp="6281200000010"), make_user(full_name="Ani", whatsapp="6281200000011")
    budi, citra = make_user(full_name="Budi", whatsapp="6281200000012"), make_user(whatsapp="6281200000013")
    dewi = make_user(whatsapp="6281200000014")
    old = _paid(shop, long_ago, plan_item(gold.slug), at=NOW - timedelta(days=17))
    _rows(old, steps, [FollowUpStatus.SENT] * 3)  # all sent by orders, long before the engine's window
    # paid two days ago: the welcome went out, day 3 and day 7 still scheduled
    a = _paid(shop, ann, plan_item(gold.slug), at=NOW - timedelta(days=2))
    _rows(a, steps, [FollowUpStatus.SENT, FollowUpStatus.SCHEDULED, FollowUpStatus.SCHEDULED])
    # paid an hour ago: the welcome is due and not sent yet (orders' sweep had not run)
    b = _paid(shop, budi, plan_item(gold.slug), at=NOW - timedelta(hours=1))
    _rows(b, steps, [FollowUpStatus.SCHEDULED] * 3)
    # paid before the 7-day step existed: orders never planned it
    c = _paid(shop, citra, plan_item(gold.slug), at=NOW - timedelta(days=2, hours=1))
    _rows(c, old_steps, [FollowUpStatus.SENT, FollowUpStatus.SCHEDULED])
    d = _paid(shop, dewi, product_item(ebook.slug), at=NOW - timedelta(hours=30))
    _rows(d, [ebook_step], [FollowUpStatus.SENT])

    monkeypatch.setattr(timezone, "now", lambda: NOW)
    _migrate(AFTER)
    monkeypatch.undo()

    gold_seq = ReminderSequence.objects.get(origin=f"follow_up:plan:{gold.pk}")
    assert gold_seq.pk == copy.pk and gold_seq.is_active
    assert gold_seq.active_from == NOW - timedelta(hours=48) - timedelta(days=7)
    assert [(s.delay_amount, s.channels, s.content["whatsapp"]["text"]) for s in gold_seq.steps.all()] == [
        (0, ["whatsapp"], "Halo {name}, selamat datang di {plan_name}!"),
        (3, ["whatsapp"], "Hari ketiga, {name}: sudah coba kelasnya?"),  # the text as edited after 0004
        (7, ["whatsapp"], "Satu minggu bersama kami"),
    ]
    ebook_seq = ReminderSequence.objects.get(origin=f"follow_up:product:{ebook.pk}")
    assert (ebook_seq.is_active, ebook_seq.target_type, ebook_seq.target_id) == (True, "product", ebook.pk)
    gold_steps = list(gold_seq.steps.all())
    logged = {
        (s.order_id, s.step_id): s.status for s in ReminderSend.objects.filter(step__sequence__in=[gold_seq, ebook_seq])
    }
    assert logged == {
        (a.pk, gold_steps[0].pk): "sent",
        (c.pk, gold_steps[0].pk): "sent",
        (c.pk, gold_steps[2].pk): "condition",  # never planned for this order: not sent now either
        (d.pk, ebook_seq.steps.get().pk): "sent",
    }
    assert set(FollowUp.objects.filter(order=old).values_list("status", flat=True)) == {FollowUpStatus.SENT}
    assert set(FollowUp.objects.exclude(order=old).values_list("status", flat=True)) == {FollowUpStatus.MOVED}

    # the engine sends what was still scheduled, at its time, once; orders' sender has nothing left
    def sweep(moment):
        sent = services.reminders_send_due(now=moment)
        assert services.reminders_send_due(now=moment) == 0  # a second run at the same time sends nothing
        assert follow_ups_send_due(now=moment) == 0
        return sent

    assert sweep(NOW + timedelta(minutes=1)) == 1  # Budi's welcome (due an hour ago)
    assert _whatsapp(budi)[0].startswith("Halo Budi, selamat datang di Gold!")
    assert sweep(NOW + timedelta(days=1, minutes=1)) == 2  # Ani's and Citra's day 3
    assert sweep(NOW + timedelta(days=3, minutes=1)) == 1  # Budi's day 3
    assert sweep(NOW + timedelta(days=5, minutes=1)) == 1  # Ani's day 7 (not Citra's: never planned)
    assert sweep(NOW + timedelta(days=7, minutes=1)) == 1  # Budi's day 7
    assert [len(_whatsapp(u)) for u in (long_ago, ann, budi, citra, dewi)] == [0, 2, 3, 1, 0]
    assert _whatsapp(ann)[0] == "Hari ketiga, Ani: sudah coba kelasnya?"

    # the sales list's column: orders' own rows before the move, the builder's log after it
    assert [_column(o) for o in (old, a, b, c, d)] == [(3, 3), (3, 3), (3, 3), (2, 3), (1, 1)]

    # running it again changes nothing
    def state():
        sequences = ReminderSequence.objects.filter(origin__startswith="follow_up:").order_by("id")
        return (
            list(sequences.values_list("is_active", "active_from")),
            list(ReminderSend.objects.order_by("id").values_list("step_id", "order_id", "status")),
            list(FollowUp.objects.values_list("status", flat=True).order_by("id")),
        )

    before = state()
    monkeypatch.setattr(timezone, "now", lambda: NOW + timedelta(days=7, hours=1))
    import_module("sanggar.reminders.migrations.0014_follow_ups_in_builder").forwards(django_apps, None)
    monkeypatch.undo()
    after = state()
    assert before == after


def test_a_follow_up_long_overdue_stays_with_orders_sender(admin_user, make_user, monkeypatch):
    """A follow-up still scheduled but due more than half the catch-up window ago (orders' sweep was down) would
    be out of the engine's reach: that order stays with orders, whose sender (still running for course lines)
    sends it; the engine answers for later payments only."""
    shop = Shop(admin_user)
    gold = shop.plan("Gold", follow_ups=[(0, "Halo {name}"), (2, "Hari kedua")])
    steps = list(gold.follow_ups.order_by("delay_days"))
    late_buyer, later = make_user(whatsapp="6281200000020"), make_user(whatsapp="6281200000021")
    late = _paid(shop, late_buyer, plan_item(gold.slug), at=NOW - timedelta(hours=30))
    _rows(late, steps, [FollowUpStatus.SCHEDULED] * 2)
    fresh = _paid(shop, later, plan_item(gold.slug), at=NOW - timedelta(hours=2))
    _rows(fresh, steps, [FollowUpStatus.SENT, FollowUpStatus.SCHEDULED])
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    import_module("sanggar.reminders.migrations.0014_follow_ups_in_builder").forwards(django_apps, None)
    monkeypatch.undo()

    sequence = ReminderSequence.objects.get(origin=f"follow_up:plan:{gold.pk}")
    assert late.paid_at < sequence.active_from <= fresh.paid_at
    assert set(FollowUp.objects.filter(order=late).values_list("status", flat=True)) == {FollowUpStatus.SCHEDULED}
    assert follow_ups_send_due(now=NOW + timedelta(minutes=1)) == 1  # the overdue welcome, by orders
    assert services.reminders_send_due(now=NOW + timedelta(minutes=1)) == 0
    assert follow_ups_send_due(now=NOW + timedelta(days=1)) == 1  # its day 2, by orders
    assert services.reminders_send_due(now=NOW + timedelta(days=1, hours=22, minutes=1)) == 1  # the fresh day 2
    assert services.reminders_send_due(now=NOW + timedelta(days=1, hours=23)) == 0
    assert follow_ups_send_due(now=NOW + timedelta(days=3)) == 0
    assert [Delivery.objects.filter(user=u, channel="whatsapp").count() for u in (late_buyer, later)] == [2, 1]
    assert [_column(o) for o in (late, fresh)] == [(2, 2), (2, 2)]


def test_a_paid_order_is_followed_up_by_the_engine_only(admin_user, admin_client, make_user):
    shop = Shop(admin_user)
    gold = shop.plan("Gold", follow_ups=[(0, "Langkah lama yang tidak dipakai lagi")])  # a step left from before
    sequence = services.sequence_save(
        actor=admin_user,
        name="Follow-up WhatsApp: Gold",
        trigger="after_purchase",
        target_type="plan",
        target_id=gold.pk,
    )
    for position, (days, text) in enumerate(((0, "Halo {name}, selamat datang di {plan_name}!"), (2, "Hari kedua"))):
        services.step_save(
            actor=admin_user,
            sequence=sequence,
            delay_amount=days,
            delay_unit="days",
            sort_order=position,
            channels=["whatsapp"],
            subject="Follow-up Gold",
            body=text,
            content={"whatsapp": {"text": text}},
        )
    buyer = make_user(full_name="Maya", whatsapp="6281200000030")
    order = order_mark_paid(order=shop.buy(buyer, plan_item(gold.slug), now=NOW), now=NOW)
    assert not FollowUp.objects.filter(order=order).exists()  # orders schedules nothing of its own
    assert _column(order) == (0, 2)

    for moment in (NOW + timedelta(minutes=1), NOW + timedelta(minutes=2)):
        services.reminders_send_due(now=moment)
        follow_ups_send_due(now=moment)
    assert _whatsapp(buyer) == ["Halo Maya, selamat datang di Gold!"]
    assert _column(order) == (1, 2)
    for moment in (NOW + timedelta(days=2, minutes=1), NOW + timedelta(days=2, minutes=5)):
        services.reminders_send_due(now=moment)
        follow_ups_send_due(now=moment)
    assert _whatsapp(buyer) == ["Halo Maya, selamat datang di Gold!", "Hari kedua"]
    assert _column(order) == (2, 2)

    page = admin_client.get(f"/admin/sales/{order.invoice_number}").content.decode()
    assert "data-builder-follow-ups" in page and "Follow-up WhatsApp: Gold" in page
    assert "2/2 terkirim" in admin_client.get("/admin/sales").content.decode()
