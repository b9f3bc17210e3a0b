from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "sanggar.reports"
    label = "reports"
