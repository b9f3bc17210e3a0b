"""The public sales and checkout pages and the buyer's invoice page: who may open them, what they show, what a
form post does — and that a refused post changes nothing."""

from datetime import timedelta

import httpx
import pytest
import respx
from django.utils import timezone

from sanggar.accounts.models import User
from sanggar.catalog import services as catalog_services
from sanggar.core.roles import Role
from sanggar.orders.checkout import checkout_place
from sanggar.orders.constants import OrderStatus
from sanggar.orders.models import Order
from sanggar.orders.services import ItemRequest, order_expire_sweep
from sanggar.orders.views.public import COUPON_COOKIE
from sanggar.payments.models import Payment
from sanggar.payments.services import payment_mark_paid_manual

from .test_checkout import XENDIT_URL, _plan, activate, build_catalog, checkout_settings


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    return checkout_settings(settings, tmp_path)


@pytest.fixture
def catalog(admin_user):
    return build_catalog(admin_user)


def html(response) -> str:
    return response.content.decode()


REGISTRATION = {
    "full_name": "Budi Santoso",
    "email": "budi@gmail.test",
    "whatsapp": "0812 3456 7890",
    "password": "Rahasia-Kuat-2025",
    "provider": "manual",
}


# --- sales page ------------------------------------------------------------------------------------------------


def test_sales_page_shows_the_plan_its_features_and_price_options(client, catalog):
    response = client.get("/membership/gold")

    assert response.status_code == 200
    page = html(response)
    assert "<h1" in page and "Gold</h1>" in page
    assert "Paling Laris" in page
    assert "Database buyer" in page
    assert 'Mulai dari <strong class="font-extrabold">Rp 900.000</strong>' in page
    assert 'href="/checkout/gold?durasi=12m"' in page
    assert 'href="/checkout/gold?durasi=6m"' in page


def test_sales_page_redirects_to_the_external_sales_page(client, catalog, admin_user):
    catalog_services.plan_update(plan=catalog.gold, actor=admin_user, external_sales_url="https://eksporyuk.test/gold")

    response = client.get("/membership/gold")

    assert response.status_code == 302
    assert response["Location"] == "https://eksporyuk.test/gold"


@pytest.mark.parametrize("path", ["/membership/tidak-ada", "/checkout/tidak-ada", "/produk/tidak-ada"])
def test_unknown_slugs_are_404(client, catalog, path):
    assert client.get(path).status_code == 404


def test_draft_plan_and_product_are_404(client, catalog, admin_user):
    catalog_services.plan_update(plan=catalog.silver, actor=admin_user, status="draft")
    catalog_services.product_create(actor=admin_user, title="Draf", slug="draf", price_type="one_time", price=1000)

    assert client.get("/membership/silver").status_code == 404
    assert client.get("/checkout/silver").status_code == 404
    assert client.get("/produk/draf").status_code == 404
    assert client.get("/produk/draf/checkout").status_code == 404


def test_coupon_parameter_sets_a_30_day_cookie_that_checkout_pages_apply(client, catalog):
    response = client.get("/membership/gold?coupon=hemat10")

    cookie = response.cookies[COUPON_COOKIE]
    assert cookie.value == "HEMAT10"
    assert cookie["max-age"] == 30 * 24 * 60 * 60

    page = html(client.get("/checkout/gold"))
    assert 'name="coupon" id="id_coupon" value="HEMAT10"' in page
    assert "Kupon HEMAT10 dipakai." in page
    assert (
        '<span class="text-2xl font-extrabold tracking-tight text-gray-900" id="summary-total">Rp 1.080.000</span>'
        in page
    )


def test_a_malformed_coupon_parameter_sets_no_cookie(client, catalog):
    response = client.get("/checkout/gold?coupon=%3Cscript%3E")

    assert response.status_code == 200
    assert COUPON_COOKIE not in response.cookies


# --- plan checkout: visitors -----------------------------------------------------------------------------------


