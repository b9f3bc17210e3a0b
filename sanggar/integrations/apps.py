from django.apps import AppConfig

from sanggar.core.public_cache import invalidate_on


class IntegrationsConfig(AppConfig):
    name = "sanggar.integrations"
    label = "integrations"
    verbose_name = "Integrasi"

    def ready(self):
        from .models import BankAccount, Integration, PaymentOptions

        # The checkout pages show the payment methods, banks and transfer options: a change replaces the cached
        # visitor pages at once (call statuses are not shown there and do not).
        invalidate_on(Integration, BankAccount, PaymentOptions)
