from django.apps import AppConfig


class MigrationConfig(AppConfig):
    name = "sanggar.migration"
    label = "migration"
    verbose_name = "Migrasi Sejoli"
