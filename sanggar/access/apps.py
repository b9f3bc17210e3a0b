from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "sanggar.access"
    label = "access"
