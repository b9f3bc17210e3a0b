"""POST /api/v1/admin/orders/{invoice_number}/mark-paid."""

import pytest

from sanggar.api.testing import call
from sanggar.memberships.models import UserMembership
from sanggar.orders.constants import OrderStatus
from sanggar.orders.models import Order
from sanggar.orders.tests.shop import Shop, plan_item
from sanggar.payments.models import Payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(admin_user, make_user):
    shop = Shop(admin_user)
    return shop.buy(make_user(), plan_item(shop.plan("Gold").slug))


def test_admin_marks_an_order_paid(client, admin_user, order):
    response = call(client, "post", f"/admin/orders/{order.invoice_number}/mark-paid", {"note": "BCA"}, user=admin_user)
    assert response.status_code == 200
    body = response.json()
    order.refresh_from_db()
    assert body["invoice_number"] == order.invoice_number
    assert (body["status"], body["total"], body["needs_review"], body["review_reason"]) == (
        "paid",
        order.total,
        False,
        "",
    )
    assert body["paid_at"] is not None
    assert Payment.objects.get(order=order).note == "BCA"
    assert UserMembership.objects.get(user=order.buyer).status == "active"

    again = call(client, "post", f"/admin/orders/{order.invoice_number}/mark-paid", {}, user=admin_user)
    assert (again.status_code, again.json()["status"]) == (200, "paid")
    assert Payment.objects.filter(order=order).count() == 1


def test_non_admins_are_refused_and_nothing_changes(client, make_user, order):
    anonymous = call(client, "post", f"/admin/orders/{order.invoice_number}/mark-paid", {})
    assert anonymous.status_code == 401
    member = call(client, "post", f"/admin/orders/{order.invoice_number}/mark-paid", {}, user=order.buyer)
    assert member.status_code == 403
    assert member.json()["message"]
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING
    assert Payment.objects.count() == 0


def test_unknown_invoice_and_bad_body(client, admin_user, order):
    missing = call(client, "post", "/admin/orders/INV999999/mark-paid", {}, user=admin_user)
    assert (missing.status_code, missing.json()["message"]) == (404, "Pesanan tidak ditemukan.")
    extra = call(client, "post", f"/admin/orders/{order.invoice_number}/mark-paid", {"catatan": "x"}, user=admin_user)
    assert extra.status_code == 422
    too_long = call(
        client, "post", f"/admin/orders/{order.invoice_number}/mark-paid", {"note": "x" * 301}, user=admin_user
    )
    assert too_long.status_code == 422
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING
