"""Product-description drafts (the local template writer, the HTTP writer against a local fake service, the monthly
allowance, pages and API) and the supplier's own English version of the profile and products (Premium) with the
language switch on the public pages."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.test import Client
from django.urls import reverse

from sanggar.api.testing import call
from sanggar.core.exceptions import NotAllowed
from sanggar.suppliers import services, writers
from sanggar.suppliers.models import DescriptionDraft, SupplierProduct

pytestmark = pytest.mark.django_db

FACTS = {
    "title": "Cengkeh Kering Grade A",
    "hs_code": "0907.10",
    "moq": "500",
    "moq_unit": "kg",
    "price_min": "85000",
    "price_max": "95000",
    "price_unit": "kg",
    "capacity": "5 ton per bulan",
    "categories": ["rempah"],
}


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.SUPPLIER_DRAFT_RATE_LIMIT = settings.SUPPLIER_DRAFT_IP_RATE_LIMIT = "1000/60"
    settings.SUPPLIER_DRAFT_WRITER = "template"


def test_template_writer_is_deterministic_and_uses_only_the_facts():
    facts = writers.ProductFacts(
        title="Kopi <b>Gayo</b>", hs_code="09011190", moq=1200, moq_unit="kg", price_min=85000, price_max=95000,
        price_unit="kg", capacity="5 ton", categories=("Kopi, Teh & Kakao",), company="CV Gayo", city="Takengon",
        province="Aceh", supplier_type="Produsen", certificates=("NIB", "Sertifikat Halal"),
    )  # fmt: skip
    text = writers.TemplateWriter().write(facts)
    assert text == writers.TemplateWriter().write(facts)
    assert "Kopi &lt;b&gt;Gayo&lt;/b&gt; dari CV Gayo (produsen), Takengon, Aceh, Indonesia." in text
    assert "0901.1190" in text and "1.200 kg" in text and "Rp 85.000 – Rp 95.000 per kg" in text
    assert "Kopi, Teh &amp; Kakao" in text and "NIB, Sertifikat Halal" in text
    english = writers.TemplateWriter().write(writers.ProductFacts(**{**facts.__dict__, "language": "en"}))
    assert "supplied by CV Gayo" in english and "IDR 85,000 – IDR 95,000 per kg" in english and "1,200 kg" in english
    assert "bukan AI" in str(writers.TemplateWriter.label)


def test_free_supplier_drafts_within_the_monthly_allowance_page_and_api(make_supplier, client, admin_user):
    user, supplier = make_supplier("verified", name="CV Cengkeh Minahasa")
    web = Client()
    web.force_login(user)
    page = web.post(reverse("suppliers:product_new"), {**FACTS, "action": "draft"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Cengkeh Kering Grade A dari CV Cengkeh Minahasa" in html and "Rp 85.000 – Rp 95.000 per kg" in html
    assert "Draf dari template (bukan AI)" in html and "1 dari 3 draf bulan ini" in html
    assert not SupplierProduct.objects.exists()  # a draft saves nothing
    api = call(client, "post", "/me/supplier/description-draft", {**FACTS, "moq": 500, "price_min": 85000,
                                                                   "price_max": 95000}, user=user)  # fmt: skip
    assert api.status_code == 200, api.content
    body = api.json()
    assert body["writer"] == "template" and body["used"] == 2 and body["limit"] == 3 and not body["fallback"]
    assert "<li><strong>Kode HS:</strong> 0907.10</li>" in body["description_html"]
    english = call(client, "post", "/me/supplier/description-draft", {"title": "Cengkeh", "language": "en"}, user=user)
    assert english.status_code == 403  # English text is Premium
    services.description_draft(supplier=supplier, actor=user, data={"title": "Pala"})
    refused = call(client, "post", "/me/supplier/description-draft", {"title": "Pala"}, user=user)
    assert refused.status_code == 403 and "3 dari 3" in refused.json()["message"]
    assert DescriptionDraft.objects.filter(supplier=supplier).count() == 3
    bad = call(client, "post", "/me/supplier/description-draft", {"title": "", "hs_code": "12"}, user=user)
    assert bad.status_code in (400, 422)
    services.settings_update(actor=admin_user, drafts_enabled=False)
    with pytest.raises(NotAllowed):
        services.description_draft(supplier=supplier, actor=user, data={"title": "Pala"})


class _FakeWriterService(BaseHTTPRequestHandler):
    answers: list = []
    seen: list = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append({"auth": self.headers.get("Authorization"), "body": body})
        status, answer = type(self).answers.pop(0)
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_writer(settings):
    server = HTTPServer(("127.0.0.1", 0), _FakeWriterService)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _FakeWriterService.answers, _FakeWriterService.seen = [], []
    settings.SUPPLIER_DRAFT_WRITER = "http"
    settings.SUPPLIER_DRAFT_HTTP_URL = f"http://127.0.0.1:{server.server_port}/v1/describe"
    settings.SUPPLIER_DRAFT_HTTP_TOKEN = "rahasia-uji"
    settings.SUPPLIER_DRAFT_HTTP_TIMEOUT = 5
    yield _FakeWriterService
    server.shutdown()
    server.server_close()


def test_http_writer_against_a_local_service_and_the_template_fallback(make_supplier, fake_writer):
    user, supplier = make_supplier("verified", premium_days=30, name="PT Kopi Gayo")
    fake_writer.answers += [
        (200, {"text": "<p>Arabica Gayo grade 1.</p><script>alert(1)</script>"}),
        (500, {"error": "overloaded"}),
        (200, {"unexpected": True}),
    ]
    draft = services.description_draft(supplier=supplier, actor=user, data=FACTS, language="en")
    assert draft.writer == "http" and not draft.fallback
    assert "Arabica Gayo grade 1." in draft.text and "<script>" not in draft.text
    request = fake_writer.seen[0]
    assert request["auth"] == "Bearer rahasia-uji"
    assert request["body"]["task"] == "product_description" and request["body"]["language"] == "en"
    assert request["body"]["hs_code"] == "090710" and request["body"]["company"] == "PT Kopi Gayo"
    for _i in range(2):  # HTTP 500, then an answer without text: the template writes the draft
        fallback = services.description_draft(supplier=supplier, actor=user, data=FACTS)
        assert fallback.writer == "template" and fallback.fallback and "Cengkeh Kering Grade A" in fallback.text
    assert list(DescriptionDraft.objects.values_list("writer", flat=True).order_by("id")) == [
        "http", "template", "template",
    ]  # fmt: skip


def test_http_writer_unreachable_raises_writer_error():
    writer = writers.HttpWriter(url="http://127.0.0.1:9/tidak-ada", timeout=1)
    with pytest.raises(writers.WriterError):
        writer.write(writers.ProductFacts(title="Pala"))
    with pytest.raises(writers.WriterError):
        writers.HttpWriter(url="").write(writers.ProductFacts(title="Pala"))


def test_english_version_is_premium_and_pages_switch_language(make_supplier, make_user, client):
    free_user, free = make_supplier("verified", name="CV Gratis")
    with pytest.raises(NotAllowed):
        services.profile_update(supplier=free, actor=free_user, tab="inggris", data={"short_description_en": "Hi"})
    web = Client()
    web.force_login(free_user)
    assert "Buka fitur ini dengan Premium Supplier" in web.get("/supplier/onboarding/profil/inggris").content.decode()
    refused = call(client, "post", "/me/supplier/profile/inggris", {"short_description_en": "Hi"}, user=free_user)
    assert refused.status_code == 403

    user, supplier = make_supplier("verified", premium_days=30, name="PT Rempah Ekspor")
    owner = Client()
    owner.force_login(user)
    saved = owner.post("/supplier/onboarding/profil/inggris", {
        "short_description_en": "Clove and nutmeg processor working with 300 partner farmers.",
        "main_products_en": "Cloves, nutmeg", "strengths_en": "", "unique_value_en": "",
    })  # fmt: skip
    assert saved.status_code == 302
    services.product_save(supplier=supplier, actor=user, data={
        "title": "Cengkeh Kering", "title_en": "Dried Cloves", "description": "<p>Kadar air 12%.</p>",
        "description_en": "", "status": "active",
    })  # fmt: skip
    member = Client()
    member.force_login(make_user(full_name="Buyer Lokal"))
    url = reverse("suppliers:profile", args=[supplier.slug])
    indonesian = member.get(url).content.decode()
    assert "Pengolah rempah dari petani mitra." in indonesian and 'id="content-language"' in indonesian
    english = member.get(url + "?bahasa=en").content.decode()
    assert "Clove and nutmeg processor working with 300 partner farmers." in english
    assert "Pengolah rempah dari petani mitra." not in english and "Cloves, nutmeg" in english
    assert "Dried Cloves" in english and 'lang="en"' in english
    product = member.get(reverse("suppliers:product", args=[supplier.slug, "cengkeh-kering"]) + "?bahasa=en")
    html = product.content.decode()
    assert "Dried Cloves" in html and "Kadar air 12%." in html  # no English description: the Indonesian one
    assert 'id="content-language"' not in member.get(reverse("suppliers:profile", args=[free.slug])).content.decode()
    assert "CV Gratis" in member.get(reverse("suppliers:profile", args=[free.slug]) + "?bahasa=en").content.decode()
    detail = call(client, "get", f"/suppliers/{supplier.slug}", user=make_user()).json()
    assert detail["english"]["short_description"].startswith("Clove and nutmeg")
    assert detail["english"]["strengths"] == ""
    assert call(client, "get", f"/suppliers/{free.slug}", user=make_user()).json()["english"] is None


def test_premium_supplier_subdomain_shows_its_profile(make_supplier, client, settings):
    settings.SUPPLIER_SUBDOMAIN_BASE = "supplier.sanggar.test"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver", ".supplier.sanggar.test"]
    settings.SITE_URL = "https://sanggar.test"
    user, supplier = make_supplier("verified", premium_days=30, name="PT Subdomain Rempah")
    _free_user, free = make_supplier("verified", name="CV Tanpa Premium")
    services.product_save(supplier=supplier, actor=user, data={"title": "Pala Utuh", "status": "active"})
    host = f"{supplier.slug}.supplier.sanggar.test"
    home = client.get("/", HTTP_HOST=host)
    assert home.status_code == 200 and "PT Subdomain Rempah" in home.content.decode()
    assert "Pala Utuh" in client.get("/produk/pala-utuh", HTTP_HOST=host).content.decode()
    assert client.get("/produk/tidak-ada", HTTP_HOST=host).status_code == 404
    moved = client.get("/dashboard/?tab=1", HTTP_HOST=host)
    assert moved.status_code == 302 and moved["Location"] == "https://sanggar.test/dashboard/?tab=1"
    assert client.post("/", HTTP_HOST=host).status_code == 302  # writes happen on the main host
    assert client.get("/", HTTP_HOST=f"{free.slug}.supplier.sanggar.test").status_code == 404
    assert client.get("/", HTTP_HOST="tidak-terdaftar.supplier.sanggar.test").status_code == 404
    assert client.get("/", HTTP_HOST="a.b.supplier.sanggar.test").status_code == 404
    web = Client()
    web.force_login(user)
    assert f"http{'s'}://{host}/" in web.get(reverse("suppliers:home")).content.decode()
    settings.SUPPLIER_SUBDOMAIN_BASE = ""  # off: the host is not routed to the supplier any more
    assert "PT Subdomain Rempah" not in client.get("/", HTTP_HOST=host).content.decode()
