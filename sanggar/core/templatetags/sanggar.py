"""Template helpers available in every template (registered as builtins in settings)."""

import re
from functools import lru_cache

from django import template
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import conditional_escape, escape
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
    svg = _SVG_OPEN.sub(
        lambda m: "<svg" + re.sub(r'\s(class|width|height)="[^"]*"', "", m.group(1)) + ' aria-hidden="true" CLASS>',
        svg,
        count=1,
    )
    # Minified: the files' line breaks and indentation were a quarter of each icon's bytes, and a page carries many
    # (the admin's sidebar alone ~100).
    return re.sub(r" ?(/?>) ?", r"\1", re.sub(r"\s+", " ", svg))


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


# --- fragments: a template's part rendered once per process and key, its per-request values put in ---------------

_HOLES = "_sanggar_fragment_holes"
FRAGMENTS_MAX = 2048  # entries per process (every distinct key of every fragment); past it the store starts over
_fragments: dict[tuple, tuple[str, tuple]] = {}


def fragments_clear() -> None:
    _fragments.clear()


def _hashable(value):
    if isinstance(value, list | tuple):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    if isinstance(value, set | frozenset):
        return tuple(sorted(value))
    return value


class FragmentNode(template.Node):
    """`{% fragment "name" key1 key2 … %}…{% endfragment %}`: the part is rendered once per process, language and
    value of its keys, and reused; each `{% hole expression %}` in it is the one thing resolved again on every
    render (the CSRF token, the CSP nonce, the unread count, the signed-in user's name), escaped as `{{ }}` does.

    Everything else the part reads must be in its keys: a value that differs from page to page and is not a key
    would be served from the first page to the next (never put a user's own data anywhere but in a hole). Guards:
    a part in which a hole's value changed while it rendered (a hole inside a loop), or whose HTML holds the page's
    CSRF token or CSP nonce (a `{% csrf_token %}` instead of a hole), is rendered for each page, never stored."""

    def __init__(self, name: str, keys, nodelist):
        self.name, self.keys, self.nodelist = name, keys, nodelist

    def render(self, context):
        if context.get(_HOLES) is not None:  # inside another fragment: its holes are the outer one's
            return self.nodelist.render(context)
        key = (self.name, translation.get_language(), *(_hashable(k.resolve(context)) for k in self.keys))
        entry = _fragments.get(key)
        if entry is None:
            holes: list = []
            with context.push({_HOLES: holes}):
                html = self.nodelist.render(context)
            if not self._storable(html, holes, context):  # this page's own, with the values it rendered
                for marker, _expression, value in holes:
                    html = html.replace(marker, value)
                return mark_safe(html)
            entry = (str(html), tuple((marker, expression) for marker, expression, _value in holes))
            if len(_fragments) >= FRAGMENTS_MAX:
                _fragments.clear()
            _fragments[key] = entry
        html, holes = entry
        return self._fill(html, holes, context)

    @staticmethod
    def _fill(html: str, holes, context) -> str:
        for marker, expression in holes:
            html = html.replace(marker, _hole_text(expression, context))
        return mark_safe(html)  # rendered by the engine, each hole's value escaped

    @staticmethod
    def _storable(html: str, holes, context) -> bool:
        for _marker, expression, value in holes:
            if _hole_text(expression, context) != value:
                return False
        token = context.get("csrf_token")
        token = getattr(token, "_wrapped", token)  # a lazy token not evaluated yet was not written
        secrets_of_page = [token, getattr(context.get("request"), "csp_nonce", None)]
        return not any(isinstance(s, str) and len(s) >= 8 and s in html for s in secrets_of_page)


def _hole_text(expression, context) -> str:
    return conditional_escape(template.base.render_value_in_context(expression.resolve(context), context))


class HoleNode(template.Node):
    def __init__(self, expression):
        self.expression = expression

    def render(self, context):
        holes = context.get(_HOLES)
        text = _hole_text(self.expression, context)
        if holes is None:  # outside a fragment: an ordinary {{ expression }}
            return text
        marker = f"@@sanggar-hole-{id(holes)}-{len(holes)}@@"
        holes.append((marker, self.expression, text))
        return marker


@register.tag("fragment")
def do_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'":
        raise template.TemplateSyntaxError('fragment: {% fragment "name" key… %}')
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]], nodelist)


@register.tag("hole")
def do_hole(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("hole: {% hole expression %}")
    return HoleNode(parser.compile_filter(bits[1]))
