from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "sanggar.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        # Each app adds its sidebar entries from its own `menu.py`.
        autodiscover_modules("menu")
