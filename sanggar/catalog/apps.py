from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "sanggar.catalog"
    label = "catalog"