def test_visitor_sees_the_registration_form_and_the_longest_option_selected(client, catalog):
    response = client.get("/checkout/gold")

    assert response.status_code == 200
    page = html(response)
    for name in ("full_name", "email", "whatsapp", "password"):
        assert f'name="{name}"' in page
    assert 'href="/accounts/login/?next=%2Fcheckout%2Fgold"' in page
    assert 'value="plan:gold:12m" class="peer sr-only" checked' in page
    assert 'value="plan:gold:6m" class="peer sr-only" checked' not in page
    assert 'id="summary-total">Rp 1.200.000</span>' in page
    assert "Promo berakhir" in page
    assert 'name="provider" value="manual"' in page and 'name="provider" value="xendit"' in page
    assert 'id="unique-code-note"' in page


def test_checkout_never_preselects_lifetime_when_a_shorter_option_exists(client, catalog, admin_user):
    """Issue 9: with no duration chosen, the checkout preselected Lifetime, the dearest option."""
    _plan(admin_user, "Diamond", rank=4, slug="diamond", prices=[
        {"duration": "12m", "price": 2_000_000}, {"duration": "lifetime", "price": 6_000_000},
    ])  # fmt: skip
    page = html(client.get("/checkout/diamond"))
    assert 'value="plan:diamond:12m" class="peer sr-only" checked' in page
    assert 'value="plan:diamond:lifetime" class="peer sr-only" checked' not in page
    catalog_services.plan_update(plan=catalog.gold, actor=admin_user, badge_best_seller=False)
    page = html(client.get("/checkout/all"))
    assert 'class="peer sr-only" checked' in page
    assert ':lifetime" class="peer sr-only" checked' not in page
    # A plan sold only for a lifetime still has its one option ready.
    assert 'value="plan:platinum:lifetime" class="peer sr-only" checked' in html(client.get("/checkout/platinum"))


def test_durasi_parameter_selects_that_option(client, catalog):
    page = html(client.get("/checkout/gold?durasi=6m"))

    assert 'value="plan:gold:6m" class="peer sr-only" checked' in page
    assert 'id="summary-total">Rp 900.000</span>' in page


def test_visitor_registers_on_the_page_and_pays_by_transfer(client, catalog):
    response = client.post("/checkout/gold", {**REGISTRATION, "item": "plan:gold:12m"})

    user = User.objects.get(email="budi@gmail.test")
    assert user.full_name == "Budi Santoso"
    assert user.whatsapp == "+6281234567890"
    assert user.has_role(Role.MEMBER)
    assert user.check_password("Rahasia-Kuat-2025")
    order = Order.objects.get()
    assert (order.buyer, order.status, order.provider, order.subtotal) == (user, "pending", "manual", 1_200_000)
    assert response.status_code == 302
    assert response["Location"] == f"/invoice/{order.invoice_number}"
    assert int(client.session["_auth_user_id"]) == user.pk

    invoice = html(client.get(response["Location"]))
    assert order.invoice_number in invoice
    assert 'id="account-number">1234567890</span>' in invoice
    assert "PT Sanggar Edukasi Nusantara" in invoice
    total = f"Rp {order.total:,}".replace(",", ".")
    assert f'id="pay-amount">{total}</p>' in invoice


def test_existing_email_asks_to_log_in_and_creates_nothing(client, catalog, make_user):
    make_user(email="budi@gmail.test")

    response = client.post("/checkout/gold?durasi=6m", {**REGISTRATION, "item": "plan:gold:6m"})

    assert response.status_code == 200
    page = html(response)
    assert "Email sudah terdaftar, silakan masuk." in page
    assert 'href="/accounts/login/?next=%2Fcheckout%2Fgold%3Fdurasi%3D6m"' in page
    assert 'value="Budi Santoso"' in page  # what was typed is kept
    assert 'value="plan:gold:6m" class="peer sr-only" checked' in page
    assert User.objects.filter(email="budi@gmail.test").count() == 1
    assert Order.objects.count() == 0
    assert "_auth_user_id" not in client.session


def test_registration_errors_are_shown_per_field(client, catalog):
    response = client.post(
        "/checkout/gold",
        {**REGISTRATION, "item": "plan:gold:12m", "email": "bukan-email", "whatsapp": "", "password": "123"},
    )

    assert response.status_code == 200
    page = html(response)
    assert "Masukkan alamat email yang valid." in page
    assert page.count('class="field-error"') >= 2
    assert User.objects.filter(roles__role=Role.MEMBER).exclude(roles__role=Role.ADMIN).count() == 0
    assert Order.objects.count() == 0


