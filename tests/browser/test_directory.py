"""The export directory in a real browser (390 px wide): a member filters the buyer database, opens a buyer's
contact with their quota, then builds a packing list for that buyer and downloads its PDF."""

import re

import pytest

from sanggar.core.roles import Role
from sanggar.directory.buyer_services import buyer_create
from sanggar.directory.models import ExportDocument

PHONE = {"width": 390, "height": 844}
WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


@pytest.mark.django_db(transaction=True)
def test_member_opens_a_buyer_and_downloads_a_packing_list(browser, live_server, make_user, login):
    admin = make_user(Role.ADMIN, email="admin@uji.test", full_name="Admin Uji")
    buyer = buyer_create(
        actor=admin,
        data={"company": "Tokyo Bean Trading Co., Ltd.", "country": "JP", "city": "Tokyo", "products": "Kopi arabika",
              "email": "purchasing@tokyobean.example", "address": "2-14-1 Minato-ku"},
    )  # fmt: skip
    make_user(email="maya@uji.test", full_name="Maya Eksportir")
    context = browser.new_context(viewport=PHONE, locale="id-ID", accept_downloads=True)
    page = context.new_page()
    login(page, "maya@uji.test")
    base = live_server.url
    page.goto(base + "/direktori/buyer?country=JP")
    assert page.evaluate(WIDTH) <= PHONE["width"]
    assert "purchasing@tokyobean.example" not in page.content()
    page.click(f"[data-buyer='{buyer.pk}'] a")
    page.wait_for_url(re.compile(rf"/direktori/buyer/{buyer.pk}$"))
    assert "purchasing@tokyobean.example" not in page.content()
    page.click("[data-open]")
    page.wait_for_selector("#contacts[data-opened='1']")
    assert "purchasing@tokyobean.example" in page.content()
    assert "1 dari 5 detail buyer bulan ini" in page.content()

    page.goto(base + f"/dokumen-ekspor/baru?buyer={buyer.pk}&jenis=packing_list")
    assert page.input_value("#id_consignee_name") == "Tokyo Bean Trading Co., Ltd."
    page.fill("#id_exporter_name", "Maya Kopi Semarang")
    page.fill("input[name=item_description] >> nth=0", "Robusta coffee beans, 60 kg bags")
    page.fill("input[name=item_quantity] >> nth=0", "320")
    page.select_option("select[name=item_unit] >> nth=0", "bag")
    page.fill("input[name=item_net_weight] >> nth=0", "19200")
    page.fill("input[name=item_gross_weight] >> nth=0", "19520")
    page.click("[data-save]")
    page.wait_for_url(re.compile(r"/dokumen-ekspor/\d+$"))
    assert page.evaluate(WIDTH) <= PHONE["width"]
    with page.expect_download() as download:
        page.click("[data-pdf]")
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert ExportDocument.objects.get().number.startswith("PL/")
    context.close()
