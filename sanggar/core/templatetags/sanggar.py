"""Template helpers available in every template (registered as builtins in settings)."""

import re
from functools import lru_cache

from django import template
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

from sanggar.core import formatting
from sanggar.core.menu import ResolvedMenu
from sanggar.core.roles import role_label as _role_label

register = template.Library()

register.filter("rupiah", formatting.rupiah)
register.filter("tanggal", formatting.tanggal)
register.filter("tanggal_panjang", formatting.tanggal_panjang)
register.filter("jam", formatting.jam)
register.filter("tanggal_jam", formatting.tanggal_jam)
register.filter("role_label", _role_label)

_SVG_OPEN = re.compile(r"<svg\b([^>]*)>", re.S)


@lru_cache(maxsize=256)
def _icon_svg(name: str) -> str:
    if not re.fullmatch(r"[a-z0-9-]+", name):
        return ""
    path = finders.find(f"icons/{name}.svg")
    if not path:
        return ""
    with open(path, encoding="utf-8") as handle:
        svg = handle.read()
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S).strip()
    return _SVG_OPEN.sub(
        lambda m: "<svg" + re.sub(r'\s(class|width|height)="[^"]*"', "", m.group(1)) + ' aria-hidden="true" CLASS>',
        svg,
        count=1,
    )


@register.simple_tag
def icon(name: str, css: str = "w-5 h-5") -> str:
    """Inline a Lucide icon (served from node_modules/lucide-static, no CDN)."""
    svg = _icon_svg(name)
    return mark_safe(svg.replace("CLASS", f'class="{escape(css)}"')) if svg else ""


@lru_cache(maxsize=256)
def _sidebar_menu_html(sections: tuple) -> str:
    return render_to_string("layouts/_sidebar_menu.html", {"menu": sections})


@register.simple_tag
def sidebar_menu(sections) -> str:
    """The sidebar's sections and links. Its HTML depends on nothing but the resolved menu (frozen dataclasses: the
    role's items in the current language, their URLs, which one is active), so it is rendered once per distinct menu
    in a process and reused: the sidebar of every signed-in page without ~40 links' worth of template work."""
    if isinstance(sections, ResolvedMenu):  # a cached menu (menu_for) keeps its own HTML
        if sections.html is None:
            sections.html = _sidebar_menu_html(tuple(sections))
        return sections.html
    return _sidebar_menu_html(tuple(sections))  # rendered (and escaped) by the template engine: a SafeString
