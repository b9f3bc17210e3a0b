"""Payout races on PostgreSQL: two requests for the whole balance at once → exactly one succeeds."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from sanggar.core.exceptions import ServiceError
from sanggar.finance.constants import AccountKind
from sanggar.finance.models import Payout
from sanggar.finance.services import commissions_release_sweep, payout_request

from .conftest import balance

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def _run_together(count: int, work) -> list:
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


def test_two_requests_for_the_whole_balance_one_succeeds(world):
    world.paid_order(world.product())
    commissions_release_sweep(now=timezone.now() + timedelta(days=8))
    assert balance(world.affiliate, AccountKind.AFFILIATE)["available"] == 300_000

    def work(_index):
        return payout_request(
            user=world.affiliate, wallet_kind="affiliate", amount=300_000, bank_name="BCA",
            bank_account_number="1234567890", bank_account_holder="Dinda",
        )  # fmt: skip

    results = _run_together(4, work)
    payouts = [r for r in results if isinstance(r, Payout)]
    errors = [r for r in results if isinstance(r, ServiceError)]
    assert (len(payouts), len(errors)) == (1, 3)
    assert all(e.code == "insufficient_balance" for e in errors)
    assert Payout.objects.count() == 1
    assert balance(world.affiliate, AccountKind.AFFILIATE) == {
        "pending": 0, "available": 0, "reserved": 300_000, "paid_out": 0
    }  # fmt: skip


def test_release_sweeps_running_together_release_once(world):
    world.paid_order(world.product())
    later = timezone.now() + timedelta(days=8)
    results = _run_together(3, lambda _i: commissions_release_sweep(now=later))
    assert sum(results) == 2
    assert balance(world.affiliate, AccountKind.AFFILIATE)["available"] == 300_000
    assert balance(world.mentor, AccountKind.MENTOR)["available"] == 140_000
