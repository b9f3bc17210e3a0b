"""Output schema of the branding API: what the mobile apps need to look like the platform."""

from datetime import datetime

from ninja import Schema
from pydantic import Field


class BrandingColorsOut(Schema):
    primary: str
    primary_text: str
    primary_hover: str
    secondary: str
    secondary_text: str
    sidebar_bg: str
    sidebar_text: str
    sidebar_active_bg: str
    sidebar_active_text: str
    card_bg: str
    page_bg: str


class BrandingTypographyOut(Schema):
    heading_size: int = Field(description="Ukuran heading, px.")
    body_size: int = Field(description="Ukuran teks body, px.")


class BrandingComponentStyleOut(Schema):
    border_radius: int = Field(description="Radius sudut tombol dan kartu, px.")
    button_color: str
    button_text_color: str
    button_hover_color: str
    sidebar_bg: str
    sidebar_text: str
    sidebar_active_bg: str
    sidebar_active_text: str


class BrandingOut(Schema):
    platform_name: str
    short_name: str
    tagline: str
    logo_url: str | None = Field(description="URL absolut logo utama, atau null.")
    logo_affiliate_url: str | None = Field(
        description="URL absolut logo yang dilihat affiliate (logo utama bila tidak ada), atau null."
    )
    favicon_url: str | None
    colors: BrandingColorsOut = Field(description="Warna dalam format #RRGGBB.")
    typography: BrandingTypographyOut
    component_style: BrandingComponentStyleOut
    updated_at: datetime | None
