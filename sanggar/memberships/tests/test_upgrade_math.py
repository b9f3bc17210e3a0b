"""Property tests of the upgrade arithmetic: the credit never exceeds the old price nor the new one, the amount is
never negative and is exactly list price minus credit, and more days left never means less credit."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanggar.access.tests.factories import make_plan, price_of
from sanggar.catalog.models import PlanPrice
from sanggar.memberships.models import UserMembership
from sanggar.memberships.services.quotes import quote_for as _quote
from sanggar.memberships.services.quotes import upgrade_credit

WIB = ZoneInfo("Asia/Jakarta")
money = st.integers(min_value=0, max_value=10**12)
days = st.integers(min_value=0, max_value=4000)
periods = st.integers(min_value=1, max_value=400)


@given(old_value=money, remaining=days, period=periods, new_price=money, lifetime=st.booleans())
def test_credit_is_bounded_by_both_prices(old_value, remaining, period, new_price, lifetime):
    credit = upgrade_credit(
        old_value=old_value, remaining_days=remaining, period_days=period, lifetime=lifetime, new_price=new_price
    )
    assert 0 <= credit <= old_value
    assert credit <= new_price
    amount = new_price - credit
    assert amount >= 0


@given(old_value=money, remaining=days, period=periods, new_price=money)
def test_credit_is_the_floor_of_the_pro_rata_share(old_value, remaining, period, new_price):
    credit = upgrade_credit(
        old_value=old_value, remaining_days=remaining, period_days=period, lifetime=False, new_price=new_price
    )
    expected = min(old_value * min(remaining, period) // period, new_price)
    assert credit == expected
    # The buyer is never credited a fraction of a rupiah more than the unused share.
    assert credit * period <= old_value * min(remaining, period)


@given(old_value=money, a=days, b=days, period=periods, new_price=money)
def test_credit_is_monotonic_in_remaining_days(old_value, a, b, period, new_price):
    fewer, more = sorted((a, b))
    args = {"old_value": old_value, "period_days": period, "lifetime": False, "new_price": new_price}
    assert upgrade_credit(remaining_days=fewer, **args) <= upgrade_credit(remaining_days=more, **args)


@given(old_value=money, new_price=money)
def test_lifetime_credit_is_the_old_price_capped_at_the_new(old_value, new_price):
    credit = upgrade_credit(old_value=old_value, remaining_days=0, period_days=0, lifetime=True, new_price=new_price)
    assert credit == min(old_value, new_price)


START = datetime(2025, 1, 1, 10, 0, tzinfo=WIB)


@pytest.fixture
def plans(db, member_user):
    silver = make_plan("silver", rank=1, prices={"12m": 1_000_000, "1m": 100_000})
    gold = make_plan("gold", rank=2, prices={"12m": 1_500_000, "1m": 150_000})
    current = UserMembership.objects.create(
        user=member_user, plan=silver, duration="12m", status="active", starts_at=START,
        ends_at=datetime(2026, 1, 1, 10, 0, tzinfo=WIB),
    )  # fmt: skip
    return silver, gold, current


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    old_price=st.integers(min_value=0, max_value=50_000_000),
    new_price=st.integers(min_value=0, max_value=50_000_000),
    elapsed_a=st.integers(min_value=0, max_value=400 * 24),
    elapsed_b=st.integers(min_value=0, max_value=400 * 24),
)
def test_quote_upgrade_properties(plans, old_price, new_price, elapsed_a, elapsed_b):
    silver, gold, current = plans
    PlanPrice.objects.filter(plan=silver, duration="12m").update(price=old_price)
    PlanPrice.objects.filter(plan=gold, duration="12m").update(price=new_price)
    start = START
    gold_12 = price_of(gold, "12m")
    earlier, later = sorted((elapsed_a, elapsed_b))

    quote_early = _quote(current=current, plan_price=gold_12, now=start + timedelta(hours=earlier))
    quote_late = _quote(current=current, plan_price=gold_12, now=start + timedelta(hours=later))

    for quote in (quote_early, quote_late):
        assert quote.pricing == "upgrade"
        assert quote.allowed is True
        assert quote.list_price == new_price
        assert 0 <= quote.credit <= old_price
        assert quote.amount >= 0
        assert quote.amount == quote.list_price - quote.credit
    # More time left (an earlier moment) never gives less credit.
    assert quote_early.credit >= quote_late.credit
