from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sanggar.core"
    label = "core"
    verbose_name = "Core"
