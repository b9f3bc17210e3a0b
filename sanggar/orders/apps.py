from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules

from sanggar.accounts.hooks import admin_user_section_register
from sanggar.catalog.hooks import coupon_uses_counter
from sanggar.core.public_cache import invalidate_on, personal_cookie_register
from sanggar.memberships.billing_port import plan_change_billing


class OrdersConfig(AppConfig):
    name = "sanggar.orders"
    label = "orders"

    def ready(self):

        from . import admin_user
        from .models import ChargeSettings, HomePage
        from .selectors import coupon_use_count
        from .sellables import kinds, sellable_kind_register
        from .views.checkout import COUPON_COOKIE

        admin_user_section_register(admin_user.SECTION)  # the admin's user detail page (accounts sits below)
        coupon_uses_counter.register(coupon_use_count)

        # Memberships sits below orders: an admin's charged plan change is an order.
        from .services import plan_change_order_create

        plan_change_billing.register(plan_change_order_create)  # the catalog's coupon limits count orders
        # The front door's settings are on the cached front door, tax and admin fee on the checkout pages; a
        # remembered coupon makes checkout pages personal.
        invalidate_on(HomePage, ChargeSettings)
        personal_cookie_register(COUPON_COOKIE)

        sellable_kind_register(kinds.PLAN)
        sellable_kind_register(kinds.PRODUCT)
        # Every other app adds its sellable kinds and sale steps from its own `sellables.py`.
        autodiscover_modules("sellables")
