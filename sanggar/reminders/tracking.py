"""Signed tracking links of reminder sends: the email open pixel and the click redirect. A token names only the
send and the channel; where a click leads is read from the send (written by the sweep), never from the request,
so the redirect cannot be pointed elsewhere."""

from django.core import signing
from django.urls import reverse

from sanggar.notifications.rendering import EMAIL_HTML_EXTRAS, absolute_url

SALT_OPEN = "reminders.open"
SALT_CLICK = "reminders.click"
TEMPLATE_KEY = "reminders.step"  # marks a reminder's deliveries (the pixel is added to these emails only)
SAFE_SCHEMES = ("http://", "https://")


def open_url(send_id: int) -> str:
    return absolute_url(reverse("reminders:track_open", args=[signing.dumps(send_id, salt=SALT_OPEN, compress=True)]))


def click_url(send_id: int, channel: str) -> str:
    token = signing.dumps([send_id, channel], salt=SALT_CLICK, compress=True)
    return absolute_url(reverse("reminders:track_click", args=[token]))


def read_open(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=SALT_OPEN)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def read_click(token: str) -> tuple[int, str] | None:
    try:
        value = signing.loads(token, salt=SALT_CLICK)
    except signing.BadSignature:
        return None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int) and isinstance(value[1], str)):
        return None
    return value[0], value[1][:20]


def safe_target(link: str) -> str:
    """A stored link as a redirect target: a path on this site, or an http(s) URL an admin wrote; anything else
    (javascript:, //host, data:) becomes the dashboard."""
    link = (link or "").strip()
    if link.startswith("/") and not link.startswith("//") and "\\" not in link:
        return link
    if link.lower().startswith(SAFE_SCHEMES) and "\\" not in link:
        return link
    return "/dashboard"


def email_pixel(delivery) -> str:
    """Registered in notifications' EMAIL_HTML_EXTRAS: the open pixel of a reminder's email."""
    if delivery.template_key != TEMPLATE_KEY or not delivery.notification_id:
        return ""
    send_id = (delivery.notification.data or {}).get("reminder_send")
    if not isinstance(send_id, int):
        return ""
    return f'<img src="{open_url(send_id)}" width="1" height="1" alt="" style="display:block;border:0;">'


def register() -> None:
    """Notifications sits below reminders: the open pixel joins a reminder's email through its hook."""
    if email_pixel not in EMAIL_HTML_EXTRAS:
        EMAIL_HTML_EXTRAS.append(email_pixel)
