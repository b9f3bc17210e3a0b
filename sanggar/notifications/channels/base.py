"""The messaging channel interface. A channel (email, WhatsApp, push) picks one provider from the configuration;
each provider turns an `OutgoingMessage` into a `SendResult`. Providers that speak HTTP do it only through their own
`client.py`. Without credentials a channel falls back to `LogProvider`: the message stays in the delivery log with
status `logged`, so nothing pretends to have been sent."""

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field

from sanggar.integrations.registry import integration_get
from sanggar.integrations.selectors import status_record

from ..constants import DeliveryStatus


@dataclass(frozen=True)
class OutgoingMessage:
    """What a provider needs to send one delivery. Links are absolute."""

    delivery_id: int
    channel: str
    recipient: str
    subject: str
    body: str
    html: str = ""
    link: str = ""
    data: Mapping[str, str] = field(default_factory=dict)
    # Marketing email of an affiliate (booster): the platform's verified address with this display name and a
    # reply-to; empty for the platform's own messages.
    from_name: str = ""
    reply_to: str = ""
    # Push: the icon (absolute) and the app's deep link (an https link or the app's own path); empty: none.
    icon_url: str = ""
    deep_link: str = ""
    # Marketing email: the one-click unsubscribe link (List-Unsubscribe / List-Unsubscribe-Post headers, RFC 8058).
    list_unsubscribe: str = ""


@dataclass(frozen=True)
class SendResult:
    status: str
    provider: str
    provider_message_id: str = ""
    # The provider's answer, stored on the delivery. Must never contain a credential.
    response: Mapping = field(default_factory=dict)
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status in (DeliveryStatus.SENT, DeliveryStatus.LOGGED, DeliveryStatus.SKIPPED)

    @classmethod
    def sent(cls, provider: str, message_id: str = "", response: Mapping | None = None) -> "SendResult":
        return cls(DeliveryStatus.SENT, provider, message_id, dict(response or {}))

    @classmethod
    def logged(cls, provider: str, response: Mapping | None = None) -> "SendResult":
        return cls(DeliveryStatus.LOGGED, provider, "", dict(response or {}))

    @classmethod
    def skipped(cls, provider: str, reason: str, response: Mapping | None = None) -> "SendResult":
        return cls(DeliveryStatus.SKIPPED, provider, "", dict(response or {}), reason)

    @classmethod
    def failed(cls, provider: str, error: str, response: Mapping | None = None) -> "SendResult":
        return cls(DeliveryStatus.FAILED, provider, "", dict(response or {}), error)


class ProviderError(Exception):
    """Raised by a provider client when the provider did not accept the message (HTTP error, timeout, or a
    failure flag in a 200 answer). `response` is the parsed answer when there is one."""

    def __init__(self, message: str, *, response: Mapping | None = None):
        super().__init__(message)
        self.message = message
        self.response = dict(response or {})


class Provider(ABC):
    name: str = ""

    @abstractmethod
    def is_configured(self) -> bool: ...

    @abstractmethod
    def send(self, message: OutgoingMessage) -> SendResult: ...

    def send_many(self, messages: list[OutgoingMessage]) -> list[SendResult]:
        """Several messages at once (a broadcast batch), one result per message in order; a failure of one
        message does not stop the others. Providers that can share a connection override this."""
        return [self.send(message) for message in messages]


class LogProvider(Provider):
    """No provider configured: the delivery log is the only record."""

    name = "log"

    def is_configured(self) -> bool:
        return True

    def send(self, message: OutgoingMessage) -> SendResult:
        return SendResult.logged(self.name, {"note": "no provider configured; recorded in the delivery log only"})


class Channel(ABC):
    name: str = ""

    @abstractmethod
    def candidates(self) -> list[Provider]:
        """The providers this channel may use, in order of preference."""

    def provider(self) -> Provider:
        """The first configured candidate, or the log when none is configured."""
        return next((p for p in self.candidates() if p.is_configured()), LogProvider())

    @abstractmethod
    def message_for(self, delivery) -> OutgoingMessage:
        """Builds the provider-facing message from a Delivery row."""

    def send(self, delivery) -> SendResult:
        return self.send_many([delivery])[0]

    def send_many(self, deliveries) -> list[SendResult]:
        """Sends several deliveries through one provider (the email provider over one SMTP connection)."""
        provider = self.provider()
        results = provider.send_many([self.message_for(delivery) for delivery in deliveries])
        if results and integration_get(provider.name) is not None:  # an outside service: its last answer is its status
            failed = results[-1].status == DeliveryStatus.FAILED
            status_record(provider.name, ok=not failed, detail=results[-1].error if failed else "")
        return results
