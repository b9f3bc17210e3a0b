"""Reads of the branding: every page (context processor) and the API take it from `branding_get`."""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from sanggar.core.roles import Role

from .colors import is_hex6
from .constants import (
    ALL_COLOR_FIELDS,
    CACHE_KEY,
    CACHE_TIMEOUT,
    COLOR_FIELDS_BY_SECTION,
    DEFAULT_COLORS,
    DEFAULT_COMPONENT_STYLE,
    DEFAULT_PLATFORM_NAME,
    DEFAULT_SHORT_NAME,
    DEFAULT_TYPOGRAPHY,
    MAX_LENGTHS,
    NUMBER_RANGES,
    SECTION_COLORS,
)
from .models import SINGLETON_ID, Branding

MODEL_COLOR_FIELDS = COLOR_FIELDS_BY_SECTION[SECTION_COLORS]


@dataclass(frozen=True)
class BrandingData:
    platform_name: str
    short_name: str
    tagline: str
    logo_main_url: str
    logo_affiliate_url: str
    favicon_url: str
    primary_color: str
    primary_text_color: str
    primary_hover_color: str
    secondary_color: str
    secondary_text_color: str
    sidebar_bg: str
    sidebar_text: str
    sidebar_active_bg: str
    sidebar_active_text: str
    card_bg: str
    page_bg: str
    border_radius: int
    heading_size: int
    body_size: int
    updated_at: datetime | None
    # CSS custom properties (without the leading "--") → value; base.html writes them into :root.
    css_vars: dict[str, str] = field(compare=False)

    def logo_url_for_role(self, role: str | None) -> str:
        """The affiliate logo for the affiliate role (when one is uploaded), the main logo for everyone else."""
        if role == Role.AFFILIATE and self.logo_affiliate_url:
            return self.logo_affiliate_url
        return self.logo_main_url


def _color(value, default: str) -> str:
    return value if is_hex6(value) else default


def _number(name: str, value, default: int) -> int:
    low, high = NUMBER_RANGES[name]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return default
    return value


def _text(name: str, value, default: str) -> str:
    value = (value or "").strip() if isinstance(value, str) else ""
    return value[: MAX_LENGTHS[name]] or default


def _file_url(file) -> str:
    return file.url if file and file.name else ""


def css_vars_for(colors: dict[str, str], radius: int, heading: int, body: int) -> dict[str, str]:
    return {
        "brand-primary": colors["primary_color"],
        "brand-primary-text": colors["primary_text_color"],
        "brand-primary-hover": colors["primary_hover_color"],
        "brand-secondary": colors["secondary_color"],
        "brand-secondary-text": colors["secondary_text_color"],
        "brand-sidebar-bg": colors["sidebar_bg"],
        "brand-sidebar-text": colors["sidebar_text"],
        "brand-sidebar-active-bg": colors["sidebar_active_bg"],
        "brand-sidebar-active-text": colors["sidebar_active_text"],
        "brand-card-bg": colors["card_bg"],
        "brand-page-bg": colors["page_bg"],
        "brand-radius": f"{radius}px",
        "brand-font-body": f"{body}px",
        "brand-font-heading": f"{heading}px",
    }


def branding_data_from(branding: Branding | None) -> BrandingData:
    """Builds the validated view of a branding row (or of the defaults when there is none). Every value that
    reaches CSS is a checked #RRGGBB colour or an integer within its range: a bad stored value falls back to
    its default instead of reaching the page."""
    branding = branding or Branding()
    typography = branding.typography_json if isinstance(branding.typography_json, dict) else {}
    style = branding.component_style_json if isinstance(branding.component_style_json, dict) else {}
    colors = {}
    for name in ALL_COLOR_FIELDS:
        raw = getattr(branding, name) if name in MODEL_COLOR_FIELDS else style.get(name)
        colors[name] = _color(raw, DEFAULT_COLORS[name])
    radius = _number("border_radius", style.get("border_radius"), DEFAULT_COMPONENT_STYLE["border_radius"])
    heading = _number("heading_size", typography.get("heading_size"), DEFAULT_TYPOGRAPHY["heading_size"])
    body = _number("body_size", typography.get("body_size"), DEFAULT_TYPOGRAPHY["body_size"])
    return BrandingData(
        platform_name=_text("platform_name", branding.platform_name, DEFAULT_PLATFORM_NAME),
        short_name=_text("short_name", branding.short_name, DEFAULT_SHORT_NAME),
        tagline=_text("tagline", branding.tagline, ""),
        logo_main_url=_file_url(branding.logo_main),
        logo_affiliate_url=_file_url(branding.logo_affiliate),
        favicon_url=_file_url(branding.favicon),
        border_radius=radius,
        heading_size=heading,
        body_size=body,
        updated_at=branding.updated_at,
        css_vars=css_vars_for(colors, radius, heading, body),
        **colors,
    )


