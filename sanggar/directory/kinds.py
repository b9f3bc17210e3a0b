"""The directory kinds registry: every directory that uses the shared rules (quota, masking, views, likes, reports)
registers one `DirectoryKind` at start-up (its `apps.py` `ready()`), e.g. `sanggar.suppliers` registers "supplier".

The shared tables key their rows by (kind, object_id), so a kind needs no migration here."""

from collections.abc import Callable
from dataclasses import dataclass, field

from sanggar.core.registry import Registry
from sanggar.core.roles import Role


@dataclass(frozen=True)
class DirectoryKind:
    key: str  # "buyer", "supplier", ... (at most 20 characters)
    label: str  # "Database Buyer" (shown in the admin quota table, reports queue, stats)
    unit: str  # what one unit of quota is, for "3 dari 5 <unit> bulan ini": "detail buyer", "dokumen"
    free_quota: (
        int | None
    )  # monthly units without an active membership, when the admin table has no row (None = no limit)
    member_quota: int | None  # monthly units for a plan without a row in the admin table (None = no limit)
    unlimited_roles: tuple[str, ...] = (Role.ADMIN,)  # roles that are never charged
    # object id → title for the admin pages (reports queue, view tracker); one query for a list of ids
    titles: Callable[[list[int]], dict[int, str]] | None = field(default=None, compare=False)
    # object id → the admin page of that object (reports queue links), or "" when there is none
    admin_url: Callable[[int], str] | None = field(default=None, compare=False)
    # hide(object_id=..., actor=...): called when an admin closes a report as "hidden" (the entry leaves the list)
    hide: Callable[..., None] | None = field(default=None, compare=False)


_kinds: Registry[DirectoryKind] = Registry("directory kind")


def directory_kind_register(kind: DirectoryKind) -> DirectoryKind:
    if len(kind.key) > 20:
        raise ValueError("A directory kind key has at most 20 characters.")
    return _kinds.register(kind.key, kind)


def directory_kind(key: str) -> DirectoryKind:
    kind = _kinds.get(key)
    if kind is None:
        raise LookupError(f"Unknown directory kind {key!r}.")
    return kind


def directory_kinds() -> list[DirectoryKind]:
    return list(_kinds)
