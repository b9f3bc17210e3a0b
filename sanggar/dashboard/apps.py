from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class DashboardConfig(AppConfig):
    name = "sanggar.dashboard"
    label = "dashboard"
    verbose_name = "Dashboard"

    def ready(self):
        # Each app contributes its cards from its own `dashboard.py`.
        autodiscover_modules("dashboard")
