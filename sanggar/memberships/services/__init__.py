"""Business writes of memberships (a package; import from `sanggar.memberships.services`): pricing a plan for a user
(new, renewal, upgrade), activating it when an order is paid, the expiry and reminder sweeps, undoing an order's
membership on refund, and keeping members' grants in line with their plan.

One active membership per user (database constraint). Every write locks the user's row first, so two payments for
the same user at the same moment are applied one after the other."""

from .activation import membership_activate
from .common import source_ref
from .grants import SYNC_BATCH, membership_grants_sync
from .quotes import PlanQuote, duration_end, membership_quote, plan_change_quote, upgrade_credit
from .refunds import membership_revoke_for_order
from .sweeps import memberships_expire_sweep

__all__ = [
    "SYNC_BATCH",
    "PlanQuote",
    "duration_end",
    "membership_activate",
    "membership_grants_sync",
    "membership_quote",
    "membership_revoke_for_order",
    "plan_change_quote",
    "memberships_expire_sweep",
    "source_ref",
    "upgrade_credit",
]
