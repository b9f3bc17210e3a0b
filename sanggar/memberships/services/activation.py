"""Activating a paid plan (new, renewal, upgrade)."""

from datetime import datetime

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.access.services import grants_revoke
from sanggar.catalog.models import PlanPrice
from sanggar.core.prepared import Prepared, create, insert_with_rows, update
from sanggar.core.transactions import service_atomic

from ..constants import (
    ACTION_ACTIVATED,
    ACTION_EXTENDED,
    ACTION_UPGRADED,
    LogKind,
    MembershipStatus,
    Pricing,
)
from ..models import MembershipLog, MembershipUpgradeLog, UserMembership
from .common import (
    audit_write,
    log_row,
    log_write,
    membership_expire_now,
    not_allowed,
    plan_grants_give,
    source_ref,
    user_lock,
)
from .quotes import duration_end, quote_for

# The two parts of membership_activate's lookup as SQL fragments: the statement the ORM wrote from a union of
# querysets and an Exists, without compiling them on every payment (1.8 ms of CPU of ~2.9 ms for this one query).
_APPLIED_KINDS = (LogKind.ACTIVATED, LogKind.EXTENDED)


def _names():
    qn = connection.ops.quote_name
    log = MembershipLog._meta
    return {
        "memberships": qn(UserMembership._meta.db_table),
        "log": qn(log.db_table),
        "membership_id": qn(log.get_field("membership").column),
        "order_id": qn(log.get_field("order").column),
        "user_id": qn(UserMembership._meta.get_field("user").column),
    }


def _candidates_sql(user_id: int, order_id: int) -> tuple[str, tuple]:
    """The user's active memberships (index on user and status) and the one the order activated or extended (the
    log's index on the order), by primary key."""
    n = _names()
    sql = (
        f"SELECT id FROM {n['memberships']} WHERE {n['user_id']} = %s AND status = %s"  # noqa: S608 - names from the models
        f" UNION ALL SELECT {n['membership_id']} FROM {n['log']} WHERE {n['order_id']} = %s AND kind IN (%s, %s)"
    )
    return sql, (user_id, MembershipStatus.ACTIVE, order_id, *_APPLIED_KINDS)


def _applied_sql(order_id: int) -> tuple[str, tuple]:
    """Whether the order already activated or extended this membership (applying it again changes nothing)."""
    n = _names()
    sql = (
        f"EXISTS (SELECT 1 FROM {n['log']} WHERE {n['log']}.{n['membership_id']} = {n['memberships']}.id"  # noqa: S608
        f" AND {n['log']}.{n['order_id']} = %s AND {n['log']}.kind IN (%s, %s))"
    )
    return sql, (order_id, *_APPLIED_KINDS)


def _memberships_locked():
    return UserMembership.objects.select_for_update(of=("self",)).select_related("plan")


def _memberships_with_applied(user_id: int, order_id: int):
    applied = RawSQL(*_applied_sql(order_id), output_field=BooleanField())  # noqa: S611 - names from the models
    return (
        _memberships_locked().annotate(applied=applied).filter(pk__in=RawSQL(*_candidates_sql(user_id, order_id)))  # noqa: S611 - names from the models
    )


# Compiled once per process (a prepared query: the same statement).
_MEMBERSHIPS_WITH_APPLIED = Prepared(_memberships_with_applied, user_id=-1_000_005, order_id=-1_000_006)


