"""Interim: default brand values until the branding settings page exists."""

from types import SimpleNamespace


def branding(request):
    return {
        "brand": SimpleNamespace(
            platform_name="Sanggar",
            short_name="Sanggar",
            tagline="",
            logo_main_url="",
            logo_affiliate_url="",
            favicon_url="",
            css_vars={},
        )
    }