def branding_row_get() -> Branding | None:
    return Branding.objects.select_related("updated_by").filter(pk=SINGLETON_ID).first()


def branding_get() -> BrandingData:
    """The current branding, from the cache when it is there (no query), else from the database."""
    data = cache.get(CACHE_KEY)
    if isinstance(data, BrandingData):
        return data
    data = branding_data_from(branding_row_get())
    cache.set(CACHE_KEY, data, CACHE_TIMEOUT)
    return data


def branding_cache_clear() -> None:
    cache.delete(CACHE_KEY)


@dataclass(frozen=True)
class IntegrationStatus:
    key: str
    name: str
    purpose: str
    active: bool
    detail: str
    env_vars: tuple[str, ...]


def _whatsapp_provider() -> str:
    chosen = (settings.WHATSAPP_PROVIDER or "").strip().lower()
    keys = {"starsender": bool(settings.STARSENDER_API_KEY), "fonnte": bool(settings.FONNTE_TOKEN)}
    if chosen in keys:
        return chosen if keys[chosen] else ""
    return next((name for name, has_key in keys.items() if has_key), "")


def integration_status_list() -> list[IntegrationStatus]:
    """Which notification integrations the environment configures. Says only whether a credential is set,
    never its value."""
    redis = bool(settings.REDIS_URL)
    mailketing = bool(settings.MAILKETING_API_TOKEN)
    onesignal = bool(settings.ONESIGNAL_APP_ID and settings.ONESIGNAL_API_KEY)
    whatsapp = _whatsapp_provider()
    return [
        IntegrationStatus(
            key="realtime",
            name=str(_("Realtime websocket")),
            purpose=str(_("Badge lonceng dan popup notifikasi baru tanpa memuat ulang halaman.")),
            active=True,
            detail=str(
                _("Aktif melalui Redis (bisa banyak server).")
                if redis
                else _("Aktif di dalam proses server (satu server). Isi REDIS_URL untuk banyak server.")
            ),
            env_vars=("REDIS_URL",),
        ),
        IntegrationStatus(
            key="onesignal",
            name="OneSignal",
            purpose=str(_("Push notification ke browser dan aplikasi.")),
            active=onesignal,
            detail=str(
                _("Push dikirim melalui OneSignal.")
                if onesignal
                else _("Push dicatat di log pengiriman sampai ONESIGNAL_APP_ID dan ONESIGNAL_API_KEY diisi.")
            ),
            env_vars=("ONESIGNAL_APP_ID", "ONESIGNAL_API_KEY"),
        ),
        IntegrationStatus(
            key="mailketing",
            name="Mailketing",
            purpose=str(_("Email notifikasi.")),
            active=mailketing,
            detail=str(
                _("Email dikirim melalui Mailketing.")
                if mailketing
                else (
                    _("Email dikirim melalui SMTP sampai MAILKETING_API_TOKEN diisi.")
                    if settings.EMAIL_HOST
                    else _("Email ditulis ke konsol server sampai MAILKETING_API_TOKEN atau EMAIL_HOST diisi.")
                )
            ),
            env_vars=("MAILKETING_API_TOKEN",),
        ),
        IntegrationStatus(
            key="whatsapp",
            name=str(_("WhatsApp")),
            purpose=str(_("Pesan WhatsApp (Starsender atau Fonnte).")),
            active=bool(whatsapp),
            detail=str(
                _("Pesan dikirim melalui %(provider)s.") % {"provider": whatsapp.capitalize()}
                if whatsapp
                else _("Pesan dicatat di log pengiriman sampai STARSENDER_API_KEY atau FONNTE_TOKEN diisi.")
            ),
            env_vars=("WHATSAPP_PROVIDER", "STARSENDER_API_KEY", "FONNTE_TOKEN"),
        ),
    ]