@service_atomic
def membership_activate(
    *, user, plan_price: PlanPrice, order=None, amount_paid: int, now: datetime | None = None
) -> UserMembership:
    """Applies a paid plan to `user`:
    - no active membership → a new one from now;
    - the same plan → the end moves by the bought duration from max(now, current end) (lifetime: no end);
    - a higher-ranked plan → the current one expires now, the new one starts now, an upgrade log keeps the mode,
      the credit and the amount paid, and the old plan's grants are revoked while the new plan's are given.
    A plan not higher than the active one, or a renewal of a lifetime membership, raises ServiceError
    (code "membership_not_allowed"). Applying the same order twice changes nothing the second time."""
    now = now or timezone.now()
    user = user_lock(user)
    plan = plan_price.plan
    # In one query, locked: the user's active memberships (those past their end expire, the newest other is
    # current) and, when `order` was applied already, the membership it activated or extended (then nothing to do).
    # The candidates are found through indexes (the one active membership per user, the log's order index) and
    # joined by primary key: an OR with the log's EXISTS made PostgreSQL scan every membership instead (tens of ms,
    # JIT-compiled, at 10,000 memberships). Only the memberships are locked, never the shared plan row.
    if order is not None:
        rows = _MEMBERSHIPS_WITH_APPLIED.all(user_id=user.pk, order_id=order.pk)
    else:
        rows = list(_memberships_locked().filter(user=user, status=MembershipStatus.ACTIVE))
    for row in rows:  # the user's own memberships: their `user` is the locked row in hand, not another read
        row.user = user
    done = next((row for row in rows if getattr(row, "applied", False)), None)
    if done is not None:
        return done
    current = None
    for active in rows:
        if active.ends_at is not None and active.ends_at <= now:
            membership_expire_now(active, now=now, notify_member=False)
        elif current is None:
            current = active
    quote = quote_for(current=current, plan_price=plan_price, now=now)
    if not quote.allowed:
        raise not_allowed(quote.message)

    if quote.pricing == Pricing.RENEWAL:
        old_end = current.ends_at
        new_end = duration_end(max(now, old_end), plan_price.duration)
        current.ends_at = new_end
        current.duration = plan_price.duration
        update(current, ["ends_at", "duration", "updated_at"])  # the UPDATE compiled once per process
        log_write(
            current, LogKind.EXTENDED,
            _("Diperpanjang %(duration)s.") % {"duration": plan_price.get_duration_display()},
            old_ends_at=old_end, new_ends_at=new_end, order=order,
        )  # fmt: skip
        plan_grants_give(current)
        audit_write(ACTION_EXTENDED, current, invoice=getattr(order, "invoice_number", ""), amount_paid=amount_paid)
        return current

    previous = None
    if quote.pricing == Pricing.UPGRADE:
        previous = current
        previous.status = MembershipStatus.EXPIRED
        previous.ended_at = now
        update(previous, ["status", "ended_at", "updated_at"])
        log_write(previous, LogKind.UPGRADED, _("Upgrade ke %(plan)s.") % {"plan": plan.title}, order=order)
        grants_revoke(source_ref=source_ref(previous), reason=_("Upgrade ke %(plan)s") % {"plan": plan.title}, now=now)

    membership = UserMembership(
        user=user, plan=plan, duration=plan_price.duration, status=MembershipStatus.ACTIVE, starts_at=now,
        ends_at=duration_end(now, plan_price.duration), order=order,
    )  # fmt: skip
    message = (
        _("Upgrade dari %(plan)s.") % {"plan": previous.plan.title}
        if previous
        else _("Membership %(duration)s diaktifkan.") % {"duration": plan_price.get_duration_display()}
    )
    # The membership and its "activated" log row in ONE statement (PostgreSQL), compiled once per process.
    log = log_row(LogKind.ACTIVATED, message, new_ends_at=membership.ends_at, order=order)
    insert_with_rows(membership, [log], link="membership")
    plan_grants_give(membership)
    if previous is not None:
        create(  # the INSERT compiled once per process
            MembershipUpgradeLog, user=user, old_plan=previous.plan, new_plan=plan, old_membership=previous,
            new_membership=membership, upgraded_at=now, payment_mode=plan.upgrade_mode, credit=quote.credit,
            amount_paid=amount_paid, order=order,
        )  # fmt: skip
        audit_write(
            ACTION_UPGRADED, membership, old_plan=previous.plan.title, mode=plan.upgrade_mode, credit=quote.credit,
            amount_paid=amount_paid, invoice=getattr(order, "invoice_number", ""),
        )  # fmt: skip
    else:
        audit_write(ACTION_ACTIVATED, membership, invoice=getattr(order, "invoice_number", ""), amount_paid=amount_paid)
    return membership
