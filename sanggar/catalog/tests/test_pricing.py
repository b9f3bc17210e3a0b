"""The money arithmetic: promo prices, floors, and the spread of a coupon over order lines (hypothesis)."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from sanggar.catalog.pricing import (
    coupon_discounts,
    discount_amount,
    effective_price,
    percent_of,
    spread_fixed,
)

NOW = datetime(2025, 11, 23, 7, 0, tzinfo=UTC)
amounts_st = st.lists(st.integers(min_value=0, max_value=50_000_000), min_size=1, max_size=8)


def test_effective_price_uses_a_running_promo():
    later = NOW + timedelta(days=1)
    assert effective_price(price=500_000, promo_price=399_000, promo_ends_at=later, now=NOW) == 399_000
    assert effective_price(price=500_000, promo_price=399_000, promo_ends_at=None, now=NOW) == 399_000


def test_effective_price_ignores_an_ended_or_missing_promo():
    assert effective_price(price=500_000, promo_price=399_000, promo_ends_at=NOW, now=NOW) == 500_000
    assert effective_price(price=500_000, promo_price=399_000, promo_ends_at=NOW - timedelta(seconds=1), now=NOW) == (
        500_000
    )
    assert effective_price(price=500_000, promo_price=None, promo_ends_at=None, now=NOW) == 500_000
    # A promo that is not lower is no promo.
    assert effective_price(price=500_000, promo_price=500_000, promo_ends_at=None, now=NOW) == 500_000


def test_percent_is_floored():
    assert percent_of(99_999, 10) == 9_999  # 9.999,9 → 9.999
    assert percent_of(1, 50) == 0
    assert percent_of(150_000, 100) == 150_000
    assert percent_of(150_000, 150) == 150_000
    assert percent_of(0, 30) == 0


def test_member_discount_is_capped_at_the_amount():
    assert discount_amount(discount_type="percent", value=20, amount=149_999) == 29_999
    assert discount_amount(discount_type="fixed", value=50_000, amount=149_999) == 50_000
    assert discount_amount(discount_type="fixed", value=500_000, amount=149_999) == 149_999
    assert discount_amount(discount_type="fixed", value=0, amount=149_999) == 0


def test_fixed_spread_examples():
    assert spread_fixed(100_000, [300_000, 100_000]) == [75_000, 25_000]
    assert spread_fixed(10, [1, 1, 1]) == [1, 1, 1]  # more than the lines: capped at their sum
    assert spread_fixed(2, [1, 1, 1]) == [1, 1, 0]  # ties: earlier lines first
    assert spread_fixed(5, [0, 10]) == [0, 5]
    assert spread_fixed(5, [0, 0]) == [0, 0]


def test_coupon_discounts_only_touch_applicable_lines():
    assert coupon_discounts(
        discount_type="percent", value=10, amounts=[1_000_000, 150_000], applicable=[True, False]
    ) == [100_000, 0]
    assert coupon_discounts(
        discount_type="fixed", value=50_000, amounts=[1_000_000, 30_000, 20_000], applicable=[False, True, True]
    ) == [0, 30_000, 20_000]


@given(value=st.integers(min_value=0, max_value=10**12), amounts=amounts_st)
def test_fixed_spread_sums_to_the_coupon_or_the_amount_and_never_exceeds_a_line(value, amounts):
    parts = spread_fixed(value, amounts)
    assert len(parts) == len(amounts)
    assert sum(parts) == min(value, sum(amounts))
    assert all(0 <= part <= amount for part, amount in zip(parts, amounts, strict=True))


@given(value=st.integers(min_value=1, max_value=100), amounts=amounts_st, data=st.data())
def test_percent_coupon_never_exceeds_the_applicable_amount(value, amounts, data):
    applicable = data.draw(st.lists(st.booleans(), min_size=len(amounts), max_size=len(amounts)))
    parts = coupon_discounts(discount_type="percent", value=value, amounts=amounts, applicable=applicable)
    for part, amount, ok in zip(parts, amounts, applicable, strict=True):
        assert part == (amount * value // 100 if ok else 0)
        assert 0 <= part <= amount


@given(value=st.integers(min_value=1, max_value=10**10), amounts=amounts_st, data=st.data())
def test_fixed_coupon_spread_over_applicable_lines(value, amounts, data):
    applicable = data.draw(st.lists(st.booleans(), min_size=len(amounts), max_size=len(amounts)))
    parts = coupon_discounts(discount_type="fixed", value=value, amounts=amounts, applicable=applicable)
    applicable_total = sum(a for a, ok in zip(amounts, applicable, strict=True) if ok)
    assert sum(parts) == min(value, applicable_total)
    for part, amount, ok in zip(parts, amounts, applicable, strict=True):
        assert 0 <= part <= (amount if ok else 0)


@given(
    price=st.integers(min_value=1, max_value=10**10),
    promo=st.one_of(st.none(), st.integers(min_value=0, max_value=10**10)),
    offset=st.one_of(st.none(), st.integers(min_value=-(10**6), max_value=10**6)),
)
def test_effective_price_is_the_price_or_a_lower_running_promo(price, promo, offset):
    ends = None if offset is None else NOW + timedelta(seconds=offset)
    result = effective_price(price=price, promo_price=promo, promo_ends_at=ends, now=NOW)
    running = promo is not None and promo < price and (ends is None or ends > NOW)
    assert result == (promo if running else price)
