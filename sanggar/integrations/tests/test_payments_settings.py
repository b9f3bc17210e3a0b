"""/admin/settings/payments: switches, modes, encrypted keys (the environment wins), the connection test against a
local fake (respx), bank accounts on the invoice, the unique-code range and the pending lifetime."""

import io
import logging
from datetime import timedelta

import httpx
import pytest
import respx
from django.utils import timezone
from PIL import Image

from sanggar.audit.models import ActivityLog
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.integrations import selectors, services
from sanggar.integrations.models import BankAccount, Integration, IntegrationStatus
from sanggar.payments.providers import enabled_providers, get_provider
from sanggar.payments.providers.midtrans.provider import base_urls

URL = "/admin/settings/payments"
SECRET = "xnd_development_RahasiaSekali1234567890WXYZ"
TOKEN = "callback-token-rahasia-9876"


def save_xendit(admin, **extra):
    return services.integration_update(
        actor=admin,
        key="xendit",
        enabled=True,
        mode="sandbox",
        values={"XENDIT_SECRET_KEY": SECRET, "XENDIT_CALLBACK_TOKEN": TOKEN},
        **extra,
    )


def test_keys_are_stored_encrypted_and_used_by_the_provider(admin_user):
    save_xendit(admin_user)
    row = Integration.objects.get(key="xendit")
    assert SECRET not in row.values_encrypted and TOKEN not in row.values_encrypted
    assert selectors.setting_value("XENDIT_SECRET_KEY") == SECRET
    provider = get_provider("xendit")
    assert provider.is_configured() and provider.is_enabled()
    assert [p.identifier for p in enabled_providers()] == ["manual", "xendit"]
    assert provider.client().secret_key == SECRET


def test_an_environment_variable_wins_and_the_page_says_so(admin_user, admin_client, monkeypatch, settings):
    save_xendit(admin_user)
    monkeypatch.setenv("XENDIT_SECRET_KEY", "xnd_env_key_from_environment_ABCD")
    settings.XENDIT_SECRET_KEY = "xnd_env_key_from_environment_ABCD"
    assert selectors.setting_value("XENDIT_SECRET_KEY") == "xnd_env_key_from_environment_ABCD"
    page = admin_client.get(URL).content.decode()
    assert "Diatur lewat variabel lingkungan XENDIT_SECRET_KEY" in page
    assert "xnd_env_key_from_environment_ABCD" not in page and "••••ABCD" in page
    with pytest.raises(ServiceError) as refused:
        services.integration_update(actor=admin_user, key="xendit", values={"XENDIT_SECRET_KEY": "lain-lain-lain"})
    assert "variabel lingkungan" in refused.value.message


def test_payment_providers_in_the_environment_win_over_the_switches(admin_user, monkeypatch, settings):
    save_xendit(admin_user)
    monkeypatch.setenv("PAYMENT_PROVIDERS", "manual")
    settings.PAYMENT_PROVIDERS = ["manual"]
    assert [p.identifier for p in enabled_providers()] == ["manual"]


def test_the_page_shows_keys_masked_and_saves_a_new_key(admin_client, admin_user, caplog):
    caplog.set_level(logging.DEBUG)
    response = admin_client.post(
        URL,
        {
            "form": "integration",
            "key": "xendit",
            "xendit-enabled": "on",
            "xendit-mode": "production",
            "xendit-XENDIT_SECRET_KEY": SECRET,
            "xendit-XENDIT_CALLBACK_TOKEN": TOKEN,
        },
    )
    assert response.status_code == 302
    assert selectors.integration_mode("xendit") == "production"
    page = admin_client.get(URL).content.decode()
    assert "••••WXYZ" in page and "••••9876" in page
    assert SECRET not in page and TOKEN not in page
    activity = ActivityLog.objects.filter(target_type="integrations.integration").get()
    assert activity.data["fields"] == ["XENDIT_CALLBACK_TOKEN", "XENDIT_SECRET_KEY"]
    assert SECRET not in str(activity.data) and TOKEN not in str(activity.data)
    assert SECRET not in caplog.text and TOKEN not in caplog.text
    # An empty input keeps the stored key; "Hapus nilai tersimpan" removes it.
    admin_client.post(URL, {"form": "integration", "key": "xendit", "xendit-enabled": "on", "xendit-mode": "sandbox"})
    assert selectors.setting_value("XENDIT_SECRET_KEY") == SECRET
    admin_client.post(
        URL,
        {"form": "integration", "key": "xendit", "xendit-mode": "sandbox", "xendit-clear_XENDIT_CALLBACK_TOKEN": "on"},
    )
    assert selectors.setting_value("XENDIT_CALLBACK_TOKEN") == ""
    assert not get_provider("xendit").is_enabled()


