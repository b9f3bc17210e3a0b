from django.apps import AppConfig

from sanggar.api.auth_slots import personal_key_register


class DirectoryConfig(AppConfig):
    name = "sanggar.directory"
    label = "directory"
    verbose_name = "Direktori Ekspor"

    def ready(self):
        from . import kinds_builtin  # noqa: F401  (registers this app's own directory kinds)
        from .key_services import KEY_PREFIX, member_key_authenticate

        personal_key_register(KEY_PREFIX, member_key_authenticate)
