"""Cancel, expire, refund, late-payment review, resending notifications and WhatsApp follow-ups."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from sanggar.access.models import Grant
from sanggar.audit.models import ActivityLog
from sanggar.catalog.models import Product
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.memberships.models import UserMembership
from sanggar.notifications.models import Delivery, Notification
from sanggar.orders.constants import FollowUpStatus, OrderAction, OrderStatus
from sanggar.orders.models import FollowUp, Order
from sanggar.orders.services import (
    follow_ups_send_due,
    order_cancel,
    order_expire_sweep,
    order_refund,
    order_resend_notification,
    order_review_resolve,
)
from sanggar.orders.tasks import follow_ups_send_task, orders_expire_task
from sanggar.orders.tests.shop import Shop, legacy_follow_ups, plan_item, product_item
from sanggar.payments.models import Payment, Refund
from sanggar.payments.services import payment_mark_paid_manual

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(admin_user):
    return Shop(admin_user)


@pytest.fixture
def buyer(make_user):
    return make_user(full_name="Maya Member", whatsapp="+6281200000008")


# --- cancel -------------------------------------------------------------------------------------------------


def test_admin_cancels_a_pending_order_and_its_seat_comes_back(shop, buyer, admin_user):
    webinar = shop.product("Webinar", stock=3)
    order = shop.buy(buyer, product_item(webinar.slug))
    order_cancel(order=order, actor=admin_user)
    order.refresh_from_db()
    assert (order.status, order.closed_at is not None) == (OrderStatus.CANCELLED, True)
    assert Product.objects.get(pk=webinar.pk).sold_count == 0
    # One row for the event, on the order, with who did it (the order's timeline reads it).
    assert ActivityLog.objects.filter(action=OrderAction.CANCELLED).count() == 1
    row = ActivityLog.objects.get(action=OrderAction.CANCELLED)
    assert (row.actor, row.target_id, row.target_label) == (admin_user, str(order.pk), order.invoice_number)


def test_buyer_cancels_own_order_but_not_someone_elses(shop, buyer, make_user):
    ebook = shop.product("Ebook")
    order = shop.buy(buyer, product_item(ebook.slug))
    with pytest.raises(NotAllowed):
        order_cancel(order=order, actor=make_user())
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING
    order_cancel(order=order, actor=buyer)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED
    # The buyer's own cancellation is the order's one row too, with the buyer as actor.
    assert ActivityLog.objects.get(action=OrderAction.CANCELLED, target_id=str(order.pk)).actor == buyer


def test_paid_order_cannot_be_cancelled(shop, buyer, admin_user):
    ebook = shop.product("Ebook")
    order = shop.buy_paid(buyer, product_item(ebook.slug))
    with pytest.raises(ServiceError) as error:
        order_cancel(order=order, actor=admin_user)
    assert error.value.message == (
        "Hanya pesanan yang menunggu pembayaran yang bisa dibatalkan (status sekarang: Lunas)."
    )


# --- expire ---------------------------------------------------------------------------------------------------


def test_expire_sweep_expires_only_overdue_pending_orders(
    shop, make_user, django_capture_on_commit_callbacks, settings
):
    settings.ORDER_STOCK_HOLD_MINUTES = 24 * 60  # the subject here is the sweep, not the short hold of seats
    webinar = shop.product("Webinar", stock=10)
    now = timezone.now()
    old = shop.buy(make_user(), product_item(webinar.slug), now=now - timedelta(hours=25))
    fresh = shop.buy(make_user(), product_item(webinar.slug), now=now - timedelta(hours=23))
    paid_old = shop.buy_paid(make_user(), product_item(webinar.slug), now=now - timedelta(hours=30))

    with django_capture_on_commit_callbacks(execute=True):
        assert order_expire_sweep(now=now) == 1
    assert order_expire_sweep(now=now) == 0
    statuses = dict(Order.objects.values_list("pk", "status"))
    assert statuses == {old.pk: "expired", fresh.pk: "pending", paid_old.pk: "paid"}
    assert Product.objects.get(pk=webinar.pk).sold_count == 2
    assert ActivityLog.objects.filter(action=OrderAction.EXPIRED).count() == 1
    note = Notification.objects.get(user=old.buyer)
    assert note.title == f"Pesanan {old.invoice_number} kedaluwarsa"
    assert note.deliveries.count() == 0  # in the app only


def test_expire_task_and_command(shop, buyer, settings):
    settings.ORDER_PENDING_HOURS = 0
    ebook = shop.product("Ebook")
    first = shop.buy(buyer, product_item(ebook.slug), now=timezone.now() - timedelta(minutes=1))
    assert orders_expire_task.apply().get() == 1
    second = shop.buy(buyer, product_item(ebook.slug), now=timezone.now() - timedelta(minutes=1))
    call_command("orders_sweep", "--only", "expire")
    assert set(Order.objects.values_list("status", flat=True)) == {"expired"}
    assert {first.pk, second.pk} == set(Order.objects.values_list("pk", flat=True))


# --- refund -----------------------------------------------------------------------------------------------------


def test_refund_reverses_everything_the_order_gave(shop, buyer, admin_user, django_capture_on_commit_callbacks):
    group = shop.resource("Komunitas Pemula")
    gold = shop.plan("Gold", resources=[group], follow_ups=[(3, "Halo {name}")])
    webinar = shop.product("Webinar", stock=5)
    order = shop.buy(buyer, plan_item(gold.slug), product_item(webinar.slug))
    payment_mark_paid_manual(order=order, actor=admin_user, note="BCA")
    assert Product.objects.get(pk=webinar.pk).sold_count == 1
    order.refresh_from_db()
    legacy_follow_ups(order, list(gold.follow_ups.all()))  # still scheduled with orders (before the move)

    with django_capture_on_commit_callbacks(execute=True):
        refunded = order_refund(order=order, actor=admin_user, reason="Salah beli paket")

    assert refunded.status == OrderStatus.REFUNDED
    refund = Refund.objects.get()
    assert (refund.amount, refund.reason, refund.actor_id) == (order.total, "Salah beli paket", admin_user.pk)
    assert Payment.objects.get(order=order).status == "refunded"
    assert UserMembership.objects.get(user=buyer).status == "cancelled"
    assert Grant.objects.filter(user=buyer, revoked_at__isnull=True).count() == 0
    assert Product.objects.get(pk=webinar.pk).sold_count == 0
    assert list(FollowUp.objects.filter(order=order).values_list("status", flat=True)) == [FollowUpStatus.CANCELLED]
    event = ActivityLog.objects.get(target_id=str(order.pk), action=OrderAction.REFUNDED)
    assert (event.data["message"], event.data["refund"], event.actor) == ("Salah beli paket", refund.pk, admin_user)
    assert ActivityLog.objects.filter(action=OrderAction.REFUNDED).count() == 1
    assert Notification.objects.filter(user=buyer, title=f"Dana pesanan {order.invoice_number} dikembalikan").exists()


def test_refund_needs_a_reason_and_a_paid_order(shop, buyer, admin_user):
    ebook = shop.product("Ebook")
    pending = shop.buy(buyer, product_item(ebook.slug))
    with pytest.raises(ServiceError) as error:
        order_refund(order=pending, actor=admin_user, reason="x")
    assert error.value.message.startswith("Hanya pesanan yang sudah lunas")
    paid = shop.buy_paid(buyer, product_item(shop.product("Template").slug))
    with pytest.raises(ServiceError) as error:
        order_refund(order=paid, actor=admin_user, reason="   ")
    assert error.value.errors == {"reason": ["Tuliskan alasan pengembalian dana."]}
    assert Order.objects.get(pk=paid.pk).status == OrderStatus.PAID
    assert Grant.objects.filter(user=buyer, revoked_at__isnull=True).count() == 1


def test_refund_of_a_free_order_records_no_payment_refund(shop, buyer, admin_user):
    guide = shop.product("Panduan", price=0)
    order = shop.buy(buyer, product_item(guide.slug))
    order_refund(order=order, actor=admin_user, reason="Dicabut admin")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.REFUNDED
    assert Refund.objects.count() == 0
    assert Grant.objects.filter(user=buyer, revoked_at__isnull=True).count() == 0


# --- late payment review ----------------------------------------------------------------------------------------


def _late_paid(shop, buyer, admin_user, *items):
    order = shop.buy(buyer, *items)
    order_expire_sweep(now=order.expires_at + timedelta(seconds=1))
    payment_mark_paid_manual(order=order, actor=admin_user, note="Transfer masuk terlambat")
    order.refresh_from_db()
    return order


def test_accepting_a_late_payment_pays_and_fulfils_the_order(shop, buyer, admin_user):
    gold = shop.plan("Gold")
    webinar = shop.product("Webinar", stock=2)
    order = _late_paid(shop, buyer, admin_user, plan_item(gold.slug), product_item(webinar.slug))
    assert (order.status, order.needs_review) == (OrderStatus.EXPIRED, True)
    assert Product.objects.get(pk=webinar.pk).sold_count == 0

    resolved = order_review_resolve(order=order, actor=admin_user, accept=True, note="Sudah dicek")
    assert (resolved.status, resolved.needs_review, resolved.review_reason) == (OrderStatus.PAID, False, "")
    assert UserMembership.objects.get(user=buyer).status == "active"
    assert Product.objects.get(pk=webinar.pk).sold_count == 1
    assert ActivityLog.objects.filter(target_id=str(order.pk), action=OrderAction.REVIEW_ACCEPTED).count() == 1
    assert ActivityLog.objects.filter(action=OrderAction.REVIEW_ACCEPTED).count() == 1


def test_accepting_is_refused_when_the_seat_is_gone(shop, buyer, admin_user, make_user):
    webinar = shop.product("Webinar", stock=1)
    order = _late_paid(shop, buyer, admin_user, product_item(webinar.slug))
    shop.buy(make_user(), product_item(webinar.slug))  # someone else took the seat meanwhile
    with pytest.raises(ServiceError) as error:
        order_review_resolve(order=order, actor=admin_user, accept=True, note="")
    assert error.value.message.startswith("Kuota habis")
    order.refresh_from_db()
    assert (order.status, order.needs_review) == (OrderStatus.EXPIRED, True)


def test_rejecting_a_late_payment_records_the_refund(shop, buyer, admin_user):
    ebook = shop.product("Ebook")
    order = _late_paid(shop, buyer, admin_user, product_item(ebook.slug))
    with pytest.raises(ServiceError) as error:
        order_review_resolve(order=order, actor=admin_user, accept=False, note="")
    assert error.value.errors == {"reason": ["Tuliskan alasan penolakan (dicatat pada pengembalian dana)."]}
    assert Order.objects.get(pk=order.pk).needs_review is True

    order_review_resolve(order=order, actor=admin_user, accept=False, note="Pesanan sudah kedaluwarsa")
    order.refresh_from_db()
    assert (order.status, order.needs_review) == (OrderStatus.EXPIRED, False)
    refund = Refund.objects.get()
    assert (refund.amount, refund.reason) == (order.total, "Pesanan sudah kedaluwarsa")
    assert Grant.objects.filter(user=buyer).count() == 0
    assert ActivityLog.objects.filter(action=OrderAction.REVIEW_REJECTED).count() == 1


def test_review_of_an_order_without_the_flag_is_refused(shop, buyer, admin_user):
    order = shop.buy(buyer, product_item(shop.product("Ebook").slug))
    with pytest.raises(ServiceError) as error:
        order_review_resolve(order=order, actor=admin_user, accept=True)
    assert error.value.message == "Pesanan ini tidak sedang menunggu keputusan admin."


# --- resend -------------------------------------------------------------------------------------------------------


def test_resend_for_paid_and_pending_orders(shop, buyer, admin_user, django_capture_on_commit_callbacks):
    ebook = shop.product("Ebook")
    paid = shop.buy_paid(buyer, product_item(ebook.slug))
    pending = shop.buy(buyer, product_item(shop.product("Template").slug))
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        order_resend_notification(order=paid, actor=admin_user)
        order_resend_notification(order=pending, actor=admin_user)
    titles = sorted(Notification.objects.filter(user=buyer).values_list("title", flat=True))
    assert titles == sorted(
        [f"Pembayaran {paid.invoice_number} berhasil", f"Menunggu pembayaran {pending.invoice_number}"]
    )
    assert ActivityLog.objects.filter(action=OrderAction.NOTIFICATION_RESENT).count() == 2

    order_cancel(order=pending, actor=admin_user)
    with pytest.raises(ServiceError):
        order_resend_notification(order=pending, actor=admin_user)


# --- follow-ups ------------------------------------------------------------------------------------------------------
# Plans' and products' follow-ups are the reminder builder's (sanggar/reminders/tests/test_follow_ups_move.py); orders'
# sender still sends course lines' follow-ups and the rows scheduled before the move: those rows are made directly.


def test_due_follow_ups_go_out_on_whatsapp_once(shop, buyer):
    gold = shop.plan("Gold", follow_ups=[(0, "Selamat datang {name}"), (2, "Hari kedua")])
    now = timezone.now()
    order = shop.buy_paid(buyer, plan_item(gold.slug), now=now)
    assert not FollowUp.objects.filter(order=order).exists()  # a plan line schedules nothing with orders
    legacy_follow_ups(order, list(gold.follow_ups.all()))
    assert follow_ups_send_due(now=now + timedelta(hours=1)) == 1
    assert follow_ups_send_due(now=now + timedelta(hours=1)) == 0
    first, second = FollowUp.objects.filter(order=order).order_by("send_at")
    assert (first.status, second.status) == (FollowUpStatus.SENT, FollowUpStatus.SCHEDULED)
    delivery = Delivery.objects.get(pk=first.delivery_id)
    assert (delivery.channel, delivery.recipient) == ("whatsapp", "+6281200000008")
    assert "Selamat datang Maya Member" in delivery.body

    assert follow_ups_send_task.apply(kwargs={}).get() == 0
    assert follow_ups_send_due(now=now + timedelta(days=2)) == 1
    assert FollowUp.objects.get(pk=second.pk).status == FollowUpStatus.SENT


def test_follow_up_without_a_whatsapp_number_fails_and_without_consent_is_cancelled(shop, make_user):
    gold = shop.plan("Gold", follow_ups=[(0, "Halo")])
    no_number = make_user(whatsapp="")
    opted_out = make_user(notification_prefs={"transaction": {"whatsapp": False}})
    for user in (no_number, opted_out):
        legacy_follow_ups(shop.buy_paid(user, plan_item(gold.slug)), list(gold.follow_ups.all()))
    assert follow_ups_send_due(now=timezone.now() + timedelta(minutes=1)) == 2
    assert FollowUp.objects.get(order__buyer=no_number).status == FollowUpStatus.FAILED
    assert FollowUp.objects.get(order__buyer=opted_out).status == FollowUpStatus.CANCELLED


def test_refunded_orders_send_no_follow_ups(shop, buyer, admin_user):
    gold = shop.plan("Gold", follow_ups=[(1, "Halo")])
    order = shop.buy_paid(buyer, plan_item(gold.slug))
    legacy_follow_ups(order, list(gold.follow_ups.all()))
    order_refund(order=order, actor=admin_user, reason="Batal")
    assert follow_ups_send_due(now=timezone.now() + timedelta(days=2)) == 0
    assert Delivery.objects.filter(channel="whatsapp", body__contains="Halo").count() == 0


def test_sweep_command_runs_both(shop, buyer, capsys):
    call_command("orders_sweep")
    out = capsys.readouterr().out
    assert out == "0 pending orders expired.\n0 follow-ups handled.\n"
