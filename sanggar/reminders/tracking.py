"""Signed tracking links of reminder sends: the email open pixel and the click redirect. A token names the send and
the channel; where a click leads is read from the send (written by the sweep), or, for a link written in an email's
body (rewritten at send time, as Mailchimp does), carried inside the signed token. Never from the request, so the
redirect cannot be pointed elsewhere: a valid signature is the allow rule (the body's links are admin-written)."""

import html as html_lib
import re

from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.translation import gettext as _

from sanggar.notifications.rendering import EMAIL_FOOTER_NOTES, EMAIL_HTML_EXTRAS, absolute_url
from sanggar.notifications.unsubscribe import unsubscribe_url

from .models import TRACKING_SETTINGS_ID, TrackingSettings

SALT_OPEN = "reminders.open"
SALT_CLICK = "reminders.click"
TEMPLATE_KEY = "reminders.step"  # marks a reminder's deliveries (the pixel is added to these emails only)
BROADCAST_TEMPLATE_KEY = "reminders.broadcast"  # and a broadcast's
SAFE_SCHEMES = ("http://", "https://")


# What a token names: a reminder send ("s", the default: older tokens are a bare id) or a broadcast recipient ("b").
SEND, BROADCAST = "s", "b"
KINDS = (SEND, BROADCAST)


def open_url(send_id: int, kind: str = SEND) -> str:
    value = send_id if kind == SEND else [kind, send_id]
    return absolute_url(reverse("reminders:track_open", args=[signing.dumps(value, salt=SALT_OPEN, compress=True)]))


def click_url(send_id: int, channel: str, kind: str = SEND) -> str:
    value = [send_id, channel] if kind == SEND else [kind, send_id, channel]
    token = signing.dumps(value, salt=SALT_CLICK, compress=True)
    return absolute_url(reverse("reminders:track_click", args=[token]))


# A body link longer than this stays as written (untracked); a token longer than CLICK_TOKEN_MAX is refused (400).
LINK_MAX_LENGTH = 2000
CLICK_TOKEN_MAX = 4000


def link_url(send_id: int, url: str, kind: str = SEND) -> str:
    """The signed click redirect of one link in an email's body: the token carries the send and the link."""
    token = signing.dumps([kind, send_id, "email", url], salt=SALT_CLICK, compress=True)
    return absolute_url(reverse("reminders:track_click", args=[token]))


def _safe_link(url: str) -> bool:
    return 0 < len(url) <= LINK_MAX_LENGTH and "\\" not in url and url.lower().startswith(SAFE_SCHEMES)


def _trackable(url: str) -> bool:
    """An http(s) link written in a body, not one of ours that must stay as it is (the open pixel, another
    tracked link, the unsubscribe page); mailto:, tel: and relative links are never rewritten."""
    if not _safe_link(url):
        return False
    if _is_privacy(url) or (
        url.startswith(absolute_url("/")) and any(url.startswith(absolute_url(p)) for p in _own_paths())
    ):
        return False
    return len(url) > len("https://")


def _own_paths() -> tuple[str, ...]:
    """Our own links that stay as they are: the tracking links (pixel, redirect), the unsubscribe pages, the
    notification settings and the privacy page of the footer."""
    prefix = lambda name: reverse(name, args=["x"])[:-1]  # noqa: E731
    paths = [prefix("reminders:track_click"), prefix("reminders:track_open").rsplit("/", 1)[0] + "/"]
    paths += [prefix("notifications:unsubscribe"), reverse("accounts:profile_notifications")]
    privacy = tracking_settings().privacy_url
    return (*paths, *([privacy] if privacy.startswith("/") else []))


def _is_privacy(url: str) -> bool:
    privacy = tracking_settings().privacy_url
    return bool(privacy) and url == absolute_url(privacy)


HREF_RE = re.compile(r'(<a\b[^>]*?\bhref=")([^"]*)(")', re.IGNORECASE)
TEXT_URL_RE = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


def tracked_html(body_html: str, send_id: int, kind: str = SEND) -> str:
    """Every http(s) link of a sanitised email body (double-quoted `href`, as nh3 writes) → the signed redirect."""

    def replace(match: re.Match) -> str:
        url = html_lib.unescape(match.group(2)).strip()
        if not _trackable(url):
            return match.group(0)
        return match.group(1) + escape(link_url(send_id, url, kind)) + match.group(3)

    return HREF_RE.sub(replace, body_html or "")


def tracked_text(text: str, send_id: int, kind: str = SEND) -> str:
    """Every http(s) address in an email's plain-text part → the signed redirect (trailing punctuation kept out)."""

    def replace(match: re.Match) -> str:
        url = match.group(0)
        tail = ""
        while url and url[-1] in ".,;:!?)]":
            url, tail = url[:-1], url[-1] + tail
        return (link_url(send_id, url, kind) if _trackable(url) else url) + tail

    return TEXT_URL_RE.sub(replace, text or "")


