"""In a real browser: the admin writes a plan description with the rich-text editor, adds price options with the
row editor, then activates the plan with its selling points."""

import pytest

from sanggar.catalog.models import MembershipPlan
from sanggar.core.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_builds_a_plan_in_the_browser(page, live_server, make_user, login):
    admin = make_user(Role.ADMIN, email="admin@uji.test")
    login(page, admin.email)

    page.goto(f"{live_server.url}/admin/membership/baru")
    page.fill("input[name=title]", "Paket Gold Ekspor")
    editor = page.locator("[data-richtext-editor]")
    editor.click()
    page.keyboard.type("Belajar ekspor ")
    page.click("button[aria-label='Tebal']")
    page.keyboard.type("intensif")
    page.click("button[aria-label='Tebal']")
    page.keyboard.press("Enter")
    page.click("button[aria-label='Daftar berpoin']")
    page.keyboard.type("Grup premium")
    page.keyboard.press("Enter")
    page.keyboard.type("Database buyer")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("Info: ")
    page.click("button[aria-label='Sisipkan tautan']")
    page.fill("input[type=url]", "javascript:alert(1)")
    page.click("button:has-text('Pasang tautan')")
    page.locator("text=Alamat harus diawali https://").wait_for()
    page.fill("input[type=url]", "https://eksporyuk.com")
    page.click("button:has-text('Pasang tautan')")
    page.click("button:has-text('Buat Paket')")
    page.wait_for_url("**/harga")

    plan = MembershipPlan.objects.get()
    assert plan.slug == "paket-gold-ekspor"
    assert "<b>intensif</b>" in plan.description or "<strong>intensif</strong>" in plan.description
    assert "<li>Grup premium</li><li>Database buyer</li>" in plan.description
    assert '<a href="https://eksporyuk.com" rel="noopener noreferrer nofollow">https://eksporyuk.com</a>' in (
        plan.description
    )

    page.click("[data-add-row]")
    page.select_option("select[name='price-0-duration']", "6m")
    page.fill("input[name='price-0-price']", "600.000")
    page.locator("text=Rp 600.000").wait_for()
    page.click("[data-add-row]")
    page.select_option("select[name='price-1-duration']", "12m")
    page.fill("input[name='price-1-price']", "1000000")
    page.fill("input[name='price-1-promo_price']", "1200000")
    page.click("button:has-text('Simpan Harga')")
    page.wait_for_load_state()
    page.locator("text=Harga promo harus lebih kecil dari harga normal.").wait_for()
    assert plan.prices.count() == 0
    page.fill("input[name='price-1-promo_price']", "899000")
    page.click("button:has-text('Simpan Harga')")
    page.wait_for_load_state()
    assert page.locator(".alert-success").count() == 1
    assert list(plan.prices.values_list("duration", "price", "promo_price")) == [
        ("6m", 600_000, None),
        ("12m", 1_000_000, 899_000),
    ]

    page.click("[data-tab=marketing]")
    page.select_option("select[name=status]", "active")
    page.check("input[name=badge_best_seller]")
    page.click("button:has-text('Tambah fitur')")
    page.fill("input[name='feature-0-label']", "Akses database buyer")
    page.click("button:has-text('Simpan Marketing')")
    page.wait_for_load_state()
    plan.refresh_from_db()
    assert (plan.status, plan.badge_best_seller) == ("active", True)
    assert list(plan.features.values_list("label", flat=True)) == ["Akses database buyer"]
    copied = page.locator("[data-copy-link] [data-url]").first.get_attribute("data-url")
    assert copied == f"{live_server.url}/membership/paket-gold-ekspor"
