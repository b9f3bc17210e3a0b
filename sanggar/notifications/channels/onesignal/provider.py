from django.conf import settings

from sanggar.integrations.selectors import integration_enabled, setting_value

from ...constants import PUSH_BODY_MAX_LENGTH
from ...rendering import absolute_url
from ..base import OutgoingMessage, Provider, ProviderError, SendResult
from .client import NoSubscribedDevice, OneSignalClient


class OneSignalProvider(Provider):
    name = "onesignal"

    def is_configured(self) -> bool:
        return bool(
            integration_enabled(self.name) and setting_value("ONESIGNAL_APP_ID") and setting_value("ONESIGNAL_API_KEY")
        )

    def client(self) -> OneSignalClient:
        return OneSignalClient(
            app_id=setting_value("ONESIGNAL_APP_ID"),
            api_key=setting_value("ONESIGNAL_API_KEY"),
            base_url=settings.ONESIGNAL_BASE_URL,
            timeout=settings.PROVIDER_HTTP_TIMEOUT,
        )

    def send(self, message: OutgoingMessage) -> SendResult:
        body = message.body or message.subject
        if len(body) > PUSH_BODY_MAX_LENGTH:
            body = body[: PUSH_BODY_MAX_LENGTH - 1] + "…"
        try:
            answer = self.client().send(
                external_id=message.recipient,
                heading=message.subject,
                content=body,
                url=message.link,
                data=dict(message.data),
                icon_url=message.icon_url,
                app_url=absolute_url(message.deep_link),
            )
        except NoSubscribedDevice as exc:
            return SendResult.skipped(self.name, exc.message, exc.response)
        except ProviderError as exc:
            return SendResult.failed(self.name, exc.message, exc.response)
        return SendResult.sent(self.name, str(answer["id"]), answer)
