from functools import partial

from django.apps import AppConfig
from django.conf import settings

from sanggar.notifications.presence import PresenceHooks, presence_register


class ChatConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sanggar.chat"
    label = "chat"
    verbose_name = "Chat"

    def ready(self):
        from . import (
            notifications,  # noqa: F401  (registers the chat notification kind)
            presence,
            realtime,
        )

        # The bell's socket on every signed-in page shows its user online to their chat partners (not "in chat":
        # a new message still becomes a notification for them).
        presence_register(
            PresenceHooks(
                up=partial(presence.connection_up, kind=realtime.PAGE),
                beat=partial(presence.heartbeat, kind=realtime.PAGE),
                down=partial(presence.connection_down, kind=realtime.PAGE),
                ttl_seconds=lambda: settings.CHAT_PRESENCE_TTL_SECONDS,
            )
        )
