"""The payment provider interface. Each provider lives in `providers/<name>/`: `provider.py` maps our orders to the
provider's API and its notifications back to a `ProviderEvent`; `client.py` is the only module that speaks HTTP to it.
Data crossing this boundary is a frozen dataclass, never an ORM object the provider could change.

What the services expect from a provider:
- `initiate(data: PaymentData)` creates the payment at the provider (or, for manual, the transfer instructions) and
  returns an `InitiateResult`; it raises `ProviderError` when the provider refused or could not be reached. It gets a
  frozen snapshot of the order (invoice number, amount, buyer, items, URLs), never an ORM object, so it cannot read
  or write the database.
- `signature_present` / `verify_webhook` decide whether a delivery is authentic (constant-time comparisons);
  `parse_webhook` turns an authentic delivery into a `ProviderEvent` or raises `WebhookParseError`.
- `fetch_status(reference)` asks the provider for the state of its payment `reference` (used before acting on a
  notification when `rechecks_webhooks` is true: Midtrans).
- `refund(reference, amount)` returns the provider's refund reference, or None when the provider offers no refund
  API (the refund is then recorded as done by hand).
"""

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.urls import reverse

from sanggar.core.guard import json_loads_bounded
from sanggar.core.site import site_url
from sanggar.integrations.selectors import integration_enabled


@dataclass(frozen=True)
class ProviderInfo:
    """What a checkout page shows for a provider the buyer can choose."""

    identifier: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class BuyerData:
    name: str
    email: str
    whatsapp: str = ""


@dataclass(frozen=True)
class LineData:
    title: str
    amount: int
    scalev_variant_id: str = ""  # the plan option's or product's own Scalev variant ("" when it has none)


@dataclass(frozen=True)
class PaymentData:
    """What a provider is told about the order it is asked to collect for (Saleor's `PaymentData`)."""

    invoice_number: str
    amount: int  # whole rupiah, the order's total
    unique_code: int
    expires_at: datetime | None
    buyer: BuyerData
    invoice_url: str  # the buyer's invoice page, absolute: where providers send the buyer back
    items: tuple[LineData, ...] = ()  # filled only for providers that list them (`needs_items`)
    attempt: int = 1  # this attempt's number at this provider (counted only when `numbers_attempts`)

    @property
    def description(self) -> str:
        titles = ", ".join(item.title for item in self.items)
        return f"{self.invoice_number} — {titles}"[:250]


@dataclass(frozen=True)
class InitiateResult:
    reference: str  # the provider's id of this payment attempt ("" for manual)
    checkout_url: str = ""  # where the buyer pays ("" for manual)
    instructions: Mapping = field(default_factory=dict)  # manual transfer details
    expires_at: datetime | None = None
    raw: Mapping = field(default_factory=dict)  # the provider's answer, without credentials


@dataclass(frozen=True)
class ProviderEvent:
    """One provider notification, reduced to what the services act on."""

    event_id: str  # deduplication key per provider
    reference: str  # the provider's id of the payment attempt (our Payment.provider_reference)
    invoice_number: str  # our invoice number when the provider echoes it back ("" otherwise)
    status: str  # constants.EventStatus
    amount: int | None  # whole rupiah paid, None when the provider does not say
    method: str = ""
    raw: Mapping = field(default_factory=dict)
    detail: str = ""  # why an event is ignored or pending, for the webhook log
    alt_references: tuple[str, ...] = ()  # other ids that may name the same attempt (Scalev: order_id)


class ProviderError(Exception):
    """The provider refused a request or could not be reached. `message` is safe to log (no credentials)."""

    def __init__(self, message: str, *, response: Mapping | None = None, status_code: int | None = None):
        super().__init__(message)
        self.message = message
        self.response = dict(response or {})
        self.status_code = status_code


class ProviderNotFound(ProviderError):
    """The provider does not know the transaction asked about."""


class WebhookParseError(Exception):
    """A delivery whose body cannot be read as the provider's notification."""


