"""Admin membership API: GET /admin/memberships and POST /admin/users/{id}/membership."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanggar.access.tests.factories import price_of
from sanggar.api.testing import call
from sanggar.audit.models import ActivityLog
from sanggar.core.dates import days_between
from sanggar.memberships.models import UserMembership
from sanggar.memberships.services import membership_activate

pytestmark = pytest.mark.django_db


def test_list_paginated_filtered_and_bounded(client, admin_user, make_user, catalog):
    now = timezone.now()
    for i in range(3):
        membership_activate(
            user=make_user(email=f"m{i}@contoh.id"), plan_price=price_of(catalog["gold"]), amount_paid=0
        )
    soon = make_user(email="segera@contoh.id")
    membership_activate(user=soon, plan_price=price_of(catalog["silver"]), amount_paid=0, now=now - timedelta(days=27))
    with CaptureQueriesContext(connection) as ctx:
        body = call(client, "get", "/admin/memberships", user=admin_user).json()
    assert body["count"] == 4 and body["next_page"] is None
    assert len(ctx.captured_queries) <= 6
    row = next(r for r in body["results"] if r["user"]["email"] == "segera@contoh.id")
    ends_at = UserMembership.objects.get(user=soon).ends_at
    assert (row["plan"]["slug"], row["status"], row["source"]) == ("silver", "active", "order")
    assert row["days_left"] == days_between(timezone.now(), ends_at) > 0
    expiring = call(client, "get", "/admin/memberships", {"expiring_within_days": 7}, user=admin_user).json()
    assert [r["user"]["email"] for r in expiring["results"]] == ["segera@contoh.id"]
    gold = call(client, "get", "/admin/memberships", {"plan": "gold", "q": "m1@"}, user=admin_user).json()
    assert [r["user"]["email"] for r in gold["results"]] == ["m1@contoh.id"]
    assert call(client, "get", "/admin/memberships", {"status": "bogus"}, user=admin_user).status_code == 422


def test_actions_through_the_api(client, admin_user, member_user, catalog):
    url = f"/admin/users/{member_user.pk}/membership"
    granted = call(
        client, "post", url, {"action": "grant", "plan": "gold", "duration": "1m", "reason": "Pemenang lomba"},
        user=admin_user,
    )  # fmt: skip
    assert granted.status_code == 200, granted.content
    body = granted.json()
    assert (body["action"], body["membership"]["plan"]["slug"], body["membership"]["source"]) == (
        "grant",
        "gold",
        "admin",
    )
    m = UserMembership.objects.get(user=member_user)
    end = m.ends_at
    extended = call(client, "post", url, {"action": "extend", "days": 14, "reason": "Bonus"}, user=admin_user)
    assert extended.status_code == 200
    m.refresh_from_db()
    assert m.ends_at == end + timedelta(days=14)
    changed = call(
        client, "post", url, {"action": "change_plan", "plan": "platinum", "duration": "1m", "reason": "Naik kelas"},
        user=admin_user,
    )  # fmt: skip
    assert changed.json()["membership"]["plan"]["slug"] == "platinum"
    cancelled = call(client, "post", url, {"action": "cancel", "reason": "Permintaan anggota"}, user=admin_user)
    assert cancelled.json()["membership"]["status"] == "cancelled"
    assert UserMembership.objects.filter(user=member_user, status="active").count() == 0
    assert ActivityLog.objects.filter(actor=admin_user, action__startswith="membership.").count() == 4


def test_refusals_change_nothing(client, admin_user, member_user, catalog):
    url = f"/admin/users/{member_user.pk}/membership"
    member = call(client, "post", url, {"action": "cancel", "reason": "x"}, user=member_user)
    assert member.status_code == 403
    assert call(client, "get", "/admin/memberships", user=member_user).status_code == 403
    no_membership = call(client, "post", url, {"action": "extend", "days": 3, "reason": "x"}, user=admin_user)
    assert no_membership.status_code == 400 and no_membership.json()["message"]
    unknown_plan = call(
        client, "post", url, {"action": "grant", "plan": "emas", "duration": "1m", "reason": "x"}, user=admin_user
    )
    assert (unknown_plan.status_code, list(unknown_plan.json()["errors"])) == (400, ["plan"])
    bad_action = call(client, "post", url, {"action": "hapus", "reason": "x"}, user=admin_user)
    assert bad_action.status_code == 422
    missing = call(
        client, "post", "/admin/users/999999/membership", {"action": "cancel", "reason": "x"}, user=admin_user
    )
    assert missing.status_code == 404
    assert UserMembership.objects.count() == 0
