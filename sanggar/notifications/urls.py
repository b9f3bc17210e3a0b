from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("notifications", views.notification_list, name="list"),
    path("admin/notifications/deliveries", views.admin_deliveries, name="admin_deliveries"),
    path("admin/settings/notification-templates", views.admin_templates, name="admin_templates"),
]
