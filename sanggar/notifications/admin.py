"""Django admin (superusers only, at /django-admin/). The platform's own pages are the everyday tools."""

from django.contrib import admin

from .models import Delivery, MessageTemplate, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "kind", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("title", "user__email")
    raw_id_fields = ("user",)


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

    def has_change_permission(self, request, obj=None):
        return False
