"""The channel registry: `get_channel("email")` → the email channel. Each channel picks its provider from the
settings at send time (see base.py). A channel is an entry registered with `channel_register` (the three below are
this app's own; another app may register one from its `apps.py`)."""

from sanggar.core.registry import Registry

from ..constants import Channel as ChannelName
from .base import Channel
from .email import EmailChannel
from .push import PushChannel
from .whatsapp import WhatsAppChannel

_REGISTRY: Registry[Channel] = Registry("notification channel")


def channel_register(name: str, channel: Channel) -> Channel:
    return _REGISTRY.register(name, channel)


channel_register(ChannelName.EMAIL, EmailChannel())
channel_register(ChannelName.WHATSAPP, WhatsAppChannel())
channel_register(ChannelName.PUSH, PushChannel())


def get_channel(name: str) -> Channel:
    channel = _REGISTRY.get(name)
    if channel is None:
        raise ValueError(f"Unknown notification channel: {name!r}")
    return channel


def all_channels() -> list[Channel]:
    return list(_REGISTRY)
