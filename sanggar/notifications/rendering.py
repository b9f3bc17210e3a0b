"""Shortcodes and message rendering: `{name}` → the user's name, plain text → branded HTML email."""

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import linebreaks, urlize
from django.utils.safestring import mark_safe

from sanggar.branding.selectors import branding_get
from sanggar.core.site import site_url

from .constants import SHORTCODES

SHORTCODE_RE = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
KNOWN_SHORTCODES = frozenset(code for code, _label in SHORTCODES)


def absolute_url(link: str) -> str:
    """A site-relative link (`/notifications`) made absolute with the site address; absolute links stay as they are."""
    if not link:
        return ""
    if link.startswith("/") and not link.startswith("//"):
        return site_url() + link
    return link


PUSH_LINK_MAX_LENGTH = 500
_PUSH_LINK_FORBIDDEN = frozenset(' \t\r\n\\"<>`')


def push_link_ok(link: str) -> bool:
    """A push's icon or deep link: an https address, a path on this site (the app's own route, `/kursus/a`), or an
    absolute link to this site. Nothing else (http elsewhere, javascript:, //host, spaces)."""
    link = str(link or "")
    if not link or len(link) > PUSH_LINK_MAX_LENGTH or any(c in _PUSH_LINK_FORBIDDEN for c in link):
        return False
    if link.startswith("/"):
        return not link.startswith("//")
    if link.lower().startswith("https://") and len(link) > len("https://"):
        return True
    return link.startswith(site_url() + "/")


def push_link_clean(link) -> str:
    """The link when `push_link_ok`, else ""."""
    link = str(link or "").strip()
    return link if push_link_ok(link) else ""


def dashboard_link() -> str:
    return absolute_url(reverse("dashboard:home"))


def platform_name() -> str:
    return branding_get().platform_name


def user_shortcodes(user) -> dict[str, str]:
    """The shortcodes every message can use about its recipient."""
    values = {"dashboard_link": dashboard_link(), "platform_name": platform_name()}
    if user is not None:
        values.update(name=user.full_name or user.email, email=user.email, whatsapp=user.whatsapp or "")
    return values


def render_shortcodes(text: str, values: Mapping[str, object], *, known: frozenset | set = KNOWN_SHORTCODES) -> str:
    """Replaces `{code}` with its value. A known shortcode without a value becomes empty; anything else in braces
    (an unknown shortcode, a typo) stays exactly as typed."""

    def replace(match: re.Match) -> str:
        code = match.group(1)
        if code in values and values[code] is not None:
            return str(values[code])
        if code in known:
            return ""
        return match.group(0)

    return SHORTCODE_RE.sub(replace, text or "")


def text_to_html(text: str) -> str:
    """Plain text → HTML paragraphs: every character escaped, links made clickable, line breaks kept."""
    return linebreaks(urlize(text or "", nofollow=True, autoescape=True))


# Callables (delivery) -> an HTML snippet to add before an email's </body>, or "" (higher apps register: the
# reminders' signed open pixel). They receive every email delivery; keep them cheap for the ones they ignore.
EMAIL_HTML_EXTRAS: list = []
# Callables (delivery) -> a safe HTML note for the email's footer, or "" (the reminders' notice that opens and
# clicks are measured, with the links to the notification settings and the unsubscribe page).
EMAIL_FOOTER_NOTES: list = []


@dataclass(frozen=True)
class EmailContent:
    subject: str
    text: str
    html: str


def email_content(
    *, subject: str, text: str, link: str = "", button_text: str = "", body_html: str = "", footer_notes=()
) -> EmailContent:
    """The plain text and the branded HTML version of one email. `link` (absolute) becomes a button labelled
    `button_text` (the template's default when empty). `body_html`: the body as HTML, already sanitised by whoever
    wrote it (the reminder builder's rich text), instead of the HTML made from `text`; `footer_notes`: safe HTML
    notes for the footer (EMAIL_FOOTER_NOTES)."""
    brand = branding_get()
    body_text = text
    if link and link not in text:
        body_text = f"{text}\n\n{link}" if text else link
    html = render_to_string(
        "notifications/email/message.html",
        {
            "subject": subject,
            # text_to_html escapes every character of the text before adding paragraphs and links.
            "body_html": mark_safe(body_html or text_to_html(text)),
            "footer_notes": [mark_safe(note) for note in footer_notes if note],
            "link": link,
            "button_text": button_text,
            "platform_name": brand.platform_name,
            "primary_color": brand.primary_color,
            "primary_text_color": brand.primary_text_color,
            "logo_url": absolute_url(brand.logo_main_url),
            "site_url": site_url(),
        },
    )
    return EmailContent(subject=subject, text=body_text, html=html)


WHATSAPP_BOLD_RE = re.compile(r"\*([^*\n]+)\*")


def strip_whatsapp_bold(text: str) -> str:
    """`*tebal*` → `tebal`: WhatsApp's bold markers read as noise in the bell and in push messages."""
    return WHATSAPP_BOLD_RE.sub(r"\1", text or "")
