from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sanggar.accounts"
    label = "accounts"
    verbose_name = "Akun"

    def ready(self):
        from . import signals  # noqa: F401  (framework hooks: login / logout / failed login)
