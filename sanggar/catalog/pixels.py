"""Tracking pixel IDs (Meta Pixel, Google Analytics 4 / Tag Manager, TikTok Pixel): their formats, checked wherever
an admin enters one (a plan, a product, the global marketing settings). An ID ends up inside a script's
configuration, so only these shapes are accepted."""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PIXEL_FIELDS = {
    "pixel_meta_id": (gettext_lazy("ID Meta Pixel"), re.compile(r"\d{5,20}")),
    "pixel_google_id": (gettext_lazy("ID Google Analytics 4 / Tag Manager"), re.compile(r"(G|GTM)-[A-Z0-9]{4,15}")),
    "pixel_tiktok_id": (gettext_lazy("ID TikTok Pixel"), re.compile(r"[A-Z0-9]{10,30}")),
}
PIXEL_HELP = {
    "pixel_meta_id": gettext_lazy("Angka dari Events Manager, mis. 123456789012345."),
    "pixel_google_id": gettext_lazy("G-XXXXXXX (GA4) atau GTM-XXXXXX (Tag Manager)."),
    "pixel_tiktok_id": gettext_lazy("Dari TikTok Events Manager, mis. C4ABCDEF1234567890."),
}


def pixel_id_error(name: str, value: str) -> str | None:
    """An Indonesian message when `value` is not a valid ID for `name` (empty is valid: no pixel)."""
    if not value:
        return None
    label, pattern = PIXEL_FIELDS[name]
    if not pattern.fullmatch(value):
        return _("%(label)s tidak valid. %(help)s") % {"label": label, "help": PIXEL_HELP[name]}
    return None


def pixel_id_clean(value) -> str:
    return ("" if value is None else str(value)).strip().upper() if value else ""
