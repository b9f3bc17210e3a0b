"""The channel registry: `get_channel("email")` → the email channel. Each channel picks its provider from the
settings at send time (see base.py)."""

from ..constants import Channel as ChannelName
from .base import Channel
from .email import EmailChannel
from .push import PushChannel
from .whatsapp import WhatsAppChannel

_REGISTRY: dict[str, Channel] = {
    ChannelName.EMAIL: EmailChannel(),
    ChannelName.WHATSAPP: WhatsAppChannel(),
    ChannelName.PUSH: PushChannel(),
}


def get_channel(name: str) -> Channel:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ValueError(f"Unknown notification channel: {name!r}") from None


def all_channels() -> list[Channel]:
    return list(_REGISTRY.values())
