from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class OrdersConfig(AppConfig):
    name = "sanggar.orders"
    label = "orders"

    def ready(self):
        from .sellables import kinds, sellable_kind_register

        sellable_kind_register(kinds.PLAN)
        sellable_kind_register(kinds.PRODUCT)
        # Every other app adds its sellable kinds and sale steps from its own `sellables.py`.
        autodiscover_modules("sellables")
