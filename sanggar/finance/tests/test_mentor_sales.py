"""Penjualan Saya: a mentor's sales of the plans and products they created with their share from the ledger (page
and API), and the founder's dashboard card with their share this month."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.catalog import services as catalog
from sanggar.core.exceptions import ServiceError
from sanggar.core.formatting import rupiah
from sanggar.core.roles import Role
from sanggar.finance.selectors import founder_months
from sanggar.finance.selectors_mentor import mentor_months
from sanggar.orders.services import order_create, order_mark_paid, order_refund
from sanggar.orders.tests.shop import plan_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def sales(world, make_user):
    """Two product sales and one plan sale of the world's mentor (20% share), one sale of another mentor's product,
    and a refunded sale."""
    other = make_user(Role.MENTOR, full_name="Mentor Lain", email="lain@example.com")
    plan = world.shop.plan("Gold Mentor", prices=(("1m", 500_000),))
    catalog.plan_update(plan=plan, actor=world.admin, creator_id=world.mentor.pk, mentor_share_percent=10)
    kelas = world.product("Kelas Ekspor", price=1_000_000, commission=30, share=20)
    ebook = world.product("Ebook Buyer", price=200_000, commission=0, share=20)
    theirs = world.product("Kelas Orang Lain", price=300_000, creator=False)
    catalog.product_update(product=theirs, actor=world.admin, creator_id=other.pk)
    first = world.paid_order(kelas)
    second = world.paid_order(ebook, affiliate=None)
    order = order_create(buyer=world.buyer, items=[plan_item(plan.slug, "1m")], provider="manual", affiliate=None)
    plan_sale = order_mark_paid(order=order, actor=world.admin)
    world.paid_order(theirs)
    refunded = world.paid_order(world.product("Kelas Batal", price=100_000, commission=0, share=20), affiliate=None)
    order_refund(order=refunded, actor=world.admin, reason="Pembeli membatalkan")
    return {"first": first, "second": second, "plan_sale": plan_sale, "refunded": refunded, "other": other}


def test_page_lists_own_sales_with_the_ledger_share(client, world, sales):
    client.force_login(world.mentor)
    response = client.get("/penjualan-saya")
    assert response.status_code == 200
    page = response.content.decode()
    orders = {o.invoice_number: o for o in response.context["orders"]}
    assert set(orders) == {sales[k].invoice_number for k in ("first", "second", "plan_sale", "refunded")}
    # 20% of (1.000.000 - 300.000 commission); 20% of 200.000; 10% of the plan's 500.000; the refunded one nets 0.
    assert orders[sales["first"].invoice_number].share == 140_000
    assert orders[sales["second"].invoice_number].share == 40_000
    assert orders[sales["plan_sale"].invoice_number].share == 50_000
    assert (orders[sales["refunded"].invoice_number].share, orders[sales["refunded"].invoice_number].net_share) == (
        20_000, 0,
    )  # fmt: skip
    assert "Kelas Orang Lain" not in page and "Gold Mentor" in page and "Dikembalikan" in page
    month = response.context["this_month"]
    assert (month["sales"], month["amount"], month["share"]) == (3, 1_700_000, 230_000)
    assert month["month"] == timezone.localdate().replace(day=1)


def test_page_queries_are_bounded_and_only_mentors_see_it(client, world, sales):
    client.force_login(world.mentor)
    client.get("/penjualan-saya")  # the process's caches (branding, …) warm, as when running
    with CaptureQueriesContext(connection) as few:
        client.get("/penjualan-saya")
    for n in range(4):
        world.paid_order(world.product(f"Kelas Tambahan {n}", price=100_000, share=20))
    with CaptureQueriesContext(connection) as many:
        response = client.get("/penjualan-saya")
    assert len(response.context["orders"]) == 8
    assert len(many) == len(few)
    client.force_login(world.buyer)
    assert client.get("/penjualan-saya").status_code in (302, 403)
    client.force_login(world.founder)
    assert client.get("/penjualan-saya").status_code in (302, 403)


def test_api_lists_the_same(client, world, sales):
    response = call(client, "get", "/me/mentor-sales", user=world.mentor)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 4 and body["next_page"] is None
    first = next(r for r in body["results"] if r["invoice_number"] == sales["first"].invoice_number)
    assert first["items"] == [{"title": "Kelas Ekspor", "amount": 1_000_000}]
    figures = (first["amount"], first["share"], first["net_share"], first["status"])
    assert figures == (1_000_000, 140_000, 140_000, "paid")
    assert body["months"][0]["share"] == 230_000 and len(body["months"]) == 12
    assert call(client, "get", "/me/mentor-sales", user=world.buyer).status_code == 403
    assert call(client, "get", "/me/mentor-sales?page=0", user=world.mentor).status_code == 422
    assert call(client, "get", "/me/mentor-sales?page=9", user=world.mentor).json()["results"] == []


def test_months_are_every_month_newest_first(world, sales):
    months = mentor_months(user=sales["other"])
    assert len(months) == 12 and months[0]["sales"] == 1 and months[0]["share"] == 42_000  # 20% of 300.000 - 30%
    assert all(row["sales"] == 0 for row in months[1:])
    assert months[1]["month"] < months[0]["month"]


def test_founder_dashboard_card_shows_the_share_this_month(client, world, sales):
    client.force_login(world.founder)
    page = client.get("/dashboard/").content.decode()
    assert "Pendapatan &amp; bagian Anda" in page
    _last, this = founder_months(user=world.founder)
    assert this["share"] > 0
    assert rupiah(this["share"]) in page


def test_a_plan_creator_must_be_an_active_mentor(world):
    plan = world.shop.plan("Perak", prices=(("1m", 100_000),))
    with pytest.raises(ServiceError) as caught:
        catalog.plan_update(plan=plan, actor=world.admin, creator_id=world.buyer.pk, mentor_share_percent=101)
    assert caught.value.errors == {
        "creator_id": ["Pilih kreator dari daftar mentor aktif."],
        "mentor_share_percent": ["Bagian mentor maksimal 100."],
    }


def test_plan_marketing_tab_sets_the_creator(client, world):
    plan = world.shop.plan("Perunggu", prices=(("1m", 100_000),))
    client.force_login(world.admin)
    url = f"/admin/membership/{plan.pk}/marketing"
    page = client.get(url).content.decode()
    assert "Mentor Budi" in page and "Bagian mentor (%)" in page
    response = client.post(url, {
        "status": "active", "rank": "1", "upgrade_mode": "accumulate", "sort_order": "0",
        "affiliate_commission_type": "percent", "affiliate_commission_value": "30",
        "creator_id": str(world.mentor.pk), "mentor_share_percent": "15",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    plan.refresh_from_db()
    assert (plan.creator_id, plan.mentor_share_percent) == (world.mentor.pk, 15)
