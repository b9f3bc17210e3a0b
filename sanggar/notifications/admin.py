"""Django admin (superusers only, at /django-admin/). The platform's own pages are the everyday tools."""

from django.contrib import admin

from .constants import PRIVATE_PLACEHOLDER
from .models import Delivery, MessageTemplate, Notification
from .registry import kind_is_private


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "kind", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("title", "user__email")
    raw_id_fields = ("user",)
    # A private kind's text (a chat preview) is not shown here either (registry.NotificationKind.private).
    exclude = ("message",)
    readonly_fields = ("shown_message",)

    @admin.display(description="message")
    def shown_message(self, obj):
        if kind_is_private((obj.data or {}).get("template", "")):
            return str(PRIVATE_PLACEHOLDER)
        return obj.message


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "is_active", "updated_at")
    readonly_fields = ("updated_by", "updated_at")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "channel", "recipient", "status", "provider", "attempts")
    list_filter = ("channel", "status")
    search_fields = ("recipient",)
    raw_id_fields = ("notification", "user")
    # A private kind's message (a chat preview) is never shown: Delivery.shown_* (registry.NotificationKind.private).
    exclude = ("subject", "body", "body_html", "response")
    readonly_fields = ("shown_subject", "shown_body", "shown_response")

    def has_change_permission(self, request, obj=None):
        return False
