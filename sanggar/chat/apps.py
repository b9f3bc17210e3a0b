from django.apps import AppConfig


class ChatConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sanggar.chat"
    label = "chat"
    verbose_name = "Chat"

    def ready(self):
        from . import notifications  # noqa: F401  (registers the chat notification kind)
