"""Forwarders and rate comparison, the member directory, export documents and their PDF."""

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from sanggar.api.testing import call
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.directory import document_services, forwarder_services, profile_services
from sanggar.directory import services as shared
from sanggar.directory.models import ExportDocument, QuotaUse

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def forwarder(admin_user):
    fw = forwarder_services.forwarder_save(
        actor=admin_user,
        data={"name": "PT Samudera Kargo", "city": "Jakarta Utara", "services": ["fcl", "customs"],
              "ports": "Tanjung Priok", "email": "ops@samudera.example", "whatsapp": "+62 812 1111 2233",
              "is_active": True},
    )  # fmt: skip
    forwarder_services.rate_save(
        actor=admin_user, forwarder=fw,
        data={"origin_port": "Tanjung Priok", "destination_port": "Tokyo", "destination_country": "JP",
              "mode": "fcl20", "price": 14_500_000, "transit_days": 12},
    )  # fmt: skip
    return fw


def test_forwarder_rules_and_compare(admin_user, member, forwarder, client):
    with pytest.raises(NotAllowed):
        forwarder_services.forwarder_save(actor=member, data={"name": "X", "city": "Y"})
    with pytest.raises(ServiceError):
        forwarder_services.rate_save(actor=admin_user, forwarder=forwarder, data={"origin_port": "A", "price": -1})
    other = forwarder_services.forwarder_save(
        actor=admin_user, data={"name": "CV Perak", "city": "Surabaya", "is_active": True}
    )
    forwarder_services.rate_save(
        actor=admin_user, forwarder=other,
        data={"origin_port": "Tanjung Perak", "destination_port": "Tokyo", "destination_country": "JP",
              "mode": "fcl20", "price": 13_800_000},
    )  # fmt: skip
    rates = call(client, "get", "/forwarders/rates", {"country": "JP", "mode": "fcl20"}, user=member).json()
    assert [r["price"] for r in rates["results"]] == [13_800_000, 14_500_000]
    page = _client(member).get(reverse("directory:rate_compare"), {"destination": "Tokyo"}).content.decode()
    assert "Termurah" in page and "CV Perak" in page
    listing = call(client, "get", "/forwarders", {"service": "fcl"}, user=member)
    assert listing.json()["count"] == 1 and "ops@samudera.example" not in listing.content.decode()
    detail = _client(member).get(reverse("directory:forwarder_detail", args=[forwarder.pk])).content.decode()
    assert "ops@samudera.example" not in detail and "o•••@s•••.example" in detail
    opened = call(client, "post", f"/forwarders/{forwarder.pk}/view", user=member).json()
    assert opened["contact"]["email"] == "ops@samudera.example"
    admin = _client(admin_user)
    assert admin.get(reverse("directory:admin_forwarders")).status_code == 200
    assert admin.get(reverse("directory:admin_forwarder_edit", args=[forwarder.pk])).status_code == 200
    response = admin.post(
        reverse("directory:admin_forwarder_edit", args=[forwarder.pk]),
        {"action": "rate", "origin_port": "Tanjung Priok", "destination_port": "Jebel Ali",
         "destination_country": "AE", "mode": "fcl40", "price": "24000000"},
    )  # fmt: skip
    assert response.status_code == 302 and forwarder.rates.count() == 2
    assert _client(member).get(reverse("directory:admin_forwarders")).status_code == 403


def test_member_directory_shows_only_opted_in_fields(member, make_user, client):
    other = make_user(full_name="Rahmat Eksportir", email="rahmat@example.com", whatsapp="081299990000",
                      province="Jawa Tengah", city="Semarang")  # fmt: skip
    hidden = make_user(full_name="Tidak Tampil", email="hidden@example.com", province="Jawa Tengah")
    profile_services.profile_save(user=hidden, data={"is_listed": False, "business_name": "Rahasia"})
    profile_services.profile_save(
        user=other,
        data={"is_listed": True, "business_name": "Rahmat Coffee", "show_city": True, "show_whatsapp": False,
              "show_email": True},
    )  # fmt: skip
    with pytest.raises(ServiceError):
        profile_services.profile_save(user=member, data={"npwp": "123"})
    page = _client(member).get(reverse("directory:members"), {"province": "Jawa Tengah"}).content.decode()
    assert "Rahmat Coffee" in page and "rahmat@example.com" in page
    assert "081299990000" not in page and "Tidak Tampil" not in page
    api = call(client, "get", "/members/directory", {"province": "Jawa Tengah"}, user=member).json()
    assert api["count"] == 1 and api["results"][0]["whatsapp"] == ""
    saved = call(
        client, "put", "/me/directory-profile", {"is_listed": True, "business_name": "Budi Kakao"}, user=member
    )
    assert saved.status_code == 200 and saved.json()["is_listed"] is True
    assert _client(member).get(reverse("directory:my_profile")).status_code == 200


