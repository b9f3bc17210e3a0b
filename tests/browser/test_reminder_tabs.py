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
        "/admin/pengingat/pelacakan",
        "/admin/pengingat/dasbor",
        f"/admin/pengingat/{seq.pk}/langkah",
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


@pytest.mark.django_db(transaction=True)
def test_reminder_cards_reorder_by_drag_and_drop(page, live_server, make_user, login):
    """REM-P1: the plan's Reminder tab reorders its cards by drag and drop without a reload (the same script as the
    builder's steps, like the course editor's lessons); the up/down buttons do it too, and the order survives a
    reload."""
    admin = make_user(Role.ADMIN, email="admin-seret@uji.test", full_name="Admin Seret")
    plan = make_plan("perak", title="Perak")
    ids = [
        services.sequence_save(
            actor=admin, name=name, trigger="after_purchase", target_type="plan", target_id=plan.pk
        ).pk
        for name in ("Satu", "Dua", "Tiga")
    ]
    order = lambda: list(  # noqa: E731
        services.target_sequences(target_type="plan", target_id=plan.pk).values_list("pk", flat=True)
    )
    login(page, admin.email)
    page.goto(f"{live_server.url}/admin/membership/{plan.pk}/reminder")
    last = page.locator(f"[data-sequence='{ids[2]}']")
    # onto the lower half of the last card: it goes after it
    last_height = last.bounding_box()["height"]
    page.locator(f"[data-sequence='{ids[0]}']").drag_to(last, target_position={"x": 10, "y": last_height - 8})
    page.wait_for_function("document.getElementById('reorder-status').textContent.length > 0")
    assert "tersimpan" in page.text_content("#reorder-status")
    assert order() == [ids[1], ids[2], ids[0]]
    assert page.text_content(f"[data-sequence='{ids[1]}'] [data-sequence-number]") == "#1"
    # the keyboard way: the up button moves the card in place (no reload) and saves
    page.evaluate("document.getElementById('reorder-status').textContent = ''")
    page.locator(f"[data-sequence='{ids[0]}'] [data-move=up]").click()
    page.wait_for_function("document.getElementById('reorder-status').textContent.length > 0")
    assert order() == [ids[1], ids[0], ids[2]]
    page.reload()
    shown = page.eval_on_selector_all("[data-sequence]", "els => els.map((e) => Number(e.dataset.sequence))")
    assert shown == [ids[1], ids[0], ids[2]]
