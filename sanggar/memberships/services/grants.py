"""Bringing active members' grants in line with what their plan includes now."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.access.constants import GrantSource
from sanggar.access.services import GrantHolder, grants_sync
from sanggar.catalog.models import MembershipPlan

from ..constants import (
    MembershipStatus,
)
from ..models import UserMembership
from ..selectors import plan_resource_ids
from .common import source_ref

SYNC_BATCH = 1000


def membership_grants_sync(*, plan_id: int, now: datetime | None = None) -> int:
    """Brings the grants of every active membership of a plan in line with what the plan includes now (the admin
    changed its content): missing grants are created, grants of resources no longer included are revoked.
    Set-based, in batches; safe to run twice or concurrently. Returns the number of grants created plus revoked."""
    now = now or timezone.now()
    plan = MembershipPlan.objects.filter(pk=plan_id).first()
    if plan is None:
        return 0
    wanted = set(plan_resource_ids(plan.pk))
    changed = 0
    memberships = UserMembership.objects.filter(plan_id=plan_id, status=MembershipStatus.ACTIVE).order_by("pk")
    last_pk = 0
    while True:
        batch = list(memberships.filter(pk__gt=last_pk).only("pk", "user_id", "starts_at", "ends_at")[:SYNC_BATCH])
        if not batch:
            return changed
        last_pk = batch[-1].pk
        holders = {
            source_ref(m): GrantHolder(user_id=m.user_id, starts_at=m.starts_at, ends_at=m.ends_at) for m in batch
        }
        with transaction.atomic():
            changed += grants_sync(
                holders=holders,
                resource_ids=wanted,
                source=GrantSource.MEMBERSHIP,
                revoke_reason=_("Tidak lagi termasuk paket %(plan)s") % {"plan": plan.title},
                now=now,
            )
