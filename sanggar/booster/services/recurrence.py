"""Recurring broadcasts: `{"frequency": "daily"|"weekly"|"monthly", "interval": 1–30, "time_of_day": "HH:MM",
"days_of_week": [0–6, 0 = Sunday] (weekly), "end_date": "YYYY-MM-DD" or "", "anchor": "YYYY-MM-DD"}`. Times are
WIB; a monthly send on the 29th–31st falls on the month's last day in shorter months (like `core.dates.add_months`)."""

import re
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.core.dates import add_months
from sanggar.core.exceptions import ServiceError

from ..constants import Frequency

TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def _error(field: str, message: str) -> ServiceError:
    return ServiceError(message, errors={field: [message]})


def clean(config: dict, *, first: datetime) -> dict:
    """A validated recurrence for a first send at `first` (aware)."""
    frequency = str(config.get("frequency") or "")
    if frequency not in Frequency.values:
        raise _error("frequency", _("Pilih harian, mingguan atau bulanan."))
    try:
        interval = int(config.get("interval") or 1)
    except (TypeError, ValueError):
        interval = 0
    if not 1 <= interval <= 30:
        raise _error("interval", _("Interval antara 1 dan 30."))
    local = timezone.localtime(first)
    time_of_day = str(config.get("time_of_day") or local.strftime("%H:%M"))
    if not TIME_RE.match(time_of_day):
        raise _error("time_of_day", _("Jam dengan format JJ:MM, mis. 09:00."))
    days = []
    if frequency == Frequency.WEEKLY:
        raw = config.get("days_of_week") or []
        if not isinstance(raw, list | tuple):
            raise _error("days_of_week", _("Pilih hari pengiriman."))
        try:
            days = sorted({int(d) for d in raw})
        except (TypeError, ValueError):
            days = [-1]
        if not days or any(d < 0 or d > 6 for d in days):
            raise _error("days_of_week", _("Pilih paling sedikit satu hari (Min–Sab)."))
    end = str(config.get("end_date") or "")
    if end:
        try:
            end_date = date.fromisoformat(end)
        except ValueError:
            raise _error("end_date", _("Tanggal berakhir tidak valid.")) from None
        if end_date < local.date():
            raise _error("end_date", _("Tanggal berakhir harus setelah pengiriman pertama."))
    return {
        "frequency": frequency,
        "interval": interval,
        "time_of_day": time_of_day,
        "days_of_week": days,
        "end_date": end,
        "anchor": local.date().isoformat(),
    }


def _at(day: date, time_of_day: str) -> datetime:
    hour, minute = (int(p) for p in time_of_day.split(":"))
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _dow(day: date) -> int:
    return (day.weekday() + 1) % 7  # 0 = Sunday


def first_at(config: dict, chosen: datetime) -> datetime:
    """The first send at or after `chosen` that matches the rule (a weekly rule starts on one of its days)."""
    local = timezone.localtime(chosen)
    candidate = _at(local.date(), config["time_of_day"])
    if candidate < chosen:
        candidate = _at(local.date() + timedelta(days=1), config["time_of_day"])
    if config["frequency"] == Frequency.WEEKLY:
        for _i in range(8):
            if _dow(timezone.localtime(candidate).date()) in config["days_of_week"]:
                break
            candidate = _at(timezone.localtime(candidate).date() + timedelta(days=1), config["time_of_day"])
    return candidate


def next_at(config: dict, last: datetime) -> datetime | None:
    """The occurrence after `last`, or None when it would fall after the end date."""
    last_day = timezone.localtime(last).date()
    anchor = date.fromisoformat(config.get("anchor") or last_day.isoformat())
    interval = int(config["interval"])
    frequency = config["frequency"]
    if frequency == Frequency.DAILY:
        day = last_day + timedelta(days=interval)
    elif frequency == Frequency.WEEKLY:
        anchor_week = anchor - timedelta(days=_dow(anchor))
        day = last_day + timedelta(days=1)
        for _i in range(7 * interval + 7):
            week = (day - timedelta(days=_dow(day)) - anchor_week).days // 7
            if week % interval == 0 and _dow(day) in config["days_of_week"]:
                break
            day += timedelta(days=1)
    else:
        k = 1
        day = add_months(anchor, interval * k)
        while day <= last_day:
            k += 1
            day = add_months(anchor, interval * k)
    end = config.get("end_date")
    if end and day > date.fromisoformat(end):
        return None
    return _at(day, config["time_of_day"])
