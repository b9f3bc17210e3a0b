from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "sanggar.analytics"
    label = "analytics"
