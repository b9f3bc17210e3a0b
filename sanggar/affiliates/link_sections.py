"""Extra sections of "Link Saya" (page and API) that higher apps register from their AppConfig.ready: e.g. learning's
courses. A section builds its groups of ready links for the affiliate in a fixed number of queries, bounded to
`limit` items, with `selectors.ready_link` (so the click counts and ?ref= work as for plans and products)."""

from collections.abc import Callable
from dataclasses import dataclass

from sanggar.core.registry import Registry


@dataclass(frozen=True)
class LinkSection:
    key: str  # also the group kind ("course")
    title: str  # Indonesian heading (lazy)
    empty_text: str
    # (affiliate profile, click stats {landing path: (clicks, counted)}, limit) → [{"title", "kind", "slug", "links"}]
    groups: Callable[..., list[dict]]
    order: int = 50


link_sections: Registry[LinkSection] = Registry("Link Saya section")


def link_section_register(section: LinkSection) -> None:
    link_sections.register(section.key, section)


def sections_for(*, affiliate, stats: dict, limit: int) -> list[dict]:
    """Every registered section with its groups, in `order`."""
    return [
        {
            "key": s.key,
            "title": str(s.title),
            "empty_text": str(s.empty_text),
            "groups": s.groups(affiliate, stats, limit),
        }
        for s in sorted(link_sections, key=lambda s: (s.order, s.key))
    ]
