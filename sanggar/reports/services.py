"""The weekly summary and the monthly report to admins and founders: the analytics figures of the period, sent as
a notification (email by default; texts editable as templates), once per period and recipient."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from sanggar.analytics.selectors import Period, analytics_summary
from sanggar.core.formatting import MONTHS_LONG, bulan, rupiah
from sanggar.notifications.services import notify_users

from . import notifications as kinds
from .constants import RECIPIENT_ROLES, ReportKind
from .models import ReportDispatch

TOP = 3
NOTIFICATION_KIND = {ReportKind.WEEKLY: kinds.WEEKLY_SUMMARY, ReportKind.MONTHLY: kinds.MONTHLY_REPORT}


@dataclass(frozen=True)
class ReportPeriod:
    kind: str
    start: date
    end: date  # inclusive

    @property
    def label(self) -> str:
        if self.kind == ReportKind.MONTHLY:
            return bulan(self.start)
        if self.start.month == self.end.month:
            return f"{self.start.day}–{self.end.day} {MONTHS_LONG[self.end.month - 1]} {self.end.year}"
        if self.start.year == self.end.year:
            return (
                f"{self.start.day} {MONTHS_LONG[self.start.month - 1]} – {self.end.day} "
                f"{MONTHS_LONG[self.end.month - 1]} {self.end.year}"
            )
        return (
            f"{self.start.day} {MONTHS_LONG[self.start.month - 1]} {self.start.year} – {self.end.day} "
            f"{MONTHS_LONG[self.end.month - 1]} {self.end.year}"
        )


def last_week(today: date) -> ReportPeriod:
    """The last full week (Monday to Sunday) before `today`'s week."""
    start = today - timedelta(days=today.weekday() + 7)
    return ReportPeriod(ReportKind.WEEKLY, start, start + timedelta(days=6))


def last_month(today: date) -> ReportPeriod:
    """The calendar month before `today`'s."""
    end = today.replace(day=1) - timedelta(days=1)
    return ReportPeriod(ReportKind.MONTHLY, end.replace(day=1), end)


def report_recipients() -> list:
    """Active admins, founders and co-founders (one query)."""
    return list(
        get_user_model().objects.filter(is_active=True, roles__role__in=RECIPIENT_ROLES).distinct().order_by("id")
    )


def _lines(rows) -> str:
    return "\n".join(f"- {row.label}: {rupiah(row.value)} ({row.count})" for row in rows[:TOP]) or "-"


def report_context(period: ReportPeriod, *, now: datetime | None = None) -> dict:
    """The figures of the period as the templates' shortcodes (analytics' aggregated queries)."""
    summary = analytics_summary(
        period=Period(start=period.start, end=period.end, granularity="day"), now=now or timezone.now()
    )
    return {
        "period": period.label,
        "revenue": rupiah(summary.revenue),
        "paid_orders": str(summary.paid_orders),
        "new_members": str(summary.new_members),
        "active_premium": str(summary.active_premium),
        "churned": str(summary.churned),
        "renewals": str(summary.renewals),
        "top_plans": _lines(summary.by_plan),
        "top_affiliates": _lines(summary.by_affiliate),
    }


def report_link(period: ReportPeriod) -> str:
    per = "week" if period.kind == ReportKind.WEEKLY else "month"
    return f"{reverse('analytics:admin')}?from={period.start.isoformat()}&to={period.end.isoformat()}&per={per}"


@transaction.atomic
def report_send(*, period: ReportPeriod, now: datetime | None = None) -> int:
    """Sends the period's report to every recipient who has not had it yet; returns how many got it now. Each
    recipient's row in ReportDispatch is taken first (a savepoint): a second run for the same period, or one running
    at the same time (it waits on the unique index, then fails), sends nothing twice."""
    recipients = report_recipients()
    done = set(
        ReportDispatch.objects.filter(kind=period.kind, period_start=period.start).values_list(
            "recipient_id", flat=True
        )
    )
    taken = []
    for user in recipients:
        if user.pk in done:
            continue
        try:
            with transaction.atomic():
                ReportDispatch.objects.create(
                    kind=period.kind, period_start=period.start, period_end=period.end, recipient=user
                )
        except IntegrityError:
            continue
        taken.append(user)
    if not taken:
        return 0
    notify_users(
        users=taken,
        kind=NOTIFICATION_KIND[period.kind],
        link=report_link(period),
        context=report_context(period, now=now),
        data={"period_start": period.start.isoformat(), "period_end": period.end.isoformat()},
    )
    return len(taken)


def weekly_summary_send(*, today: date | None = None) -> int:
    return report_send(period=last_week(today or timezone.localdate()))


def monthly_report_send(*, today: date | None = None) -> int:
    return report_send(period=last_month(today or timezone.localdate()))
