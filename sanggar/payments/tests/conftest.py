"""Fixtures of the payments tests: every provider configured against local test hosts (respx intercepts them),
orders built through the catalog and orders services."""

import base64
import hashlib
import hmac
import json

import pytest

from sanggar.audit.models import ActivityLog
from sanggar.catalog import services as catalog_services
from sanggar.catalog.services import PriceInput
from sanggar.orders.services import ItemRequest, order_create

XENDIT_URL = "https://xendit.test"
MIDTRANS_SNAP_URL = "https://snap.midtrans.test"
MIDTRANS_API_URL = "https://api.midtrans.test"
SCALEV_URL = "https://scalev.test"
# The key of the Xendit reference's Basic-auth example (PROVIDERS.md §1).
XENDIT_KEY = "xnd_development_P4qDfOss0OCpl8RtKrROHjaQYNCk9dN5lSfk+R1l9Wbe+rSiCwZ3jw=="
XENDIT_TOKEN = "callback-token-uji"
MIDTRANS_KEY = "SB-Mid-server-uji"
SCALEV_SECRET = "test-signing-secret"


@pytest.fixture(autouse=True)
def pay_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://sanggar.test"
    settings.PAYMENT_PROVIDERS = ["manual", "xendit", "midtrans", "scalev"]
    settings.ORDER_PENDING_HOURS = 24
    settings.MANUAL_UNIQUE_CODE = True
    settings.MANUAL_BANK_NAME = "BCA"
    settings.MANUAL_BANK_ACCOUNT_NUMBER = "1234567890"
    settings.MANUAL_BANK_ACCOUNT_HOLDER = "PT Sanggar Edukasi Nusantara"
    settings.XENDIT_SECRET_KEY = XENDIT_KEY
    settings.XENDIT_CALLBACK_TOKEN = XENDIT_TOKEN
    settings.XENDIT_BASE_URL = XENDIT_URL
    settings.MIDTRANS_SERVER_KEY = MIDTRANS_KEY
    settings.MIDTRANS_SNAP_BASE_URL = MIDTRANS_SNAP_URL
    settings.MIDTRANS_API_BASE_URL = MIDTRANS_API_URL
    settings.SCALEV_API_KEY = "sk_uji"
    settings.SCALEV_WEBHOOK_SECRET = SCALEV_SECRET
    settings.SCALEV_STORE_UNIQUE_ID = "store_uji"
    settings.SCALEV_VARIANT_UNIQUE_ID = "variant_default"
    settings.SCALEV_BASE_URL = SCALEV_URL
    settings.PROVIDER_HTTP_TIMEOUT = 3.5
    return settings


@pytest.fixture
def product(admin_user):
    return catalog_services.product_create(
        actor=admin_user, title="Ebook Ekspor", status="published", price_type="one_time", price=150_000
    )


@pytest.fixture
def plan(admin_user):
    plan = catalog_services.plan_create(actor=admin_user, title="Gold")
    catalog_services.plan_prices_set(
        plan=plan,
        actor=admin_user,
        prices=[PriceInput(duration="12m", price=1_200_000, scalev_variant_id="variant_gold_12m")],
    )
    return catalog_services.plan_update(plan=plan, actor=admin_user, status="active")


@pytest.fixture
def buyer(make_user):
    return make_user(full_name="Budi Pembeli", email="budi@contoh.test", whatsapp="081234567890")


@pytest.fixture
def make_order(buyer, product):
    def make(provider="xendit", *, items=None, who=None, now=None):
        return order_create(
            buyer=who or buyer,
            items=items or [ItemRequest(kind="product", slug=product.slug)],
            provider=provider,
            now=now,
        )

    return make


