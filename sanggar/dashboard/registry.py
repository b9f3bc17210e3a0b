"""Dashboard cards. Each app registers cards for the roles they concern in its `dashboard.py`:

    @card(roles=(Role.ADMIN,), order=10)
    def users_by_role(request) -> Card | None: ...

A card function runs a fixed number of queries and returns None when it has nothing to show.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Stat:
    label: str
    value: str
    link: str = ""


@dataclass(frozen=True)
class Card:
    title: str
    icon: str = "chart-column"
    value: str = ""
    hint: str = ""
    link: str = ""
    link_label: str = ""
    stats: tuple[Stat, ...] = field(default_factory=tuple)
    # "stat" is a single figure; "list" shows `stats` as rows; "wide" spans two columns.
    style: str = "stat"
    # A chart drawn under the figures (Chart.js): see `chart()`.
    chart: dict | None = None


def chart(key: str, labels: list[str], *series: dict) -> dict:
    """A chart for a card (`key` unique on the page):
    `chart("sales", ["1 Des", …], bar("Pendapatan", [...], money=True), line("Pesanan", [...]))`."""
    return {"id": f"chart-{key}", "labels": labels, "series": list(series)}


def bar(label: str, data: list[int], *, money: bool = False, color: str = "primary") -> dict:
    return {"type": "bar", "label": label, "data": data, "money": money, "color": color}


def line(label: str, data: list[int], *, money: bool = False, color: str = "secondary") -> dict:
    return {"type": "line", "label": label, "data": data, "money": money, "color": color}


@dataclass(frozen=True)
class _Registered:
    func: Callable
    roles: tuple[str, ...]
    order: int


_CARDS: list[_Registered] = []


def card(*, roles: tuple[str, ...], order: int = 100):
    def decorator(func):
        _CARDS.append(_Registered(func, tuple(roles), order))
        return func

    return decorator


def cards_for(role: str, request) -> list[Card]:
    result = []
    for registered in sorted(_CARDS, key=lambda c: c.order):
        if role in registered.roles:
            produced = registered.func(request)
            if produced is not None:
                result.append(produced)
    return result
