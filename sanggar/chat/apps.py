from django.apps import AppConfig


class ChatConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sanggar.chat"
    label = "chat"
    verbose_name = "Chat"

    def ready(self):
        from django.conf import settings

        from sanggar.notifications.presence import PresenceHooks, presence_register

        from . import (
            notifications,  # noqa: F401  (registers the chat notification kind)
            presence,
        )

        # The bell's socket on every signed-in page counts in chat presence as the chat socket does.
        presence_register(
            PresenceHooks(
                up=presence.connection_up,
                beat=presence.heartbeat,
                down=presence.connection_down,
                ttl_seconds=lambda: settings.CHAT_PRESENCE_TTL_SECONDS,
            )
        )
