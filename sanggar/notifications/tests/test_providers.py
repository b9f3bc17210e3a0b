"""Each provider against mocked HTTP, with the payload shapes recorded in PROVIDERS.md (§4–7)."""

import json
from urllib.parse import parse_qs

import httpx
import pytest
import respx

from sanggar.notifications import services
from sanggar.notifications.channels import get_channel
from sanggar.notifications.channels.base import OutgoingMessage
from sanggar.notifications.channels.fonnte.provider import FonnteProvider
from sanggar.notifications.channels.mailketing.provider import MailketingProvider
from sanggar.notifications.channels.onesignal.provider import OneSignalProvider
from sanggar.notifications.channels.starsender.provider import StarsenderProvider
from sanggar.notifications.channels.whatsapp import to_msisdn
from sanggar.notifications.constants import Channel, DeliveryStatus
from sanggar.notifications.models import Delivery

pytestmark = pytest.mark.django_db

MAILKETING_URL = "https://api.mailketing.co.id/api/v1/send"
FONNTE_URL = "https://api.fonnte.com/send"
STARSENDER_URL = "https://api.starsender.online/api/send"
ONESIGNAL_URL = "https://api.onesignal.com/notifications"


@pytest.fixture
def creds(settings):
    settings.MAILKETING_API_TOKEN = "mk-secret-token"
    settings.MAILKETING_FROM_NAME = "Ekspor Yuk"
    settings.MAILKETING_FROM_EMAIL = "halo@eksporyuk.test"
    settings.FONNTE_TOKEN = "fonnte-device-token"
    settings.STARSENDER_API_KEY = "starsender-device-key"
    settings.WHATSAPP_PROVIDER = ""
    settings.ONESIGNAL_APP_ID = "202d4f61-1ca9-42df-9d36-bb17d8123abc"
    settings.ONESIGNAL_API_KEY = "os-app-api-key"
    settings.PROVIDER_HTTP_TIMEOUT = 4.5
    return settings


def _delivery(channel, recipient, **fields):
    values = {"channel": channel, "recipient": recipient, "subject": "Pembayaran diterima", "body": "Order lunas."}
    values.update(fields)
    return Delivery.objects.create(**values)


def _form(request) -> dict:
    return {k: v[0] for k, v in parse_qs(request.content.decode()).items()}


# --- selection ----------------------------------------------------------------------------------------------


def test_without_credentials_every_channel_only_logs(settings):
    settings.MAILKETING_API_TOKEN = settings.FONNTE_TOKEN = settings.STARSENDER_API_KEY = ""
    settings.ONESIGNAL_APP_ID = settings.ONESIGNAL_API_KEY = ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert get_channel(Channel.WHATSAPP).provider().name == "log"
    assert get_channel(Channel.PUSH).provider().name == "log"
    assert get_channel(Channel.EMAIL).provider().name == "console"


def test_provider_selection(creds):
    assert get_channel(Channel.EMAIL).provider().name == "mailketing"
    assert get_channel(Channel.PUSH).provider().name == "onesignal"
    assert get_channel(Channel.WHATSAPP).provider().name == "starsender"
    creds.WHATSAPP_PROVIDER = "fonnte"
    assert get_channel(Channel.WHATSAPP).provider().name == "fonnte"
    creds.FONNTE_TOKEN = ""
    # the chosen provider has no key: the log, never the other provider
    assert get_channel(Channel.WHATSAPP).provider().name == "log"
    creds.WHATSAPP_PROVIDER = ""
    creds.STARSENDER_API_KEY = ""
    creds.FONNTE_TOKEN = "t"
    assert get_channel(Channel.WHATSAPP).provider().name == "fonnte"
    creds.ONESIGNAL_API_KEY = ""
    assert get_channel(Channel.PUSH).provider().name == "log"


def test_clients_use_the_timeout_and_base_urls_from_settings(creds):
    creds.FONNTE_BASE_URL = "https://fonnte.example/"
    client = FonnteProvider().client()
    assert (client.timeout, client.base_url) == (4.5, "https://fonnte.example")
    assert MailketingProvider().client().timeout == 4.5
    assert StarsenderProvider().client().timeout == 4.5
    assert OneSignalProvider().client().timeout == 4.5


def test_whatsapp_numbers_are_sent_as_digits():
    assert to_msisdn("+62 812-3456-7890") == "6281234567890"
    assert to_msisdn("081234567890") == "6281234567890"


# --- Mailketing ------------------------------------------------------------------------------------------------