def test_hostile_values_are_refused_with_a_message(admin_client, admin_user):
    response = admin_client.post(
        URL, {"form": "integration", "key": "xendit", "xendit-XENDIT_SECRET_KEY": "abc\x00def", "xendit-mode": "x"}
    )
    assert response.status_code == 400  # the input guard refuses NUL before any view
    with pytest.raises(ServiceError) as refused:
        services.integration_update(actor=admin_user, key="xendit", values={"XENDIT_SECRET_KEY": "abc\x00def"})
    assert "tidak diizinkan" in refused.value.message
    response = admin_client.post(URL, {"form": "integration", "key": "xendit", "xendit-mode": "bukan-mode"})
    assert response.status_code == 200 and "Periksa kembali" in response.content.decode()
    response = admin_client.post(URL, {"form": "integration", "key": "tidak-ada"})
    assert response.status_code == 200
    assert not Integration.objects.exists()


def test_only_admins(client, member_client, member_user):
    assert client.get(URL).status_code in (302, 403)
    assert member_client.get(URL).status_code in (302, 403)
    with pytest.raises(NotAllowed):
        services.integration_update(actor=member_user, key="xendit", enabled=True)
    assert member_client.post("/admin/settings/integrasi/xendit/tes").status_code in (302, 403)


def test_the_last_payment_method_cannot_be_switched_off(admin_user):
    with pytest.raises(ServiceError) as refused:
        services.integration_update(actor=admin_user, key="manual", enabled=False)
    assert "Minimal satu metode pembayaran" in refused.value.message
    save_xendit(admin_user)
    services.integration_update(actor=admin_user, key="manual", enabled=False)
    assert [p.identifier for p in enabled_providers()] == ["xendit"]


def test_midtrans_production_mode_uses_the_production_hosts(admin_user):
    services.integration_update(actor=admin_user, key="midtrans", mode="production")
    assert base_urls() == ("https://app.midtrans.com", "https://api.midtrans.com")


@respx.mock
def test_connection_test_calls_xendit_with_the_saved_key(admin_user, admin_client):
    save_xendit(admin_user)
    route = respx.get("https://xendit.test/v2/invoices").mock(return_value=httpx.Response(200, json=[]))
    response = admin_client.post("/admin/settings/integrasi/xendit/tes", follow=True)
    assert route.called
    assert route.calls[0].request.headers["Authorization"].startswith("Basic ")
    assert "Tes koneksi Xendit berhasil" in response.content.decode()
    assert selectors.statuses()["xendit"].last_success_at is not None

    respx.get("https://xendit.test/v2/invoices").mock(
        return_value=httpx.Response(401, json={"error_code": "INVALID_API_KEY", "message": "API key is invalid"})
    )
    page = admin_client.post("/admin/settings/integrasi/xendit/tes", follow=True).content.decode()
    assert "Tes koneksi Xendit gagal" in page and "INVALID_API_KEY" in page
    assert SECRET not in page
    assert "INVALID_API_KEY" in selectors.statuses()["xendit"].last_error


@respx.mock
def test_connection_test_of_midtrans_and_scalev(admin_user):
    services.integration_update(actor=admin_user, key="midtrans", values={"MIDTRANS_SERVER_KEY": "SB-Mid-server-1"})
    respx.get("https://api.midtrans.test/v2/sanggar-tes-koneksi/status").mock(
        return_value=httpx.Response(200, json={"status_code": "404", "status_message": "Transaction doesn't exist."})
    )
    result = services.integration_test(actor=admin_user, key="midtrans")
    assert result.ok and "Transaction doesn't exist." in result.message
    services.integration_update(
        actor=admin_user,
        key="scalev",
        values={
            "SCALEV_API_KEY": "sk_rahasia_1",
            "SCALEV_WEBHOOK_SECRET": "whsec",
            "SCALEV_STORE_UNIQUE_ID": "store_1",
        },
    )
    respx.get("https://scalev.test/v3/stores/simplified").mock(
        return_value=httpx.Response(401, json={"error": "Invalid API key"})
    )
    result = services.integration_test(actor=admin_user, key="scalev")
    assert not result.ok and "Invalid API key" in result.message


def test_connection_test_without_keys_says_so(admin_user):
    result = services.integration_test(actor=admin_user, key="xendit")
    assert not result.ok and "belum diisi" in result.message


