"""Branding API: the platform's name, logos, colours, typography and component style, for the mobile apps."""

from ninja import Router

from sanggar.core.roles import Role

from .schemas import BrandingOut
from .selectors import branding_get

router = Router(tags=["branding"])
# Mounted by `sanggar.api.api` (discovery): this app's routers, at this place in the document.
API_ORDER = 30


def _absolute(request, url: str) -> str | None:
    return request.build_absolute_uri(url) if url else None


@router.get(
    "/branding",
    response=BrandingOut,
    summary="Branding platform",
    description="Publik, tanpa token: nama, logo (URL absolut), warna, tipografi dan gaya komponen platform. "
    "Perubahan di panel admin langsung terlihat di sini.",
)
def branding(request):
    b = branding_get()
    return {
        "platform_name": b.platform_name,
        "short_name": b.short_name,
        "tagline": b.tagline,
        "logo_url": _absolute(request, b.logo_main_url),
        "logo_affiliate_url": _absolute(request, b.logo_url_for_role(Role.AFFILIATE)),
        "favicon_url": _absolute(request, b.favicon_url),
        "colors": {
            "primary": b.primary_color,
            "primary_text": b.primary_text_color,
            "primary_hover": b.primary_hover_color,
            "secondary": b.secondary_color,
            "secondary_text": b.secondary_text_color,
            "sidebar_bg": b.sidebar_bg,
            "sidebar_text": b.sidebar_text,
            "sidebar_active_bg": b.sidebar_active_bg,
            "sidebar_active_text": b.sidebar_active_text,
            "card_bg": b.card_bg,
            "page_bg": b.page_bg,
        },
        "typography": {"heading_size": b.heading_size, "body_size": b.body_size},
        "component_style": {
            "border_radius": b.border_radius,
            "button_color": b.primary_color,
            "button_text_color": b.primary_text_color,
            "button_hover_color": b.primary_hover_color,
            "sidebar_bg": b.sidebar_bg,
            "sidebar_text": b.sidebar_text,
            "sidebar_active_bg": b.sidebar_active_bg,
            "sidebar_active_text": b.sidebar_active_text,
        },
        "updated_at": b.updated_at,
    }