def test_mailketing_success(creds):
    delivery = _delivery(Channel.EMAIL, "budi@contoh.test", link="http://127.0.0.1:8000/profil/")
    with respx.mock(assert_all_called=True) as router:
        route = router.post(MAILKETING_URL).mock(
            return_value=httpx.Response(200, json={"status": "success", "response": "Mail Sent"})
        )
        result = services.delivery_send(delivery_id=delivery.pk)
    form = _form(route.calls.last.request)
    assert route.calls.last.request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert {k: form[k] for k in ("api_token", "from_name", "from_email", "recipient", "subject")} == {
        "api_token": "mk-secret-token",
        "from_name": "Ekspor Yuk",
        "from_email": "halo@eksporyuk.test",
        "recipient": "budi@contoh.test",
        "subject": "Pembayaran diterima",
    }
    assert form["content"].startswith("<!DOCTYPE html>")
    assert "Order lunas." in form["content"]
    assert 'href="http://127.0.0.1:8000/profil/"' in form["content"]
    assert (result.status, result.provider, result.attempts) == (DeliveryStatus.SENT, "mailketing", 1)
    assert result.response == {"status": "success", "response": "Mail Sent"}


@pytest.mark.parametrize(
    ("response", "error"),
    [
        (
            httpx.Response(200, json={"status": "failed", "response": "User Not Found or Wrong API Token"}),
            "Mailketing menolak: User Not Found or Wrong API Token",
        ),
        (httpx.Response(500, text="<html>oops</html>"), "Mailketing menjawab HTTP 500"),
        (httpx.Response(200, text="not json"), "Mailketing menolak: unknown"),
    ],
)
def test_mailketing_failures(creds, response, error):
    creds.NOTIFICATION_DELIVERY_MAX_ATTEMPTS = 1
    delivery = _delivery(Channel.EMAIL, "budi@contoh.test")
    with respx.mock() as router:
        router.post(MAILKETING_URL).mock(return_value=response)
        result = services.delivery_send(delivery_id=delivery.pk)
    assert (result.status, result.last_error) == (DeliveryStatus.FAILED, error)
    assert "mk-secret-token" not in json.dumps(result.response)


def test_mailketing_timeout_is_a_failure(creds):
    creds.NOTIFICATION_DELIVERY_MAX_ATTEMPTS = 2
    delivery = _delivery(Channel.EMAIL, "budi@contoh.test")
    with respx.mock() as router:
        router.post(MAILKETING_URL).mock(side_effect=httpx.ReadTimeout("timed out"))
        result = services.delivery_send(delivery_id=delivery.pk)
    assert (result.status, result.attempts) == (DeliveryStatus.QUEUED, 1)
    assert result.last_error == "Mailketing tidak dapat dihubungi: ReadTimeout"


# --- Fonnte ------------------------------------------------------------------------------------------------------


def test_fonnte_success(creds):
    creds.WHATSAPP_PROVIDER = "fonnte"
    answer = {
        "detail": "success! message in queue",
        "id": ["80367170"],
        "process": "pending",
        "requestid": 2937124,
        "status": True,
        "target": ["6282227097005"],
    }
    delivery = _delivery(Channel.WHATSAPP, "+6282227097005", body="*Halo*\n\nPesan")
    with respx.mock(assert_all_called=True) as router:
        route = router.post(FONNTE_URL).mock(return_value=httpx.Response(200, json=answer))
        result = services.delivery_send(delivery_id=delivery.pk)
    request = route.calls.last.request
    assert request.headers["authorization"] == "fonnte-device-token"
    assert _form(request) == {"target": "6282227097005", "message": "*Halo*\n\nPesan", "countryCode": "62"}
    assert (result.status, result.provider, result.provider_message_id) == (DeliveryStatus.SENT, "fonnte", "80367170")


@pytest.mark.parametrize("reason", ["token invalid", "target invalid", "insufficient quota"])
def test_fonnte_status_false_is_a_failure_even_with_http_200(creds, reason):
    creds.WHATSAPP_PROVIDER = "fonnte"
    creds.NOTIFICATION_DELIVERY_MAX_ATTEMPTS = 1
    delivery = _delivery(Channel.WHATSAPP, "+6282227097005")
    with respx.mock() as router:
        router.post(FONNTE_URL).mock(return_value=httpx.Response(200, json={"status": False, "reason": reason}))
        result = services.delivery_send(delivery_id=delivery.pk)
    assert (result.status, result.last_error) == (DeliveryStatus.FAILED, f"Fonnte menolak: {reason}")
    assert result.response == {"status": False, "reason": reason}


# --- Starsender ---------------------------------------------------------------------------------------------------


def test_starsender_success(creds):
    delivery = _delivery(Channel.WHATSAPP, "+6281234567890", body="Pembayaran Anda sudah kami terima.")
    with respx.mock(assert_all_called=True) as router:
        route = router.post(STARSENDER_URL).mock(
            return_value=httpx.Response(200, json={"success": True, "data": {}, "message": "Message sent"})
        )
        result = services.delivery_send(delivery_id=delivery.pk)
    request = route.calls.last.request
    assert request.headers["authorization"] == "starsender-device-key"
    assert json.loads(request.content) == {
        "messageType": "text",
        "to": "6281234567890",
        "body": "Pembayaran Anda sudah kami terima.",
    }
    assert (result.status, result.provider) == (DeliveryStatus.SENT, "starsender")