def test_refused_order_leaves_no_account_behind(client, catalog):
    response = client.post("/checkout/gold", {**REGISTRATION, "item": "plan:gold:12m", "coupon": "TIDAKADA"})

    assert response.status_code == 200
    page = html(response)
    assert 'id="checkout-errors"' in page
    assert not User.objects.filter(email="budi@gmail.test").exists()
    assert Order.objects.count() == 0
    assert 'value="TIDAKADA"' in page


@pytest.mark.parametrize("item", ["plan:gold:1m", "plan:silver:6m", "product:ebook-ekspor", "gold", ""])
def test_an_option_not_offered_on_the_page_is_refused(member_client, catalog, item):
    response = member_client.post("/checkout/gold", {"item": item, "provider": "manual"})

    assert response.status_code == 200
    assert "Pilih paket yang tersedia." in html(response)
    assert Order.objects.count() == 0


# --- plan checkout: signed-in members ----------------------------------------------------------------------------


def test_member_sees_who_they_are_and_can_switch_account(member_client, catalog, member_user):
    page = html(member_client.get("/checkout/gold"))

    assert 'name="full_name"' not in page
    assert "Anda masuk sebagai" in page
    assert member_user.email in page
    assert 'form="switch-account"' in page
    assert 'action="/accounts/logout/"' in page
    assert 'name="next" value="/accounts/login/?next=%2Fcheckout%2Fgold"' in page


