"""Selectors: the permission-checked fetch, the buyer's list, the sales summary and the admin dashboard card."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.core.exceptions import NotFound
from sanggar.orders import selectors
from sanggar.orders.selectors import period_range
from sanggar.orders.services import order_refund
from sanggar.orders.tests.shop import Shop, product_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(admin_user):
    return Shop(admin_user)


def test_order_get_for_user_is_for_the_buyer_and_admins(shop, make_user, admin_user):
    buyer = make_user()
    order = shop.buy(buyer, product_item(shop.product("Ebook").slug))
    assert selectors.order_get_for_user(user=buyer, invoice_number=order.invoice_number.lower()).pk == order.pk
    assert selectors.order_get_for_user(user=admin_user, invoice_number=order.invoice_number).pk == order.pk
    for user, number in ((make_user(), order.invoice_number), (buyer, "INV000999"), (buyer, "")):
        with pytest.raises(NotFound):
            selectors.order_get_for_user(user=user, invoice_number=number)


def test_buyer_list_is_newest_first(shop, make_user):
    buyer = make_user()
    ebook = shop.product("Ebook")
    now = timezone.now()
    older = shop.buy(buyer, product_item(ebook.slug), now=now - timedelta(days=1))
    newer = shop.buy(buyer, product_item(ebook.slug), now=now)
    shop.buy(make_user(), product_item(ebook.slug))
    assert list(selectors.order_list_for_buyer(user=buyer)) == [newer, older]


def test_sales_summary_counts_paid_revenue_only(shop, make_user, admin_user):
    ebook = shop.product("Ebook", price=100_000)
    now = timezone.now()
    today = shop.buy_paid(make_user(), product_item(ebook.slug))
    refunded = shop.buy_paid(make_user(), product_item(ebook.slug))
    order_refund(order=refunded, actor=admin_user, reason="Batal")
    shop.buy(make_user(), product_item(ebook.slug))
    summary = selectors.sales_summary(now=now)
    assert (summary.revenue_today, summary.paid_today, summary.pending, summary.needs_review) == (
        today.total, 1, 1, 0,
    )  # fmt: skip
    assert summary.revenue_month >= summary.revenue_today


def test_period_shortcuts():
    day = timezone.datetime(2025, 11, 20).date()  # a Thursday
    assert period_range("today", today=day) == (day, day)
    assert period_range("week", today=day) == (timezone.datetime(2025, 11, 17).date(), day)
    assert period_range("month", today=day) == (timezone.datetime(2025, 11, 1).date(), day)
    assert period_range("year", today=day) == (timezone.datetime(2025, 1, 1).date(), day)
    assert period_range("abad", today=day) == (None, None)


def test_admin_dashboard_card(admin_client, shop, make_user, client):
    ebook = shop.product("Ebook", price=100_000)
    paid = shop.buy_paid(make_user(), product_item(ebook.slug))
    shop.buy(make_user(), product_item(ebook.slug))
    html = admin_client.get("/dashboard/").content.decode()
    assert "Penjualan" in html
    assert f"Rp {paid.total:,} · 1".replace(",", ".") in html
    assert "/admin/sales?status=pending" in html
    member = make_user()
    client.force_login(member)
    assert "/admin/sales" not in client.get("/dashboard/").content.decode()
