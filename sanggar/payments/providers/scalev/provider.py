import base64
import hashlib
import hmac

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sanggar.integrations.selectors import setting_value

from ...constants import SCALEV, EventStatus
from ..base import (
    InitiateResult,
    LineData,
    PaymentData,
    PaymentProvider,
    ProviderError,
    ProviderEvent,
    WebhookParseError,
    body_digest,
    json_object,
    rupiah,
    text,
)
from .client import ScalevClient

PAID_PAYMENT_STATUSES = {"paid", "settled"}


def signature(*, secret: str, raw_body: bytes) -> str:
    """base64(HMAC-SHA256(key=signing secret, msg=raw body))."""
    return base64.b64encode(hmac.new(secret.encode(), raw_body, hashlib.sha256).digest()).decode()


def to_msisdn(number: str) -> str:
    """`+62 812-3456` / `0812…` → `62812…`, the form Scalev's examples use."""
    digits = "".join(ch for ch in number or "" if ch.isdigit())
    return "62" + digits[1:] if digits.startswith("0") else digits


def _order_ids(data: dict) -> list[str]:
    """Every id in an event's data that may be the Scalev order we created (UUID `id`, business `order_id`)."""
    ids = [data.get("id"), data.get("order_id")]
    nested = data.get("order")
    if isinstance(nested, dict):
        ids += [nested.get("id"), nested.get("order_id")]
    seen = []
    for value in ids:
        value = text(value, 120)
        if value and value not in seen:
            seen.append(value)
    return seen


def event_status(event: str, data: dict) -> tuple[str, str]:
    payment_status = str(data.get("payment_status") or "").lower()
    if event == "business.test_event":
        return EventStatus.IGNORED, "event uji Scalev"
    if event == "payment.received":
        return EventStatus.PAID, ""
    if event == "payment.failed":
        return EventStatus.FAILED, "payment.failed"
    if event == "order.payment_status_changed":
        if payment_status in PAID_PAYMENT_STATUSES:
            return EventStatus.PAID, ""
        if payment_status == "unpaid":
            return EventStatus.PENDING, ""
        return EventStatus.IGNORED, f"payment_status {payment_status or '-'}"
    if event == "order.status_changed" and str(data.get("status") or "").lower() == "canceled":
        return EventStatus.FAILED, "order dibatalkan di Scalev"
    return EventStatus.IGNORED, f"event {event}"


class ScalevProvider(PaymentProvider):
    """Order API v3: a digital order with our price option's Scalev variant, paid through Scalev's payment link.
    Webhooks are signed: `X-Scalev-Hmac-Sha256` = base64 HMAC-SHA256 of the raw body with the signing secret."""

    identifier = SCALEV
    needs_items = True  # the order is built from each line's variant
    label = _("Scalev")
    description = _("Bayar lewat halaman pembayaran Scalev (transfer, virtual account, e-wallet).")
    signature_header = "x-scalev-hmac-sha256"

    def is_configured(self) -> bool:
        return bool(
            setting_value("SCALEV_API_KEY")
            and setting_value("SCALEV_WEBHOOK_SECRET")
            and setting_value("SCALEV_STORE_UNIQUE_ID")
        )

    def client(self) -> ScalevClient:
        return ScalevClient(
            api_key=setting_value("SCALEV_API_KEY"),
            base_url=settings.SCALEV_BASE_URL,
            timeout=settings.PROVIDER_HTTP_TIMEOUT,
        )

    @staticmethod
    def variant_for(item: LineData) -> str:
        """The line's own Scalev variant (plan price option or product), else SCALEV_VARIANT_UNIQUE_ID."""
        return (item.scalev_variant_id or setting_value("SCALEV_VARIANT_UNIQUE_ID") or "").strip()

    def order_payload(self, data: PaymentData) -> dict:
        phone = to_msisdn(data.buyer.whatsapp)
        if not phone:
            raise ProviderError("Scalev memerlukan nomor WhatsApp pembeli")
        quantities: dict[str, int] = {}
        for item in data.items:
            variant = self.variant_for(item)
            if not variant:
                raise ProviderError(f"Tidak ada variant Scalev untuk {item.title}")
            quantities[variant] = quantities.get(variant, 0) + 1
        payload = {
            "store_unique_id": setting_value("SCALEV_STORE_UNIQUE_ID"),
            "customer_name": data.buyer.name,
            "customer_phone": phone,
            "customer_email": data.buyer.email,
            "ordervariants": [{"quantity": qty, "variant_unique_id": v} for v, qty in quantities.items()],
            "payment_method": "payment_link",
        }
        back = data.invoice_url
        if back.startswith("https://"):  # Scalev accepts only an absolute HTTPS redirect
            payload["is_post_payment_redirect_enabled"] = True
            payload["post_payment_redirect_url"] = back
        return payload

    def initiate(self, data: PaymentData) -> InitiateResult:
        answer = self.client().create_order(self.order_payload(data))
        # Scalev prices the order from its variants: refuse a payment page asking for another amount than ours.
        scalev_total = rupiah(answer.get("gross_revenue"))
        if scalev_total is not None and scalev_total != data.amount:
            raise ProviderError(
                f"Total di Scalev ({scalev_total}) berbeda dengan pesanan ({data.amount}); periksa harga variant",
                response=answer,
            )
        return InitiateResult(
            reference=text(answer.get("id") or answer.get("order_id"), 120),
            checkout_url=text(answer["payment_url"], 500),
            expires_at=data.expires_at,
            raw=answer,
        )

    def verify_webhook(self, headers, raw_body: bytes) -> bool:
        secret = setting_value("SCALEV_WEBHOOK_SECRET")
        given = headers.get(self.signature_header) or ""
        if not secret or not given:
            return False
        return hmac.compare_digest(given.strip().encode(), signature(secret=secret, raw_body=raw_body).encode())

    def parse_webhook(self, headers, raw_body: bytes) -> ProviderEvent:
        envelope = json_object(raw_body)
        event = envelope.get("event")
        data = envelope.get("data") if envelope.get("data") is not None else {}
        if not isinstance(event, str) or not event or not isinstance(data, dict):
            raise WebhookParseError("Scalev webhook without event or data")
        status, detail = event_status(event, data)
        ids = _order_ids(data)
        unique_id = text(envelope.get("unique_id"), 190) or f"body:{body_digest(raw_body)}"
        return ProviderEvent(
            event_id=unique_id,
            reference=ids[0] if ids else "",
            invoice_number="",
            status=status,
            amount=rupiah(data.get("gross_revenue")),
            method=text(data.get("payment_method"), 60),
            raw=envelope,
            detail=detail,
            alt_references=tuple(ids[1:]),
        )