def test_switch_account_logs_out_and_returns_to_the_checkout_after_login(member_client, catalog, member_user, password):
    response = member_client.post("/accounts/logout/", {"next": "/accounts/login/?next=%2Fcheckout%2Fgold"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fcheckout%2Fgold"
    assert "_auth_user_id" not in member_client.session

    login = member_client.post(
        "/accounts/login/?next=%2Fcheckout%2Fgold", {"login": member_user.email, "password": password}
    )
    assert login.status_code == 302
    assert login["Location"] == "/checkout/gold"


def test_member_checks_out_without_registering(member_client, catalog, member_user):
    response = member_client.post("/checkout/gold", {"item": "plan:gold:6m", "provider": "manual", "coupon": "hemat10"})

    order = Order.objects.get()
    assert response["Location"] == f"/invoice/{order.invoice_number}"
    assert (order.buyer, order.subtotal, order.discount, order.coupon_code) == (member_user, 900_000, 90_000, "HEMAT10")
    assert User.objects.count() == 2  # the member and the admin who built the catalog


def test_active_member_sees_renewal_upgrade_and_a_disabled_downgrade(client, catalog, make_user):
    member = make_user(email="gold@uji.test")
    activate(member, catalog.gold, "12m")
    client.force_login(member)

    gold = html(client.get("/checkout/gold"))
    assert "Perpanjang" in gold
    assert "Perpanjangan: masa aktif Gold bertambah" in gold

    silver = html(client.get("/checkout/silver"))
    assert 'value="plan:silver:12m" class="peer sr-only" disabled' in silver
    assert "masih memiliki membership Gold" in silver
    assert 'id="pay-button" disabled' in silver

    response = client.post("/checkout/silver", {"item": "plan:silver:12m", "provider": "manual"})
    assert "Pilih paket yang tersedia." in html(response)
    assert Order.objects.count() == 0

    platinum = html(client.get("/checkout/platinum"))
    assert "Upgrade dari Gold: bayar harga penuh." in platinum
    # Issue 9: "bayar harga penuh" is explained (no credit for the rest of Gold; Gold ends when Platinum starts).
    assert "Platinum tidak memotong sisa masa Gold dari harganya; Gold berakhir saat Platinum aktif" in platinum


@respx.mock
def test_gateway_payment_redirects_to_the_provider(member_client, catalog):
    respx.post(f"{XENDIT_URL}/v2/invoices").mock(
        return_value=httpx.Response(200, json={"id": "xnd-9", "invoice_url": "https://checkout.xendit.test/web/xnd-9"})
    )

    response = member_client.post("/checkout/silver", {"item": "plan:silver:6m", "provider": "xendit"})

    assert response.status_code == 302
    assert response["Location"] == "https://checkout.xendit.test/web/xnd-9"


@respx.mock
def test_provider_failure_lands_on_the_invoice_with_a_message(member_client, catalog):
    respx.post(f"{XENDIT_URL}/v2/invoices").mock(return_value=httpx.Response(500, json={}))

    response = member_client.post("/checkout/silver", {"item": "plan:silver:6m", "provider": "xendit"}, follow=True)

    order = Order.objects.get()
    assert order.status == OrderStatus.PENDING
    assert response.redirect_chain == [(f"/invoice/{order.invoice_number}", 302)]
    page = html(response)
    assert "sudah dibuat, tetapi pembayarannya belum bisa dimulai" in page
    assert 'id="payment-missing"' in page
    assert 'action="/invoice/' + order.invoice_number + '/bayar"' in page


def test_disabled_provider_is_refused_on_the_page(member_client, catalog):
    response = member_client.post("/checkout/silver", {"item": "plan:silver:6m", "provider": "midtrans"})

    assert response.status_code == 200
    assert "Pilih" in html(response)
    assert Order.objects.count() == 0


# --- compare and all -------------------------------------------------------------------------------------------


def test_compare_shows_the_plans_side_by_side(client, catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get("/checkout/compare?plans=silver,gold,tidak-ada,silver")

    assert response.status_code == 200
    page = html(response)
    table = page[page.index('id="compare-table"') : page.index("</table>")]
    assert table.index("Silver") < table.index("Gold")
    assert "Platinum" not in table
    assert table.count("Database buyer") == 1
    assert 'value="plan:gold:12m" class="peer sr-only" checked' in page  # the best seller's longest option
    assert 'value="plan:platinum:lifetime"' not in page


@pytest.mark.parametrize("query", ["", "?plans=", "?plans=tidak-ada", "?plans=,,"])
def test_compare_without_a_known_plan_is_404(client, catalog, query):
    assert client.get(f"/checkout/compare{query}").status_code == 404


def test_compare_post_places_an_order_for_a_compared_plan(member_client, catalog):
    response = member_client.post(
        "/checkout/compare?plans=silver,gold", {"item": "plan:silver:12m", "provider": "manual"}
    )

    order = Order.objects.get()
    assert response["Location"] == f"/invoice/{order.invoice_number}"
    assert order.items.get().title == "Silver (12 Bulan)"


def test_compare_refuses_a_plan_that_is_not_compared(member_client, catalog):
    response = member_client.post(
        "/checkout/compare?plans=silver,gold", {"item": "plan:platinum:lifetime", "provider": "manual"}
    )

    assert "Pilih paket yang tersedia." in html(response)
    assert Order.objects.count() == 0


def test_all_plans_page_filters_by_duration_and_price(client, catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        everything = html(client.get("/checkout/all"))
    for value in ("plan:silver:6m", "plan:silver:12m", "plan:gold:6m", "plan:gold:12m", "plan:platinum:lifetime"):
        assert f'value="{value}"' in everything

    twelve = html(client.get("/checkout/all?durasi=12m"))
    assert 'value="plan:silver:12m"' in twelve and 'value="plan:gold:12m"' in twelve
    assert 'value="plan:gold:6m"' not in twelve and 'value="plan:platinum:lifetime"' not in twelve

    cheap = html(client.get("/checkout/all?harga=1jt&urut=termahal"))
    assert 'value="plan:platinum:lifetime"' not in cheap and 'value="plan:gold:12m"' not in cheap
    assert cheap.index('id="plan-silver"') < cheap.index('id="plan-gold"')

    nothing = html(client.get("/checkout/all?harga=500rb"))
    assert "Tidak ada paket yang cocok dengan filter ini." in nothing

    ignored = client.get("/checkout/all?durasi=99m&harga=murah&urut=acak")
    assert ignored.status_code == 200
    assert 'value="plan:platinum:lifetime"' in html(ignored)


def test_all_plans_accepts_an_option_hidden_by_the_filter(member_client, catalog):
    response = member_client.post("/checkout/all?durasi=6m", {"item": "plan:gold:12m", "provider": "manual"})

    assert Order.objects.get().items.get().duration == "12m"
    assert response.status_code == 302


# --- live summary ------------------------------------------------------------------------------------------------


def test_summary_prices_the_item_with_the_coupon(client, catalog):
    page = html(client.get("/checkout-ringkasan", {"item": "plan:gold:12m", "coupon": "hemat10"}))

    assert "Kupon HEMAT10 dipakai." in page
    assert "-Rp 120.000" in page
    assert 'id="summary-total">Rp 1.080.000</span>' in page
    assert "Anda hemat Rp 420.000" not in page  # the promo is in the list price, not a discount
    assert "Anda hemat Rp 120.000" in page


def test_summary_explains_an_unusable_coupon_and_keeps_the_price(client, catalog):
    page = html(client.get("/checkout-ringkasan", {"item": "plan:gold:12m", "coupon": "TIDAKADA"}))

    assert 'id="coupon-status"' in page
    assert "dipakai" not in page
    assert 'id="summary-total">Rp 1.200.000</span>' in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"item": "plan:gold:12m", "coupon": "<b>"}, "Kode kupon hanya berisi huruf, angka, - atau _."),
        ({"item": "plan:gold:1m"}, "Pilihan durasi ini tidak tersedia untuk paket Gold."),
        ({"item": "product:kelas-lanjutan"}, "Kelas Lanjutan segera hadir dan belum bisa dibeli."),
        ({"item": "apa-saja"}, "Pilih paket untuk melihat total pembayaran."),
        ({}, "Pilih paket untuk melihat total pembayaran."),
    ],
)
def test_summary_never_fails_on_bad_input(client, catalog, params, expected):
    response = client.get("/checkout-ringkasan", params)

    assert response.status_code == 200
    assert expected in html(response)