def read_open(token: str) -> tuple[str, int] | None:
    """(kind, id) of a signed open token, or None for a forged or broken one."""
    try:
        value = signing.loads(token, salt=SALT_OPEN)
    except signing.BadSignature:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return SEND, value
    if isinstance(value, list) and len(value) == 2 and value[0] in KINDS and type(value[1]) is int:
        return value[0], value[1]
    return None


def read_click(token: str) -> tuple[str, int, str] | tuple[str, int, str, str] | None:
    """(kind, id, channel) of a signed click token, plus the link for a body link's token, or None."""
    try:
        value = signing.loads(token, salt=SALT_CLICK)
    except (signing.BadSignature, ValueError, UnicodeError):
        return None
    if not isinstance(value, list):
        return None
    if len(value) == 2:
        value = [SEND, *value]
    if not (3 <= len(value) <= 4 and value[0] in KINDS and type(value[1]) is int and isinstance(value[2], str)):
        return None
    if len(value) == 4:
        if not (isinstance(value[3], str) and _safe_link(value[3])):
            return None
        return value[0], value[1], value[2][:20], value[3]
    return value[0], value[1], value[2][:20]


def safe_target(link: str) -> str:
    """A stored link as a redirect target: a path on this site, or an http(s) URL an admin wrote; anything else
    (javascript:, //host, data:) becomes the dashboard."""
    link = (link or "").strip()
    if link.startswith("/") and not link.startswith("//") and "\\" not in link:
        return link
    if link.lower().startswith(SAFE_SCHEMES) and "\\" not in link:
        return link
    return "/dashboard"


SETTINGS_CACHE_KEY = "reminders:tracking-settings"


def tracking_settings() -> TrackingSettings:
    """The site-wide tracking settings (cached; `tracking_settings_save` clears the cache)."""
    row = cache.get(SETTINGS_CACHE_KEY)
    if row is None:
        row = TrackingSettings.objects.filter(pk=TRACKING_SETTINGS_ID).first() or TrackingSettings()
        cache.set(SETTINGS_CACHE_KEY, row, 300)
    return row


def tracking_settings_clear() -> None:
    cache.delete(SETTINGS_CACHE_KEY)


def email_pixel(delivery) -> str:
    """Registered in notifications' EMAIL_HTML_EXTRAS: the open pixel of a reminder's or a broadcast's email (none
    when the admin switched the open pixel off site-wide)."""
    kind = {TEMPLATE_KEY: SEND, BROADCAST_TEMPLATE_KEY: BROADCAST}.get(delivery.template_key)
    if kind is None or not delivery.notification_id or not tracking_settings().open_pixel:
        return ""
    send_id = (delivery.notification.data or {}).get("reminder_send" if kind == SEND else "broadcast_recipient")
    if not isinstance(send_id, int):
        return ""
    return f'<img src="{open_url(send_id, kind)}" width="1" height="1" alt="" style="display:block;border:0;">'


LINK_STYLE = "color:#6b7280;"


def email_footer_note(delivery) -> str:
    """Registered in notifications' EMAIL_FOOTER_NOTES: a reminder's or a broadcast's email says, in its footer, that
    its opens (when the pixel is on) and clicks are measured and why (UU PDP), with links to the privacy page (when
    set), the member's notification settings and, for marketing email, the unsubscribe page."""
    if delivery.template_key not in (TEMPLATE_KEY, BROADCAST_TEMPLATE_KEY):
        return ""
    settings_row = tracking_settings()
    if settings_row.open_pixel:
        text = _(
            "Kami mencatat kapan email ini dibuka dan tautan mana yang diklik (lewat gambar 1 piksel dan tautan "
            "pelacak) untuk mengukur dan memperbaiki pesan kami, sesuai UU Pelindungan Data Pribadi."
        )
    else:
        text = _(
            "Kami mencatat tautan mana di email ini yang diklik (lewat tautan pelacak) untuk mengukur dan "
            "memperbaiki pesan kami, sesuai UU Pelindungan Data Pribadi."
        )
    links = []
    if settings_row.privacy_url:
        links.append((absolute_url(settings_row.privacy_url), _("Kebijakan privasi")))
    links.append((absolute_url(reverse("accounts:profile_notifications")), _("Atur notifikasi")))
    if delivery.marketing and delivery.recipient:
        links.append((unsubscribe_url(delivery.recipient), _("Berhenti berlangganan")))
    parts = [format_html("{}", text)]
    parts += [format_html('<a href="{}" style="{}">{}</a>', url, LINK_STYLE, label) for url, label in links]
    return " · ".join(parts)


def register() -> None:
    """Notifications sits below reminders: the open pixel and the footer notice join a reminder's email through
    its hooks."""
    if email_pixel not in EMAIL_HTML_EXTRAS:
        EMAIL_HTML_EXTRAS.append(email_pixel)
    if email_footer_note not in EMAIL_FOOTER_NOTES:
        EMAIL_FOOTER_NOTES.append(email_footer_note)
