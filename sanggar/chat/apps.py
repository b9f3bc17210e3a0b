from django.apps import AppConfig

from sanggar.notifications.presence import presence_register


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
        presence_register(presence.socket_hooks(realtime.PAGE))