def test_summary_shows_the_member_discount_to_a_premium_member(client, catalog, make_user):
    member = make_user(email="premium@uji.test")
    activate(member, catalog.silver, "12m")
    client.force_login(member)

    page = html(client.get("/checkout-ringkasan", {"item": "product:ebook-ekspor"}))

    assert "Diskon member premium" in page
    assert "-Rp 50.000" in page
    assert 'id="summary-total">Rp 150.000</span>' in page


# --- products ----------------------------------------------------------------------------------------------------


def test_product_list_shows_public_products_with_bounded_queries(
    client, catalog, admin_user, django_assert_max_num_queries
):
    catalog_services.product_create(actor=admin_user, title="Draf Rahasia", price_type="one_time", price=1000)
    for number in range(15):
        catalog_services.product_create(
            actor=admin_user, title=f"Ebook {number}", status="published", price_type="one_time", price=10_000
        )

    with django_assert_max_num_queries(8):
        response = client.get("/produk")

    page = html(response)
    assert response.status_code == 200
    assert "Draf Rahasia" not in page
    assert page.count('class="card group flex flex-col') == 12
    assert "Halaman 1 dari 2" in page

    second = html(client.get("/produk?page=2"))
    assert second.count('class="card group flex flex-col') == 8  # 5 catalog products + 15 = 20, 12 on page 1


def test_product_list_search_and_category(client, catalog, admin_user):
    category = catalog_services.category_create(actor=admin_user, name="Webinar")
    catalog_services.product_update(product=catalog.webinar, actor=admin_user, category_ids=[category.pk])

    assert "Webinar Buyer Eropa" in html(client.get(f"/produk?kategori={category.slug}"))
    assert "Ebook Panduan Ekspor" not in html(client.get(f"/produk?kategori={category.slug}"))
    found = html(client.get("/produk?q=panduan"))
    assert "Ebook Panduan Ekspor" in found and "Webinar Buyer Eropa" not in found
    assert client.get("/produk?kategori=tidak-ada&q=" + "x" * 500).status_code == 200


def test_product_page_shows_price_stock_and_buy_button(client, catalog):
    page = html(client.get("/produk/webinar-eropa"))

    assert "Webinar Buyer Eropa" in page
    assert "Sisa 2 kuota" in page
    assert 'href="/produk/webinar-eropa/checkout"' in page
    assert "Rp 100.000" in page


