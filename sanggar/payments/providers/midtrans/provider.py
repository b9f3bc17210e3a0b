import hashlib
import hmac

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sanggar.integrations.selectors import env_set, integration_mode, setting_value

from ...constants import MIDTRANS, EventStatus
from ..base import (
    InitiateResult,
    PaymentData,
    PaymentProvider,
    ProviderError,
    ProviderEvent,
    WebhookParseError,
    json_object,
    rupiah,
    text,
)
from .client import MidtransClient

PAID_STATUSES = {"settlement", "capture"}
FAILED_STATUSES = {"deny", "cancel"}
REFUND_STATUSES = {"refund", "partial_refund"}


def signature_key(*, order_id: str, status_code: str, gross_amount: str, server_key: str) -> str:
    """sha512(order_id + status_code + gross_amount + server key), the strings joined exactly as received."""
    return hashlib.sha512(f"{order_id}{status_code}{gross_amount}{server_key}".encode()).hexdigest()


def event_status(data: dict) -> tuple[str, str]:
    """(EventStatus, detail) for a notification or a GET status answer. Money counts as received only for
    settlement/capture with status_code 200 and a fraud status that is absent or `accept`."""
    status = str(data.get("transaction_status") or "").lower()
    fraud = str(data.get("fraud_status") or "").lower()
    code = str(data.get("status_code") or "")
    if status in PAID_STATUSES:
        if fraud == "challenge":
            return EventStatus.PENDING, "fraud_status challenge"
        if fraud not in ("", "accept"):
            return EventStatus.FAILED, f"fraud_status {fraud}"
        if code != "200":
            return EventStatus.PENDING, f"{status} with status_code {code}"
        return EventStatus.PAID, ""
    if status in FAILED_STATUSES:
        return EventStatus.FAILED, status
    if status == "expire":
        return EventStatus.EXPIRED, ""
    if status == "pending":
        return EventStatus.PENDING, ""
    if status in REFUND_STATUSES:
        return EventStatus.REFUNDED, status
    return EventStatus.IGNORED, f"transaction_status {status or '-'}"


def invoice_from_order_id(order_id: str) -> str:
    """Retries of a payment send `<invoice>-<attempt>` (Midtrans refuses a reused order_id)."""
    return order_id.split("-", 1)[0]


class MidtransProvider(PaymentProvider):
    """Snap: the buyer pays on Midtrans' hosted page. A notification is acted on only when its `signature_key`
    verifies AND the GET status API confirms the state (the notification itself is never trusted alone)."""

    identifier = MIDTRANS
    label = _("Midtrans")
    description = _("GoPay, QRIS, ShopeePay, virtual account, kartu kredit.")
    rechecks_webhooks = True
    numbers_attempts = True

    def is_configured(self) -> bool:
        return bool(setting_value("MIDTRANS_SERVER_KEY"))

    def client(self) -> MidtransClient:
        return MidtransClient(
            server_key=setting_value("MIDTRANS_SERVER_KEY"),
            snap_base_url=base_urls()[0],
            api_base_url=base_urls()[1],
            timeout=settings.PROVIDER_HTTP_TIMEOUT,
        )

    def order_id_for(self, invoice_number: str, attempt: int) -> str:
        return invoice_number if attempt <= 1 else f"{invoice_number}-{attempt}"

    def transaction_payload(self, data: PaymentData) -> dict:
        customer = {"first_name": data.buyer.name[:50], "email": data.buyer.email}
        if data.buyer.whatsapp:
            customer["phone"] = data.buyer.whatsapp
        return {
            "transaction_details": {
                "order_id": self.order_id_for(data.invoice_number, data.attempt),
                "gross_amount": data.amount,
            },
            "customer_details": customer,
            "credit_card": {"secure": True},
        }

    def initiate(self, data: PaymentData) -> InitiateResult:
        # Midtrans refuses an order_id it has seen: a later attempt of the same order gets a suffix.
        payload = self.transaction_payload(data)
        answer = self.client().create_transaction(payload)
        return InitiateResult(
            reference=payload["transaction_details"]["order_id"],
            checkout_url=text(answer["redirect_url"], 500),
            expires_at=data.expires_at,
            raw=answer,
        )

    def signature_present(self, headers, raw_body: bytes) -> bool:
        return bool(json_object(raw_body).get("signature_key"))

    def verify_webhook(self, headers, raw_body: bytes) -> bool:
        data = json_object(raw_body)
        server_key = setting_value("MIDTRANS_SERVER_KEY")
        given = data.get("signature_key")
        if not server_key or not isinstance(given, str):
            return False
        expected = signature_key(
            order_id=str(data.get("order_id", "")),
            status_code=str(data.get("status_code", "")),
            gross_amount=str(data.get("gross_amount", "")),
            server_key=server_key,
        )
        return hmac.compare_digest(given.lower().encode(), expected.encode())

    def _event(self, data: dict) -> ProviderEvent:
        order_id = data.get("order_id")
        if not isinstance(order_id, str) or not order_id or not data.get("transaction_status"):
            raise WebhookParseError("Midtrans notification without order_id or transaction_status")
        status, detail = event_status(data)
        transaction_id = text(data.get("transaction_id") or order_id, 120)
        return ProviderEvent(
            event_id=f"{transaction_id}:{str(data['transaction_status']).lower()}"[:200],
            reference=text(order_id, 120),
            invoice_number=invoice_from_order_id(order_id)[:40],
            status=status,
            amount=rupiah(data.get("gross_amount")),
            method=text(data.get("payment_type"), 60),
            raw=data,
            detail=detail,
        )

    def parse_webhook(self, headers, raw_body: bytes) -> ProviderEvent:
        return self._event(json_object(raw_body))

    def fetch_status(self, reference: str) -> ProviderEvent | None:
        """GET status of a Midtrans order_id (our payment's reference). Raises ProviderNotFound / ProviderError."""
        answer = self.client().get_status(reference)
        try:
            return self._event(answer)
        except WebhookParseError as exc:
            raise ProviderError("Jawaban status Midtrans tidak terbaca", response=answer) from exc


MIDTRANS_PRODUCTION_URLS = ("https://app.midtrans.com", "https://api.midtrans.com")


def base_urls() -> tuple[str, str]:
    """Snap and API base URLs: production when the admin chose production (and no base URL is set in the
    environment), else the settings (sandbox by default, or MIDTRANS_IS_PRODUCTION's)."""
    snap, api = settings.MIDTRANS_SNAP_BASE_URL, settings.MIDTRANS_API_BASE_URL
    if integration_mode(MIDTRANS) == "production":
        if not env_set("MIDTRANS_SNAP_BASE_URL"):
            snap = MIDTRANS_PRODUCTION_URLS[0]
        if not env_set("MIDTRANS_API_BASE_URL"):
            api = MIDTRANS_PRODUCTION_URLS[1]
    return snap, api
