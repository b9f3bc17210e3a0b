from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    WHATSAPP = "whatsapp", _("WhatsApp")
    PUSH = "push", _("Push")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Antre")
    SENT = "sent", _("Terkirim")
    # No provider configured: the message is kept in the delivery log only, so nothing pretends to be sent.
    LOGGED = "logged", _("Tercatat di log")
    SKIPPED = "skipped", _("Dilewati")
    FAILED = "failed", _("Gagal")


class ProviderStatus(models.TextChoices):
    """The furthest a provider's webhook reported a delivery reached (provider_events.py); only moves forward."""

    SENT = "sent", _("terkirim")
    DELIVERED = "delivered", _("sampai")
    READ = "read", _("dibaca")
    CLICKED = "clicked", _("diklik")


# States a delivery never leaves on its own; delivery_send does nothing for them.
FINAL_DELIVERY_STATUSES = frozenset(
    {DeliveryStatus.SENT, DeliveryStatus.LOGGED, DeliveryStatus.SKIPPED, DeliveryStatus.FAILED}
)


# What the delivery log shows instead of the subject, body and provider answer of a private kind's message
# (registry.NotificationKind.private: a chat message's preview).
PRIVATE_PLACEHOLDER = _("[isi pesan pribadi disembunyikan]")


# Shortcodes every template may use, with what each one becomes (a kind adds its own: registry.NotificationKind).
SHORTCODES: tuple[tuple[str, str], ...] = (
    ("name", _("Nama lengkap penerima")),
    ("email", _("Email penerima")),
    ("whatsapp", _("Nomor WhatsApp penerima")),
    ("dashboard_link", _("Link ke dashboard")),
    ("platform_name", _("Nama platform")),
    ("link", _("Link tujuan notifikasi")),
)

# The texts of a message template, one per channel (MessageTemplate fields).
TEXT_FIELDS = ("inapp_title", "inapp_body", "email_subject", "email_body", "whatsapp_body", "push_body")

# Field limits of message templates and deliveries.
SUBJECT_MAX_LENGTH = 200
EMAIL_BODY_MAX_LENGTH = 10_000
WHATSAPP_BODY_MAX_LENGTH = 1024
PUSH_BODY_MAX_LENGTH = 240
NOTIFICATIONS_PER_PAGE = 20
TEMPLATES_PER_PAGE = 20
DROPDOWN_SIZE = 6
# Retry back-off of a failed delivery: 30 s, 60 s, 120 s … capped at an hour.
RETRY_BASE_SECONDS = 30
RETRY_MAX_SECONDS = 3600
