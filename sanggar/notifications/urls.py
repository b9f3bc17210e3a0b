from django.urls import path

from . import views

app_name = "notifications"
# Included by `config/urls.py` (discovery), at this place among the apps' URLs.
URL_ORDER = 30
urlpatterns = [
    # Messaging providers' delivery reports (verified by a shared secret; next to payments' /webhooks/<provider>).
    path("webhooks/fonnte/status", views.fonnte_status_webhook, name="fonnte_status_webhook"),
    path("webhooks/onesignal/events", views.onesignal_event_webhook, name="onesignal_event_webhook"),
    # Notification centre and the bell (every signed-in user).
    path("notifications", views.notification_list, name="list"),
    path("notifications/badge", views.notification_badge, name="badge"),
    path("notifications/dropdown", views.notification_dropdown, name="dropdown"),
    path("notifications/read-all", views.notification_read_all, name="read_all"),
    path("notifications/<int:pk>/read", views.notification_read, name="read"),
    path("notifications/<int:pk>/archive", views.notification_archive, name="archive"),
    path("notifications/ikuti", views.subscription_toggle, name="subscription_toggle"),
    path("admin/settings/notification-rules", views.admin_rules, name="admin_rules"),
    path("admin/settings/smart-rules", views.admin_smart_rules, name="admin_smart_rules"),
    path("berhenti-langganan/<str:token>", views.unsubscribe, name="unsubscribe"),
    path("berhenti-langganan/<str:token>/satu-klik", views.unsubscribe_one_click, name="unsubscribe_one_click"),
    path("admin/notifications/suppression", views.admin_suppression, name="admin_suppression"),
    path(
        "admin/notifications/suppression/<int:pk>/hapus",
        views.admin_suppression_remove,
        name="admin_suppression_remove",
    ),
    # Admin: delivery log and message templates.
    path("admin/notifications/deliveries", views.admin_deliveries, name="admin_deliveries"),
    path("admin/notifications/deliveries/<int:pk>", views.admin_delivery_detail, name="admin_delivery_detail"),
    path("admin/notifications/deliveries/<int:pk>/retry", views.admin_delivery_retry, name="admin_delivery_retry"),
    path("admin/settings/notification-templates", views.admin_templates, name="admin_templates"),
    path("admin/settings/notification-templates/<str:key>", views.admin_template_edit, name="admin_template_edit"),
    path(
        "admin/settings/notification-templates/<str:key>/reset",
        views.admin_template_reset,
        name="admin_template_reset",
    ),
]
