"""The signed unsubscribe links of marketing email (broadcasts, marketing reminders): a token names the address, so
no sign-in is needed. `unsubscribe_url` is the page at the email's foot (asks, then confirms); `one_click_url` is the
`List-Unsubscribe` header's target, which a mail client POSTs to without a page (RFC 8058)."""

from django.core import signing
from django.urls import reverse

from .rendering import absolute_url

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def unsubscribe_token(email: str) -> str:
    return signing.dumps((email or "").strip().lower(), salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(email: str) -> str:
    return absolute_url(reverse("notifications:unsubscribe", args=[unsubscribe_token(email)]))


def one_click_url(email: str) -> str:
    return absolute_url(reverse("notifications:unsubscribe_one_click", args=[unsubscribe_token(email)]))


def unsubscribe_email(token: str) -> str:
    """The address a signed unsubscribe token names, or "" for a forged or broken one."""
    try:
        email = signing.loads(str(token)[:1000], salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError, UnicodeDecodeError):
        return ""
    return email if isinstance(email, str) and "@" in email and len(email) <= 254 else ""
