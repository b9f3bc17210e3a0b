"""Read-only Django admin (superusers, /django-admin/) for investigating payments; the business pages are the admin
sales pages of the orders app."""

from django.contrib import admin

from .models import Payment, Refund, WebhookEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("id", "order", "provider", "provider_reference", "amount", "status", "paid_at", "created_at")
    list_filter = ("provider", "status")
    search_fields = ("order__invoice_number", "provider_reference")
    list_select_related = ("order",)


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "provider", "event_id", "signature_valid", "outcome", "order", "received_at")
    list_filter = ("provider", "outcome", "signature_valid")
    search_fields = ("event_id", "order__invoice_number")
    list_select_related = ("order",)


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ("id", "payment", "amount", "mode", "actor", "created_at")
    list_select_related = ("payment", "actor")
