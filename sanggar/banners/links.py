"""Signed click links: a banner rendered on a page or sent by the API links to `/b/<id>?s=<signature>`; only a
signed, recent link counts a click (so a hand-made URL cannot inflate the statistics). Every link still redirects to
the banner's stored destination, never to one from the request."""

from django.core import signing
from django.urls import reverse

from .constants import CLICK_SIGNATURE_MAX_AGE, CLICK_SIGNATURE_SALT


def click_token(banner_id: int) -> str:
    return signing.TimestampSigner(salt=CLICK_SIGNATURE_SALT).sign(str(banner_id)).split(":", 1)[1]


def click_url(banner_id: int) -> str:
    return f"{reverse('banners:click', args=[banner_id])}?s={click_token(banner_id)}"


def click_valid(banner_id: int, token: str) -> bool:
    if not token or not isinstance(token, str) or len(token) > 100:
        return False
    try:
        value = signing.TimestampSigner(salt=CLICK_SIGNATURE_SALT).unsign(
            f"{banner_id}:{token}", max_age=CLICK_SIGNATURE_MAX_AGE
        )
    except signing.BadSignature:
        return False
    return value == str(banner_id)
