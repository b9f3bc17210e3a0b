"""The memberships demo: an expired membership for the affiliate account and one admin grant; twice = once."""

import pytest

from sanggar.access.models import Grant
from sanggar.accounts import demo as accounts_demo
from sanggar.accounts.models import User
from sanggar.memberships import demo
from sanggar.memberships.models import UserMembership

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent(catalog):
    accounts_demo.seed(log=lambda msg: None)
    messages = []
    demo.seed(log=messages.append)
    demo.seed(log=messages.append)

    affiliate = User.objects.get(email="affiliate@sanggar.test")
    membership = UserMembership.objects.get(user=affiliate)
    assert (membership.plan.slug, membership.status, membership.duration) == ("silver", "expired", "1m")
    grant = Grant.objects.get(user__email="supplier@sanggar.test")
    assert (grant.source, grant.resource.kind) == ("admin", "group")
    assert messages[-3:] == [
        "expired demo membership already there",
        "complimentary demo membership already there",
        "demo admin grant already there",
    ]
    mentor = UserMembership.objects.get(user__email="mentor@sanggar.test", source="admin")
    assert (mentor.status, mentor.order_id) == ("active", None)


def test_seed_without_a_catalog_says_so(db):
    accounts_demo.seed(log=lambda msg: None)
    messages = []
    demo.seed(log=messages.append)
    assert messages == [
        "no active plan with a limited option in the catalog; no demo memberships",
        "no mentor account or plan; no complimentary demo membership",
        "no group resource yet; no demo admin grant",
    ]
    assert UserMembership.objects.count() == 0
