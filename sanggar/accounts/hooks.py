"""What higher apps add to accounts, registered from their `apps.py` (accounts never imports them):

- `role_granted_register(role, func)`: `func(user=...)` runs in the same transaction whenever `role` is granted
  (affiliates: an affiliate gets a profile and code);
- `profile_section_register(name, func)`: `func(user) -> dict | None` fills the `name` field of the user's own
  profile in the API (`GET /api/v1/me`; affiliates: `affiliate`). The field itself is declared in the schema.
"""

from collections.abc import Callable

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
