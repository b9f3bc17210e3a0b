"""GET /api/v1/me/membership: the active membership, or null."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from sanggar.access.tests.factories import price_of
from sanggar.api.testing import call
from sanggar.core.dates import add_months
from sanggar.memberships.services import membership_activate

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def activate(user, plan, duration, now):
    plan_price = price_of(plan, duration)
    return membership_activate(user=user, plan_price=plan_price, amount_paid=plan_price.price, now=now)


def test_null_without_an_active_membership(client, member_user, catalog):
    response = call(client, "get", "/me/membership", user=member_user)
    assert response.status_code == 200
    assert response.json() is None
    activate(member_user, catalog["gold"], "1m", datetime(2020, 1, 1, tzinfo=WIB))  # long over
    assert call(client, "get", "/me/membership", user=member_user).json() is None


def test_the_active_membership(client, member_user, catalog):
    start = (timezone.localtime() - timedelta(days=10)).replace(microsecond=0)
    membership = activate(member_user, catalog["gold"], "12m", start)

    body = call(client, "get", "/me/membership", user=member_user).json()

    ends = add_months(start, 12)
    assert body == {
        "plan": {"slug": "gold", "title": "Gold", "rank": 2},
        "duration": "12m",
        "duration_label": "12 Bulan",
        "status": "active",
        "starts_at": membership.starts_at.astimezone(ZoneInfo("UTC")).isoformat().replace("+00:00", "Z"),
        "ends_at": ends.astimezone(ZoneInfo("UTC")).isoformat().replace("+00:00", "Z"),
        "days_left": (ends.date() - timezone.localdate()).days,
        "is_lifetime": False,
    }


def test_lifetime_has_no_end_and_no_days_left(client, member_user, catalog):
    activate(member_user, catalog["silver"], "lifetime", timezone.now() - timedelta(days=1))
    body = call(client, "get", "/me/membership", user=member_user).json()
    assert (body["ends_at"], body["days_left"], body["is_lifetime"]) == (None, None, True)


def test_needs_a_token(client):
    assert call(client, "get", "/me/membership").status_code == 401
