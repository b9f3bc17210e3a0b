"""The money path in a real browser: a new visitor opens /checkout/<slug>, registers on the checkout page, pays by
bank transfer (the invoice page shows the transfer instructions), an admin marks the order paid on the admin sales
page, and the visitor's invoice refreshes by itself and leads to the active membership."""

import re

import pytest

from sanggar.accounts.models import User
from sanggar.core.roles import Role
from sanggar.orders.models import Order
from sanggar.orders.tests.test_checkout import build_catalog


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PAYMENT_PROVIDERS = ["manual"]
    settings.MANUAL_UNIQUE_CODE = True
    settings.MANUAL_BANK_NAME = "BCA"
    settings.MANUAL_BANK_ACCOUNT_NUMBER = "8830012345"
    settings.MANUAL_BANK_ACCOUNT_HOLDER = "PT Ekspor Yuk Indonesia"


@pytest.mark.django_db(transaction=True)
def test_visitor_registers_pays_by_transfer_and_gets_the_membership(page, browser, live_server, make_user, login):
    admin = make_user(Role.ADMIN, email="admin-sales@uji.test")
    build_catalog(admin)

    # The visitor picks 12 months of Gold, with the promo price, and registers on the page.
    page.goto(f"{live_server.url}/checkout/gold")
    assert page.is_checked("input[name=item][value='plan:gold:12m']")
    page.click("label[data-option='plan:gold:6m']")
    page.wait_for_function("document.querySelector('#summary-total').textContent.includes('900.000')")
    page.click("label[data-option='plan:gold:12m']")
    page.wait_for_function("document.querySelector('#summary-total').textContent.includes('1.200.000')")
    page.fill("#id_coupon", "salah")
    page.wait_for_selector("#coupon-status:has-text('SALAH')")  # checked while typing
    page.fill("#id_coupon", "hemat10")
    page.press("#id_coupon", "Enter")  # applies the coupon; does not submit the order
    page.wait_for_selector("#coupon-status:has-text('Kupon HEMAT10 dipakai.')")
    assert page.url == f"{live_server.url}/checkout/gold"
    assert Order.objects.count() == 0
    assert page.inner_text("#summary-total") == "Rp 1.080.000"
    page.fill("input[name=full_name]", "Sari Wulandari")
    page.fill("input[name=email]", "sari@gmail.test")
    page.fill("input[name=whatsapp]", "0813 2222 3333")
    page.fill("input[name=password]", "Ekspor-Sukses-2025")
    assert page.is_checked("input[name=provider][value=manual]")
    page.click("#pay-button")

    # The invoice page: exact amount with the unique code, the bank account, copy buttons, a countdown.
    page.wait_for_url(re.compile(r".*/invoice/INV\d{6}$"))
    order = Order.objects.get()
    buyer = User.objects.get(email="sari@gmail.test")
    assert order.buyer == buyer
    assert (order.status, order.subtotal, order.discount) == ("pending", 1_200_000, 120_000)
    assert page.inner_text("#invoice-status").strip() == "Menunggu pembayaran"
    total = f"Rp {order.total:,}".replace(",", ".")
    assert page.inner_text("#pay-amount") == total
    assert page.inner_text("#account-number") == "8830012345"
    assert "PT Ekspor Yuk Indonesia" in page.inner_text("#manual-instructions")
    assert re.fullmatch(r"2[0-3]:[0-5]\d:[0-5]\d", page.inner_text("#countdown"))

    # An admin confirms the transfer on the sales detail page.
    admin_context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
    admin_page = admin_context.new_page()
    login(admin_page, admin.email)
    admin_page.goto(f"{live_server.url}/admin/sales/{order.invoice_number}")
    admin_page.click("#mark-paid-start")  # "Tandai Lunas" asks for a note on a confirmation page
    admin_page.wait_for_url(f"{live_server.url}/admin/sales/{order.invoice_number}/mark-paid")
    admin_page.fill(
        "#mark-paid-form textarea[name=note], #mark-paid-form input[name=note]", "Transfer BCA a.n. Sari masuk"
    )
    admin_page.click("#mark-paid-confirm")
    admin_page.wait_for_load_state()
    admin_context.close()
    order.refresh_from_db()
    assert order.status == "paid"

    # The visitor's invoice notices the payment by itself (HTMX poll every 10 s) and reloads.
    page.wait_for_selector("#paid-box", timeout=25_000)
    assert page.inner_text("#invoice-status").strip() == "Lunas"
    page.click("#to-membership")
    page.wait_for_url(f"{live_server.url}/membership-saya")
    current = page.locator("#membership-current")
    assert current.get_attribute("data-plan") == "gold"
    assert current.get_attribute("data-status") == "active"
    assert "Gold" in current.inner_text()
