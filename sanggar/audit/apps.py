from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "sanggar.audit"
    label = "audit"
    verbose_name = "Activity log"
