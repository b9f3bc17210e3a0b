"""Member pages: purchase history and the invoice PDF."""

import re
import zlib

import pytest
from django.urls import reverse

from sanggar.orders.services import order_cancel
from sanggar.orders.tests.shop import Shop, plan_item, product_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(admin_user):
    return Shop(admin_user)


def pdf_text(content: bytes) -> bytes:
    """The PDF's streams, decompressed (text of titles, bookmarks and metadata can be searched)."""
    chunks = [content]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(chunks)


def test_purchases_need_login(client):
    response = client.get("/riwayat-pembelian")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_purchases_list_only_own_orders_with_the_right_actions(client, shop, make_user, admin_user):
    buyer = make_user(full_name="Maya")
    other = make_user()
    gold = shop.plan("Gold")
    ebook = shop.product("Ebook")
    paid = shop.buy_paid(buyer, plan_item(gold.slug))
    pending = shop.buy(buyer, product_item(ebook.slug))
    cancelled = shop.buy(buyer, product_item(shop.product("Template").slug))
    order_cancel(order=cancelled, actor=admin_user)
    foreign = shop.buy(other, product_item(ebook.slug))

    client.force_login(buyer)
    response = client.get(reverse("orders:purchases"))
    assert response.status_code == 200
    html = response.content.decode()
    for order in (paid, pending, cancelled):
        assert f'data-order="{order.invoice_number}"' in html
    assert foreign.invoice_number not in html
    assert f"/riwayat-pembelian/{paid.invoice_number}.pdf" in html
    assert f"/riwayat-pembelian/{pending.invoice_number}.pdf" not in html
    assert f"/invoice/{pending.invoice_number}" in html
    assert html.count("Bayar Sekarang") == 1
    assert 'data-status="cancelled"' in html


def test_purchases_page_runs_a_fixed_number_of_queries(client, shop, make_user, django_assert_max_num_queries):
    buyer = make_user()
    ebook = shop.product("Ebook")
    client.force_login(buyer)
    for _ in range(2):
        shop.buy(buyer, product_item(ebook.slug))
    with django_assert_max_num_queries(30) as few:
        client.get("/riwayat-pembelian")
    for _ in range(10):
        shop.buy(buyer, product_item(ebook.slug))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/riwayat-pembelian")
    assert response.status_code == 200
    assert len(response.context["orders"]) == 10


def test_empty_history_points_to_the_catalog(client, make_user):
    client.force_login(make_user())
    html = client.get("/riwayat-pembelian").content.decode()
    assert "Belum ada pembelian" in html
    assert 'href="/checkout/all"' in html


def test_invoice_pdf_for_the_buyer_and_admins_only(client, shop, make_user, admin_user):
    buyer = make_user(full_name="Maya Member")
    order = shop.buy_paid(buyer, plan_item(shop.plan("Gold").slug))
    url = reverse("orders:invoice_pdf", args=[order.invoice_number])
    assert url == f"/riwayat-pembelian/{order.invoice_number}.pdf"

    client.force_login(buyer)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{order.invoice_number}.pdf"'
    assert response.content.startswith(b"%PDF-")
    assert len(response.content) > 5_000
    assert f"Invoice {order.invoice_number}".encode() in pdf_text(response.content)

    client.force_login(admin_user)
    assert client.get(url).status_code == 200

    client.force_login(make_user())
    assert client.get(url).status_code == 404
    assert client.get("/riwayat-pembelian/INV999999.pdf").status_code == 404

    client.logout()
    assert client.get(url).status_code == 302
