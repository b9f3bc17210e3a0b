"""order_mark_paid: one transition, fulfilment in the same transaction, side effects after commit."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from sanggar.access.models import Grant
from sanggar.audit.models import ActivityLog
from sanggar.core.exceptions import ServiceError
from sanggar.memberships.models import UserMembership
from sanggar.notifications.models import Notification
from sanggar.orders.constants import OrderAction, OrderStatus
from sanggar.orders.models import FollowUp
from sanggar.orders.services import order_expire_sweep, order_mark_paid
from sanggar.orders.tests.shop import Shop, plan_item, product_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(admin_user):
    return Shop(admin_user)


@pytest.fixture
def buyer(make_user):
    return make_user(full_name="Maya Member", whatsapp="+6281200000008")


def test_paying_a_plan_activates_the_membership_and_its_grants(shop, buyer, admin_user):
    group = shop.resource("Komunitas Pemula")
    course = shop.resource("Dasar Ekspor", kind="course")
    gold = shop.plan("Gold", resources=[group, course])
    order = shop.buy(buyer, plan_item(gold.slug))
    now = timezone.now()

    paid = order_mark_paid(order=order, actor=admin_user, note="Transfer BCA", now=now)

    assert (paid.status, paid.paid_at, paid.closed_at) == (OrderStatus.PAID, now, None)
    assert (order.status, order.paid_at) == (OrderStatus.PAID, now)  # the caller's instance follows
    membership = UserMembership.objects.get(user=buyer)
    assert (membership.plan_id, membership.status, membership.order_id) == (gold.pk, "active", order.pk)
    granted = Grant.objects.filter(user=buyer, source="membership", revoked_at__isnull=True)
    assert {g.resource_id for g in granted} == {group.pk, course.pk}
    assert {g.ends_at for g in granted} == {membership.ends_at}
    # One row for the event (pretix's log_action): the activity log and the order's timeline read the same row.
    log = ActivityLog.objects.get(action=OrderAction.PAID)
    assert (log.actor_id, log.target_id, log.target_label) == (admin_user.pk, str(order.pk), order.invoice_number)
    assert log.data["note"] == "Transfer BCA"


def test_paying_a_product_grants_it_its_resources_and_bundles_for_their_periods(shop, buyer):
    webinar_group = shop.resource("Grup Webinar")
    bonus = shop.product("Bonus Template", access_days=None)
    webinar = shop.product(
        "Webinar Ekspor", access_days=30, resource_ids=[webinar_group.pk], bundled_product_ids=[bonus.pk]
    )
    order = shop.buy(buyer, product_item(webinar.slug))
    now = timezone.now()
    order_mark_paid(order=order, now=now)

    grants = {
        g.resource_id: g
        for g in Grant.objects.filter(user=buyer, source="purchase", source_ref=f"order:{order.invoice_number}")
    }
    assert set(grants) == {webinar.resource_id, webinar_group.pk, bonus.resource_id}
    assert grants[webinar.resource_id].ends_at == now + timedelta(days=30)
    assert grants[webinar_group.pk].ends_at == now + timedelta(days=30)
    assert grants[bonus.resource_id].ends_at is None
    assert grants[webinar.resource_id].starts_at == now


def test_second_call_does_nothing(shop, buyer, django_capture_on_commit_callbacks):
    gold = shop.plan("Gold")
    order = shop.buy(buyer, plan_item(gold.slug))
    with django_capture_on_commit_callbacks(execute=True):
        first = order_mark_paid(order=order)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = order_mark_paid(order=order)
    assert callbacks == []
    assert again.paid_at == first.paid_at
    assert UserMembership.objects.filter(user=buyer).count() == 1
    assert ActivityLog.objects.filter(target_id=str(order.pk), action=OrderAction.PAID).count() == 1
    assert Notification.objects.filter(user=buyer).count() == 1


def test_closed_orders_cannot_be_marked_paid_by_the_normal_path(shop, buyer):
    ebook = shop.product("Ebook")
    order = shop.buy(buyer, product_item(ebook.slug))
    order_expire_sweep(now=order.expires_at + timedelta(seconds=1))
    with pytest.raises(ServiceError) as error:
        order_mark_paid(order=order)
    assert error.value.message == (
        f"Pesanan {order.invoice_number} berstatus Kedaluwarsa, jadi tidak bisa ditandai lunas lewat jalur biasa."
    )
    assert Grant.objects.filter(user=buyer).count() == 0


def test_plan_and_product_lines_schedule_no_follow_ups_with_orders(shop, buyer):
    """One engine: plans' and products' follow-ups are the reminder builder's sequences (it sends them from the paid
    order, sanggar/reminders/tests/test_follow_ups_move.py); old catalog steps left in the database schedule nothing
    here, so a buyer never gets a message from both."""
    gold = shop.plan("Gold", follow_ups=[(0, "Halo {name}, selamat datang di {plan}!"), (3, "Cek {invoice} ya")])
    ebook = shop.product("Ebook", follow_ups=[(1, "Sudah baca {product}?")])
    order = shop.buy(buyer, plan_item(gold.slug), product_item(ebook.slug))
    order_mark_paid(order=order, now=timezone.now())
    assert not FollowUp.objects.filter(order=order).exists()


def test_buyer_and_admins_are_notified_after_commit(
    shop, buyer, admin_user, make_user, django_capture_on_commit_callbacks
):
    other_admin = make_user("admin")
    ebook = shop.product("Ebook", price=150_000)
    order = shop.buy(buyer, product_item(ebook.slug))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        order_mark_paid(order=order)
    assert Notification.objects.count() == 0  # nothing before the commit
    for callback in callbacks:
        callback()
    note = Notification.objects.get(user=buyer)
    assert note.title == f"Pembayaran {order.invoice_number} berhasil"
    assert f"sebesar Rp {order.total:,}".replace(",", ".") in note.message
    assert note.link == f"/invoice/{order.invoice_number}"
    assert {d.channel for d in note.deliveries.all()} == {"email", "whatsapp", "push"}
    admin_notes = Notification.objects.filter(user__in=[admin_user, other_admin])
    assert sorted(n.title for n in admin_notes) == [f"Penjualan baru {order.invoice_number}"] * 2
    assert {n.link for n in admin_notes} == {f"/admin/sales/{order.invoice_number}"}
    # the purchase email links the buyer's downloads and the invoice, from the address the platform runs on
    email = note.deliveries.get(channel="email")
    assert email.template_key == "orders.payment_succeeded"
    assert f"{settings.SITE_URL}/produk-saya" in email.body
    assert f"{settings.SITE_URL}/invoice/{order.invoice_number}" in email.body


def test_the_purchase_email_follows_the_template_the_admin_edited(
    shop, buyer, admin_user, settings, django_capture_on_commit_callbacks
):
    from sanggar.notifications.models import MessageTemplate
    from sanggar.notifications.services import message_template_update

    settings.SITE_URL = "https://belajar.contoh.id"
    template = MessageTemplate.objects.get(key="orders.payment_succeeded")
    message_template_update(
        template=template,
        actor=admin_user,
        email_subject="Terima kasih, {name}!",
        email_body="Unduh: {downloads_link}\nInvoice: {invoice_link}\nTotal: {total}",
    )
    order = shop.buy(buyer, product_item(shop.product("Ebook", price=150_000).slug))
    with django_capture_on_commit_callbacks(execute=True):
        order_mark_paid(order=order)
    email = Notification.objects.get(user=buyer).deliveries.get(channel="email")
    assert email.subject == f"Terima kasih, {buyer.full_name}!"
    assert email.body == (
        f"Unduh: https://belajar.contoh.id/produk-saya\nInvoice: https://belajar.contoh.id/invoice/"
        f"{order.invoice_number}\nTotal: Rp {order.total:,}".replace(",", ".")
    )


def test_a_plan_that_can_no_longer_be_activated_keeps_the_payment_and_asks_for_review(shop, buyer):
    silver = shop.plan("Silver", rank=1)
    gold = shop.plan("Gold", rank=2)
    silver_order = shop.buy(buyer, plan_item(silver.slug))  # priced as new while nothing is active
    shop.buy_paid(buyer, plan_item(gold.slug))  # meanwhile Gold became active
    paid = order_mark_paid(order=silver_order)
    assert paid.status == OrderStatus.PAID
    assert paid.needs_review is True
    assert paid.review_reason.startswith("Pembayaran diterima, tetapi aktivasi gagal: Silver (12 Bulan): ")
    assert UserMembership.objects.get(user=buyer, status="active").plan_id == gold.pk
    paid_row = ActivityLog.objects.get(target_id=str(silver_order.pk), action=OrderAction.PAID)
    assert paid_row.data["message"] == paid.review_reason  # the fulfilment problem is part of the paid event
