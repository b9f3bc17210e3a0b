"""The periodic sweep: expire memberships that ran past their end. (The 7 / 3 / 1-day reminders before the end are
the reminder builder's default sequence, sanggar.reminders.)"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from ..constants import MembershipStatus
from ..models import UserMembership
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
