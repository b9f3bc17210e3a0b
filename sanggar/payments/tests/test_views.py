"""The webhook endpoint over HTTP (never a 500 on garbage) and the admin's proof download."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from sanggar.orders.constants import OrderStatus
from sanggar.payments.constants import WebhookOutcome
from sanggar.payments.models import WebhookEvent
from sanggar.payments.services import payment_mark_paid_manual, payment_start

from .conftest import XENDIT_TOKEN, scalev_event, scalev_signature

pytestmark = pytest.mark.django_db


def test_url_names():
    assert reverse("payments:webhook", args=["xendit"]) == "/webhooks/xendit"
    assert reverse("payments:proof", args=[7]) == "/admin/payments/7/bukti"


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_webhook_is_post_only(client, method):
    response = getattr(client, method)("/webhooks/xendit")
    assert response.status_code == 405
    assert WebhookEvent.objects.count() == 0


@pytest.mark.parametrize("provider", ["paypal", "manual", "free", "XENDIT-x"])
def test_unknown_provider_is_404_and_stores_nothing(client, provider):
    response = client.post(f"/webhooks/{provider}", data=b"{}", content_type="application/json")
    assert response.status_code == 404
    assert WebhookEvent.objects.count() == 0


def test_webhook_without_csrf_token_is_accepted(make_order):
    from django.test import Client

    order = make_order("manual")
    csrf_client = Client(enforce_csrf_checks=True)
    raw = scalev_event(scalev_id="nothing-of-ours")
    response = csrf_client.post(
        "/webhooks/scalev", data=raw, content_type="application/json", HTTP_X_SCALEV_HMAC_SHA256=scalev_signature(raw)
    )
    assert response.status_code == 200
    assert response.json() == {"outcome": WebhookOutcome.REJECTED, "detail": "referensi pembayaran tidak dikenal"}
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING


def test_xendit_garbage_with_a_valid_token_is_400(client):
    response = client.post(
        "/webhooks/xendit", data=b"{oops", content_type="application/json", HTTP_X_CALLBACK_TOKEN=XENDIT_TOKEN
    )
    assert response.status_code == 400
    assert response.json()["outcome"] == WebhookOutcome.REJECTED
    event = WebhookEvent.objects.get()
    assert (event.signature_valid, event.body) == (True, "{oops")
    # the same garbage again is stored as a duplicate, still 400
    again = client.post(
        "/webhooks/xendit", data=b"{oops", content_type="application/json", HTTP_X_CALLBACK_TOKEN=XENDIT_TOKEN
    )
    assert again.status_code == 400
    assert WebhookEvent.objects.filter(duplicate_of__isnull=False).count() == 1


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(provider=st.sampled_from(["xendit", "midtrans", "scalev"]), body=st.binary(max_size=300))
def test_random_bytes_never_cause_a_500(client, provider, body):
    response = client.post(f"/webhooks/{provider}", data=body, content_type="application/json")
    assert response.status_code in (400, 401, 403)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=10,
)


@hsettings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    provider=st.sampled_from(["xendit", "scalev"]),
    payload=st.fixed_dictionaries(
        {},
        optional={
            "id": json_values,
            "external_id": json_values,
            "status": st.sampled_from(["PAID", "SETTLED", "EXPIRED", "PENDING", "X"]) | json_values,
            "amount": json_values,
            "paid_amount": json_values,
            "event": st.sampled_from(["order.payment_status_changed", "payment.received", "payment.failed"])
            | json_values,
            "unique_id": json_values,
            "data": st.fixed_dictionaries({}, optional={"id": json_values, "payment_status": json_values})
            | json_values,
        },
    ),
)
def test_signed_but_strange_json_never_causes_a_500(client, provider, payload):
    raw = json.dumps(payload).encode()
    if provider == "xendit":
        headers = {"HTTP_X_CALLBACK_TOKEN": XENDIT_TOKEN}
    else:
        headers = {"HTTP_X_SCALEV_HMAC_SHA256": scalev_signature(raw)}
    response = client.post(f"/webhooks/{provider}", data=raw, content_type="application/json", **headers)
    assert response.status_code in (200, 400)


# --- proof ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def proof_payment(make_order, admin_user):
    order = make_order("manual")
    payment_start(order=order)
    proof = SimpleUploadedFile("transfer.pdf", b"%PDF-1.4\n%%EOF", "application/pdf")
    return payment_mark_paid_manual(order=order, actor=admin_user, proof=proof)


def test_admin_opens_the_proof(client, admin_user, proof_payment):
    client.force_login(admin_user)
    response = client.get(f"/admin/payments/{proof_payment.pk}/bukti")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert f"bukti-{proof_payment.order.invoice_number}.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n%%EOF"


def test_proof_is_admin_only(client, make_user, proof_payment):
    url = f"/admin/payments/{proof_payment.pk}/bukti"
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    for roles in ((), ("support",), ("mentor", "affiliate")):
        client.force_login(make_user(*roles))
        assert client.get(url).status_code == 403
    client.force_login(proof_payment.order.buyer)
    assert client.get(url).status_code == 403


def test_missing_proof_is_404(client, admin_user, make_order):
    order = make_order("manual")
    payment = payment_start(order=order)
    client.force_login(admin_user)
    assert client.get(f"/admin/payments/{payment.pk}/bukti").status_code == 404
    assert client.get("/admin/payments/999999/bukti").status_code == 404
