"""The periodic sweeps: expire memberships that ran past their end, remind members before the end."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from sanggar.catalog.constants import PlanStatus
from sanggar.core.dates import days_between
from sanggar.core.formatting import tanggal_jam
from sanggar.notifications.services import notify

from .. import notifications as kinds
from ..constants import (
    REMINDER_THRESHOLDS,
    MembershipStatus,
)
from ..models import MembershipReminder, UserMembership
from .common import membership_expire_now

# ---------------------------------------------------------------------------------------------------------------
# Sweeps


def memberships_expire_sweep(*, now: datetime | None = None) -> int:
    """Marks every active membership past its end as expired and tells its member. Its grants already ended at
    the same moment (they carry the membership's end). Safe to run twice or concurrently: each membership is
    locked and re-checked, and a row another worker holds is left to it. Returns how many expired."""
    now = now or timezone.now()
    ids = list(
        UserMembership.objects.filter(status=MembershipStatus.ACTIVE, ends_at__lte=now)
        .order_by("ends_at", "id")
        .values_list("id", flat=True)
    )
    expired = 0
    for pk in ids:
        with transaction.atomic():
            membership = (
                # Only the membership's row is locked (`of`): locking its plan too would make every other sweep
                # skip all the plan's memberships while one of them is being expired, and a concurrent run could
                # leave one behind.
                UserMembership.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("plan", "user")
                .filter(pk=pk, status=MembershipStatus.ACTIVE, ends_at__lte=now)
                .first()
            )
            if membership is None:
                continue
            membership_expire_now(membership, now=now, notify_member=True)
            expired += 1
    return expired


def _reminder_threshold(days_left: int) -> int | None:
    """The tightest threshold (7, 3, 1 days) that `days_left` has reached, or None."""
    reached = [t for t in REMINDER_THRESHOLDS if days_left <= t]
    return min(reached) if reached else None


def memberships_remind_sweep(*, now: datetime | None = None) -> int:
    """Sends "berakhir dalam 7 / 3 / 1 hari" reminders: once per membership, end date and threshold (a renewal
    moves the end date, so the next period is reminded again). A membership first seen with 5 days left gets the
    7-day reminder, then the 3-day one. Safe to run twice or concurrently (a unique row per reminder)."""
    now = now or timezone.now()
    window = timedelta(days=max(REMINDER_THRESHOLDS) + 1)
    candidates = (
        UserMembership.objects.filter(status=MembershipStatus.ACTIVE, ends_at__gt=now, ends_at__lte=now + window)
        .select_related("plan", "user")
        .prefetch_related("reminders")
        .order_by("ends_at", "id")
    )
    sent = 0
    for membership in candidates:
        days_left = days_between(now, membership.ends_at)
        threshold = _reminder_threshold(days_left)
        if threshold is None:
            continue
        if any(r.ends_at == membership.ends_at and r.threshold_days <= threshold for r in membership.reminders.all()):
            continue
        try:
            with transaction.atomic():
                MembershipReminder.objects.create(
                    membership=membership, threshold_days=threshold, ends_at=membership.ends_at, sent_at=now
                )
                _send_reminder(membership, days_left)
        except IntegrityError:
            continue  # another worker sent this one
        sent += 1
    return sent


def _send_reminder(membership: UserMembership, days_left: int) -> None:
    plan = membership.plan
    link = reverse("memberships:mine")
    if plan.status == PlanStatus.ACTIVE:
        link = reverse("orders:checkout_plan", args=[plan.slug])
    notify(
        user=membership.user,
        kind=kinds.ENDING_TODAY if days_left <= 0 else kinds.ENDING_SOON,
        link=link,
        context={"plan": plan.title, "end_date": tanggal_jam(membership.ends_at), "days": max(days_left, 0)},
    )
