"""/admin/analytics and GET /api/v1/admin/analytics/summary: figures from aggregated queries, a query count that
does not grow with the data, CSV for every chart, admins only."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanggar.analytics.selectors import analytics_summary, period_make
from sanggar.api.testing import call
from sanggar.orders.tests.shop import Shop, plan_item, product_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def sales(admin_user, make_user):
    shop = Shop(admin_user)
    gold = shop.plan("Gold").slug
    ebook = shop.product("Ebook Ekspor", price=150_000).slug
    paid = [shop.buy_paid(make_user(), plan_item(gold)) for _ in range(2)]
    paid.append(shop.buy_paid(make_user(), product_item(ebook)))
    pending = shop.buy(make_user(), plan_item(gold))
    return {"shop": shop, "paid": paid, "pending": pending}


def test_summary_figures(sales):
    s = analytics_summary(period=period_make(start=None, end=None))
    paid = sales["paid"]
    assert s.revenue == sum(o.total for o in paid)
    assert s.paid_orders == 3
    assert s.active_premium == 2
    assert [(r.label, r.count) for r in s.by_plan] == [("Gold", 2)]
    assert [(r.label, r.value) for r in s.by_product] == [
        ("Ebook Ekspor", 150_000)
    ]  # the line, without the unique code
    gold = next(c for c in s.conversion if c.plan == "Gold")
    assert (gold.checkouts, gold.paid, gold.rate) == (3, 2, 66.7)
    assert sum(s.revenue_series.values) == s.revenue
    assert len(s.revenue_series.labels) == 30


def test_query_count_does_not_grow_with_the_data(sales, make_user):
    period = period_make(start=None, end=None, granularity="week")
    with CaptureQueriesContext(connection) as first:
        analytics_summary(period=period)
    shop = sales["shop"]
    for _ in range(4):
        shop.buy_paid(make_user(), plan_item(shop.plan("Gold").slug))
    with CaptureQueriesContext(connection) as second:
        analytics_summary(period=period)
    assert len(second.captured_queries) == len(first.captured_queries) <= 16


def test_page_and_csv(admin_client, sales):
    page = admin_client.get("/admin/analytics", {"per": "month"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Konversi per paket" in body and "Ebook Ekspor" in body
    for chart in ("members", "revenue", "plan", "product", "provider", "affiliate", "conversion"):
        response = admin_client.get("/admin/analytics", {"csv": chart})
        assert response.status_code == 200, chart
        assert response["Content-Type"].startswith("text/csv")
    text = b"".join(admin_client.get("/admin/analytics", {"csv": "plan"}).streaming_content).decode("utf-8-sig")
    assert text.splitlines()[1].startswith("Gold,")
    assert admin_client.get("/admin/analytics", {"csv": "nope"}).status_code == 404


def test_only_admins(member_client, client, member_user, sales):
    assert member_client.get("/admin/analytics").status_code == 403
    assert call(client, "get", "/admin/analytics/summary", user=member_user).status_code == 403


def test_api_summary(client, admin_user, sales):
    today = timezone.localdate()
    response = call(
        client, "get", "/admin/analytics/summary",
        {"from": (today - timedelta(days=6)).isoformat(), "to": today.isoformat(), "per": "day"}, user=admin_user,
    )  # fmt: skip
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["paid_orders"], body["revenue"]) == (3, sum(o.total for o in sales["paid"]))
    assert len(body["revenue_series"]["labels"]) == 7
    assert body["by_plan"][0]["label"] == "Gold"
    bad = call(client, "get", "/admin/analytics/summary", {"from": "kemarin"}, user=admin_user)
    assert bad.status_code == 422
