"""Calendar arithmetic shared by every app: months of a membership, days left, reminders.

A month of duration is a calendar month: 31 Jan + 1 month = 28 (or 29) Feb, the day clamped to the month's length.
Aware datetimes are computed in the platform's time zone (Asia/Jakarta), so "one month from 1 Mar 03:00 WIB" is
"1 Apr 03:00 WIB" whatever the UTC date is.
"""

import calendar
from datetime import date, datetime

from django.utils import timezone


def add_months(value: datetime | date, months: int) -> datetime | date:
    """`value` moved by `months` calendar months (negative moves back); the day is clamped to the target month."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    index = value.year * 12 + (value.month - 1) + int(months)
    year, month = divmod(index, 12)
    month += 1
    day = min(value.day, calendar.monthrange(year, month)[1])
    return value.replace(year=year, month=month, day=day)


def local_date(value: datetime | date) -> date:
    """The calendar date of `value` in WIB (a plain date is returned as it is)."""
    if isinstance(value, datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    return value


def days_between(start: datetime | date, end: datetime | date) -> int:
    """Calendar days from `start` to `end` in WIB: 23 Nov 23:00 → 24 Nov 01:00 is 1 day; negative when `end` is
    earlier. "Berakhir dalam 3 hari" means `days_between(now, ends_at) == 3`."""
    return (local_date(end) - local_date(start)).days
