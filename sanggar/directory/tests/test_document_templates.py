"""Admin-managed export-document templates (header, starting notes, terms, footer per kind) on the admin page and
through the API, printed in the PDF; amounts in words on invoices (English for the currency, terbilang for IDR)."""

import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from sanggar.api.testing import call
from sanggar.audit.models import ActivityLog
from sanggar.core.exceptions import NotAllowed, NotFound, ServiceError
from sanggar.directory import document_services
from sanggar.directory.amount_words import amount_in_words, amount_terbilang, terbilang, words_en
from sanggar.directory.constants import ACTION_DOCUMENT_TEMPLATE_SAVED
from sanggar.directory.models import DocumentTemplate, ExportDocument

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize(
    ("amount", "currency", "words"),
    [
        ("1200.50", "USD", "US Dollars One Thousand Two Hundred and 50/100"),
        ("1234.56", "EUR", "Euros One Thousand Two Hundred Thirty-Four and 56/100"),
        ("0", "USD", "US Dollars Zero and 00/100"),
        ("1000000", "SGD", "Singapore Dollars One Million and 00/100"),
        ("15000", "JPY", "Japanese Yen Fifteen Thousand"),
        ("19.995", "USD", "US Dollars Twenty and 00/100"),
    ],
)
def test_amount_in_words_english(amount, currency, words):
    assert amount_in_words(Decimal(amount), currency) == words


def test_terbilang():
    assert terbilang(1000) == "seribu" and terbilang(100) == "seratus" and terbilang(11) == "sebelas"
    assert terbilang(1_250_000) == "satu juta dua ratus lima puluh ribu"
    assert terbilang(2_011_115) == "dua juta sebelas ribu seratus lima belas"
    assert terbilang(7_000_000_000) == "tujuh miliar"
    assert amount_terbilang(Decimal("1250000")) == "Satu juta dua ratus lima puluh ribu rupiah"
    assert amount_terbilang(Decimal("10.50")) == "Sepuluh rupiah lima puluh sen"
    assert words_en(10**30) == f"{10**30:,}"  # beyond the scale words: digits, not an error


def test_admin_edits_a_template_on_the_page_and_it_prints(admin_user, member):
    admin = _client(admin_user)
    listing = admin.get(reverse("directory:admin_document_templates"))
    assert listing.status_code == 200 and "Belum diatur" in listing.content.decode()
    url = reverse("directory:admin_document_template_edit", args=["commercial_invoice"])
    assert admin.get(url).status_code == 200
    response = admin.post(
        url,
        {"header": "PT Kopi Nusantara\nJl. Merdeka 1, Semarang", "notes": "Barang sesuai kontrak.",
         "terms": "Payment 30 days after B/L.", "footer": "Dokumen dibuat di Sanggar"},
    )  # fmt: skip
    assert response.status_code == 302
    template = DocumentTemplate.objects.get(kind="commercial_invoice")
    assert template.terms == "Payment 30 days after B/L." and template.updated_by == admin_user
    assert ActivityLog.objects.filter(action=ACTION_DOCUMENT_TEMPLATE_SAVED).count() == 1
    # a new document of that kind starts with the template's notes; the PDF prints header, terms, footer, words
    new_page = _client(member).get(reverse("directory:document_create") + "?jenis=commercial_invoice")
    assert "Barang sesuai kontrak." in new_page.content.decode()
    document = document_services.document_create(
        user=member, kind="commercial_invoice",
        data={"exporter_name": "Budi Kopi", "consignee_name": "Tokyo Bean", "currency": "USD"},
        items=[{"description": "Arabica", "quantity": "2", "unit": "bag", "unit_price": "600.25"}],
    )  # fmt: skip
    assert document.notes == "Barang sesuai kontrak."
    pdf = _client(member).get(reverse("directory:document_pdf", args=[document.pk]))
    text = _pdf_text(pdf.content)
    for expected in ("PT Kopi Nusantara", "Payment 30 days after B/L.", "Dokumen dibuat di Sanggar",
                     "US Dollars One Thousand Two Hundred and 50/100"):  # fmt: skip
        assert expected in text, expected
    # members may not open or post the admin pages
    web = _client(member)
    assert web.get(reverse("directory:admin_document_templates")).status_code == 403
    assert web.post(url, {"terms": "diubah"}).status_code == 403
    assert DocumentTemplate.objects.get(kind="commercial_invoice").terms == "Payment 30 days after B/L."
    assert admin.get(reverse("directory:admin_document_template_edit", args=["bukan"])).status_code == 404


def test_idr_invoice_has_terbilang_and_packing_list_has_no_amount(member, client):
    body = {
        "kind": "proforma_invoice", "currency": "IDR", "exporter_name": "Budi", "consignee_name": "Toko Jaya",
        "items": [{"description": "Gula aren", "quantity": "1000", "unit": "kg", "unit_price": "1250"}],
    }  # fmt: skip
    created = call(client, "post", "/export-documents", body, user=member)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["amount_terbilang"] == "Satu juta dua ratus lima puluh ribu rupiah"
    assert data["amount_in_words"] == "Indonesian Rupiah One Million Two Hundred Fifty Thousand and 00/100"
    text = _pdf_text(call(client, "get", f"/export-documents/{data['id']}/pdf", user=member).content)
    assert "Satu juta dua ratus lima puluh ribu rupiah" in text
    packing = call(client, "post", "/export-documents", {**body, "kind": "packing_list"}, user=member).json()
    assert packing["amount_in_words"] is None and packing["total"] is None


