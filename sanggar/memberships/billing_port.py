"""The one thing memberships needs from orders (which sits above it): creating the order of an admin's charged plan
change. Orders registers `plan_change_order_create` from its apps.py; the admin page and the admin API call it
through `plan_change_billing()`.

    plan_change_billing()(user=..., plan_price=..., reason=..., actor=...) -> Order (pending, or paid at once at Rp 0)
"""

from collections.abc import Callable

from sanggar.core.registry import Slot

plan_change_billing: Slot[Callable] = Slot("charged plan changes (add sanggar.orders to INSTALLED_APPS)")
