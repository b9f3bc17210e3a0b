"""What higher apps add to accounts, registered from their `apps.py` (accounts never imports them):

- `role_granted_register(role, func)`: `func(user=...)` runs in the same transaction whenever `role` is granted
  (affiliates: an affiliate gets a profile and code);
- `profile_section_register(name, func)`: `func(user) -> dict | None` fills the `name` field of the user's own
  profile in the API (`GET /api/v1/me`; affiliates: `affiliate`). The field itself is declared in the schema.
- `admin_user_section_register(AdminUserSection(...))`: a card on the admin's user detail page (memberships,
  orders, access grants, wallets, affiliate status), in `order`: `context(user) -> dict` (a bounded number of
  queries, whatever the user's history) is rendered with `template` (the dict under `section`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from sanggar.core.registry import Registry

_ROLE_GRANTED: dict[str, list[Callable]] = {}
_PROFILE_SECTIONS: dict[str, Callable] = {}


def role_granted_register(role: str, func: Callable) -> None:
    funcs = _ROLE_GRANTED.setdefault(role, [])
    if func not in funcs:
        funcs.append(func)


def role_granted_run(*, role: str, user) -> None:
    for func in _ROLE_GRANTED.get(role, ()):
        func(user=user)


def profile_section_register(name: str, func: Callable) -> None:
    _PROFILE_SECTIONS[name] = func


def profile_section(name: str, user) -> dict | None:
    func = _PROFILE_SECTIONS.get(name)
    return func(user) if func else None


@dataclass(frozen=True)
class AdminUserSection:
    name: str
    order: int
    template: str
    context: Callable  # context(user) -> dict, a fixed number of queries


_ADMIN_USER_SECTIONS: Registry[AdminUserSection] = Registry("admin user section")


def admin_user_section_register(section: AdminUserSection) -> AdminUserSection:
    return _ADMIN_USER_SECTIONS.register(section.name, section)


def admin_user_sections(user) -> list[dict]:
    """Every registered section for `user`, in order: {"name", "template", "section": context}."""
    return [
        {"name": section.name, "template": section.template, "section": section.context(user)}
        for section in sorted(_ADMIN_USER_SECTIONS, key=lambda s: (s.order, s.name))
    ]
