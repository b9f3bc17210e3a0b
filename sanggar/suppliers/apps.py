from django.apps import AppConfig

from sanggar.chat.registry import supplier_premium_register


class SuppliersConfig(AppConfig):
    name = "sanggar.suppliers"
    label = "suppliers"
    verbose_name = "Supplier"

    def ready(self):
        from . import services

        # Chat lets a member reach, and a supplier reply, only when the supplier is premium (and listed).
        supplier_premium_register(services.premium_for_user)
