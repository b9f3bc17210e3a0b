from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class OrdersConfig(AppConfig):
    name = "sanggar.orders"
    label = "orders"

    def ready(self):
        from sanggar.accounts.hooks import admin_user_section_register
        from sanggar.catalog.hooks import coupon_uses_counter

        from . import admin_user
        from .selectors import coupon_use_count
        from .sellables import kinds, sellable_kind_register

        admin_user_section_register(admin_user.SECTION)  # the admin's user detail page (accounts sits below)
        coupon_uses_counter.register(coupon_use_count)  # the catalog's coupon limits count orders

        sellable_kind_register(kinds.PLAN)
        sellable_kind_register(kinds.PRODUCT)
        # Every other app adds its sellable kinds and sale steps from its own `sellables.py`.
        autodiscover_modules("sellables")
