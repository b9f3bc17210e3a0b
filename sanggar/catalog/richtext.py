"""Rich text from the admin's editor (plan and product descriptions), sanitised with nh3 before it is stored.

Only basic formatting survives: paragraphs, line breaks, bold / italic / underline / strike, headings h2–h4,
lists, quotes, horizontal rules and links (http, https, mailto; every link gets rel="noopener noreferrer nofollow").
Scripts, styles, event handlers, images and anything else are removed, so the stored HTML can be shown with |safe."""

import html as html_lib

import nh3

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "a", "hr"}
)
LINK_REL = "noopener noreferrer nofollow"


def sanitize_html(value: str | None) -> str:
    """Returns safe HTML (empty for empty or whitespace-only input, including `<p><br></p>` from the editor)."""
    html = nh3.clean(
        value or "",
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={"a": {"href", "title"}},
        tag_attribute_values={"a": {"target": {"_blank"}}},
        link_rel=LINK_REL,
        url_schemes={"http", "https", "mailto"},
        strip_comments=True,
    ).strip()
    return html if plain_text(html) else ""


def plain_text(html: str) -> str:
    """The text of an HTML fragment without any tags (for emptiness checks and previews)."""
    return " ".join(html_lib.unescape(nh3.clean(html or "", tags=set())).split())
