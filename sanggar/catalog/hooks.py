"""What higher apps add to the catalog, registered from their `apps.py` (the catalog never imports them):

- `coupon_uses`: how many pending or paid orders used a coupon (orders counts; a coupon's limits read it);
- `plan_content_changed_register(func)`: `func(plan_id=...)` runs after commit when an admin changes what a plan
  opens (memberships re-syncs its active members' grants).
"""

from collections.abc import Callable

from sanggar.core.registry import Slot

coupon_uses_counter: Slot[Callable] = Slot("the catalog's coupon use counter (add sanggar.orders to INSTALLED_APPS)")

_PLAN_CONTENT_CHANGED: list[Callable] = []


def plan_content_changed_register(func: Callable) -> None:
    if func not in _PLAN_CONTENT_CHANGED:
        _PLAN_CONTENT_CHANGED.append(func)


def plan_content_changed(*, plan_id: int) -> None:
    for func in _PLAN_CONTENT_CHANGED:
        func(plan_id=plan_id)
