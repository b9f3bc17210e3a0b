from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "sanggar.directory"
    label = "directory"
    verbose_name = "Direktori Ekspor"

    def ready(self):
        from . import kinds_builtin  # noqa: F401  (registers this app's own directory kinds)
