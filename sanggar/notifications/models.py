from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import (
    EMAIL_BODY_MAX_LENGTH,
    SUBJECT_MAX_LENGTH,
    WHATSAPP_BODY_MAX_LENGTH,
    Channel,
    DeliveryStatus,
    NotificationKind,
    TemplateKey,
)


class Notification(models.Model):
    """One in-app notification: what the bell counts and the notification centre lists."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices, default=NotificationKind.SYSTEM)
    title = models.CharField(max_length=200)
    message = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            models.Index(fields=["user", "read_at"]),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class MessageTemplate(models.Model):
    """An admin-editable message (email subject and body, WhatsApp text) with shortcodes such as `{name}`."""

    key = models.CharField(max_length=50, unique=True, choices=TemplateKey.choices)
    name = models.CharField(_("nama"), max_length=100)
    email_subject = models.CharField(_("subjek email"), max_length=SUBJECT_MAX_LENGTH)
    email_body = models.TextField(_("isi email"), max_length=EMAIL_BODY_MAX_LENGTH)
    whatsapp_body = models.TextField(_("isi WhatsApp"), max_length=WHATSAPP_BODY_MAX_LENGTH, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("name",)

    def __str__(self):
        return self.name


class Delivery(models.Model):
    """One message on one external channel (email, WhatsApp, push) and what happened to it."""

    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    provider = models.CharField(max_length=30, blank=True)
    template_key = models.CharField(max_length=50, blank=True)
    recipient = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=SUBJECT_MAX_LENGTH, blank=True)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    provider_message_id = models.CharField(max_length=200, blank=True)
    # What the provider answered. Never holds a credential: requests are not stored, only responses.
    response = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["channel", "status"]),
        ]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.get_channel_display()} → {self.recipient or '-'} ({self.status})"
