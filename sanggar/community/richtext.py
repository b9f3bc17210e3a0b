"""Rich text of posts, sanitised with nh3 against an allow-list before it is stored: paragraphs, line breaks, bold,
italic, underline, strike, headings H1–H6, quotes, bullet / numbered lists and checklists (`<ul data-type="checklist">`
with `<li data-checked="true|false">`), horizontal rules and links (http, https, mailto; rel="noopener noreferrer
nofollow ugc"). Scripts, styles, event handlers, images, iframes and every other attribute are removed, so the stored
HTML can be shown with |safe."""

import html as html_lib
import re

import nh3

from sanggar.catalog.richtext import plain_text

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "strong", "b", "em", "i", "u", "s", "del", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "ul", "ol", "li", "a", "hr",
    }
)  # fmt: skip


def sanitize_post_html(value: str | None) -> str:
    html = nh3.clean(
        value or "",
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={"a": {"href", "title"}},
        tag_attribute_values={
            "ul": {"data-type": {"checklist"}},
            "li": {"data-checked": {"true", "false"}},
        },
        link_rel="noopener noreferrer nofollow ugc",
        url_schemes={"http", "https", "mailto"},
        strip_comments=True,
    ).strip()
    return html if plain_text(html) else ""


_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote)>|<br\s*/?>|<hr\s*/?>", re.IGNORECASE)


def post_plain_text(html: str) -> str:
    """The text of a post's HTML, one line per block (for excerpts, keyword rules and @mentions)."""
    text = html_lib.unescape(nh3.clean(_BLOCK_END.sub("\n", html or ""), tags=set()))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


__all__ = ["ALLOWED_TAGS", "plain_text", "post_plain_text", "sanitize_post_html"]
