from django.conf import settings

from sanggar.integrations.selectors import integration_enabled, setting_value

from ..base import OutgoingMessage, Provider, ProviderError, SendResult
from .client import FonnteClient, message_id


class FonnteProvider(Provider):
    name = "fonnte"

    def is_configured(self) -> bool:
        return bool(integration_enabled(self.name) and setting_value("FONNTE_TOKEN"))

    def client(self) -> FonnteClient:
        return FonnteClient(
            token=setting_value("FONNTE_TOKEN"),
            base_url=settings.FONNTE_BASE_URL,
            timeout=settings.PROVIDER_HTTP_TIMEOUT,
        )

    def send(self, message: OutgoingMessage) -> SendResult:
        try:
            answer = self.client().send(target=message.recipient, message=message.body)
        except ProviderError as exc:
            return SendResult.failed(self.name, exc.message, exc.response)
        return SendResult.sent(self.name, message_id(answer), answer)
