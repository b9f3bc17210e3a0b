"""Puts the current branding into every template as `brand` (logos, names, and the CSS variables that
base.html writes into :root). Served from the cache: no query per request once cached."""

from .selectors import branding_get


def branding(request):
    return {"brand": branding_get()}
