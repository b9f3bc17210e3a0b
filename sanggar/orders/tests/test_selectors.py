"""Selectors: the permission-checked fetch, the buyer's list, the sales summary and the admin dashboard card."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.core.exceptions import NotFound
from sanggar.orders import selectors
from sanggar.orders.models import Order
from sanggar.orders.selectors import SalesFilters, period_range
from sanggar.orders.services import order_refund
from sanggar.orders.tests.shop import Shop, plan_item, product_item
from sanggar.orders.views.admin import SaleOrder

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


def test_sales_page_rows_compiled_once_per_filter_set_give_the_rows_of_each_requests_values(shop, make_user):
    """The sales list page's statement is compiled once per set of active filters and page, its values swapped in
    on each run: every shape of filters answers the same rows as the ORM, for one set of values and another."""
    assert len(SaleOrder._fields) == len(selectors.SALES_ROW_COLUMNS)
    gold = shop.plan("Gold")
    ebook, course = shop.product("Ebook", price=100_000), shop.product("Kursus", price=200_000)
    now = timezone.now()
    orders = [
        shop.buy_paid(make_user(), product_item(ebook.slug), now=now - timedelta(days=3)),
        shop.buy(make_user(), product_item(course.slug), now=now - timedelta(days=2)),
        shop.buy(make_user(), plan_item(gold.slug), now=now - timedelta(days=1)),
        shop.buy_paid(make_user(), plan_item(gold.slug), now=now),
    ]
    Order.objects.filter(pk=orders[2].pk).update(provider="xendit", needs_review=True)
    today, week_ago = timezone.localdate(now), timezone.localdate(now - timedelta(days=7))
    shapes = [
        [SalesFilters()],
        [SalesFilters(status="paid"), SalesFilters(status="pending"), SalesFilters(status="refunded")],
        [SalesFilters(provider="manual"), SalesFilters(provider="xendit")],
        [SalesFilters(kind="plan"), SalesFilters(kind="product")],
        [SalesFilters(item=f"product-{ebook.pk}"), SalesFilters(item=f"product-{course.pk}")],
        [SalesFilters(item=f"plan-{gold.pk}"), SalesFilters(item="plan-999999")],
        [SalesFilters(date_from=week_ago, date_to=today), SalesFilters(date_from=today, date_to=today)],
        [SalesFilters(status="paid", kind="product"), SalesFilters(status="pending", kind="plan")],
        [SalesFilters(needs_review=True)],
        [SalesFilters(q=orders[0].invoice_number), SalesFilters(q="tidak-ada")],
    ]
    seen = set()
    for shape in shapes:
        for filters in shape:
            expected = list(selectors.sales_list(filters=filters).values_list(*selectors.SALES_ROW_COLUMNS)[0:25])
            for _run in range(2):  # compiled on the first run, reused on the second
                assert selectors.sales_page_rows(filters=filters, start=0, stop=25) == expected, filters
            seen.add(tuple(row[0] for row in expected))
        assert selectors.sales_page_rows(filters=shape[0], start=1, stop=2) == expected_slice(shape[0], 1, 2)
    assert len(seen) > 5  # the filters chose different rows
    assert selectors.sales_page_rows(start=0, stop=0) == []  # an empty list's page
    assert [row[1] for row in selectors.sales_page_rows(start=0, stop=25)] == [
        o.invoice_number for o in reversed(orders)
    ]


def expected_slice(filters, start, stop):
    return list(selectors.sales_list(filters=filters).values_list(*selectors.SALES_ROW_COLUMNS)[start:stop])
