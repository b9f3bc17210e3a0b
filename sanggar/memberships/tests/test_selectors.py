"""Membership reads: the active membership (a membership past its end is not active even before the sweep), the
last one that ran out, premium status, the plan's resources, the admin counts."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser

from sanggar.access.tests.factories import make_order, make_product, make_resource, price_of
from sanggar.memberships.selectors import (
    is_premium,
    membership_active_for,
    membership_last_ended,
    membership_stats,
    plan_resource_ids,
    plan_resources,
)
from sanggar.memberships.services import membership_activate, membership_revoke_for_order

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
T0 = datetime(2025, 1, 1, 10, 0, tzinfo=WIB)


def activate(user, plan, duration="1m", now=T0, order=None):
    plan_price = price_of(plan, duration)
    return membership_activate(user=user, plan_price=plan_price, amount_paid=plan_price.price, now=now, order=order)


def test_active_membership_ends_exactly_at_its_end(member_user, catalog):
    membership = activate(member_user, catalog["gold"])
    end = membership.ends_at
    assert membership_active_for(user=member_user, now=end - timedelta(seconds=1)) == membership
    assert membership_active_for(user=member_user, now=end) is None
    assert is_premium(user=member_user, now=end - timedelta(seconds=1)) is True
    assert is_premium(user=member_user, now=end) is False


def test_anonymous_has_no_membership(catalog):
    assert membership_active_for(user=AnonymousUser()) is None
    assert is_premium(user=AnonymousUser()) is False
    assert membership_last_ended(user=AnonymousUser()) is None


def test_last_ended_skips_upgraded_and_cancelled_memberships(member_user, catalog):
    activate(member_user, catalog["silver"])
    gold = activate(member_user, catalog["gold"], now=T0 + timedelta(days=5))  # silver upgraded, not ran out
    assert membership_last_ended(user=member_user, now=T0 + timedelta(days=6)) is None
    after = gold.ends_at + timedelta(days=1)
    assert membership_last_ended(user=member_user, now=after) == gold


def test_last_ended_is_none_for_a_refunded_membership(member_user, catalog):
    order = make_order(member_user, plan_price=price_of(catalog["gold"], "1m"))
    activate(member_user, catalog["gold"], order=order)
    membership_revoke_for_order(order=order, reason="Refund", now=T0 + timedelta(days=1))
    assert membership_last_ended(user=member_user, now=T0 + timedelta(days=60)) is None


def test_plan_resources_include_products_and_what_they_include(catalog):
    course = make_resource("course", "kelas-dokumen", "Kelas Dokumen")
    bundle = make_product("bundel-dokumen")
    bundle.included_resources.add(course)
    catalog["silver"].included_products.add(bundle)
    keys = [r.key for r in plan_resources(catalog["silver"])]
    assert sorted(keys) == ["bundel-dokumen", "dasar-ekspor", "kelas-dokumen", "komunitas-pemula"]


def test_plan_resource_ids_are_the_plan_resources_over_all_five_paths(catalog, django_assert_num_queries):
    """The grants' read (one raw statement) and the page's read (the ORM) name the same resources: included in the
    plan, an included product's own resource and what it includes, and what each of those bundles."""
    silver = catalog["silver"]
    course = make_resource("course", "kelas-dokumen", "Kelas Dokumen")
    group = make_resource("group", "grup-kelas", "Grup Kelas")
    bonus = make_resource("product", "bonus-template", "Bonus Template")
    extra = make_resource("group", "grup-silver", "Grup Silver")
    bundle = make_product("bundel-dokumen")
    bundle.included_resources.add(course)
    course.bundled.add(group)  # bundled with what an included product includes
    silver.included_resources.add(extra)
    extra.bundled.add(bonus)  # bundled with what the plan includes
    make_resource("course", "kelas-lain", "Kelas Lain")  # in no path
    silver.included_products.add(bundle)
    expected = sorted(r.pk for r in plan_resources(silver))
    assert len(expected) == 7
    with django_assert_num_queries(1):
        assert plan_resource_ids(silver.pk) == expected
    assert plan_resource_ids(catalog["gold"].pk) == sorted(r.pk for r in plan_resources(catalog["gold"]))


def test_stats(make_user, catalog, django_assert_num_queries):
    now = T0 + timedelta(days=26)
    activate(make_user(), catalog["gold"])  # ends 1 Feb: within 7 days of `now`
    activate(make_user(), catalog["gold"], "12m")
    activate(make_user(), catalog["silver"], "lifetime")
    activate(make_user(), catalog["silver"], now=T0 - timedelta(days=90))  # over
    with django_assert_num_queries(1):
        stats = membership_stats(now=now)
    assert (stats.active, stats.expiring_week, stats.lifetime) == (3, 1, 1)
