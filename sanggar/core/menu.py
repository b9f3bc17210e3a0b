"""The one menu. Every role's sidebar is assembled from entries each app registers in its own `menu.py`
(discovered by `CoreConfig.ready`), so a new app adds its pages without editing this file:

    # sanggar/<app>/menu.py
    from sanggar.core.menu import ADMIN, MenuItem, menu_item
    menu_item("tools", 30, MenuItem(_("Tiket"), "tickets:admin_list", "ticket", ADMIN, "/admin/tiket"))

Sections follow the client's "Struktur Menu (Modular)"; they are declared here (an app may add its own with
`menu_section`). Inside a section items are ordered by their `order`; an item registered twice (same URL name) is
shown once. An item lists the roles that see it in their sidebar (a user with several roles sees the menu of the
role they have switched to). Only pages that exist are listed: `tests/test_access_matrix.py` opens every item as
every role that sees it and expects 200.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sanggar.core.roles import Role

ADMIN = (Role.ADMIN,)
AFFILIATE = (Role.AFFILIATE,)
EARNERS = (Role.AFFILIATE, Role.MENTOR, Role.FOUNDER, Role.COFOUNDER)


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    icon: str
    roles: tuple[str, ...]
    # Other URL names that highlight this item (its detail and edit pages).
    active_prefix: str = ""


@dataclass(frozen=True)
class MenuSection:
    title: str
    items: tuple[MenuItem, ...]


@dataclass(frozen=True)
class _Section:
    key: str
    title: str
    order: int


_SECTIONS: dict[str, _Section] = {}
_ITEMS: dict[str, tuple[str, int, MenuItem]] = {}  # url_name → (section key, order, item)


# What is derived from the registrations (the assembled menu, each role's resolved menus), built on first use and
# dropped whenever a section or item is registered or removed.
_BUILT: dict = {}


def menu_section(key: str, title, order: int) -> None:
    _SECTIONS[key] = _Section(key, title, order)
    _BUILT.clear()


def menu_item(section: str, order: int, item: MenuItem) -> MenuItem:
    """Registers `item` in `section` at `order` (the first registration of a URL name wins)."""
    _ITEMS.setdefault(item.url_name, (section, order, item))
    _BUILT.clear()
    return item


def menu_item_remove(url_name: str) -> None:
    """For tests that register a throw-away item."""
    _ITEMS.pop(url_name, None)
    _BUILT.clear()


# The sections of the shell, in the client's order.
menu_section("dashboard", _("Dashboard"), 10)
menu_section("users", _("Manajemen Pengguna"), 20)
menu_section("affiliates", _("Afiliasi"), 30)
menu_section("catalog", _("Produk & Membership"), 40)
menu_section("finance", _("Keuangan"), 50)
menu_section("tools", _("Alat"), 60)
menu_section("templates", _("Template"), 70)
menu_section("system", _("Sistem"), 80)


def menu() -> tuple[MenuSection, ...]:
    """The assembled menu: sections by order, items by order inside each, every URL name once (assembled once)."""
    built = _BUILT.get("menu")
    if built is None:
        built = _BUILT["menu"] = _assemble()
    return built


def _assemble() -> tuple[MenuSection, ...]:
    by_section: dict[str, list[tuple[int, str, MenuItem]]] = {}
    for url_name, (key, order, item) in _ITEMS.items():
        by_section.setdefault(key, []).append((order, url_name, item))
    sections = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        entries = sorted(by_section.get(section.key, []), key=lambda e: (e[0], e[1]))
        if entries:
            sections.append(MenuSection(section.title, tuple(item for _order, _name, item in entries)))
    return tuple(sections)


@dataclass(frozen=True)
class ResolvedItem:
    label: str
    url: str
    icon: str
    active: bool


@dataclass(frozen=True)
class ResolvedSection:
    title: str
    items: tuple[ResolvedItem, ...]


def items_for_role(role: str) -> list[MenuItem]:
    return [item for section in menu() for item in section.items if role in item.roles]


def _under(path: str, prefix: str) -> bool:
    """`/admin/membership/3` is under `/admin/membership`; `/admin/memberships` is not."""
    return path == prefix or path.startswith(prefix.rstrip("/") + "/")


@lru_cache(maxsize=512)
def _menu_url(url_name: str, prefix: str, urlconf: str | None) -> str:
    return reverse(url_name, urlconf=urlconf)


def _match(path: str, url: str, active_prefix: str) -> int:
    """How closely a menu link matches the page: its own page beats any prefix, a longer prefix beats a shorter one
    (0: no match)."""
    if path == url:
        return 1_000_000
    if active_prefix and _under(path, active_prefix):
        return len(active_prefix)
    return 0


class ResolvedMenu(tuple):
    """A role's resolved menu on a page (a tuple of ResolvedSection). The same object is handed out for every page
    with the same active link, so what is derived from it (the sidebar's HTML: `html`) is made once."""

    html: str | None = None


def _role_menus(role: str, language: str | None, prefix: str, urlconf: str | None):
    """The role's menu, resolved once per language, script prefix and URLconf: its items with their URLs, and the
    ResolvedMenu for each possible active item (built when first asked for)."""
    key = (role, language, prefix, urlconf)
    menus = _BUILT.get(key)
    if menus is None:
        entries = []  # (section index, item, url)
        titles = []
        for section in menu():
            items = [item for item in section.items if role in item.roles]
            if items:
                titles.append(str(section.title))
                entries.extend(
                    (len(titles) - 1, item, _menu_url(item.url_name, prefix, urlconf), str(item.label))
                    for item in items
                )
        menus = _BUILT[key] = (tuple(titles), tuple(entries), {})
    return menus


def _resolved(titles, entries, active: tuple[int, ...]) -> ResolvedMenu:
    sections: list[list[ResolvedItem]] = [[] for _title in titles]
    for index, (section, item, url, label) in enumerate(entries):
        sections[section].append(ResolvedItem(label, url, item.icon, index in active))
    return ResolvedMenu(ResolvedSection(title, tuple(items)) for title, items in zip(titles, sections, strict=True))


def menu_for(role: str, path: str) -> ResolvedMenu:
    """The menu of `role` on the page at `path`; only the closest match is active (on `/komunitas/grup/x` the
    groups link, not the feed's `/komunitas` as well). Menu links take no arguments: each is reversed once per
    process (and script prefix, and URLconf), not on every page; the resolved menu for each active link is built
    once (per language) and reused, so a page only looks for its closest link."""
    prefix, urlconf = get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
    titles, entries, by_active = _role_menus(role, get_language(), prefix, urlconf)
    best, active = 0, ()
    for index, (_section, item, url, _label) in enumerate(entries):
        score = _match(path, url, item.active_prefix)
        if score and score >= best:
            best, active = score, (*(active if score == best else ()), index)
    resolved = by_active.get(active)
    if resolved is None:
        resolved = by_active[active] = _resolved(titles, entries, active)
    return resolved
