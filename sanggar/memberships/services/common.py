"""What the membership services share: a plan's grants, the membership log, the activity row, locking."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.access.constants import GrantSource
from sanggar.access.services import grants_give
from sanggar.audit.services import activity_record
from sanggar.core.exceptions import ServiceError
from sanggar.core.formatting import tanggal_jam
from sanggar.core.prepared import Prepared, insert, update
from sanggar.notifications.services import notify

from .. import notifications as kinds
from ..constants import (
    ACTION_EXPIRED,
    GRANT_SOURCE_REF,
    LogKind,
    MembershipStatus,
)
from ..models import MembershipLog, UserMembership
from ..selectors import plan_resource_ids

# ---------------------------------------------------------------------------------------------------------------
# Grants of a plan


def source_ref(membership: UserMembership) -> str:
    return GRANT_SOURCE_REF.format(pk=membership.pk)


def plan_grants_give(membership: UserMembership) -> None:
    """The plan's resources for the membership's period: one read of the resources' ids, one upsert of the grants."""
    grants_give(
        user=membership.user, resource_ids=plan_resource_ids(membership.plan_id), source=GrantSource.MEMBERSHIP,
        source_ref=source_ref(membership), starts_at=membership.starts_at, ends_at=membership.ends_at,
    )  # fmt: skip


def log_row(kind, message="", *, old_ends_at=None, new_ends_at=None, order=None) -> MembershipLog:
    """A membership log row, not saved yet (its membership is set by the caller or the insert)."""
    return MembershipLog(
        kind=kind, message=str(message)[:300], old_ends_at=old_ends_at, new_ends_at=new_ends_at, order=order
    )


def log_write(membership, kind, message="", *, old_ends_at=None, new_ends_at=None, order=None) -> MembershipLog:
    row = log_row(kind, message, old_ends_at=old_ends_at, new_ends_at=new_ends_at, order=order)
    row.membership = membership
    return insert(row)  # the INSERT compiled once per process


def audit_write(action: str, membership: UserMembership, **data) -> None:
    activity_record(
        action=action,
        target=membership.user,
        data={
            "plan": membership.plan.title,
            "duration": membership.duration,
            "ends_at": timezone.localtime(membership.ends_at).isoformat() if membership.ends_at else "lifetime",
            **data,
        },
    )


_USER_LOCKED = Prepared(lambda pk: get_user_model().objects.select_for_update().filter(pk=pk), pk=-1_000_004)


def user_lock(user):
    return _USER_LOCKED.get(pk=user.pk)


def membership_expire_now(membership: UserMembership, *, now: datetime, notify_member: bool) -> None:
    """Marks a membership that ran past its end as expired (caller holds the row lock)."""
    membership.status = MembershipStatus.EXPIRED
    membership.ended_at = membership.ends_at or now
    update(membership, ["status", "ended_at", "updated_at"])  # the UPDATE compiled once per process
    log_write(membership, LogKind.EXPIRED, _("Masa aktif berakhir."), old_ends_at=membership.ends_at)
    audit_write(ACTION_EXPIRED, membership)
    if notify_member:
        notify(
            user=membership.user,
            kind=kinds.EXPIRED,
            link=reverse("memberships:mine"),
            context={"plan": membership.plan.title, "end_date": tanggal_jam(membership.ends_at)},
        )


def not_allowed(message: str) -> ServiceError:
    return ServiceError(message, code="membership_not_allowed")
