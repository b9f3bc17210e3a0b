"""GET /api/v1/affiliate/stats."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.affiliates.services_ui import tier_create
from sanggar.api.testing import call
from sanggar.core.roles import Role

from .ui_world import ui_world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def test_stats_for_the_affiliate(client, ui_world, django_assert_max_num_queries):
    tier_create(actor=ui_world.admin, name="Silver", min_sales=1, period_days=30, bonus_percent=10)
    ui_world.click(ip="10.0.0.1")
    ui_world.click(ip="10.0.0.2")
    ui_world.click(ip="10.0.0.2")
    ui_world.sale(buyer=ui_world.buyer("Budi Santoso"))
    today = timezone.localdate()
    with django_assert_max_num_queries(14):
        response = call(client, "get", "/affiliate/stats", user=ui_world.user)
    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["status"]) == ("DINDA", "active")
    assert (body["from"], body["to"]) == ((today - timedelta(days=29)).isoformat(), today.isoformat())
    assert body["totals"] == {
        "clicks": 3,
        "counted_clicks": 2,
        "conversions": 1,
        "conversion_rate": 50.0,
        "commission": 300_000,
    }
    assert body["wallet"] == {"pending": 300_000, "available": 0, "reserved": 0, "paid_out": 0}
    assert body["tier"] == {"name": "Silver", "bonus_percent": 10, "min_sales": 1, "period_days": 30}
    assert len(body["series"]) == 30
    assert body["series"][-1] == {"date": today.isoformat(), "clicks": 2, "conversions": 1, "commission": 300_000}
    assert [(s["buyer"], s["commission"], s["status"]) for s in body["recent_sales"]] == [
        ("Bu*** S***", 300_000, "pending")
    ]


def test_stats_range_and_bad_input(client, ui_world):
    response = call(client, "get", "/affiliate/stats", {"from": "2025-11-10", "to": "2025-11-01"}, user=ui_world.user)
    assert response.status_code == 200
    assert (response.json()["from"], response.json()["to"]) == ("2025-11-01", "2025-11-10")
    assert len(response.json()["series"]) == 10
    response = call(client, "get", "/affiliate/stats", {"from": "kemarin"}, user=ui_world.user)
    assert response.status_code == 422
    assert "message" in response.json()


def test_stats_refuses_others(client, make_user):
    assert call(client, "get", "/affiliate/stats").status_code == 401
    response = call(client, "get", "/affiliate/stats", user=make_user())
    assert response.status_code == 403
    response = call(client, "get", "/affiliate/stats", user=make_user(Role.AFFILIATE))
    assert response.status_code == 404
    assert response.json()["message"] == "Profil affiliate tidak ditemukan."
