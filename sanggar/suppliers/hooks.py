"""Hooks higher apps fill at start-up (suppliers sits low in the stack and imports none of them).

- `package_tab_register(key, label, url_name)`: an extra tab on the admins' supplier package page
  (`/admin/supplier/paket`), after its own "Paket & batas" tab; `url_name` takes no arguments. Reminders adds
  "Pengingat upgrade": the supplier sequences of the one reminder engine.
- `reminder_settings_register(read=..., write=...)`: the upgrade reminder schedule of the engine's supplier
  sequences as the admin API's old fields (`reminders_enabled`, `reminder_steps` of /admin/supplier-settings, kept
  for the clients). `read()` returns {"reminders_enabled": bool, "reminder_steps": {kind: {"on", "days"}}};
  `write(actor=..., enabled=bool | None, steps=dict | None)` saves a checked change through reminders' services.
"""

from collections.abc import Callable

from sanggar.core.registry import Registry, Slot

_PACKAGE_TABS: Registry[tuple] = Registry("supplier package tab")


def package_tab_register(key: str, label, url_name: str) -> None:
    _PACKAGE_TABS.register(key, (key, label, url_name))


def package_tabs() -> tuple:
    """The tabs higher apps added to the package page: (key, label, url name)."""
    return tuple(_PACKAGE_TABS)


_REMINDER_SETTINGS: Slot[tuple[Callable, Callable]] = Slot("the supplier reminder schedule (add sanggar.reminders)")


def reminder_settings_register(*, read: Callable, write: Callable) -> None:
    _REMINDER_SETTINGS.register((read, write))


def reminder_settings_read() -> dict:
    return _REMINDER_SETTINGS()[0]()


def reminder_settings_write(*, actor, enabled: bool | None = None, steps: dict | None = None) -> None:
    _REMINDER_SETTINGS()[1](actor=actor, enabled=enabled, steps=steps)
