"""What memberships tell the access policy (registered in `apps.py` as `access.facts.membership_facts`): the
user's active membership and the most recent one that ran out, as plain refs. See `sanggar/access/facts.py`."""

from sanggar.access.facts import MembershipFacts, MembershipRef
from sanggar.catalog.constants import PlanStatus

from .models import UserMembership
from .selectors import membership_active_for, membership_last_ended


def _ref(membership: UserMembership | None) -> MembershipRef | None:
    if membership is None:
        return None
    plan = membership.plan
    return MembershipRef(
        id=membership.pk,
        plan_id=membership.plan_id,
        plan_slug=plan.slug,
        plan_rank=plan.rank,
        plan_active=plan.status == PlanStatus.ACTIVE,
        ends_at=membership.ends_at,
        ended_at=membership.ended_at,
    )


def active(*, user, now) -> MembershipRef | None:
    return _ref(membership_active_for(user=user, now=now))


def last_ended(*, user, now) -> MembershipRef | None:
    return _ref(membership_last_ended(user=user, now=now))


MEMBERSHIP_FACTS = MembershipFacts(active=active, last_ended=last_ended)
