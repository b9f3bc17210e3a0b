"""Signed tracking links of reminder sends: the email open pixel and the click redirect. A token names only the
send and the channel; where a click leads is read from the send (written by the sweep), never from the request,
so the redirect cannot be pointed elsewhere."""

from django.core import signing
from django.urls import reverse

from sanggar.notifications.rendering import EMAIL_HTML_EXTRAS, absolute_url

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


def read_click(token: str) -> tuple[str, int, str] | None:
    """(kind, id, channel) of a signed click token, or None."""
    try:
        value = signing.loads(token, salt=SALT_CLICK)
    except signing.BadSignature:
        return None
    if not isinstance(value, list):
        return None
    if len(value) == 2:
        value = [SEND, *value]
    if not (len(value) == 3 and value[0] in KINDS and type(value[1]) is int and isinstance(value[2], str)):
        return None
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


def email_pixel(delivery) -> str:
    """Registered in notifications' EMAIL_HTML_EXTRAS: the open pixel of a reminder's or a broadcast's email."""
    kind = {TEMPLATE_KEY: SEND, BROADCAST_TEMPLATE_KEY: BROADCAST}.get(delivery.template_key)
    if kind is None or not delivery.notification_id:
        return ""
    send_id = (delivery.notification.data or {}).get("reminder_send" if kind == SEND else "broadcast_recipient")
    if not isinstance(send_id, int):
        return ""
    return f'<img src="{open_url(send_id, kind)}" width="1" height="1" alt="" style="display:block;border:0;">'


def register() -> None:
    """Notifications sits below reminders: the open pixel joins a reminder's email through its hook."""
    if email_pixel not in EMAIL_HTML_EXTRAS:
        EMAIL_HTML_EXTRAS.append(email_pixel)
