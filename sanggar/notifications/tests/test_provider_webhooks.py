"""Delivery reports from the messaging providers: POST /webhooks/fonnte/status and /webhooks/onesignal/events with
the payloads recorded from the providers' documentation (fixtures/provider_webhooks/SOURCES.md): the shared secret
first, then replays and late reports that change nothing, unknown ids answered 200, hostile bodies answered 4xx."""

import json
from pathlib import Path

import pytest
from django.urls import reverse

from sanggar.notifications import provider_events
from sanggar.notifications.constants import Channel, DeliveryStatus
from sanggar.notifications.models import Delivery

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "provider_webhooks"
FONNTE_SECRET = "rahasia-fonnte-uji"
ONESIGNAL_SECRET = "rahasia-onesignal-uji"
PUSH_ID = "b15ba6e5-0b5f-4a4a-9f43-6f1e1c1b2c3d"


def recorded(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture(autouse=True)
def secrets(settings):
    settings.FONNTE_WEBHOOK_SECRET = FONNTE_SECRET
    settings.ONESIGNAL_WEBHOOK_SECRET = ONESIGNAL_SECRET
    settings.DELIVERY_WEBHOOK_MAX_BYTES = 16 * 1024
    return settings


@pytest.fixture
def whatsapp():
    return Delivery.objects.create(
        channel=Channel.WHATSAPP,
        provider="fonnte",
        recipient="6281234567890",
        body="Halo",
        status=DeliveryStatus.SENT,
        provider_message_id="80367170",
    )


@pytest.fixture
def push():
    return Delivery.objects.create(
        channel=Channel.PUSH,
        provider="onesignal",
        recipient="7",
        status=DeliveryStatus.SENT,
        provider_message_id=PUSH_ID,
    )


def fonnte(client, body: bytes, *, secret: str | None = FONNTE_SECRET, header: bool = True):
    url = reverse("notifications:fonnte_status_webhook")
    extra = {}
    if secret is not None and header:
        extra["HTTP_X_WEBHOOK_SECRET"] = secret
    elif secret is not None:
        url += f"?secret={secret}"
    return client.post(url, body, content_type="application/json", **extra)


def onesignal(client, body: bytes, *, secret: str | None = ONESIGNAL_SECRET):
    url = reverse("notifications:onesignal_event_webhook")
    if secret is not None:
        url += f"?secret={secret}"
    # cors: false (OneSignal's recommended setting) posts a "simple" request: no JSON content type
    return client.post(url, body, content_type="text/plain")


def test_paths_follow_the_payment_webhooks():
    assert reverse("notifications:fonnte_status_webhook") == "/webhooks/fonnte/status"
    assert reverse("notifications:onesignal_event_webhook") == "/webhooks/onesignal/events"


# --- Fonnte ---------------------------------------------------------------------------------------------------


def test_fonnte_recorded_sequence_sent_delivered_read(client, whatsapp):
    response = fonnte(client, recorded("fonnte_status_sent.json"))
    assert response.status_code == 200 and response.json()["outcome"] == "applied"
    whatsapp.refresh_from_db()
    assert whatsapp.provider_status == "sent" and whatsapp.provider_state_id == "3EB0C767D82B8A1E4B2F"
    assert whatsapp.delivered_at is None

    # later reports name only the state id (as the documented webhook script handles them)
    assert fonnte(client, recorded("fonnte_state_delivered.json")).json()["outcome"] == "applied"
    whatsapp.refresh_from_db()
    assert whatsapp.provider_status == "delivered" and whatsapp.delivered_at is not None
    delivered_at = whatsapp.delivered_at

    assert fonnte(client, recorded("fonnte_state_read.json"), header=False).json()["outcome"] == "applied"
    whatsapp.refresh_from_db()
    assert whatsapp.provider_status == "read" and whatsapp.opened_at is not None
    assert whatsapp.delivered_at == delivered_at
    assert whatsapp.status == DeliveryStatus.SENT  # our own send status is not the provider's report


def test_replays_and_late_reports_change_nothing(client, whatsapp):
    for name in ("fonnte_status_sent.json", "fonnte_state_delivered.json", "fonnte_state_read.json"):
        fonnte(client, recorded(name))
    whatsapp.refresh_from_db()
    before = (whatsapp.provider_status, whatsapp.delivered_at, whatsapp.opened_at, whatsapp.provider_state_id)
    for name in ("fonnte_state_read.json", "fonnte_state_delivered.json", "fonnte_status_sent.json"):
        response = fonnte(client, recorded(name))
        assert response.status_code == 200 and response.json()["outcome"] == "unchanged"
    whatsapp.refresh_from_db()
    assert (whatsapp.provider_status, whatsapp.delivered_at, whatsapp.opened_at, whatsapp.provider_state_id) == before
    assert whatsapp.provider_status == "read"  # never back to delivered or sent


def test_read_first_sets_delivered_too(client, whatsapp):
    body = {"id": 80367170, "stateid": "S1", "status": "sent", "state": "read"}  # the id as a JSON number
    assert fonnte(client, json.dumps(body).encode()).json()["outcome"] == "applied"
    whatsapp.refresh_from_db()
    assert whatsapp.provider_status == "read" and whatsapp.delivered_at and whatsapp.opened_at


@pytest.mark.parametrize(
    ("secret", "code"),
    [(None, 401), ("", 401), ("salah", 403), (FONNTE_SECRET + "x", 403), ("rahasia-fonnte-ují", 403)],
)
def test_fonnte_bad_secret(client, whatsapp, secret, code):
    response = fonnte(client, recorded("fonnte_state_read.json"), secret=secret)
    assert response.status_code == code
    assert response.json()["outcome"] == "rejected" and response.json()["detail"]
    whatsapp.refresh_from_db()
    assert whatsapp.provider_status == "" and whatsapp.opened_at is None


def test_no_secret_configured_refuses_everything(client, whatsapp, settings):
    settings.FONNTE_WEBHOOK_SECRET = ""
    assert fonnte(client, recorded("fonnte_status_sent.json"), secret="").status_code == 403
    assert fonnte(client, recorded("fonnte_status_sent.json"), secret="apa saja").status_code == 403


def test_unknown_id_and_untracked_status_are_ignored_with_200(client, whatsapp):
    unknown = {"device": "628", "id": "999", "stateid": "X", "status": "sent"}
    response = fonnte(client, json.dumps(unknown).encode())
    assert response.status_code == 200 and response.json()["outcome"] == "ignored"
    assert fonnte(client, json.dumps({"stateid": "tidak-ada", "state": "read"}).encode()).json()["outcome"] == "ignored"
    pending = {"id": "80367170", "status": "pending"}
    assert fonnte(client, json.dumps(pending).encode()).json()["outcome"] == "ignored"
    whatsapp.refresh_from_db()
    assert whatsapp.provider_status == ""


def test_another_providers_id_is_not_matched(client, whatsapp):
    whatsapp.provider = "starsender"
    whatsapp.save()
    assert fonnte(client, recorded("fonnte_status_sent.json")).json()["outcome"] == "ignored"


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\xff\xfe",
        b"[]",
        b'"sent"',
        b"{}",
        b'{"id": {"a": 1}, "status": "sent"}',
        b'{"id": ["80367170"], "status": "sent"}',
        b'{"id": true, "status": "sent"}',
        b'{"id": -1, "status": "sent"}',
        b'{"id": "8036\\u00007170", "status": "sent"}',
        b'{"id": "80367170", "status": "se\\u0000nt"}',
        b'{"id": "80367170", "status": ["sent"]}',
        b'{"id": "80367170", "state": 3}',
        b'{"id": "' + b"9" * 500 + b'", "status": "sent"}',
        b'{"id": "80367170", "status": "' + b"x" * 100 + b'"}',
        b"[" * 5000 + b"]" * 5000,
        b'{"a":' * 2000 + b"1" + b"}" * 2000,
    ],
)
def test_fonnte_hostile_bodies_are_4xx_with_a_reason(client, whatsapp, body):
    # through the stack (the house's request guards may answer a NUL or a deep body before the view) …
    response = fonnte(client, body)
    assert 400 <= response.status_code < 500, (body[:40], response.status_code)
    # … and the service itself, which never relies on them
    answer = provider_events.fonnte_status_receive(
        headers={"X-Webhook-Secret": FONNTE_SECRET}, query_secret="", raw_body=body
    )
    assert 400 <= answer.status_code < 500 and answer.outcome == "rejected" and answer.detail
    whatsapp.refresh_from_db()
    assert whatsapp.provider_status == ""


