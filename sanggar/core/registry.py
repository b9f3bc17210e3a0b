"""Small building blocks for the registries higher apps fill at start-up (see README "Adding an app").

- `Slot`: the one implementation a lower app needs from a higher one (orders' payments, affiliates' finance).
- `Registry`: named entries (sellable kinds, resource kinds, providers, channels, ...), each registered once.
"""

from collections.abc import Iterator
from typing import Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")


class Slot(Generic[T]):
    def __init__(self, what: str):
        self.what = what
        self._value: T | None = None

    def register(self, value: T) -> None:
        self._value = value

    def __call__(self) -> T:
        if self._value is None:
            raise ImproperlyConfigured(f"Nothing registered for {self.what}.")
        return self._value


class Registry(Generic[T]):
    """Entries by name. Registering the same entry again is harmless (module reloads); another entry under a
    taken name is a mistake and raises."""

    def __init__(self, what: str):
        self.what = what
        self._entries: dict[str, T] = {}
        self.entries = self._entries  # a live, read-only-by-convention view: name → entry

    def register(self, name: str, entry: T) -> T:
        existing = self._entries.get(name)
        if existing is not None and existing != entry:
            raise ImproperlyConfigured(f"{self.what} {name!r} is registered twice.")
        self._entries[name] = entry
        return entry

    def unregister(self, name: str) -> None:
        """For tests that add a throw-away entry."""
        self._entries.pop(name, None)

    def get(self, name: str) -> T | None:
        return self._entries.get(name)

    def __contains__(self, name: str) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._entries.values()))

    def names(self) -> list[str]:
        return list(self._entries)