def xendit_callback(*, invoice_id, external_id, status="PAID", amount=150_000, **extra) -> bytes:
    """A Xendit invoice callback shaped like PROVIDERS.md's captured PAID example."""
    body = {
        "id": invoice_id,
        "external_id": external_id,
        "user_id": "6279ce4495d10c9afc3171b8",
        "is_high": False,
        "status": status,
        "merchant_name": "Ekspor Yuk",
        "amount": amount,
        "created": "2022-08-07T18:56:04.761Z",
        "updated": "2022-08-07T18:58:35.843Z",
        "currency": "IDR",
        "description": f"{external_id} — Ebook Ekspor",
    }
    if status in ("PAID", "SETTLED"):
        body.update(
            {
                "paid_amount": amount,
                "initial_amount": amount,
                "bank_code": "MANDIRI",
                "paid_at": "2022-08-07T18:58:35.534Z",
                "payment_method": "BANK_TRANSFER",
                "payment_channel": "MANDIRI",
                "payment_destination": "8860861087714",
            }
        )
    body.update(extra)
    return json.dumps(body).encode()


def midtrans_notification(
    *,
    order_id,
    status="settlement",
    gross="150000.00",
    status_code="200",
    transaction_id=None,
    key=MIDTRANS_KEY,
    **extra,
) -> dict:
    """A Midtrans notification shaped like PROVIDERS.md's BCA VA sample, signed with `key`."""
    body = {
        "va_numbers": [{"va_number": "333333333333333", "bank": "bca"}],
        "transaction_time": "2021-06-23 11:27:20",
        "transaction_status": status,
        "transaction_id": transaction_id or "9aed5972-5b6a-401e-894b-a32c91ed1a3a",
        "status_message": "midtrans payment notification",
        "status_code": status_code,
        "settlement_time": "2021-06-23 11:27:50",
        "payment_type": "bank_transfer",
        "payment_amounts": [],
        "order_id": order_id,
        "merchant_id": "G141532850",
        "gross_amount": gross,
        "fraud_status": "accept",
        "currency": "IDR",
    }
    body.update(extra)
    raw = f"{body['order_id']}{body['status_code']}{body['gross_amount']}{key}"
    body["signature_key"] = hashlib.sha512(raw.encode()).hexdigest()
    return body


def scalev_event(*, scalev_id, event="order.payment_status_changed", payment_status="paid", unique_id=None, **data):
    """A Scalev webhook shaped like PROVIDERS.md's order.payment_status_changed example."""
    payload = {
        "id": scalev_id,
        "payment_link_id": None,
        "is_from_payment_link": False,
        "order_id": "250128GGVOWU",
        "business": {},
        "is_probably_spam": False,
        "mark_as_spam_by": None,
        "created_at": "2025-01-28T16:24:44Z",
        "last_updated_at": "2025-01-28T16:27:46Z",
        "payment_status": payment_status,
        "payment_account_id": 1,
        "epayment_provider": None,
        "payment_method": "bank_transfer",
        "financial_entity": {"code": "bni", "name": "Bank Negara Indonesia"},
        "payment_account_holder": "Test Account",
        "payment_account_number": "12345",
        "transferproof_url": "",
        "pg_payment_info": None,
        "pg_reference_id": None,
        "pg_paid_info": None,
        "unpaid_time": "2025-01-28T16:27:46Z",
        "paid_time": "2025-01-28T16:27:14Z",
        "conflict_time": None,
        "settled_time": None,
        "transfer_time": "2025-01-27T17:00:00Z",
    }
    payload.update(data)
    envelope = {
        "event": event,
        "unique_id": unique_id or "event_I7fkiBF4YksYDsKbVe5ZOEyZ",
        "timestamp": "2025-01-28T16:27:46.000000Z",
        "data": payload,
    }
    return json.dumps(envelope).encode()


def scalev_signature(raw: bytes, secret: str = SCALEV_SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), raw, hashlib.sha256).digest()).decode()


def paid_rows(order) -> int:
    """The order's "became paid" rows in the activity log (one per event: confirmed, marked paid or order paid)."""
    return ActivityLog.objects.filter(
        target_id=str(order.pk), action__in=("order.paid", "payment.confirmed", "payment.marked_paid")
    ).count()
