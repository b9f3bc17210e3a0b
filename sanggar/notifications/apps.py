from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "sanggar.notifications"
    label = "notifications"
    verbose_name = "Notifikasi"
