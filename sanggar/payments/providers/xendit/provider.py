import hmac
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from sanggar.integrations.selectors import setting_value

from ...constants import XENDIT, EventStatus
from ..base import (
    InitiateResult,
    PaymentData,
    PaymentProvider,
    ProviderEvent,
    WebhookParseError,
    json_object,
    rupiah,
    text,
)
from .client import XenditClient

STATUSES = {
    "PAID": EventStatus.PAID,
    "SETTLED": EventStatus.PAID,
    "EXPIRED": EventStatus.EXPIRED,
    "PENDING": EventStatus.PENDING,
}
MIN_DURATION_SECONDS = 60


class XenditProvider(PaymentProvider):
    """Invoice API v2. The buyer pays on Xendit's invoice page (VA, e-wallet, QRIS, card, retail). The invoice
    callback carries no signature of the body: it is authenticated by the `x-callback-token` header, the account's
    callback verification token."""

    identifier = XENDIT
    label = _("Xendit")
    description = _("Virtual account, e-wallet, QRIS, kartu kredit, gerai retail.")
    signature_header = "x-callback-token"
    needs_items = True  # the invoice description lists them

    def is_configured(self) -> bool:
        return bool(setting_value("XENDIT_SECRET_KEY") and setting_value("XENDIT_CALLBACK_TOKEN"))

    def client(self) -> XenditClient:
        return XenditClient(
            secret_key=setting_value("XENDIT_SECRET_KEY"),
            base_url=settings.XENDIT_BASE_URL,
            timeout=settings.PROVIDER_HTTP_TIMEOUT,
        )

    def invoice_payload(self, data: PaymentData, now: datetime | None = None) -> dict:
        now = now or timezone.now()
        seconds = int((data.expires_at - now).total_seconds())
        back = data.invoice_url
        return {
            "external_id": data.invoice_number,
            "amount": data.amount,
            "payer_email": data.buyer.email,
            "description": data.description,
            "invoice_duration": max(seconds, MIN_DURATION_SECONDS),
            "currency": "IDR",
            "success_redirect_url": back,
            "failure_redirect_url": back,
        }

    def initiate(self, data: PaymentData) -> InitiateResult:
        answer = self.client().create_invoice(self.invoice_payload(data))
        expiry = parse_datetime(str(answer.get("expiry_date") or ""))
        return InitiateResult(
            reference=text(answer["id"], 120),
            checkout_url=text(answer["invoice_url"], 500),
            expires_at=expiry or data.expires_at,
            raw=answer,
        )

    def verify_webhook(self, headers, raw_body: bytes) -> bool:
        expected = setting_value("XENDIT_CALLBACK_TOKEN")
        given = headers.get(self.signature_header) or ""
        if not expected or not given:
            return False
        return hmac.compare_digest(given.encode(), expected.encode())

    def parse_webhook(self, headers, raw_body: bytes) -> ProviderEvent:
        data = json_object(raw_body)
        invoice_id, status = data.get("id"), data.get("status")
        if not isinstance(invoice_id, str) or not invoice_id or not isinstance(status, str) or not status:
            raise WebhookParseError("Xendit callback without id or status")
        mapped = STATUSES.get(status.upper(), EventStatus.IGNORED)
        paid = rupiah(data.get("paid_amount"))
        return ProviderEvent(
            event_id=f"{invoice_id}:{status.upper()}"[:200],
            reference=text(invoice_id, 120),
            invoice_number=text(data.get("external_id"), 40),
            status=mapped,
            amount=paid if paid is not None else rupiah(data.get("amount")),
            method=text(data.get("payment_channel") or data.get("payment_method"), 60),
            raw=data,
            detail="" if mapped != EventStatus.IGNORED else f"status {status}",
        )
