from django.conf import settings

from sanggar.integrations.selectors import integration_enabled, setting_value

from ..base import OutgoingMessage, Provider, ProviderError, SendResult
from .client import MailketingClient


class MailketingProvider(Provider):
    name = "mailketing"

    def is_configured(self) -> bool:
        return bool(integration_enabled(self.name) and setting_value("MAILKETING_API_TOKEN"))

    def client(self) -> MailketingClient:
        return MailketingClient(
            api_token=setting_value("MAILKETING_API_TOKEN"),
            base_url=settings.MAILKETING_BASE_URL,
            timeout=settings.PROVIDER_HTTP_TIMEOUT,
        )

    def send(self, message: OutgoingMessage) -> SendResult:
        try:
            answer = self.client().send(
                from_name=message.from_name or setting_value("MAILKETING_FROM_NAME"),
                from_email=setting_value("MAILKETING_FROM_EMAIL"),
                recipient=message.recipient,
                subject=message.subject,
                content=message.html or message.body,
            )
        except ProviderError as exc:
            return SendResult.failed(self.name, exc.message, exc.response)
        return SendResult.sent(self.name, "", answer)