def test_coming_soon_product_cannot_be_bought(client, member_client, catalog):
    page = html(client.get("/produk/kelas-lanjutan"))
    assert "Segera Hadir" in page
    assert 'href="/produk/kelas-lanjutan/checkout"' not in page

    checkout = html(member_client.get("/produk/kelas-lanjutan/checkout"))
    assert "Kelas Lanjutan segera hadir dan belum bisa dibeli." in checkout
    assert 'id="pay-button" disabled' in checkout

    response = member_client.post(
        "/produk/kelas-lanjutan/checkout", {"item": "product:kelas-lanjutan", "provider": "manual"}
    )
    assert response.status_code == 200
    refused = html(response)
    assert 'id="checkout-errors"' in refused
    assert refused.count("Kelas Lanjutan segera hadir dan belum bisa dibeli.") == 2  # the offer and the summary
    assert Order.objects.count() == 0


def test_premium_only_product_asks_a_visitor_to_upgrade(client, catalog):
    page = html(client.get("/produk/database-premium"))

    assert "khusus Member Premium. Silakan upgrade membership untuk membelinya." in page
    assert 'href="/checkout/all"' in page
    assert 'href="/produk/database-premium/checkout"' not in page


def test_premium_member_sees_the_member_price_and_buys_it(client, catalog, make_user):
    member = make_user(email="premium@uji.test")
    activate(member, catalog.silver, "12m")
    client.force_login(member)

    page = html(client.get("/produk/ebook-ekspor"))
    assert "Termasuk diskon member premium Rp 50.000" in page
    assert "Rp 150.000" in page

    response = client.post("/produk/ebook-ekspor/checkout", {"item": "product:ebook-ekspor", "provider": "manual"})
    order = Order.objects.get()
    assert response["Location"] == f"/invoice/{order.invoice_number}"
    assert order.items.get().member_discount == 50_000


def test_free_product_checkout_needs_no_payment_method(client, catalog):
    page = html(client.get("/produk/template-invoice/checkout"))
    assert 'id="payment-methods"' not in page
    assert 'id="id_coupon"' not in page
    assert 'id="unique-code-note"' not in page
    assert "Dapatkan Sekarang" in page

    response = client.post(
        "/produk/template-invoice/checkout",
        {**{k: v for k, v in REGISTRATION.items() if k != "provider"}, "item": "product:template-invoice"},
        follow=True,
    )

    order = Order.objects.get()
    assert (order.status, order.provider, order.total) == ("paid", "free", 0)
    assert order.buyer.email == "budi@gmail.test"
    invoice = html(response)
    assert 'id="paid-box"' in invoice
    assert 'href="/produk-saya" id="to-products"' in invoice
    assert 'id="to-membership"' not in invoice


def test_sold_out_product_cannot_be_bought(member_client, catalog, make_user):
    for number in range(2):
        checkout_place(
            buyer=make_user(email=f"peserta{number}@uji.test"),
            items=[ItemRequest("product", "webinar-eropa")],
            provider="manual",
        )

    page = html(member_client.get("/produk/webinar-eropa/checkout"))
    assert "Kuota Webinar Buyer Eropa sudah habis." in page

    member_client.post("/produk/webinar-eropa/checkout", {"item": "product:webinar-eropa", "provider": "manual"})
    assert Order.objects.count() == 2


# --- invoice -----------------------------------------------------------------------------------------------------


@pytest.fixture
def pending(catalog, member_user):
    return checkout_place(buyer=member_user, items=[ItemRequest("plan", "gold", "12m")], provider="manual").order


def test_invoice_is_for_the_buyer_and_admins_only(client, pending, member_user, admin_user, make_user):
    path = f"/invoice/{pending.invoice_number}"

    anonymous = client.get(path)
    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"/accounts/login/?next={path}"

    client.force_login(make_user(email="lain@uji.test"))
    assert client.get(path).status_code == 404
    assert client.get(f"{path}/status?status=pending").status_code == 404

    client.force_login(member_user)
    assert client.get(path).status_code == 200
    assert client.get("/invoice/INV999999").status_code == 404

    client.force_login(admin_user)
    admin_page = html(client.get(path))
    assert pending.invoice_number in admin_page
    assert f'href="/admin/sales/{pending.invoice_number}"' in admin_page
    assert 'id="change-method"' not in admin_page  # only the buyer pays


