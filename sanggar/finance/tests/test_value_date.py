"""A ledger transaction's value date (issue 9, item 5): a sale's split is dated at the sale's paid time, and the
finance reports count by it, so "today" on the sales page and in Keuangan agree."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.finance.constants import TransactionKind
from sanggar.finance.models import LedgerTransaction
from sanggar.finance.selectors import finance_series, finance_summary
from sanggar.orders.selectors import sales_summary

pytestmark = pytest.mark.django_db


def test_a_sale_paid_yesterday_counts_yesterday_in_finance_and_sales(world):
    today = timezone.localdate()
    late_yesterday = timezone.make_aware(
        timezone.datetime.combine(today - timedelta(days=1), timezone.datetime.min.time())
    ) + timedelta(hours=23, minutes=50)
    old = world.paid_order(world.product("Kelas Kemarin", price=500_000), now=late_yesterday)
    new = world.paid_order(world.product("Kelas Hari Ini", price=300_000))

    split = LedgerTransaction.objects.get(order=old, kind=TransactionKind.SALE_SPLIT)
    assert split.value_date == old.paid_at
    assert timezone.localtime(split.created_at).date() >= today  # posted now, dated at the payment

    finance_today = finance_summary(date_from=today, date_to=today)
    sales = sales_summary()
    assert (finance_today["orders"], finance_today["gross"]) == (1, new.total)
    assert (sales.paid_today, sales.revenue_today) == (1, new.total)
    assert finance_summary(date_from=today - timedelta(days=1), date_to=today - timedelta(days=1))["orders"] == 1
    points = finance_series(date_from=today - timedelta(days=1), date_to=today)
    assert [p["gross"] for p in points] == [old.total, new.total]
