"""Tax (PPN) and admin fee: added on top of the goods, shown on the checkout and invoice, part of the total, kept
out of commissions, and out of the revenue split's shared base unless the settings put them in."""

import pytest
from django.core.cache import cache

from sanggar.affiliates.models import Commission
from sanggar.api.testing import call
from sanggar.catalog import services as catalog
from sanggar.core.exceptions import ServiceError
from sanggar.finance.constants import AccountKind
from sanggar.finance.models import LedgerTransaction
from sanggar.orders.models import ChargeSettings
from sanggar.orders.services import ItemRequest, order_create, order_preview
from sanggar.orders.services.charges import charge_settings_update, order_charges

from .conftest import account_total, balance

pytestmark = pytest.mark.django_db


@pytest.fixture
def charges(world):
    return charge_settings_update(actor=world.admin, tax_percent=11, tax_name="PPN", admin_fee=5_000)


def test_tax_and_fee_are_charged_and_kept_out_of_commission_and_split_base(world, charges):
    product = world.product(price=1_000_000, commission=30, share=20)
    order = world.paid_order(product)
    code = order.unique_code
    assert (order.tax, order.tax_label, order.admin_fee) == (110_000, "PPN 11%", 5_000)
    assert order.total == 1_000_000 + 110_000 + 5_000 + code
    commission = Commission.objects.get(order=order)
    assert (commission.base_amount, commission.amount) == (1_000_000, 300_000)
    # Same shares as without the charges; the company takes the tax and the fee whole.
    assert balance(world.affiliate, AccountKind.AFFILIATE)["pending"] == 300_000
    assert balance(world.mentor, AccountKind.MENTOR)["pending"] == 140_000
    assert balance(world.founder, AccountKind.FOUNDER)["available"] == 285_600
    assert balance(world.cofounder, AccountKind.COFOUNDER)["available"] == 190_400
    assert account_total(AccountKind.COMPANY) == 84_000 + code + 115_000
    assert account_total(AccountKind.GATEWAY) == -order.total
    data = LedgerTransaction.objects.get(key=f"split:{order.invoice_number}").data
    assert (data["tax"], data["admin_fee"], data["shared_charges"]) == (110_000, 5_000, 0)


def test_the_settings_can_share_the_admin_fee(world, charges):
    charge_settings_update(actor=world.admin, fee_in_split_base=True)
    order = world.paid_order(world.product(price=1_000_000, commission=30, share=20))
    # rest 560.000 + fee 5.000 = 565.000 → company fee 84.750; 480.250 → 288.150 / 192.100. Commission unchanged.
    assert Commission.objects.get(order=order).amount == 300_000
    assert balance(world.founder, AccountKind.FOUNDER)["available"] == 288_150
    assert balance(world.cofounder, AccountKind.COFOUNDER)["available"] == 192_100
    assert account_total(AccountKind.COMPANY) == 84_750 + order.unique_code + 110_000


def test_own_values_rounding_and_free_orders(world, charges):
    cheap = world.product("Ebook", price=99_999, commission=0, share=0, creator=False)
    untaxed = world.product("Konsultasi", price=500_000, creator=False)
    catalog.product_update(product=untaxed, actor=world.admin, tax_percent="0", admin_fee="25000")
    untaxed.refresh_from_db()
    quote = order_preview(buyer=world.buyer, items=[ItemRequest("product", cheap.slug)])
    assert (quote.tax, quote.admin_fee, quote.total) == (10_999, 5_000, 99_999 + 10_999 + 5_000)  # floor(10.999,89)
    both = order_preview(
        buyer=world.buyer, items=[ItemRequest("product", cheap.slug), ItemRequest("product", untaxed.slug)]
    )
    assert (both.tax, both.tax_label, both.admin_fee) == (10_999, "PPN 11%", 25_000)  # the highest fee, once
    free = world.product("Gratis", price=0, creator=False)
    order = order_create(buyer=world.buyer, items=[ItemRequest("product", free.slug)], provider="manual")
    assert (order.status, order.total, order.tax, order.admin_fee) == ("paid", 0, 0, 0)
    assert order_charges([]).tax == 0
    with pytest.raises(ServiceError) as caught:
        catalog.product_update(product=untaxed, actor=world.admin, tax_percent="101")
    assert caught.value.errors == {"tax_percent": ["Pajak (%) maksimal 100."]}


def test_checkout_invoice_and_api_show_them(client, world, charges):
    product = world.product(price=200_000)
    order = order_create(buyer=world.buyer, items=[ItemRequest("product", product.slug)], provider="manual")
    client.force_login(world.buyer)
    page = client.get(f"/invoice/{order.invoice_number}").content.decode()
    assert "PPN 11%" in page and "Rp 22.000" in page and "Biaya admin" in page and "Rp 5.000" in page
    body = call(client, "get", f"/orders/{order.invoice_number}", user=world.buyer).json()
    assert (body["tax"], body["tax_label"], body["admin_fee"], body["total"]) == (
        22_000, "PPN 11%", 5_000, 227_000 + order.unique_code,
    )  # fmt: skip
    summary = client.get(f"/checkout-ringkasan?item=product:{product.slug}").content.decode()
    assert 'id="summary-tax"' in summary and "PPN 11%" in summary and "Rp 22.000" in summary
    assert 'id="summary-admin-fee"' in summary and "Rp 227.000" in summary


def test_admin_settings_page(admin_client, world):
    page = admin_client.get("/admin/settings/pajak-biaya").content.decode()
    assert "Cara menghitung" in page
    response = admin_client.post(
        "/admin/settings/pajak-biaya",
        {"tax_name": "PPN", "tax_percent": "11", "admin_fee": "2500", "fee_in_split_base": "on"},
    )
    assert response.status_code == 302
    row = ChargeSettings.objects.get()
    assert (row.tax_percent, row.admin_fee, row.fee_in_split_base, row.tax_in_split_base) == (11, 2500, True, False)
    nul = admin_client.post(
        "/admin/settings/pajak-biaya", {"tax_name": "PP\x00N", "tax_percent": "1", "admin_fee": "0"}
    )
    assert nul.status_code == 400
    bad = admin_client.post("/admin/settings/pajak-biaya", {"tax_name": "PPN", "tax_percent": "150", "admin_fee": "-1"})
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) == {"tax_percent", "admin_fee"}
    assert "Pastikan nilai ini" in bad.content.decode() or "kurang dari atau sama dengan" in bad.content.decode()
    cache.clear()
    assert ChargeSettings.objects.get().tax_percent == 11


def test_settings_service_refuses_bad_values(world):
    with pytest.raises(ServiceError) as caught:
        charge_settings_update(actor=world.admin, tax_name="P\x00N", tax_percent="x", admin_fee=10_000_001)
    assert set(caught.value.errors) == {"tax_name", "tax_percent", "admin_fee"}
    with pytest.raises(Exception):  # noqa: B017 (NotAllowed)
        charge_settings_update(actor=world.buyer, tax_percent=5)