def test_pending_invoice_polls_and_counts_down(member_client, pending):
    page = html(member_client.get(f"/invoice/{pending.invoice_number}"))

    assert f'hx-get="/invoice/{pending.invoice_number}/status?status=pending" hx-trigger="every 10s"' in page
    assert 'id="countdown"' in page
    assert f'data-copy="{pending.total}"' in page
    assert 'data-copy="1234567890"' in page
    assert f"Termasuk kode unik <strong>{pending.unique_code}</strong>" in page


def test_status_poll_answers_204_until_the_status_changes(member_client, pending, admin_user):
    path = f"/invoice/{pending.invoice_number}/status"

    unchanged = member_client.get(path, {"status": "pending"})
    assert unchanged.status_code == 204

    payment_mark_paid_manual(order=pending, actor=admin_user, note="Transfer BCA masuk")

    changed = member_client.get(path, {"status": "pending"})
    assert changed.status_code == 200
    assert changed["HX-Refresh"] == "true"


def test_paid_invoice_links_to_the_membership(member_client, pending, admin_user):
    payment_mark_paid_manual(order=pending, actor=admin_user, note="Transfer BCA masuk")

    page = html(member_client.get(f"/invoice/{pending.invoice_number}"))

    assert 'id="paid-box"' in page
    assert 'href="/membership-saya"' in page
    assert "hx-trigger" not in page


def test_expired_invoice_offers_to_order_again(member_client, pending):
    order_expire_sweep(now=timezone.now() + timedelta(hours=25))

    page = html(member_client.get(f"/invoice/{pending.invoice_number}"))

    assert "Pesanan kedaluwarsa" in page
    assert 'href="/checkout/gold?durasi=12m" id="reorder"' in page


def test_buyer_switches_the_payment_method(member_client, pending):
    with respx.mock:
        respx.post(f"{XENDIT_URL}/v2/invoices").mock(
            return_value=httpx.Response(
                200, json={"id": "xnd-5", "invoice_url": "https://checkout.xendit.test/web/xnd-5"}
            )
        )
        response = member_client.post(f"/invoice/{pending.invoice_number}/bayar", {"provider": "xendit"})

    assert response["Location"] == "https://checkout.xendit.test/web/xnd-5"
    pending.refresh_from_db()
    assert pending.provider == "xendit"
    assert list(Payment.objects.values_list("provider", flat=True).order_by("id")) == ["manual", "xendit"]


def test_switching_payment_method_is_refused_for_others_and_bad_input(client, pending, make_user, member_user):
    path = f"/invoice/{pending.invoice_number}/bayar"

    client.force_login(make_user(email="lain@uji.test"))
    assert client.post(path, {"provider": "xendit"}).status_code == 404

    client.force_login(member_user)
    assert client.get(path).status_code == 405
    response = client.post(path, {"provider": "bitcoin"}, follow=True)
    assert "Pilih metode pembayaran yang tersedia." in html(response)

    pending.refresh_from_db()
    assert pending.provider == "manual"
    assert Payment.objects.count() == 1


def test_checkout_reports_every_mistake_on_the_first_submit(client, catalog, make_user):
    """Issue 9, item 10: errors came one field at a time across submits."""
    make_user(email="ada@gmail.test")
    response = client.post(
        "/checkout/gold",
        {"item": "plan:gold:12m", "provider": "manual", "full_name": "Budi", "email": "ada@gmail.test",
         "whatsapp": "12345", "password": "12345678"},
    )  # fmt: skip
    errors = response.context["form"].errors
    assert set(errors) == {"email", "whatsapp", "password"}
    assert errors["email"] == ["Email sudah terdaftar, silakan masuk."]
    assert "Kata sandi tidak boleh hanya berisi angka." in errors["password"]
    assert Order.objects.count() == 0 and not User.objects.filter(full_name="Budi").exists()


def test_signup_password_rules_are_a_styled_list_with_anda(client, db):
    html = client.get("/accounts/signup/").content.decode()
    assert '<div class="help" data-help><ul><li>Tidak mirip dengan nama atau email Anda.</li>' in html
    assert " anda" not in html
