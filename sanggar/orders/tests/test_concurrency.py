"""Row locks under real concurrency (PostgreSQL only): invoice numbers, the paid transition, seats, the unpaid-order
limits and manual-transfer unique codes."""

import threading

import pytest
from django.db import connection, connections

from sanggar.audit.models import ActivityLog
from sanggar.catalog.models import Product
from sanggar.core.exceptions import ServiceError
from sanggar.memberships.models import UserMembership
from sanggar.orders.constants import OrderAction
from sanggar.orders.models import Order
from sanggar.orders.services import PendingOrderLimit, order_mark_paid
from sanggar.orders.tests.shop import Shop, plan_item, product_item

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def _run_together(count: int, work) -> list:
    """Runs `work(i)` in `count` threads released at the same moment; returns results or exceptions."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index):
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as exc:  # collected and asserted by the test
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_invoice_numbers_are_unique_and_sequential_under_concurrency(admin_user, make_user):
    shop = Shop(admin_user)
    ebook = shop.product("Ebook", price=100_000)
    buyers = [make_user() for _ in range(12)]
    results = _run_together(12, lambda i: shop.buy(buyers[i], product_item(ebook.slug)).invoice_number)
    assert all(isinstance(r, str) for r in results), results
    assert sorted(results) == [f"INV{n:06d}" for n in range(1, 13)]
    assert Order.objects.count() == 12


def test_concurrent_mark_paid_has_exactly_one_effect(admin_user, make_user):
    shop = Shop(admin_user)
    gold = shop.plan("Gold")
    buyer = make_user()
    order = shop.buy(buyer, plan_item(gold.slug))
    results = _run_together(6, lambda i: order_mark_paid(order=Order.objects.get(pk=order.pk)).status)
    assert results == ["paid"] * 6
    assert ActivityLog.objects.filter(target_id=str(order.pk), action=OrderAction.PAID).count() == 1
    assert UserMembership.objects.filter(user=buyer).count() == 1


def test_the_last_seat_goes_to_one_buyer(admin_user, make_user):
    shop = Shop(admin_user)
    webinar = shop.product("Webinar", stock=1)
    buyers = [make_user() for _ in range(5)]
    results = _run_together(5, lambda i: shop.buy(buyers[i], product_item(webinar.slug)))
    orders = [r for r in results if isinstance(r, Order)]
    assert len(orders) == 1
    assert Order.objects.count() == 1


def test_twenty_buyers_racing_for_the_last_three_seats_get_exactly_three_orders(admin_user, make_user, order_limits):
    shop = Shop(admin_user)
    webinar = shop.product("Webinar Menembus Buyer Eropa", stock=3)
    buyers = [make_user() for _ in range(20)]
    results = _run_together(20, lambda i: shop.buy(buyers[i], product_item(webinar.slug)))
    orders = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, ServiceError)]
    assert len(orders) == 3, results
    assert len(refused) == 17 and all(r.code == "sold_out" for r in refused)
    assert Order.objects.count() == 3
    assert Product.objects.get(pk=webinar.pk).sold_count == 3


def test_one_buyers_twenty_parallel_orders_leave_at_most_the_limit(admin_user, make_user, order_limits):
    shop = Shop(admin_user)
    webinar = shop.product("Webinar", stock=50)
    others = [shop.product(f"Ebook {n}", price=100_000 + n) for n in range(20)]
    buyer = make_user()
    same = _run_together(20, lambda i: shop.buy(buyer, product_item(webinar.slug)))
    assert Order.objects.filter(buyer=buyer).count() == 1  # one unpaid order per item
    assert sum(isinstance(r, PendingOrderLimit) for r in same) == 19
    mixed = _run_together(20, lambda i: shop.buy(buyer, product_item(others[i].slug)))
    assert Order.objects.filter(buyer=buyer, status="pending").count() == 3  # per-buyer limit
    assert sum(isinstance(r, Order) for r in mixed) == 2
    assert Product.objects.get(pk=webinar.pk).sold_count == 1


def test_two_hundred_pending_manual_orders_of_one_amount_get_two_hundred_codes(admin_user, make_user):
    shop = Shop(admin_user)
    ebook = shop.product("Ebook Ekspor", price=150_000)
    buyers = [make_user() for _ in range(200)]

    def buy(i):
        # Ten threads at a time: twenty connections at once is the most a CI PostgreSQL is asked for.
        return [shop.buy(buyers[i * 20 + n], product_item(ebook.slug)) for n in range(20)]

    results = _run_together(10, buy)
    assert all(isinstance(r, list) for r in results), results
    codes = list(Order.objects.filter(status="pending").values_list("unique_code", flat=True))
    assert len(codes) == 200 and len(set(codes)) == 200
    assert all(1 <= code <= 999 for code in codes)
    assert set(Order.objects.values_list("total", flat=True)) == {150_000 + code for code in codes}
