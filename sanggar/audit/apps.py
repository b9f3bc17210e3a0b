from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class AuditConfig(AppConfig):
    name = "sanggar.audit"
    label = "audit"
    verbose_name = "Activity log"

    def ready(self):
        # Each app registers the actions it writes (code → label) from its own `audit.py`.
        autodiscover_modules("audit")
