from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """Kinds of notification a user can set channel preferences for (see notifications.constants)."""

    CHAT = "chat", _("Chat")
    COURSE = "course", _("Kursus")
    GROUP = "group", _("Grup")
    EVENT = "event", _("Event")
    TRANSACTION = "transaction", _("Transaksi")
    AFFILIATE = "affiliate", _("Affiliate")
    SUPPORT = "support", _("Support")
    SYSTEM = "system", _("Sistem")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    WHATSAPP = "whatsapp", _("WhatsApp")
    PUSH = "push", _("Push")


# Defaults when a user has not chosen: email and push on, WhatsApp only for money and the account.
DEFAULT_CHANNEL_PREFS: dict[str, dict[str, bool]] = {
    kind: {
        Channel.EMAIL: True,
        Channel.WHATSAPP: kind in (NotificationKind.TRANSACTION, NotificationKind.SYSTEM, NotificationKind.AFFILIATE),
        Channel.PUSH: True,
    }
    for kind in NotificationKind.values
}