class PaymentProvider(ABC):
    identifier: str = ""
    label: str = ""
    description: str = ""
    receives_webhooks: bool = True
    # Ask the provider for the payment's state before acting on a notification (Midtrans).
    rechecks_webhooks: bool = False
    # The header carrying the webhook credential ("" when the credential is in the body).
    signature_header: str = ""
    # `initiate` asks no one outside and cannot fail (manual transfer): checkout starts the attempt inside the
    # order's own transaction.
    starts_offline: bool = False
    # What `PaymentData` must carry for this provider (each costs a query when building it).
    needs_items: bool = False
    numbers_attempts: bool = False

    @abstractmethod
    def is_configured(self) -> bool:
        """Every credential this provider needs is set."""

    def is_enabled(self) -> bool:
        """Switched on (PAYMENT_PROVIDERS when set in the environment, else the admin's switch at
        /admin/settings/payments, else PAYMENT_PROVIDERS's default) and configured: buyers may choose it."""
        return integration_enabled(self.identifier) and self.is_configured()

    def info(self) -> ProviderInfo:
        return ProviderInfo(identifier=self.identifier, label=str(self.label), description=str(self.description))

    @abstractmethod
    def initiate(self, data: PaymentData) -> InitiateResult: ...

    def signature_present(self, headers: Mapping[str, str], raw_body: bytes) -> bool:
        return bool(self.signature_header and headers.get(self.signature_header))

    def verify_webhook(self, headers: Mapping[str, str], raw_body: bytes) -> bool:
        return False

    def parse_webhook(self, headers: Mapping[str, str], raw_body: bytes) -> ProviderEvent:
        raise WebhookParseError(f"{self.identifier} does not send notifications")

    def fetch_status(self, reference: str) -> ProviderEvent | None:
        return None

    def refund(self, reference: str, amount: int) -> str | None:
        """No refund API by default: the caller records a manual refund."""
        return None


# --- helpers shared by the adapters -------------------------------------------------------------------------------


def json_object(raw_body: bytes) -> dict:
    """The body as a JSON object, or WebhookParseError."""
    try:
        # Size and nesting are checked before the parser runs: a deeply nested body would exhaust the recursion.
        data = json_loads_bounded(raw_body, max_bytes=settings.WEBHOOK_MAX_BYTES, max_depth=settings.JSON_MAX_DEPTH)
    except (UnicodeDecodeError, ValueError) as exc:
        raise WebhookParseError("body is not JSON, too large or nested too deeply") from exc
    if not isinstance(data, dict):
        raise WebhookParseError("body is not a JSON object")
    return data


def body_digest(raw_body: bytes) -> str:
    return hashlib.sha256(raw_body).hexdigest()


def rupiah(value) -> int | None:
    """A provider's amount (20000, 20000.0, "100000.00") as whole rupiah, None when absent or unreadable.
    Fractions are dropped, as Xendit does for IDR."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite():
        return None
    return int(amount)


def text(value, limit: int = 200) -> str:
    """A provider value as a short string that the database accepts (PostgreSQL refuses NUL characters)."""
    return "" if value is None else printable(str(value))[:limit]


def printable(value: str) -> str:
    return value.replace("\x00", "\ufffd")


def invoice_url(invoice_number: str) -> str:
    """The buyer's invoice page, absolute (providers send the buyer back there)."""
    return f"{site_url()}{reverse('orders:invoice', args=[invoice_number])}"


def _variant(item) -> str:
    if item.plan_price_id:
        return item.plan_price.scalev_variant_id or ""
    if item.product_id:
        return item.product.scalev_variant_id or ""
    return ""


def payment_data_for(order, provider: "PaymentProvider") -> PaymentData:
    """The frozen snapshot of `order` handed to `provider` (the one place that reads the ORM for it): its items only
    when the provider lists them, the attempt number only when it numbers attempts."""
    items = ()
    if provider.needs_items:
        items = tuple(
            LineData(title=item.title, amount=int(item.amount), scalev_variant_id=_variant(item))
            for item in order.items.select_related("plan_price", "product")
        )
    attempt = 1
    if provider.numbers_attempts:
        attempt = order.payments.filter(provider=provider.identifier).count() + 1
    return PaymentData(
        invoice_number=order.invoice_number,
        amount=int(order.total),
        unique_code=int(order.unique_code or 0),
        expires_at=order.expires_at,
        buyer=BuyerData(name=order.buyer_name, email=order.buyer_email, whatsapp=order.buyer_whatsapp or ""),
        invoice_url=invoice_url(order.invoice_number),
        items=items,
        attempt=attempt,
    )
