"""The spec's recurring examples (WIB): daily 09:00, weekly Monday and Wednesday 20:00, monthly on the 1st 10:00,
weekly stopping after three months; a monthly send on the 31st falls on shorter months' last day."""

from datetime import datetime

import pytest
from django.utils import timezone

from sanggar.booster.services import recurrence
from sanggar.core.exceptions import ServiceError


def at(*args):
    return timezone.make_aware(datetime(*args))


def test_daily_at_nine():
    config = recurrence.clean({"frequency": "daily", "interval": 1, "time_of_day": "09:00"}, first=at(2027, 1, 4, 8))
    first = recurrence.first_at(config, at(2027, 1, 4, 8))
    assert first == at(2027, 1, 4, 9)
    assert recurrence.next_at(config, first) == at(2027, 1, 5, 9)


def test_weekly_monday_and_wednesday_at_twenty():
    start = at(2027, 1, 5, 12)  # a Tuesday
    config = recurrence.clean({"frequency": "weekly", "days_of_week": [1, 3], "time_of_day": "20:00"}, first=start)
    first = recurrence.first_at(config, start)
    assert first == at(2027, 1, 6, 20)  # Wednesday
    second = recurrence.next_at(config, first)
    assert second == at(2027, 1, 11, 20)  # Monday
    assert recurrence.next_at(config, second) == at(2027, 1, 13, 20)


def test_monthly_on_the_first_and_the_31st_clamped():
    config = recurrence.clean({"frequency": "monthly", "time_of_day": "10:00"}, first=at(2027, 1, 1, 7))
    first = recurrence.first_at(config, at(2027, 1, 1, 7))
    assert recurrence.next_at(config, first) == at(2027, 2, 1, 10)
    end_of_month = recurrence.clean({"frequency": "monthly", "time_of_day": "10:00"}, first=at(2027, 1, 31, 7))
    assert recurrence.next_at(end_of_month, at(2027, 1, 31, 10)) == at(2027, 2, 28, 10)
    assert recurrence.next_at(end_of_month, at(2027, 2, 28, 10)) == at(2027, 3, 31, 10)


def test_weekly_stops_at_the_end_date():
    config = recurrence.clean(
        {"frequency": "weekly", "days_of_week": [1], "time_of_day": "08:00", "end_date": "2027-04-04"},
        first=at(2027, 1, 4, 7),
    )
    last = at(2027, 3, 29, 8)
    assert recurrence.next_at(config, last) is None


@pytest.mark.parametrize(
    "bad",
    [{"frequency": "yearly"}, {"frequency": "daily", "interval": 31}, {"frequency": "daily", "time_of_day": "25:00"},
     {"frequency": "weekly", "days_of_week": []}, {"frequency": "weekly", "days_of_week": [7]},
     {"frequency": "daily", "end_date": "kemarin"}],
)  # fmt: skip
def test_bad_rules_are_refused(bad):
    with pytest.raises(ServiceError):
        recurrence.clean(bad, first=at(2027, 1, 4, 8))