def test_template_api_and_hostile_input(admin_user, member, client):
    listing = call(client, "get", "/admin/export-document-templates", user=admin_user)
    assert listing.status_code == 200 and len(listing.json()) == 5
    assert listing.json()[0]["updated_at"] is None
    saved = call(client, "put", "/admin/export-document-templates/packing_list", {"terms": "Net weight in kg."},
                 user=admin_user)  # fmt: skip
    assert saved.status_code == 200 and saved.json()["terms"] == "Net weight in kg."
    assert call(client, "get", "/admin/export-document-templates", user=member).status_code == 403
    denied = call(client, "put", "/admin/export-document-templates/packing_list", {"terms": "x"}, user=member)
    assert denied.status_code == 403 and denied.json()["message"]
    assert DocumentTemplate.objects.get(kind="packing_list").terms == "Net weight in kg."
    for payload in ({"terms": "a" * 2001}, {"footer": ["x"]}, {"header": {"a": 1}}):
        answer = call(client, "put", "/admin/export-document-templates/packing_list", payload, user=admin_user)
        assert answer.status_code == 422 and answer.json()["message"], payload
    nul = call(client, "put", "/admin/export-document-templates/packing_list", {"terms": "a\u0000b"}, user=admin_user)
    assert nul.status_code == 400 and nul.json()["message"]
    assert call(client, "put", "/admin/export-document-templates/bukan", {}, user=admin_user).status_code == 422
    with pytest.raises(ServiceError):
        document_services.document_template_save(actor=admin_user, kind="packing_list", data={"notes": 5})
    with pytest.raises(NotAllowed):
        document_services.document_template_save(actor=member, kind="packing_list", data={})
    with pytest.raises(NotFound):
        document_services.document_template_save(actor=admin_user, kind="bukan", data={})
    page = _client(admin_user).post(
        reverse("directory:admin_document_template_edit", args=["packing_list"]), {"terms": "a\x00b"}
    )
    assert page.status_code in (200, 400) and DocumentTemplate.objects.get(kind="packing_list").terms.startswith("Net")


def test_notify_party_marks_packages_and_dimensions(member, client):
    body = {
        "kind": "packing_list", "exporter_name": "Budi Kopi", "consignee_name": "Tokyo Bean",
        "notify_party": "Tokyo Bean Logistics Dept.", "marks": "TBT/2026/01 MADE IN INDONESIA",
        "items": [{"description": "Robusta coffee", "hs_code": "090111", "quantity": "320", "unit": "bag",
                   "net_weight": "19200", "gross_weight": "19520", "packages": 320, "dimensions": "90 x 60 x 20 cm"}],
    }  # fmt: skip
    created = call(client, "post", "/export-documents", body, user=member)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["notify_party"] == "Tokyo Bean Logistics Dept." and data["marks"].startswith("TBT/2026/01")
    assert data["items"][0]["packages"] == 320 and data["items"][0]["dimensions"] == "90 x 60 x 20 cm"
    text = " ".join(_pdf_text(call(client, "get", f"/export-documents/{data['id']}/pdf", user=member).content).split())
    for expected in ("Tokyo Bean Logistics Dept.", "TBT/2026/01 MADE IN INDONESIA", "90 x 60 x 20 cm", "PKGS"):
        assert expected in text, expected
    item = body["items"][0]
    for bad in ({**item, "packages": -1}, {**item, "packages": "banyak"}, {**item, "dimensions": "x" * 61}):
        answer = call(client, "post", "/export-documents", {**body, "items": [bad]}, user=member)
        assert answer.status_code == 422 and answer.json()["message"], bad
    nul = call(client, "post", "/export-documents", {**body, "items": [{**item, "dimensions": "a\u0000"}]}, user=member)
    assert nul.status_code == 400
    # the page: the fields are on the form, a wrong package count is an Indonesian message, the draft keeps them
    web = _client(member)
    form = {"kind": "packing_list", "exporter_name": "Budi", "consignee_name": "Cairo Coffee", "currency": "USD",
            "incoterm": "FOB", "notify_party": "Same as consignee", "marks": "CC-01",
            "item_description": ["Robusta"], "item_quantity": ["10"], "item_unit": ["bag"], "item_hs_code": ["0901"],
            "item_net_weight": ["600"], "item_gross_weight": ["610"], "item_unit_price": [""],
            "item_packages": ["banyak"], "item_dimensions": ["60 x 40 cm"]}  # fmt: skip
    page = web.post(reverse("directory:document_create"), form)
    assert page.status_code == 200 and "Jumlah kemasan berupa angka bulat." in page.content.decode()
    response = web.post(reverse("directory:document_create"), {**form, "item_packages": ["10"]})
    assert response.status_code == 302
    document = ExportDocument.objects.get(owner=member, consignee_name="Cairo Coffee")
    assert document.notify_party == "Same as consignee" and document.items.get().packages == 10
    edit = web.get(reverse("directory:document_edit", args=[document.pk])).content.decode()
    assert "Same as consignee" in edit and 'value="60 x 40 cm"' in edit
