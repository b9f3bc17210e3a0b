"""What else a ticket can be about, besides one of the member's orders: registered by the apps that own such things
(learning registers "kursus" — the member's courses —, classes "kelas" — their live classes), so tickets never import
them. A ticket keeps the kind, the reference and the label it had when it was opened.

`ticket_link_register(TicketLinkKind(kind, label, options))`: `options(user) -> list[(ref, label)]` lists what this
member may link (a fixed number of queries, at most ~50 rows)."""

from collections.abc import Callable
from dataclasses import dataclass

from sanggar.core.registry import Registry


@dataclass(frozen=True)
class TicketLinkKind:
    kind: str  # "kursus"
    label: str  # "Kursus"
    options: Callable  # options(user) -> list[tuple[str, str]]


_KINDS: Registry[TicketLinkKind] = Registry("ticket link kind")


def ticket_link_register(entry: TicketLinkKind) -> TicketLinkKind:
    return _KINDS.register(entry.kind, entry)


def ticket_link_unregister(kind: str) -> None:
    """For tests that register a throw-away kind."""
    _KINDS.unregister(kind)


def ticket_link_kinds() -> list[TicketLinkKind]:
    return list(_KINDS)


def ticket_link_get(kind: str) -> TicketLinkKind | None:
    return _KINDS.get(kind)


def ticket_link_choices(user) -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a form: [(group label, [("kursus:12", "Dasar Ekspor"), ...]), ...]."""
    groups = []
    for entry in ticket_link_kinds():
        options = [(f"{entry.kind}:{ref}", label) for ref, label in entry.options(user)]
        if options:
            groups.append((entry.label, options))
    return groups
