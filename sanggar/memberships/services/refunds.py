"""Undoing an order's membership when the order is refunded."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.access.services import grants_revoke, grants_set_end

from ..constants import (
    ACTION_REFUNDED,
    LogKind,
    MembershipStatus,
)
from ..models import MembershipLog, MembershipUpgradeLog, UserMembership
from .common import audit_write, log_write, plan_grants_give, source_ref, user_lock

# ---------------------------------------------------------------------------------------------------------------
# Refunds


@transaction.atomic
def membership_revoke_for_order(*, order, reason: str, now: datetime | None = None) -> None:
    """Undoes what a refunded order did to memberships:
    - a membership the order started is cancelled and its grants revoked; when it was an upgrade, the membership
      it replaced comes back if its period has not run out (with its grants);
    - a renewal the order bought is rolled back by the time it added (the membership expires now if that leaves
      it in the past), and its grants follow.
    Calling it again for the same order does nothing."""
    now = now or timezone.now()
    reason = (reason or "").strip()[:200] or _("Refund")
    user_lock(order.buyer)
    if MembershipLog.objects.filter(order=order, kind__in=(LogKind.REFUNDED, LogKind.EXTENSION_REFUNDED)).exists():
        return
    started = UserMembership.objects.select_for_update().select_related("plan", "user").filter(order=order).first()
    if started is not None:
        _cancel_started(started, order=order, reason=reason, now=now)
        return
    extension = MembershipLog.objects.filter(order=order, kind=LogKind.EXTENDED).order_by("-created_at", "-id").first()
    if extension is not None:
        _roll_back_extension(extension, order=order, reason=reason, now=now)


def _cancel_started(membership: UserMembership, *, order, reason: str, now: datetime) -> None:
    was_active = membership.status == MembershipStatus.ACTIVE
    membership.status = MembershipStatus.CANCELLED
    if was_active:
        membership.ended_at = now
    membership.save(update_fields=["status", "ended_at", "updated_at"])
    grants_revoke(source_ref=source_ref(membership), reason=reason, now=now)
    log_write(membership, LogKind.REFUNDED, reason, old_ends_at=membership.ends_at, order=order)
    audit_write(ACTION_REFUNDED, membership, invoice=order.invoice_number, reason=reason)
    upgrade = (
        MembershipUpgradeLog.objects.filter(new_membership=membership).select_related("old_membership__plan").first()
    )
    if not (was_active and upgrade):
        return
    old = UserMembership.objects.select_for_update().select_related("plan", "user").get(pk=upgrade.old_membership_id)
    still_running = old.ends_at is None or old.ends_at > now
    if old.status != MembershipStatus.EXPIRED or not still_running:
        return
    if UserMembership.objects.filter(user=old.user, status=MembershipStatus.ACTIVE).exists():
        return
    old.status = MembershipStatus.ACTIVE
    old.ended_at = None
    old.save(update_fields=["status", "ended_at", "updated_at"])
    log_write(old, LogKind.RESTORED, _("Dipulihkan karena upgrade dibatalkan (refund)."), order=order)
    plan_grants_give(old)


def _roll_back_extension(extension: MembershipLog, *, order, reason: str, now: datetime) -> None:
    membership = (
        UserMembership.objects.select_for_update().select_related("plan", "user").get(pk=extension.membership_id)
    )
    old_end = membership.ends_at
    if extension.new_ends_at is None:
        new_end = extension.old_ends_at  # the order made it lifetime
    elif membership.ends_at is None:
        new_end = None  # a later order made it lifetime; that stays
    else:
        new_end = membership.ends_at - (extension.new_ends_at - extension.old_ends_at)
    if membership.status == MembershipStatus.ACTIVE and new_end != old_end:
        membership.ends_at = new_end
        fields = ["ends_at", "updated_at"]
        if new_end is not None and new_end <= now:
            membership.status = MembershipStatus.EXPIRED
            membership.ended_at = now
            fields += ["status", "ended_at"]
        membership.save(update_fields=fields)
        grants_set_end(source_ref=source_ref(membership), ends_at=new_end)
    log_write(
        membership, LogKind.EXTENSION_REFUNDED, reason, old_ends_at=old_end, new_ends_at=membership.ends_at, order=order
    )
    audit_write(ACTION_REFUNDED, membership, invoice=order.invoice_number, reason=reason)