def test_packing_list_pdf_and_quota(member, make_buyer, admin_user, client):
    buyer = make_buyer(company="Tokyo Bean Trading Co., Ltd.")
    shared.directory_open(user=member, kind="buyer", object_id=buyer.pk)
    profile_services.profile_save(user=member, data={"business_name": "Budi Kopi Temanggung", "address": "Jl. Kopi 1"})
    body = {
        "kind": "packing_list", "buyer": buyer.pk, "port_of_loading": "Tanjung Emas",
        "items": [{"description": "Robusta coffee beans", "hs_code": "090111", "quantity": "320", "unit": "bag",
                   "net_weight": "19200", "gross_weight": "19520"}],
    }  # fmt: skip
    created = call(client, "post", "/export-documents", body, user=member)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["exporter_name"] == "Budi Kopi Temanggung" and data["consignee_name"] == buyer.company
    assert data["consignee_address"] == "2-14-1 Minato-ku, Tokyo" and data["number"].startswith("PL/")
    pdf = call(client, "get", f"/export-documents/{data['id']}/pdf", user=member)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    import io

    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "PACKING LIST" in text and "Robusta coffee beans" in text and "19520" in text
    other = call(client, "get", f"/export-documents/{data['id']}/pdf", user=admin_user)
    assert other.status_code == 404
    bad = call(
        client, "post", "/export-documents", {**body, "items": [{**body["items"][0], "gross_weight": "1"}]}, user=member
    )
    assert bad.status_code == 400 and "items.0.gross_weight" in bad.json()["errors"]
    for _ in range(2):
        assert call(client, "post", "/export-documents", body, user=member).status_code == 201
    refused = call(client, "post", "/export-documents", body, user=member)
    assert refused.status_code == 403 and refused.json()["errors"]["reason"] == ["quota_exhausted"]
    assert ExportDocument.objects.filter(owner=member).count() == 3
    assert QuotaUse.objects.filter(user=member, kind="export_document").count() == 3
    updated = call(client, "put", f"/export-documents/{data['id']}", {**body, "vessel": "MV Meratus"}, user=member)
    assert updated.status_code == 200 and updated.json()["vessel"] == "MV Meratus"


def test_document_pages_and_coo_draft_mark(member):
    client = _client(member)
    assert client.get(reverse("directory:documents")).status_code == 200
    assert client.get(reverse("directory:document_create")).status_code == 200
    response = client.post(
        reverse("directory:document_create"),
        {"kind": "coo_draft", "exporter_name": "Budi Kopi", "consignee_name": "Cairo Coffee", "currency": "USD",
         "incoterm": "CIF", "item_description": ["Robusta coffee", ""], "item_quantity": ["10", ""],
         "item_unit": ["bag", "kg"], "item_hs_code": ["0901", ""], "item_net_weight": ["600", ""],
         "item_gross_weight": ["610", ""], "item_unit_price": ["", ""]},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    document = ExportDocument.objects.get()
    assert client.get(reverse("directory:document_edit", args=[document.pk])).status_code == 200
    pdf = client.get(reverse("directory:document_pdf", args=[document.pk]))
    import io

    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "DRAFT" in text
    document_services.document_delete(user=member, document=document)
    assert not ExportDocument.objects.exists()


def test_rate_source_and_last_update_on_pages_and_api(admin_user, member, forwarder, client):
    rate = forwarder.rates.get()
    forwarder_services.rate_save(
        actor=admin_user, forwarder=forwarder, rate=rate,
        data={"origin_port": "Tanjung Priok", "destination_port": "Tokyo", "destination_country": "JP",
              "mode": "fcl20", "price": 14_000_000, "source": "Penawaran email 2/12/2026"},
    )  # fmt: skip
    rates = call(client, "get", "/forwarders/rates", {"country": "JP"}, user=member).json()["results"]
    assert rates[0]["source"] == "Penawaran email 2/12/2026" and rates[0]["updated_at"]
    web = _client(member)
    compare = web.get(reverse("directory:rate_compare") + "?country=JP").content.decode()
    assert "Penawaran email 2/12/2026" in compare and "Sumber / diperbarui" in compare
    detail = web.get(reverse("directory:forwarder_detail", args=[forwarder.pk])).content.decode()
    assert "Penawaran email 2/12/2026" in detail
    for source in ("x" * 101, "nul\x00"):
        with pytest.raises(ServiceError):
            forwarder_services.rate_save(
                actor=admin_user, forwarder=forwarder,
                data={"origin_port": "A", "destination_port": "B", "destination_country": "JP", "mode": "lcl",
                      "price": 1, "source": source},
            )  # fmt: skip
    assert forwarder.rates.count() == 1
    admin = _client(admin_user)
    saved = admin.post(
        reverse("directory:admin_forwarder_edit", args=[forwarder.pk]),
        {"action": "rate", "origin_port": "Tanjung Perak", "destination_port": "Jeddah", "destination_country": "SA",
         "mode": "fcl40", "price": "30000000", "source": "Daftar tarif Desember"},
    )  # fmt: skip
    assert saved.status_code == 302 and forwarder.rates.filter(source="Daftar tarif Desember").exists()
