"""The affiliate's money path in a real browser: an affiliate creates a short link (availability checked while
typing), a visitor follows it in a fresh browser, registers on the checkout page and pays by bank transfer, an admin
marks the order paid, the affiliate sees the sale (buyer masked) and the pending commission, the holding period
passes (the release sweep runs with `now` past it), the affiliate requests a payout on the wallet page, and an admin
approves it with a transfer reference and a proof; the affiliate's statistics show it as paid out."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.affiliates.models import Click, Commission, ShortLink
from sanggar.affiliates.services import affiliate_profile_ensure
from sanggar.core.roles import Role
from sanggar.finance.models import Payout
from sanggar.finance.services import commissions_release_sweep, revenue_settings_current
from sanggar.orders.models import Order
from sanggar.orders.tests.shop import Shop

REFERRAL_MIDDLEWARE = "sanggar.affiliates.middleware.ReferralMiddleware"


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path, live_server):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PAYMENT_PROVIDERS = ["manual"]
    settings.MANUAL_UNIQUE_CODE = False
    settings.MANUAL_BANK_NAME = "BCA"
    settings.MANUAL_BANK_ACCOUNT_NUMBER = "8830012345"
    settings.MANUAL_BANK_ACCOUNT_HOLDER = "PT Ekspor Yuk Indonesia"
    settings.SITE_URL = live_server.url
    # The visitor comes from another address than the affiliate (else the order is flagged as a same-IP sale).
    settings.TRUSTED_PROXY_COUNT = 1


def _new_page(browser, **options):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID", **options)
    context.set_default_timeout(10_000)
    return context, context.new_page()


@pytest.mark.django_db(transaction=True)
def test_short_link_sale_commission_and_payout(page, browser, live_server, make_user, login, settings):
    from django.conf import settings as django_settings

    assert REFERRAL_MIDDLEWARE in django_settings.MIDDLEWARE, "the referral middleware must be installed"
    admin = make_user(Role.ADMIN, email="admin-aff@uji.test", full_name="Admin Uji")
    dinda = make_user(Role.AFFILIATE, email="dinda@uji.test", full_name="Dinda Lestari")
    profile = affiliate_profile_ensure(user=dinda)
    product = Shop(admin).product(
        "Kelas Ekspor Pemula",
        price=1_500_000,
        affiliate_commission_type="flat",
        affiliate_commission_value=250_000,
    )

    # 1. The affiliate creates a short link on the main domain; the slug is checked while typing.
    login(page, dinda.email)
    page.goto(f"{live_server.url}/affiliate/short-links")
    page.fill("#short-link-form [name=slug]", "admin")
    page.wait_for_selector("#slug-status[data-available='false']")
    page.fill("#short-link-form [name=slug]", "dinda-ekspor")
    page.wait_for_selector("#slug-status[data-available='true']")
    page.select_option("#short-link-form [name=target]", f"product:{product.slug}")
    page.click("#short-link-form button[type=submit]")
    page.wait_for_selector("tr[data-short-link='dinda-ekspor']")
    link = ShortLink.objects.get()
    assert (link.affiliate, link.domain, link.slug, link.target_kind, link.target_slug) == (
        profile, None, "dinda-ekspor", "product", product.slug,
    )  # fmt: skip

    # 2. A visitor follows the link in a fresh browser, registers on the checkout page and pays by transfer.
    visitor_context, visitor = _new_page(browser, extra_http_headers={"X-Forwarded-For": "203.0.113.7"})
    visitor.goto(f"{live_server.url}/s/dinda-ekspor")
    assert visitor.url.startswith(f"{live_server.url}/produk/{product.slug}?ref={profile.code}")
    assert Click.objects.filter(affiliate=profile, short_link=link, counted=True).count() == 1
    visitor.click("#buy-cta")
    visitor.wait_for_url(re.compile(rf".*/produk/{product.slug}/checkout.*"))
    visitor.fill("input[name=full_name]", "Sari Wulandari")
    visitor.fill("input[name=email]", "sari@gmail.test")
    visitor.fill("input[name=whatsapp]", "0813 2222 3333")
    visitor.fill("input[name=password]", "Ekspor-Sukses-2025")
    visitor.click("#pay-button")
    visitor.wait_for_url(re.compile(r".*/invoice/INV\d{6}$"))
    visitor_context.close()
    order = Order.objects.get()
    assert (order.status, order.total, order.affiliate) == ("pending", 1_500_000, dinda)

    # 3. An admin confirms the transfer on the sales page: the split posts the affiliate's commission.
    admin_context, admin_page = _new_page(browser)
    login(admin_page, admin.email)
    admin_page.goto(f"{live_server.url}/admin/sales/{order.invoice_number}")
    admin_page.click("#mark-paid-start")  # "Tandai Lunas" asks for a note on a confirmation page
    admin_page.wait_for_url(f"{live_server.url}/admin/sales/{order.invoice_number}/mark-paid")
    admin_page.fill(
        "#mark-paid-form textarea[name=note], #mark-paid-form input[name=note]", "Transfer BCA a.n. Sari masuk"
    )
    admin_page.click("#mark-paid-confirm")
    admin_page.wait_for_load_state()
    order.refresh_from_db()
    assert order.status == "paid"
    commission = Commission.objects.get(order=order)
    assert (commission.affiliate, commission.amount, commission.status) == (profile, 250_000, "pending")

    # 4. The affiliate sees the sale, masked, and the pending commission.
    page.goto(f"{live_server.url}/affiliate/statistik")
    assert page.inner_text("[data-stat='conversions'] .text-3xl") == "1"
    assert "Sa*** W***" in page.inner_text("#recent-sales")
    assert "Sari" not in page.inner_text("#recent-sales").replace("Sa***", "")
    assert page.inner_text("[data-wallet='pending']") == "Rp 250.000"
    assert page.inner_text("[data-wallet='available']") == "Rp 0"
    page.wait_for_function("document.querySelector('#affiliate-stats-chart-canvas').width > 0")

    # 5. The holding period passes; the affiliate requests a payout of the whole available balance.
    holding = revenue_settings_current().holding_days
    assert commissions_release_sweep(now=timezone.now() + timedelta(days=holding, hours=1)) >= 1
    page.goto(f"{live_server.url}/dompet?wallet=affiliate")
    assert page.inner_text("[data-wallet='affiliate'] [data-balance='available']") == "Rp 250.000"
    form = "#payout-form form"
    if page.locator(f"{form} [name=wallet_kind]").evaluate("el => el.tagName") == "SELECT":
        page.select_option(f"{form} [name=wallet_kind]", "affiliate")
    page.fill(f"{form} [name=amount]", "250000")
    page.fill(f"{form} [name=bank_name]", "BCA")
    page.fill(f"{form} [name=bank_account_number]", "1234567890")
    page.fill(f"{form} [name=bank_account_holder]", "Dinda Lestari")
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector("#payout-history [data-payout]")
    payout = Payout.objects.get()
    assert (payout.user, payout.amount, payout.status, payout.bank_account_number) == (
        dinda, 250_000, "requested", "1234567890",
    )  # fmt: skip

    # 6. An admin approves it with the transfer reference and proof.
    proof = settings.MEDIA_ROOT.parent / "bukti.png"
    proof.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    admin_page.goto(f"{live_server.url}/admin/payouts/{payout.pk}")
    admin_page.fill("#approve-form [name=transfer_reference]", "TRF-BCA-0001")
    admin_page.set_input_files("#approve-form [name=proof]", str(proof))
    admin_page.click("#approve-form button[type=submit]")
    admin_page.wait_for_load_state()
    admin_context.close()
    payout.refresh_from_db()
    assert (payout.status, payout.transfer_reference, payout.decided_by) == ("approved", "TRF-BCA-0001", admin)
    assert payout.proof.name

    # 7. The affiliate's figures show the commission as paid out.
    page.goto(f"{live_server.url}/affiliate/statistik")
    assert page.inner_text("[data-wallet='paid_out']") == "Rp 250.000"
    assert page.inner_text("[data-wallet='available']") == "Rp 0"
    assert "Dibayar" in page.inner_text("#payout-history")