def test_oversized_body_is_413(client, whatsapp, settings):
    settings.DELIVERY_WEBHOOK_MAX_BYTES = 1024
    padded = {"id": "80367170", "status": "sent", "pad": "x" * 2000}
    response = fonnte(client, json.dumps(padded).encode())
    assert response.status_code == 413 and response.json()["outcome"] == "rejected"
    # the service's own cap (a body that arrived without a Content-Length)
    answer = provider_events.fonnte_status_receive(
        headers={"X-Webhook-Secret": FONNTE_SECRET}, query_secret="", raw_body=json.dumps(padded).encode()
    )
    assert answer.status_code == 413


def test_only_post(client):
    assert client.get(reverse("notifications:fonnte_status_webhook")).status_code == 405
    assert client.get(reverse("notifications:onesignal_event_webhook")).status_code == 405


# --- OneSignal ------------------------------------------------------------------------------------------------


def test_onesignal_recorded_display_then_click(client, push):
    assert onesignal(client, recorded("onesignal_will_display.json")).json()["outcome"] == "applied"
    push.refresh_from_db()
    assert push.provider_status == "delivered" and push.delivered_at and push.opened_at is None
    response = onesignal(client, recorded("onesignal_clicked.json"))
    assert response.status_code == 200 and response.json()["outcome"] == "applied"
    push.refresh_from_db()
    assert push.provider_status == "clicked" and push.opened_at and push.clicked_at
    clicked_at = push.clicked_at
    # a replay, and a display reported after the click (another device of the same member): nothing moves
    for name in ("onesignal_clicked.json", "onesignal_will_display.json", "onesignal_displayed_legacy.json"):
        assert onesignal(client, recorded(name)).json()["outcome"] == "unchanged"
    push.refresh_from_db()
    assert push.provider_status == "clicked" and push.clicked_at == clicked_at


