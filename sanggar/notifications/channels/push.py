"""Push: OneSignal when ONESIGNAL_APP_ID and ONESIGNAL_API_KEY are set; the log otherwise."""

from ..constants import Channel as ChannelName
from ..rendering import absolute_url
from .base import Channel, OutgoingMessage, Provider
from .onesignal.provider import OneSignalProvider


class PushChannel(Channel):
    name = ChannelName.PUSH

    def candidates(self) -> list[Provider]:
        return [OneSignalProvider()]

    def message_for(self, delivery) -> OutgoingMessage:
        data = {"delivery_id": str(delivery.pk)}
        if delivery.notification_id:
            data["notification_id"] = str(delivery.notification_id)
        if delivery.deep_link:
            data["deep_link"] = delivery.deep_link  # the mobile app routes a path itself
        return OutgoingMessage(
            delivery_id=delivery.pk,
            channel=self.name,
            recipient=delivery.recipient,
            subject=delivery.subject,
            body=delivery.body,
            link=delivery.link,
            data=data,
            icon_url=absolute_url(delivery.icon_url),
            deep_link=delivery.deep_link,
        )
