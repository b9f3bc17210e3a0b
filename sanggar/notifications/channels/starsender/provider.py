from django.conf import settings

from sanggar.integrations.selectors import integration_enabled, setting_value

from ..base import OutgoingMessage, Provider, ProviderError, SendResult
from .client import StarsenderClient, message_id


class StarsenderProvider(Provider):
    name = "starsender"

    def is_configured(self) -> bool:
        return bool(integration_enabled(self.name) and setting_value("STARSENDER_API_KEY"))

    def client(self) -> StarsenderClient:
        return StarsenderClient(
            api_key=setting_value("STARSENDER_API_KEY"),
            base_url=settings.STARSENDER_BASE_URL,
            timeout=settings.PROVIDER_HTTP_TIMEOUT,
        )

    def send(self, message: OutgoingMessage) -> SendResult:
        try:
            answer = self.client().send(to=message.recipient, body=message.body)
        except ProviderError as exc:
            return SendResult.failed(self.name, exc.message, exc.response)
        return SendResult.sent(self.name, message_id(answer), answer)