def test_onesignal_legacy_payload_with_id(client, push):
    assert onesignal(client, recorded("onesignal_displayed_legacy.json")).json()["outcome"] == "applied"
    push.refresh_from_db()
    assert push.delivered_at is not None


def test_onesignal_secret_in_header_too(client, push):
    response = client.post(
        reverse("notifications:onesignal_event_webhook"),
        recorded("onesignal_clicked.json"),
        content_type="application/json",
        HTTP_X_WEBHOOK_SECRET=ONESIGNAL_SECRET,
    )
    assert response.status_code == 200


@pytest.mark.parametrize(("secret", "code"), [(None, 401), ("salah", 403), (FONNTE_SECRET, 403)])
def test_onesignal_bad_secret(client, push, secret, code):
    assert onesignal(client, recorded("onesignal_clicked.json"), secret=secret).status_code == code
    push.refresh_from_db()
    assert push.clicked_at is None


def test_onesignal_unknown_id_and_event_ignored(client, push):
    other = json.loads(recorded("onesignal_clicked.json"))
    other["notificationId"] = "00000000-0000-0000-0000-000000000000"
    assert onesignal(client, json.dumps(other).encode()).json()["outcome"] == "ignored"
    dismissed_unknown = {"event": "notification.somethingNew", "notificationId": PUSH_ID}
    assert onesignal(client, json.dumps(dismissed_unknown).encode()).json()["outcome"] == "ignored"
    push.refresh_from_db()
    assert push.provider_status == ""


@pytest.mark.parametrize(
    "body",
    [
        b"{}",
        b'{"event": "notification.clicked"}',
        b'{"event": ["notification.clicked"], "notificationId": "b15ba6e5"}',
        b'{"event": "notification.clicked", "notificationId": 1.5}',
        b'{"event": "notification.clicked", "notificationId": "b15b\\u0000a6e5"}',
        b'{"event": "notification.clicked\\u0000", "notificationId": "b15ba6e5"}',
        b"[" * 20000,
    ],
)
def test_onesignal_hostile_bodies(client, push, body):
    assert 400 <= onesignal(client, body).status_code < 500
    answer = provider_events.onesignal_event_receive(headers={}, query_secret=ONESIGNAL_SECRET, raw_body=body)
    assert 400 <= answer.status_code < 500 and answer.outcome == "rejected" and answer.detail


def test_delivery_log_shows_the_providers_confirmation(admin_client, whatsapp, client):
    fonnte(client, recorded("fonnte_status_sent.json"))
    fonnte(client, recorded("fonnte_state_read.json"))
    html = admin_client.get(reverse("notifications:admin_delivery_detail", args=[whatsapp.pk])).content.decode()
    assert 'id="delivery-provider-status">dibaca<' in html
    assert 'id="delivery-opened-at"' in html and 'id="delivery-delivered-at"' in html
    listing = admin_client.get(reverse("notifications:admin_deliveries")).content.decode()
    assert ">dibaca</span>" in listing