def test_starsender_success_false_is_a_failure(creds):
    creds.NOTIFICATION_DELIVERY_MAX_ATTEMPTS = 1
    delivery = _delivery(Channel.WHATSAPP, "+6281234567890")
    with respx.mock() as router:
        router.post(STARSENDER_URL).mock(
            return_value=httpx.Response(200, json={"success": False, "data": None, "message": "Device not connected"})
        )
        result = services.delivery_send(delivery_id=delivery.pk)
    assert (result.status, result.last_error) == (DeliveryStatus.FAILED, "Starsender menolak: Device not connected")


def test_starsender_http_error_is_a_failure(creds):
    creds.NOTIFICATION_DELIVERY_MAX_ATTEMPTS = 1
    delivery = _delivery(Channel.WHATSAPP, "+6281234567890")
    with respx.mock() as router:
        router.post(STARSENDER_URL).mock(
            return_value=httpx.Response(401, json={"success": False, "message": "Unauthorized"})
        )
        result = services.delivery_send(delivery_id=delivery.pk)
    assert (result.status, result.last_error) == (DeliveryStatus.FAILED, "Starsender menjawab HTTP 401")


# --- OneSignal ------------------------------------------------------------------------------------------------------


def test_onesignal_success(creds):
    delivery = _delivery(Channel.PUSH, "42", link="http://127.0.0.1:8000/notifications")
    answer = {"id": "b15ba6e5-6f1c-4b3e-9a51-0a4d0e6b1f00", "external_id": None}
    with respx.mock(assert_all_called=True) as router:
        route = router.post(ONESIGNAL_URL, params={"c": "push"}).mock(return_value=httpx.Response(200, json=answer))
        result = services.delivery_send(delivery_id=delivery.pk)
    request = route.calls.last.request
    assert request.headers["authorization"] == "Key os-app-api-key"
    assert json.loads(request.content) == {
        "app_id": "202d4f61-1ca9-42df-9d36-bb17d8123abc",
        "include_aliases": {"external_id": ["42"]},
        "target_channel": "push",
        "headings": {"en": "Pembayaran diterima", "id": "Pembayaran diterima"},
        "contents": {"en": "Order lunas.", "id": "Order lunas."},
        "url": "http://127.0.0.1:8000/notifications",
        "data": {"delivery_id": str(delivery.pk)},
    }
    assert (result.status, result.provider_message_id) == (DeliveryStatus.SENT, answer["id"])


def test_onesignal_long_bodies_are_cut_to_240_characters(creds):
    message = OutgoingMessage(delivery_id=1, channel="push", recipient="1", subject="Judul", body="x" * 300)
    with respx.mock() as router:
        route = router.post(ONESIGNAL_URL).mock(return_value=httpx.Response(200, json={"id": "abc"}))
        result = OneSignalProvider().send(message)
    content = json.loads(route.calls.last.request.content)["contents"]["en"]
    assert content == "x" * 239 + "…"
    assert (result.status, result.provider_message_id) == (DeliveryStatus.SENT, "abc")


def test_onesignal_user_without_device_is_skipped(creds):
    delivery = _delivery(Channel.PUSH, "42")
    answer = {"id": "", "errors": {"invalid_aliases": {"external_id": ["42"]}}}
    with respx.mock() as router:
        route = router.post(ONESIGNAL_URL).mock(return_value=httpx.Response(200, json=answer))
        result = services.delivery_send(delivery_id=delivery.pk)
    assert route.call_count == 1
    assert (result.status, result.attempts) == (DeliveryStatus.SKIPPED, 1)
    assert result.last_error == "Pengguna belum memiliki perangkat yang berlangganan push"
    assert result.sent_at is None


def test_onesignal_empty_id_is_a_failure(creds):
    creds.NOTIFICATION_DELIVERY_MAX_ATTEMPTS = 1
    delivery = _delivery(Channel.PUSH, "42")
    with respx.mock() as router:
        router.post(ONESIGNAL_URL).mock(return_value=httpx.Response(200, json={"id": "", "errors": ["Bad request"]}))
        result = services.delivery_send(delivery_id=delivery.pk)
    assert result.status == DeliveryStatus.FAILED
    assert result.last_error == "OneSignal tidak mengirim notifikasi: ['Bad request']"


def test_onesignal_http_error_is_a_failure(creds):
    creds.NOTIFICATION_DELIVERY_MAX_ATTEMPTS = 1
    delivery = _delivery(Channel.PUSH, "42")
    with respx.mock() as router:
        router.post(ONESIGNAL_URL).mock(
            return_value=httpx.Response(403, json={"errors": ["Access denied. Please include an 'Authorization'"]})
        )
        result = services.delivery_send(delivery_id=delivery.pk)
    assert (result.status, result.last_error) == (DeliveryStatus.FAILED, "OneSignal menjawab HTTP 403")
    assert "os-app-api-key" not in json.dumps(result.response)
