"""What higher apps add to events, registered from their `apps.py` (events never imports them):

- `edit_tab_register(key, label, url_name)`: an extra tab on an event's admin edit page (/admin/event/<slug>/ubah),
  shown to admins only, after the page's own tabs; `url_name` takes the event's id (reminders adds "Pengingat")."""

from sanggar.core.registry import Registry

_EDIT_TABS: Registry[tuple] = Registry("Event edit tab")


def edit_tab_register(key: str, label, url_name: str) -> None:
    _EDIT_TABS.register(key, (key, label, url_name))


def edit_tabs() -> tuple:
    """The tabs higher apps added to an event's admin edit page: (key, label, url name)."""
    return tuple(_EDIT_TABS)
