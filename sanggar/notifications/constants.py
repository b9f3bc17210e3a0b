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


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Antre")
    SENT = "sent", _("Terkirim")
    # No provider configured: the message is kept in the delivery log only, so nothing pretends to be sent.
    LOGGED = "logged", _("Tercatat di log")
    SKIPPED = "skipped", _("Dilewati")
    FAILED = "failed", _("Gagal")


# States a delivery never leaves on its own; delivery_send does nothing for them.
FINAL_DELIVERY_STATUSES = frozenset(
    {DeliveryStatus.SENT, DeliveryStatus.LOGGED, DeliveryStatus.SKIPPED, DeliveryStatus.FAILED}
)


class TemplateKey(models.TextChoices):
    """The global message templates (client spec: "A. Notifikasi Umum (Global Templates)")."""

    WELCOME = "welcome", _("Selamat datang")
    EMAIL_VERIFICATION = "email_verification", _("Verifikasi email")
    PASSWORD_RESET = "password_reset", _("Reset kata sandi")
    ACCOUNT_DEACTIVATED = "account_deactivated", _("Akun dinonaktifkan")


# Templates that carry account security links: they are always sent and cannot be switched off.
REQUIRED_TEMPLATES = frozenset({TemplateKey.EMAIL_VERIFICATION, TemplateKey.PASSWORD_RESET})

# Shortcodes a template may use, with what each one becomes.
SHORTCODES: tuple[tuple[str, str], ...] = (
    ("name", _("Nama lengkap pengguna")),
    ("email", _("Email pengguna")),
    ("whatsapp", _("Nomor WhatsApp pengguna")),
    ("dashboard_link", _("Link ke dashboard")),
    ("platform_name", _("Nama platform")),
    ("verification_link", _("Link verifikasi email")),
    ("reset_link", _("Link reset kata sandi")),
    ("reason", _("Alasan (misalnya alasan penonaktifan akun)")),
    ("link", _("Link tujuan notifikasi")),
)

# Field limits of message templates and deliveries.
SUBJECT_MAX_LENGTH = 200
EMAIL_BODY_MAX_LENGTH = 10_000
WHATSAPP_BODY_MAX_LENGTH = 1024
PUSH_BODY_MAX_LENGTH = 240
NOTIFICATIONS_PER_PAGE = 20
DROPDOWN_SIZE = 6
# Retry back-off of a failed delivery: 30 s, 60 s, 120 s … capped at an hour.
RETRY_BASE_SECONDS = 30
RETRY_MAX_SECONDS = 3600
