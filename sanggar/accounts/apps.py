from django.apps import AppConfig

from sanggar.api.auth_slots import api_key_authenticator


class AccountsConfig(AppConfig):
    name = "sanggar.accounts"
    label = "accounts"
    verbose_name = "Akun"

    def ready(self):
        from . import signals  # noqa: F401  (framework hooks: login / logout / failed login)
        from .services import api_key_authenticate

        api_key_authenticator.register(api_key_authenticate)  # the API plumbing checks X-API-Key through this
