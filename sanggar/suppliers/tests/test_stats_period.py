"""Supplier statistics by period (issue 14): a Premium supplier chooses the last 7 / 30 / 90 days on the pages and
with `?days=` in the API, the chat figures follow the period, and refused attempts are told as distinct members."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.chat.constants import Kind
from sanggar.chat.models import Conversation, SupplierRefusal
from sanggar.core.roles import Role
from sanggar.suppliers import selectors

pytestmark = pytest.mark.django_db


def _refusals(s_user, members, *, days_ago=0, times=1):
    at = timezone.now() - timedelta(days=days_ago)
    for member in members:
        for _i in range(times):
            SupplierRefusal.objects.create(supplier=s_user, member=member, created_at=at)


def _inquiry(s_user, member, *, days_ago):
    conversation = Conversation.objects.create(
        kind=Kind.SUPPLIER, pair_key=f"{min(member.pk, s_user.pk)}:{max(member.pk, s_user.pk)}", created_by=member
    )
    Conversation.objects.filter(pk=conversation.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    conversation.participants.create(user=s_user)
    conversation.participants.create(user=member)
    return conversation


def _as_supplier(client, user):
    client.force_login(user)
    session = client.session
    session["active_role"] = Role.SUPPLIER
    session.save()


def test_chat_figures_follow_the_period_and_count_distinct_members(make_supplier, make_user):
    s_user, supplier = make_supplier("verified")
    a, b, c = make_user(full_name="A"), make_user(full_name="B"), make_user(full_name="C")
    _refusals(s_user, [a], times=3)  # one member, three attempts, today
    _refusals(s_user, [b], days_ago=20)
    _refusals(s_user, [c], days_ago=60)
    _inquiry(s_user, a, days_ago=2)
    _inquiry(s_user, b, days_ago=45)
    week = selectors.supplier_stats(supplier, days=7)
    assert (week["refused"], week["refused_members"], week["inquiries"], week["days"]) == (3, 1, 1, 7)
    month = selectors.supplier_stats(supplier, days=30)
    assert (month["refused"], month["refused_members"], month["inquiries"]) == (4, 2, 1)
    quarter = selectors.supplier_stats(supplier, days=90)
    assert (quarter["refused"], quarter["refused_members"], quarter["inquiries"]) == (5, 3, 2)


def test_period_is_premium_and_hostile_values_fall_back(make_supplier):
    assert selectors.stats_days("7", premium=True) == 7
    assert selectors.stats_days("90", premium=True) == 90
    assert selectors.stats_days("90", premium=False) == 30
    for bad in ("5", "", None, "abc", "9" * 50, "-7"):
        assert selectors.stats_days(bad, premium=True) == 30


def test_home_tells_distinct_members_not_attempts(client, make_supplier, make_user):
    s_user, _supplier = make_supplier("verified")
    a, b = make_user(full_name="A"), make_user(full_name="B")
    _refusals(s_user, [a], times=4)
    _refusals(s_user, [b])
    _as_supplier(client, s_user)
    page = client.get("/supplier/dasbor").content.decode()
    assert "2 member mencoba menghubungi Anda dalam 30 hari terakhir" in page
    assert "5 member" not in page


def test_statistics_and_chat_pages_offer_the_periods_to_premium(client, make_supplier, make_user):
    s_user, _supplier = make_supplier("verified", premium_days=30)
    old = make_user(full_name="Lama")
    _inquiry(s_user, old, days_ago=40)
    _as_supplier(client, s_user)
    page = client.get("/supplier/statistik?days=90")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="stats-periods"' in html and "?days=7" in html
    assert page.context["stats"]["days"] == 90 and page.context["stats"]["inquiries"] == 1
    assert len(page.context["stats"]["series"]) == 90
    assert client.get("/supplier/statistik?days=7").context["stats"]["inquiries"] == 0
    assert client.get("/supplier/statistik?days=abc").context["stats"]["days"] == 30
    chat = client.get("/supplier/chat?days=90")
    assert chat.status_code == 200 and chat.context["stats"]["inquiries"] == 1


def test_free_supplier_has_no_period_choice(client, make_supplier):
    s_user, _supplier = make_supplier("verified")
    _as_supplier(client, s_user)
    page = client.get("/supplier/statistik?days=90")
    assert page.status_code == 200 and page.context["stats"]["days"] == 30
    assert 'id="stats-periods"' not in page.content.decode()


def test_api_days(client, make_supplier, make_user):
    s_user, _supplier = make_supplier("verified", premium_days=30)
    a = make_user(full_name="A")
    _refusals(s_user, [a], times=2, days_ago=50)
    _inquiry(s_user, a, days_ago=3)
    body = call(client, "get", "/me/supplier/stats", user=s_user).json()
    assert body["days"] == 30 and body["inquiries"] == 1 and body["refused"] == 0 and body["detailed"] is True
    for key in ("profile_views", "product_views", "likes", "products", "views_period", "reply_rate", "series"):
        assert key in body  # the existing fields stay
    response = call(client, "get", "/me/supplier/stats?days=90", user=s_user)
    body = response.json()
    assert (body["days"], body["refused"], body["refused_members"], len(body["series"])) == (90, 2, 1, 90)
    body = call(client, "get", "/me/supplier/stats?days=7", user=s_user).json()
    assert body["days"] == 7 and body["inquiries"] == 1
    assert call(client, "get", "/me/supplier/stats?days=5", user=s_user).status_code == 422
    assert call(client, "get", "/me/supplier/stats?days=x", user=s_user).status_code == 422
