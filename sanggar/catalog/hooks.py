"""What higher apps add to the catalog, registered from their `apps.py` (the catalog never imports them):

- `coupon_uses`: how many pending or paid orders used a coupon (orders counts; a coupon's limits read it);
- `plan_content_changed_register(func)`: `func(plan_id=...)` runs after commit when an admin changes what a plan
  opens (memberships re-syncs its active members' grants);
- `edit_tab_register(kind, key, label, url_name)`: an extra tab on a plan's ("plan") or a product's ("product")
  edit pages, after the catalog's own tabs; `url_name` takes the plan's / product's id (reminders adds "Reminder").
"""

from collections.abc import Callable

from sanggar.core.registry import Registry, Slot

coupon_uses_counter: Slot[Callable] = Slot("the catalog's coupon use counter (add sanggar.orders to INSTALLED_APPS)")

_PLAN_CONTENT_CHANGED: list[Callable] = []


def plan_content_changed_register(func: Callable) -> None:
    if func not in _PLAN_CONTENT_CHANGED:
        _PLAN_CONTENT_CHANGED.append(func)


def plan_content_changed(*, plan_id: int) -> None:
    for func in _PLAN_CONTENT_CHANGED:
        func(plan_id=plan_id)


EDIT_TAB_KINDS = ("plan", "product")
_EDIT_TABS: dict[str, Registry[tuple]] = {kind: Registry(f"{kind} edit tab") for kind in EDIT_TAB_KINDS}


def edit_tab_register(kind: str, key: str, label, url_name: str) -> None:
    _EDIT_TABS[kind].register(key, (key, label, url_name))


def edit_tabs(kind: str) -> tuple:
    """The tabs higher apps added to a plan's or a product's edit pages: (key, label, url name)."""
    return tuple(_EDIT_TABS[kind])
