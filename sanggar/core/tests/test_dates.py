"""Calendar arithmetic: months with the day clamped to the month's length, computed in WIB; calendar days."""

import calendar
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from sanggar.core.dates import add_months, days_between, local_date

WIB = ZoneInfo("Asia/Jakarta")


def test_add_months_clamps_the_day_to_the_month_length():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2025, 3, 31), 1) == date(2025, 4, 30)
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)


def test_add_months_crosses_years_both_ways():
    assert add_months(date(2025, 12, 15), 1) == date(2026, 1, 15)
    assert add_months(date(2025, 11, 23), 12) == date(2026, 11, 23)
    assert add_months(date(2025, 1, 15), -1) == date(2024, 12, 15)
    assert add_months(date(2025, 3, 31), -1) == date(2025, 2, 28)
    assert add_months(date(2025, 5, 10), -13) == date(2024, 4, 10)
    assert add_months(date(2025, 5, 10), 0) == date(2025, 5, 10)


def test_add_months_on_aware_datetimes_counts_in_wib():
    # 1 Mar 03:00 WIB is still 28 Feb in UTC; one month later is 1 Apr 03:00 WIB, not 28 Mar.
    start = datetime(2025, 2, 28, 20, 0, tzinfo=UTC)
    result = add_months(start, 1)
    assert result == datetime(2025, 4, 1, 3, 0, tzinfo=WIB)
    assert result.utcoffset().total_seconds() == 7 * 3600


def test_add_months_keeps_the_time_of_day():
    start = datetime(2025, 1, 31, 14, 5, 9, tzinfo=WIB)
    assert add_months(start, 1) == datetime(2025, 2, 28, 14, 5, 9, tzinfo=WIB)


def test_days_between_counts_calendar_days_in_wib():
    late = datetime(2025, 11, 23, 23, 0, tzinfo=WIB)
    early_next = datetime(2025, 11, 24, 1, 0, tzinfo=WIB)
    assert days_between(late, early_next) == 1
    assert days_between(early_next, late) == -1
    # Same WIB day although the UTC dates differ (16:30 UTC = 23:30 WIB).
    assert days_between(datetime(2025, 11, 23, 1, 0, tzinfo=WIB), datetime(2025, 11, 23, 16, 30, tzinfo=UTC)) == 0
    assert days_between(date(2025, 1, 1), date(2025, 12, 31)) == 364


def test_local_date_converts_aware_datetimes_to_wib():
    assert local_date(datetime(2025, 11, 23, 18, 0, tzinfo=UTC)) == date(2025, 11, 24)
    assert local_date(date(2025, 11, 23)) == date(2025, 11, 23)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2900, 12, 31)), st.integers(min_value=-1200, max_value=1200))
def test_add_months_properties(start, months):
    result = add_months(start, months)
    # The month moved by exactly `months`.
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    # The day is kept, or clamped to the last day of a shorter month.
    last_day = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(start.day, last_day)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), st.integers(min_value=0, max_value=240))
def test_add_months_is_monotonic(start, months):
    assert add_months(start, months) <= add_months(start, months + 1)
    assert days_between(start, add_months(start, months)) >= 28 * months