def png_file(name="logo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "blue").save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = name
    return buffer


def test_bank_accounts_are_listed_on_the_manual_instructions(admin_client, admin_user):
    response = admin_client.post(
        URL,
        {
            "form": "bank",
            "bank-bank_name": "Mandiri",
            "bank-account_number": "123-000-999",
            "bank-account_holder": "PT Sanggar",
            "bank-sort_order": "2",
            "bank-is_active": "on",
            "bank-logo": png_file(),
        },
    )
    assert response.status_code == 302
    services.bank_account_save(
        actor=admin_user, bank_name="BCA", account_number="5550001", account_holder="PT Sanggar", sort_order=1
    )
    services.bank_account_save(
        actor=admin_user, bank_name="BRI", account_number="777", account_holder="PT Sanggar", is_active=False
    )
    accounts = selectors.bank_accounts_active()
    assert [a.bank_name for a in accounts] == ["BCA", "Mandiri"]
    assert accounts[1].logo_url.startswith("/media/bank-logos/")
    from sanggar.payments.providers.base import BuyerData, PaymentData

    result = get_provider("manual").initiate(
        PaymentData(
            invoice_number="INV1",
            amount=100_123,
            unique_code=123,
            expires_at=timezone.now() + timedelta(hours=1),
            buyer=BuyerData(name="A", email="a@example.com"),
            invoice_url="https://sanggar.test/invoice/INV1",
        )
    )
    assert [a["account_number"] for a in result.instructions["accounts"]] == ["5550001", "123-000-999"]
    assert result.instructions["account_number"] == "5550001"
    page = admin_client.get(URL).content.decode()
    assert "Mandiri" in page and "BRI" in page


def test_bank_account_refuses_a_fake_logo_and_bad_numbers(admin_user):
    fake = io.BytesIO(b"<svg onload=alert(1)></svg>")
    fake.name = "logo.png"
    fake.size = len(fake.getvalue())
    with pytest.raises(ServiceError) as refused:
        services.bank_account_save(actor=admin_user, bank_name="BCA", account_number="1", account_holder="X", logo=fake)
    assert "logo" in refused.value.errors
    with pytest.raises(ServiceError) as refused:
        services.bank_account_save(actor=admin_user, bank_name="BCA", account_number="12ab", account_holder="X")
    assert "account_number" in refused.value.errors
    with pytest.raises(ServiceError):
        services.bank_account_save(actor=admin_user, bank_name="B\x00CA", account_number="1", account_holder="X")
    assert not BankAccount.objects.exists()


def test_bank_edit_and_delete_pages(admin_client, admin_user):
    account = services.bank_account_save(actor=admin_user, bank_name="BCA", account_number="1", account_holder="X")
    assert admin_client.get(f"{URL}/rekening/{account.pk}").status_code == 200
    admin_client.post(
        f"{URL}/rekening/{account.pk}",
        {"bank_name": "BNI", "account_number": "22", "account_holder": "Y", "sort_order": "0"},
    )
    account.refresh_from_db()
    assert (account.bank_name, account.is_active) == ("BNI", False)
    assert admin_client.get(f"{URL}/rekening/{account.pk}/hapus").status_code == 200
    admin_client.post(f"{URL}/rekening/{account.pk}/hapus")
    assert not BankAccount.objects.exists()


def test_unique_code_range_and_pending_lifetime_are_used_by_orders(admin_client, monkeypatch, settings):
    from sanggar.orders.services.orders import unique_code_pick

    response = admin_client.post(
        URL,
        {
            "form": "options",
            "options-unique_code_min": "500",
            "options-unique_code_max": "510",
            "options-pending_hours": "6",
        },
    )
    assert response.status_code == 302
    assert selectors.unique_code_range() == (500, 510)
    assert selectors.pending_hours() == 6
    assert 500 <= unique_code_pick(base_total=100_000) <= 510
    monkeypatch.setenv("ORDER_PENDING_HOURS", "48")
    settings.ORDER_PENDING_HOURS = 48
    assert selectors.pending_hours() == 48
    assert "diatur lewat variabel lingkungan ORDER_PENDING_HOURS" in admin_client.get(URL).content.decode()


def test_payment_options_refuse_a_bad_range(admin_client):
    response = admin_client.post(
        URL, {"form": "options", "options-unique_code_min": "900", "options-unique_code_max": "100"}
    )
    assert response.status_code == 200
    assert "Batas atas kode unik" in response.content.decode()
    response = admin_client.post(URL, {"form": "options", "options-pending_hours": "abc"})
    assert response.status_code == 200


def test_unreadable_keys_after_a_key_change_read_as_empty(admin_user, settings):
    save_xendit(admin_user)
    settings.INTEGRATIONS_ENCRYPTION_KEY = "kunci-lain-sama-sekali"
    from django.core.cache import cache

    cache.clear()
    assert selectors.setting_value("XENDIT_SECRET_KEY") == ""
    assert selectors.stored_unreadable("xendit")


def test_status_rows_are_written_outside_a_transaction(transactional_db):
    selectors.status_record("xendit", ok=False, detail="Xendit menjawab HTTP 500")
    selectors.status_record("xendit", ok=True)
    row = IntegrationStatus.objects.get(key="xendit")
    assert row.last_success_at and row.last_error == "Xendit menjawab HTTP 500"
