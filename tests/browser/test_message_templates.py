"""An admin edits a message at /admin/settings/notification-templates: finds it in the list, changes its text, sees
the preview, saves, and puts the default back; the pages hold at 1366 and 390 px wide."""

import os

import pytest

from sanggar.core.roles import Role
from sanggar.notifications.models import MessageTemplate
from sanggar.notifications.registry import kind_get

WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
SHOTS = os.environ.get("SANGGAR_SCREENSHOTS", "")  # a folder: the test also saves its pages as PNG there


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_admin_edits_previews_and_resets_a_message(page, live_server, make_user, login):
    admin = make_user(Role.ADMIN, email="admin-template@uji.test", full_name="Admin Template")
    login(page, admin.email)
    base = f"{live_server.url}/admin/settings/notification-templates"

    page.goto(f"{base}?group=transaction")
    assert page.locator('[data-template="orders.payment_succeeded"]').count() == 1
    assert "Pembayaran berhasil" in page.inner_text("#template-table")
    _shot(page, "templates-1366")
    page.click('[data-template="orders.payment_succeeded"] a.link')
    page.wait_for_url(f"{base}/orders.payment_succeeded")
    assert "{downloads_link}" in page.inner_text("#shortcode-list")
    assert "INV000123" in page.inner_text("#preview-inapp")  # the preview fills the shortcodes with sample data
    _shot(page, "template-edit-1366")

    page.fill("input[name=inapp_title]", "Lunas! {invoice} untuk {name}")
    page.click("button[name=preview]")
    assert "Lunas! INV000123 untuk Admin Template" in page.inner_text("#preview-inapp")
    assert MessageTemplate.objects.get(key="orders.payment_succeeded").inapp_title == "Pembayaran {invoice} berhasil"
    page.click("button[name=save]")
    page.wait_for_selector(".alert-success, [role=alert]")
    assert MessageTemplate.objects.get(key="orders.payment_succeeded").inapp_title == "Lunas! {invoice} untuk {name}"

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#template-reset button[type=submit]")
    page.wait_for_load_state()
    default = kind_get("orders.payment_succeeded").defaults.inapp_title
    assert MessageTemplate.objects.get(key="orders.payment_succeeded").inapp_title == default
    assert page.input_value("input[name=inapp_title]") == default

    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("", "/orders.payment_succeeded"):
        page.goto(base + path)
        assert page.evaluate(WIDTH) <= 390, path
    _shot(page, "template-edit-390")
    page.goto(base)
    _shot(page, "templates-390")
