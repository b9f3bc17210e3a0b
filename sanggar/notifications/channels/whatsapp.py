"""WhatsApp: Starsender or Fonnte, chosen by WHATSAPP_PROVIDER ("starsender" / "fonnte"); when it is empty, whichever
has a key (Starsender first). A chosen provider without its key means the log."""

import re

from django.conf import settings

from ..constants import Channel as ChannelName
from .base import Channel, OutgoingMessage, Provider
from .fonnte.provider import FonnteProvider
from .starsender.provider import StarsenderProvider

PROVIDERS = {"starsender": StarsenderProvider, "fonnte": FonnteProvider}


def to_msisdn(number: str) -> str:
    """`+62 812-3456` / `0812…` → `62812…` (what both providers expect)."""
    digits = re.sub(r"\D", "", number or "")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits


class WhatsAppChannel(Channel):
    name = ChannelName.WHATSAPP

    def candidates(self) -> list[Provider]:
        chosen = (settings.WHATSAPP_PROVIDER or "").strip().lower()
        if chosen in PROVIDERS:
            return [PROVIDERS[chosen]()]
        return [cls() for cls in PROVIDERS.values()]

    def message_for(self, delivery) -> OutgoingMessage:
        return OutgoingMessage(
            delivery_id=delivery.pk,
            channel=self.name,
            recipient=to_msisdn(delivery.recipient),
            subject=delivery.subject,
            body=delivery.body,
            link=delivery.link,
        )
