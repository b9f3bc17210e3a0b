"""Hooks higher apps fill at start-up (suppliers sits low in the stack and imports none of them).

- `package_tab_register(key, label, url_name)`: an extra tab on the admins' supplier package page
  (`/admin/supplier/paket`), after its own "Paket & batas" tab; `url_name` takes no arguments. Reminders adds
  "Pengingat upgrade": the supplier sequences of the one reminder engine.
"""

from sanggar.core.registry import Registry

_PACKAGE_TABS: Registry[tuple] = Registry("supplier package tab")


def package_tab_register(key: str, label, url_name: str) -> None:
    _PACKAGE_TABS.register(key, (key, label, url_name))


def package_tabs() -> tuple:
    """The tabs higher apps added to the package page: (key, label, url name)."""
    return tuple(_PACKAGE_TABS)
