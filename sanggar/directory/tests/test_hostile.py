"""Hostile input on the directory's pages and API: NUL characters, huge and wrong-typed values answer 4xx with a
reason (never 500) and change nothing; lists run a bounded number of queries."""

import pytest
from django.test import Client
from django.urls import reverse

from sanggar.api.testing import call
from sanggar.directory.models import Buyer, DirectoryReport, ExportDocument

pytestmark = pytest.mark.django_db


def test_api_refuses_hostile_input(member, admin_user, make_buyer, client):
    buyer = make_buyer()
    cases = [
        ("post", f"/buyers/{buyer.pk}/report", {"reason": "other", "detail": "a\x00b"}),
        ("post", f"/buyers/{buyer.pk}/report", {"reason": ["x"], "detail": 5}),
        ("post", f"/buyers/{buyer.pk}/report", {"reason": "other", "detail": "x" * 5000}),
        ("post", f"/buyers/{buyer.pk}/like", {"liked": "mungkin"}),
        ("post", "/export-documents", {"kind": "packing_list", "items": []}),
        ("post", "/export-documents", {"kind": "packing_list", "items": [{"description": "x", "quantity": "1e400",
                                                                          "unit": "kg"}]}),
        ("post", "/export-documents", {"kind": "invoice", "items": "semua"}),
        ("post", "/export-documents", {"kind": "packing_list", "buyer": 10**30, "items": [{}]}),
        ("put", "/me/directory-profile", {"business_name": "\x00", "is_listed": True}),
    ]  # fmt: skip
    for method, path, body in cases:
        response = call(client, method, path, body, user=member)
        assert 400 <= response.status_code < 500, (path, body, response.status_code)
        assert response.json()["message"]
    admin_cases = [
        {"company": "A\x00", "country": "JP", "products": "x"},
        {"company": "A", "country": "JP", "products": "x", "rating": "lima"},
        {"company": "A" * 500, "country": "JP", "products": "x"},
    ]
    for body in admin_cases:
        assert 400 <= call(client, "post", "/admin/buyers", body, user=admin_user).status_code < 500
    assert call(client, "get", "/buyers", {"page": "-1"}, user=member).status_code == 422
    assert call(client, "get", "/buyers", {"q": "x" * 500}, user=member).status_code == 422
    assert call(client, "get", "/buyers/0", user=member).status_code == 422
    assert Buyer.objects.count() == 1 and not DirectoryReport.objects.exists() and not ExportDocument.objects.exists()


def test_pages_refuse_hostile_input(member, make_buyer):
    buyer = make_buyer()
    page = Client()
    page.force_login(member)
    response = page.get(reverse("directory:buyers"), {"q": "kopi\x00", "country": "ZZZ", "page": "99999"})
    assert 200 <= response.status_code < 500
    response = page.post(reverse("directory:buyer_report", args=[buyer.pk]), {"reason": "other", "detail": "a\x00"})
    assert response.status_code in (200, 400) and not DirectoryReport.objects.exists()
    response = page.post(
        reverse("directory:document_create"),
        {"kind": "packing_list", "exporter_name": "A", "consignee_name": "B", "currency": "USD", "incoterm": "FOB",
         "item_description": ["Kopi"], "item_quantity": ["banyak"], "item_unit": ["kg"]},
    )  # fmt: skip
    assert response.status_code == 200 and "Harus berupa angka" in response.content.decode()
    assert not ExportDocument.objects.exists()


def test_api_lists_have_bounded_queries(member, make_buyer, client, django_assert_max_num_queries):
    for _ in range(40):
        make_buyer()
    call(client, "get", "/buyers", user=member)
    with django_assert_max_num_queries(12):
        response = call(client, "get", "/buyers", {"page": 1}, user=member)
    assert response.status_code == 200 and len(response.json()["results"]) == 30
    with django_assert_max_num_queries(10):
        assert call(client, "get", "/members/directory", user=member).status_code == 200


def test_dashboard_cards(member, admin_user):
    page = Client()
    page.force_login(member)
    assert "0 dari 5 detail buyer bulan ini" in page.get("/dashboard/").content.decode()
    page.force_login(admin_user)
    assert "Laporan Data Direktori" in page.get("/dashboard/").content.decode()
