from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "sanggar.ops"
    label = "ops"
    verbose_name = "Operasional"
