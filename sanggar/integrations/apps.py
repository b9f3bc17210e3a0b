from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "sanggar.integrations"
    label = "integrations"
    verbose_name = "Integrasi"
