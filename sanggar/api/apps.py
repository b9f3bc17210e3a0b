from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sanggar.api"
    label = "api"
    verbose_name = "API"
