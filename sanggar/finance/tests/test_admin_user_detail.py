"""The admin's user detail page: memberships (history), orders, access grants, wallets and affiliate status, each
from its own app through accounts' section registry, in a number of queries that does not grow with the history."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanggar.memberships.services import membership_activate
from sanggar.memberships.services_admin import membership_cancel

pytestmark = pytest.mark.django_db


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_user_detail_shows_every_section(admin_client, world):
    gold = world.shop.plan("Gold Ekspor", prices=(("1m", 500_000),))
    first = membership_activate(user=world.buyer, plan_price=gold.prices.get(), amount_paid=0)
    membership_cancel(user=world.buyer, reason="Uji coba", actor=world.admin)
    membership_activate(user=world.buyer, plan_price=gold.prices.get(), amount_paid=0)
    order = world.paid_order(world.product("Kelas Dokumen Ekspor", price=400_000, commission=25))

    _n, page = _queries(admin_client, f"/admin/users/{world.buyer.pk}")
    for text in ('id="user-memberships"', "Gold Ekspor", "Dibatalkan", 'id="user-orders"', order.invoice_number,
                 "1 pesanan, 1 lunas", 'id="user-grants"', "Kelas Dokumen Ekspor", 'id="user-wallets"',
                 'id="user-affiliate"', "Bukan affiliate."):  # fmt: skip
        assert text in page, text
    assert f'data-membership="{first.pk}"' in page
    assert "Aktif: Gold Ekspor" in page

    _n, page = _queries(admin_client, f"/admin/users/{world.affiliate.pk}")
    assert "Kode affiliate" in page and "Rp 100.000" in page  # 25% of 400.000, pending in the wallet and the row
    assert 'data-wallet="affiliate"' in page


def test_user_detail_queries_do_not_grow_with_the_history(admin_client, world):
    gold = world.shop.plan("Gold Ekspor", prices=(("1m", 500_000),))
    membership_activate(user=world.buyer, plan_price=gold.prices.get(), amount_paid=0)
    world.paid_order(world.product("Kelas 1", price=100_000))
    admin_client.get(f"/admin/users/{world.buyer.pk}")  # the process's caches (branding, …) warm, as when running
    few, _page = _queries(admin_client, f"/admin/users/{world.buyer.pk}")
    for n in range(2, 8):
        world.paid_order(world.product(f"Kelas {n}", price=100_000 * n))
        membership_cancel(user=world.buyer, reason="Uji", actor=world.admin)
        membership_activate(user=world.buyer, plan_price=gold.prices.get(), amount_paid=0)
    many, page = _queries(admin_client, f"/admin/users/{world.buyer.pk}")
    assert "7 pesanan, 7 lunas" in page
    assert many == few
    assert many <= 30
