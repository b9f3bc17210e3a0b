"""An admin changes the brand colour in the branding tab; every role's pages take the new colour."""

import pytest

from sanggar.core.roles import Role


@pytest.mark.django_db(transaction=True)
def test_admin_changes_primary_colour_and_a_member_sees_it(browser, page, live_server, make_user, login):
    admin = make_user(Role.ADMIN, email="admin@uji.test")
    member = make_user(email="member@uji.test")

    login(page, admin.email)
    page.goto(f"{live_server.url}/admin/settings/branding/warna")
    page.fill("input[name=primary_color]", "#0F766E")
    page.click("button:has-text('Simpan Warna')")
    page.wait_for_load_state()
    assert page.locator(".alert-success").count() == 1

    member_context = browser.new_context()
    member_page = member_context.new_page()
    login(member_page, member.email)
    member_page.goto(f"{live_server.url}/profil/")
    colour = member_page.evaluate("getComputedStyle(document.querySelector('button.btn-primary')).backgroundColor")
    assert colour == "rgb(15, 118, 110)"
    declared = member_page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--brand-primary').trim()"
    )
    assert declared.upper() == "#0F766E"
    member_context.close()


@pytest.mark.django_db(transaction=True)
def test_a_colour_pair_without_contrast_is_refused_on_the_page(page, live_server, make_user, login):
    admin = make_user(Role.ADMIN, email="admin2@uji.test")
    login(page, admin.email)
    page.goto(f"{live_server.url}/admin/settings/branding/warna")
    page.fill("input[name=primary_color]", "#FFFF00")
    page.click("button:has-text('Simpan Warna')")
    page.wait_for_load_state()
    assert page.locator(".field-error").first.inner_text().startswith("Kontras")
    # What was typed is kept, and the platform still uses the old colour.
    assert page.input_value("input[name=primary_color]").upper() == "#FFFF00"
    declared = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--brand-primary').trim()")
    assert declared.upper() == "#2047FC"
