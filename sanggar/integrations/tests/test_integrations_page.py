"""/admin/settings/integrations: Mailketing, Starsender / Fonnte, OneSignal with encrypted keys and connection tests
(respx fakes), the status of every integration recorded by the channels; secrets never in a page, a log line or an
API answer."""

import logging

import httpx
import respx

from sanggar.api.testing import call
from sanggar.integrations import selectors, services
from sanggar.notifications.channels import get_channel

URL = "/admin/settings/integrations"
MAILKETING = "mk_token_sangat_rahasia_QRST"
FONNTE = "fonnte_token_rahasia_LMNO"
ONESIGNAL = "os_v2_app_kunci_rahasia_HIJK"


def configure(admin):
    services.integration_update(actor=admin, key="mailketing", values={"MAILKETING_API_TOKEN": MAILKETING})
    services.integration_update(actor=admin, key="fonnte", values={"FONNTE_TOKEN": FONNTE})
    services.integration_update(
        actor=admin, key="onesignal", values={"ONESIGNAL_APP_ID": "app-123", "ONESIGNAL_API_KEY": ONESIGNAL}
    )


def test_page_lists_every_integration_with_masked_keys(admin_client, admin_user):
    configure(admin_user)
    page = admin_client.get(URL).content.decode()
    for label in ("Mailketing", "Starsender", "Fonnte", "OneSignal", "Xendit", "Midtrans", "Scalev"):
        assert label in page
    assert "••••QRST" in page and "••••LMNO" in page and "••••HIJK" in page
    for secret in (MAILKETING, FONNTE, ONESIGNAL):
        assert secret not in page
    assert 'data-status="mailketing"' in page


def test_saved_keys_are_used_by_the_channels_and_the_switch_turns_them_off(admin_user):
    configure(admin_user)
    assert get_channel("email").provider().name == "mailketing"
    assert get_channel("whatsapp").provider().name == "fonnte"
    services.integration_update(actor=admin_user, key="mailketing", enabled=False)
    assert get_channel("email").provider().name != "mailketing"


@respx.mock
def test_connection_test_sends_one_message_and_records_the_status(admin_client, admin_user):
    configure(admin_user)
    route = respx.post("https://mailketing.test/api/v1/send").mock(
        return_value=httpx.Response(200, json={"status": "success", "response": "Mail Sent"})
    )
    page = admin_client.post(
        "/admin/settings/integrasi/mailketing/tes", {"target": "admin@contoh.test"}, follow=True
    ).content.decode()
    assert route.called and "admin%40contoh.test" in route.calls[0].request.content.decode()
    assert "Tes koneksi Mailketing (email) berhasil" in page
    respx.post("https://fonnte.test/send").mock(
        return_value=httpx.Response(200, json={"status": False, "reason": "token invalid"})
    )
    page = admin_client.post(
        "/admin/settings/integrasi/fonnte/tes", {"target": "0812 3456 789"}, follow=True
    ).content.decode()
    assert "gagal" in page and "token invalid" in page
    rows = selectors.statuses()
    assert rows["mailketing"].last_success_at is not None
    assert "token invalid" in rows["fonnte"].last_error
    page = admin_client.get(URL).content.decode()
    assert "token invalid" in page
    # Without a target the test asks for one.
    page = admin_client.post("/admin/settings/integrasi/fonnte/tes", follow=True).content.decode()
    assert "Isi tujuan tes" in page


def test_unknown_integration_test_is_404(admin_client):
    assert admin_client.post("/admin/settings/integrasi/tidak-ada/tes").status_code == 404
    assert admin_client.post("/admin/settings/integrasi/manual/tes").status_code == 404


@respx.mock
def test_secrets_never_appear_in_pages_logs_or_api_answers(admin_client, admin_user, client, caplog):
    caplog.set_level(logging.DEBUG)
    configure(admin_user)
    services.integration_update(
        actor=admin_user,
        key="xendit",
        enabled=True,
        values={"XENDIT_SECRET_KEY": "xnd_rahasia_api_0001", "XENDIT_CALLBACK_TOKEN": "cb_rahasia_0002"},
    )
    respx.get("https://xendit.test/v2/invoices").mock(return_value=httpx.Response(401, json={"message": "no"}))
    respx.post("https://mailketing.test/api/v1/send").mock(
        return_value=httpx.Response(200, json={"status": "failed", "response": "Access Denied, Invalid Token"})
    )
    secrets = (MAILKETING, FONNTE, ONESIGNAL, "xnd_rahasia_api_0001", "cb_rahasia_0002")
    seen = []
    seen.append(admin_client.post("/admin/settings/integrasi/xendit/tes", follow=True).content.decode())
    seen.append(
        admin_client.post(
            "/admin/settings/integrasi/mailketing/tes", {"target": "a@b.test"}, follow=True
        ).content.decode()
    )
    for url in (URL, "/admin/settings/payments", "/admin/settings/branding/notifikasi", "/admin/audit"):
        response = admin_client.get(url)
        if response.status_code == 200:
            seen.append(response.content.decode())
    # Every API answer a signed-in admin can GET without parameters.
    schema = call(client, "get", "/openapi.json").json()
    answered = 0
    for path, operations in schema["paths"].items():
        if "get" not in operations or "{" in path:
            continue
        answer = call(client, "get", path.removeprefix("/api/v1"), user=admin_user)
        seen.append(answer.content.decode(errors="replace"))  # some answer files (the buyers' Excel export)
        answered += answer.status_code == 200
    assert answered >= 10  # the admin's lists and summaries really answered
    joined = "\n".join(seen) + caplog.text
    for secret in secrets:
        assert secret not in joined
