"""The reminder sweep reads only what fell due: per step, the index ranges of trigger moments whose slot lies since
the previous run (a watermark, less a short lag), not the whole catch-up window every minute; a preferred-time step
reads nothing outside its minute; without a watermark (first run, an edited step) the catch-up window as before."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from sanggar.reminders import engine, services
from sanggar.reminders.models import ReminderSend, ReminderStep

from .test_builder_engine import join, plan, seq  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def at(day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=WIB)


def test_ranges_per_step_kind():
    plain = ReminderStep(delay_hours=0)
    assert engine.step_base_ranges(plain, lo=at(7, 9), hi=at(7, 10), before=False) == [(at(7, 9), at(7, 10))]
    nine = ReminderStep(delay_hours=0, preferred_time=time(9, 0))
    assert engine.step_base_ranges(nine, lo=at(7, 9, 1), hi=at(7, 10), before=False) == []  # not its minute
    assert engine.step_base_ranges(nine, lo=at(7, 8, 59), hi=at(7, 9, 1), before=False) == [(at(6, 9), at(7, 9))]
    # Monday 09:00 with weekends avoided: the bases since Friday 09:00 (the previous allowed slot) go out now
    weekdays = ReminderStep(delay_hours=0, preferred_time=time(9, 0), avoid_weekends=True)
    assert engine.step_base_ranges(weekdays, lo=at(7, 8, 59), hi=at(7, 9, 1), before=False) == [(at(4, 9), at(7, 9))]
    delayed = ReminderStep(delay_hours=24)
    assert engine.anchor_ranges([delayed], lo=at(7, 9), hi=at(7, 10), before=False) == [(at(6, 9), at(6, 10))]
    assert engine.anchor_ranges([delayed], lo=at(7, 9), hi=at(7, 10), before=True) == [(at(8, 9), at(8, 10))]


def test_a_second_run_reads_only_the_minutes_since_the_first(admin_user, make_user, plan, monkeypatch):  # noqa: F811
    sequence = seq(admin_user, "before_expiry", steps=((1, "days"),), target_type="plan", target_id=plan.pk)
    early, late = make_user(), make_user()
    join(early, plan, ends_at=at(8, 10))  # due 7 Dec 10:00
    join(late, plan, ends_at=at(8, 10, 30))  # due 7 Dec 10:30
    reads = []
    source = engine.BUILDER_SOURCES["before_expiry"]

    def spy(seq_, *, now, lo, hi):
        reads.append((lo, hi))
        return source(seq_, now=now, lo=lo, hi=hi)

    monkeypatch.setitem(engine.BUILDER_SOURCES, "before_expiry", spy)
    assert services.reminders_send_due(now=at(7, 10, 5)) == 1  # first run: the catch-up window
    first = reads[-1]
    assert first[1] - first[0] >= timedelta(hours=48)
    assert services.reminders_send_due(now=at(7, 10, 6)) == 0
    lo, hi = reads[-1]
    assert hi - lo == services.SWEEP_LAG + timedelta(minutes=1)  # only the minutes since the previous run (+ lag)
    assert services.reminders_send_due(now=at(7, 10, 31)) == 1  # the later one, when it falls due
    assert ReminderSend.objects.filter(step__sequence=sequence).count() == 2
    assert services.reminders_send_due(now=at(7, 10, 31)) == 0  # safe twice


def test_an_edited_step_reads_the_catch_up_window_again(admin_user, make_user, plan):  # noqa: F811
    sequence = seq(admin_user, "before_expiry", steps=((1, "days"),), target_type="plan", target_id=plan.pk)
    member = make_user()
    join(member, plan, ends_at=at(9, 10))  # 2 days ahead: not due for a one-day step
    assert services.reminders_send_due(now=at(7, 10, 5)) == 0
    step = sequence.steps.get()
    services.step_save(
        actor=admin_user, sequence=sequence, step=step, delay_amount=2, delay_unit="days", channels=["in_app"],
        subject="Halo {name}", body="Berakhir {expiry_date}",
    )  # fmt: skip
    # the edited step's slot (7 Dec 10:00) lies before the previous run's watermark, yet it is sent
    assert services.reminders_send_due(now=at(7, 10, 6)) == 1
