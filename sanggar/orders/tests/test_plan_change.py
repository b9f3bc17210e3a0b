"""An admin's plan change with charging: an order for the new option's price less the unused value of the current
membership (pro rata whole days left), paid through the normal invoice; the plan switches when it is paid (upgrade
and downgrade), a refund brings the old plan back, and the page and the API both do it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.access.models import Grant
from sanggar.access.tests.factories import price_of
from sanggar.api.testing import call
from sanggar.core.exceptions import ServiceError
from sanggar.finance.models import LedgerTransaction
from sanggar.memberships.models import MembershipUpgradeLog, UserMembership
from sanggar.memberships.services import membership_activate
from sanggar.notifications.models import Notification
from sanggar.orders.models import OrderItem
from sanggar.orders.services import order_mark_paid, order_refund, plan_change_order_create

pytestmark = pytest.mark.django_db


def _running(user):
    return UserMembership.objects.select_related("plan").get(user=user, status="active")


def _credit(membership, value, now):
    period = (membership.ends_at - membership.starts_at).days
    return value * ((membership.ends_at - now) // timedelta(days=1)) // period


def _open(user):
    return set(Grant.objects.filter(user=user, revoked_at__isnull=True).values_list("resource__title", flat=True))


def test_charged_upgrade_bills_the_prorated_difference_and_switches_when_paid(
    member_user, admin_user, catalog, django_capture_on_commit_callbacks
):
    now = timezone.now()
    silver = membership_activate(
        user=member_user, plan_price=price_of(catalog["silver"], "12m"), amount_paid=1_000_000,
        now=now - timedelta(days=73, hours=2),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        order = plan_change_order_create(
            user=member_user, plan_price=price_of(catalog["gold"], "12m"), reason="Minta naik ke Gold",
            actor=admin_user, now=now,
        )  # fmt: skip
    credit = _credit(silver, 1_000_000, now)
    assert 790_000 < credit < 810_000
    item = OrderItem.objects.get(order=order)
    assert (item.pricing, item.list_price, item.upgrade_credit, item.amount) == (
        "upgrade", 1_500_000, credit, 1_500_000 - credit,
    )  # fmt: skip
    assert (order.status, order.affiliate_id, order.total - order.unique_code) == ("pending", None, 1_500_000 - credit)
    assert _running(member_user).plan == catalog["silver"]  # nothing changes before payment
    note = Notification.objects.get(user=member_user, data__event="plan_change_invoice")
    assert note.title == f"Tagihan ganti paket {order.invoice_number}"
    assert "sudah dipotong sisa nilai paket lama" in note.message

    order_mark_paid(order=order, actor=admin_user)
    running = _running(member_user)
    assert (running.plan, running.order_id) == (catalog["gold"], order.pk)
    assert UserMembership.objects.get(pk=silver.pk).status == "expired"
    assert "Kelas Buyer" in _open(member_user)
    split = LedgerTransaction.objects.get(key=f"split:{order.invoice_number}")
    assert split.data["total"] == order.total and split.data["affiliate"] == 0


def test_charged_downgrade_switches_when_paid_and_a_refund_restores(member_user, admin_user, catalog):
    now = timezone.now()
    gold = membership_activate(
        user=member_user, plan_price=price_of(catalog["gold"], "1m"), amount_paid=200_000,
        now=now - timedelta(days=20),
    )  # fmt: skip
    order = plan_change_order_create(
        user=member_user, plan_price=price_of(catalog["silver"], "12m"), reason="Turun ke Silver", actor=admin_user
    )
    item = OrderItem.objects.get(order=order)
    assert item.pricing == "downgrade" and item.upgrade_credit > 0
    assert item.amount == 1_000_000 - item.upgrade_credit
    order_mark_paid(order=order, actor=admin_user)
    silver = _running(member_user)
    assert silver.plan == catalog["silver"] and silver.duration == "12m"
    assert silver.ends_at - silver.starts_at > timedelta(days=360)
    assert "Kelas Buyer" not in _open(member_user) and "Komunitas Pemula" in _open(member_user)
    assert MembershipUpgradeLog.objects.get(new_membership=silver).payment_mode == "admin_change"
    assert Notification.objects.filter(user=member_user, title__contains="Silver").exists()

    order_refund(order=order, actor=admin_user, reason="Batal turun paket")
    assert _running(member_user).pk == gold.pk
    assert "Kelas Buyer" in _open(member_user)


def test_a_credit_above_the_new_price_makes_a_free_order_paid_at_once(member_user, admin_user, catalog):
    membership_activate(user=member_user, plan_price=price_of(catalog["gold"], "12m"), amount_paid=1_500_000)
    order = plan_change_order_create(
        user=member_user, plan_price=price_of(catalog["silver"], "1m"), reason="Turun", actor=admin_user
    )
    assert (order.status, order.total, order.provider) == ("paid", 0, "free")
    assert _running(member_user).plan == catalog["silver"]


def test_refused_without_a_running_membership_or_for_the_same_plan(member_user, admin_user, catalog):
    with pytest.raises(ServiceError) as caught:
        plan_change_order_create(user=member_user, plan_price=price_of(catalog["gold"]), reason="x", actor=admin_user)
    assert caught.value.code == "plan_change_not_allowed"
    membership_activate(user=member_user, plan_price=price_of(catalog["gold"], "1m"), amount_paid=0)
    with pytest.raises(ServiceError) as caught:
        plan_change_order_create(
            user=member_user, plan_price=price_of(catalog["gold"], "12m"), reason="x", actor=admin_user
        )
    assert caught.value.message == "Pilih paket yang berbeda dari paket sekarang."
    with pytest.raises(ServiceError):
        plan_change_order_create(
            user=member_user, plan_price=price_of(catalog["silver"], "12m"), reason=" ", actor=admin_user
        )


def test_api_change_plan_with_charge(client, admin_user, member_user, catalog):
    membership_activate(user=member_user, plan_price=price_of(catalog["silver"], "12m"), amount_paid=1_000_000)
    url = f"/admin/users/{member_user.pk}/membership"
    payload = {"action": "change_plan", "plan": "gold", "duration": "12m", "reason": "Naik", "charge": True}
    response = call(client, "post", url, payload, user=admin_user)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["membership"]["plan"]["slug"] == "silver"
    order = body["order"]
    assert order["status"] == "pending" and order["subtotal"] == 1_500_000 and order["discount"] > 900_000
    assert order["invoice_url"].startswith("http") and order["invoice_url"].endswith(order["invoice_number"])
    again = call(client, "post", url, {**payload, "charge": "ya"}, user=admin_user)
    assert again.status_code == 422
    without = call(client, "post", url, {**payload, "charge": False}, user=admin_user).json()
    assert without["order"] is None and without["membership"]["plan"]["slug"] == "gold"


def test_admin_page_change_plan_with_charge(admin_client, member_user, catalog):
    membership_activate(user=member_user, plan_price=price_of(catalog["silver"], "12m"), amount_paid=1_000_000)
    gold = price_of(catalog["gold"], "12m")
    response = admin_client.post(
        f"/admin/memberships/users/{member_user.pk}/change_plan",
        {"change_plan-plan_price": gold.pk, "change_plan-reason": "Naik ke Gold", "change_plan-charge": "on"},
        follow=True,
    )
    page = response.content.decode()
    item = OrderItem.objects.get(order__buyer=member_user)
    assert f"Tagihan {item.order.invoice_number} sebesar" in page
    assert _running(member_user).plan == catalog["silver"]
    assert "Tagih selisih harga ke member" in page
