"""The plan's and the product's "Reminder" tab and its analytics hold at 390 px (REM-P1, REM-P3, REM-P4); the
toggle works from the phone."""

import pytest

from sanggar.access.tests.factories import make_plan, make_product
from sanggar.core.roles import Role
from sanggar.reminders import services

PHONE = {"width": 390, "height": 844}
WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


@pytest.mark.django_db(transaction=True)
def test_reminder_tabs_fit_a_phone(browser, live_server, make_user, login):
    admin = make_user(Role.ADMIN, email="admin@uji.test", full_name="Admin Sanggar")
    plan = make_plan("gold", title="Gold Tahunan dengan Nama Paket yang Cukup Panjang")
    product = make_product("ebook-ekspor", title="Ebook Ekspor")
    seq = services.sequence_save(
        actor=admin,
        name="Pengingat sebelum masa aktif berakhir untuk member Gold Tahunan",
        trigger="before_expiry",
        target_type="plan",
        target_id=plan.pk,
    )
    services.sequence_save(actor=admin, name="Terima kasih", trigger="after_purchase", target_type="plan",
                           target_id=plan.pk)  # fmt: skip
    page = browser.new_context(viewport=PHONE, locale="id-ID").new_page()
    login(page, admin.email)
    too_wide = []
    for path in (
        f"/admin/membership/{plan.pk}/reminder",
        f"/admin/membership/{plan.pk}/reminder/analitik",
        f"/admin/produk/{product.pk}/reminder",
        f"/admin/produk/{product.pk}/reminder/analitik",
        f"/admin/pengingat/{seq.pk}/hapus",
    ):
        assert page.goto(live_server.url + path).status == 200, path
        if (width := page.evaluate(WIDTH)) > PHONE["width"]:
            too_wide.append((path, width))
    assert too_wide == []
    page.goto(f"{live_server.url}/admin/membership/{plan.pk}/reminder")
    page.click(f'[data-sequence="{seq.pk}"] [data-toggle]')
    page.wait_for_selector(f'[data-sequence="{seq.pk}"] [data-active="0"]')
    seq.refresh_from_db()
    assert not seq.is_active
