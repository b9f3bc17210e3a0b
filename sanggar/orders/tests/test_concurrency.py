"""Row locks under real concurrency (PostgreSQL only): invoice numbers and the paid transition."""

import threading

import pytest
from django.db import connection, connections

from sanggar.audit.models import ActivityLog
from sanggar.memberships.models import UserMembership
from sanggar.orders.constants import OrderAction
from sanggar.orders.models import Order
from sanggar.orders.services import order_mark_paid
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
