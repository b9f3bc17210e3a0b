"""Branding defaults, limits and the text/background pairs that must stay readable."""

from django.utils.translation import gettext_lazy as _

# Sections of the settings page; each tab saves one of them.
SECTION_IDENTITY = "identity"
SECTION_COLORS = "colors"
SECTION_TYPOGRAPHY = "typography"
SECTION_COMPONENTS = "components"

COLOR_FIELDS_BY_SECTION = {
    SECTION_COLORS: ("primary_color", "primary_text_color", "secondary_color", "secondary_text_color"),
    SECTION_COMPONENTS: (
        "primary_hover_color",
        "sidebar_bg",
        "sidebar_text",
        "sidebar_active_bg",
        "sidebar_active_text",
        "card_bg",
        "page_bg",
    ),
}
TEXT_FIELDS = ("platform_name", "short_name", "tagline")
FILE_FIELDS = ("logo_main", "logo_affiliate", "favicon")
TYPOGRAPHY_FIELDS = ("heading_size", "body_size")
COMPONENT_NUMBER_FIELDS = ("border_radius",)

SECTION_FIELDS = {
    SECTION_IDENTITY: (*TEXT_FIELDS, *FILE_FIELDS, *(f"remove_{name}" for name in FILE_FIELDS)),
    SECTION_COLORS: COLOR_FIELDS_BY_SECTION[SECTION_COLORS],
    SECTION_TYPOGRAPHY: TYPOGRAPHY_FIELDS,
    SECTION_COMPONENTS: (*COMPONENT_NUMBER_FIELDS, *COLOR_FIELDS_BY_SECTION[SECTION_COMPONENTS]),
}
ALL_COLOR_FIELDS = (*COLOR_FIELDS_BY_SECTION[SECTION_COLORS], *COLOR_FIELDS_BY_SECTION[SECTION_COMPONENTS])

# The Ekspor Yuk brand (client spec: primary #2047FC, secondary #ffc30d, neutral white and black).
DEFAULT_PLATFORM_NAME = "Sanggar"
DEFAULT_SHORT_NAME = "Sanggar"
DEFAULT_COLORS = {
    "primary_color": "#2047FC",
    "primary_text_color": "#FFFFFF",
    "secondary_color": "#FFC30D",
    "secondary_text_color": "#111827",
    "primary_hover_color": "#1836C9",
    "sidebar_bg": "#FFFFFF",
    "sidebar_text": "#1F2937",
    "sidebar_active_bg": "#2047FC",
    "sidebar_active_text": "#FFFFFF",
    "card_bg": "#FFFFFF",
    "page_bg": "#F5F7FB",
}
DEFAULT_TYPOGRAPHY = {"heading_size": 24, "body_size": 15}
DEFAULT_COMPONENT_STYLE = {
    "border_radius": 12,
    **{name: DEFAULT_COLORS[name] for name in COLOR_FIELDS_BY_SECTION[SECTION_COMPONENTS]},
}

# Inclusive ranges, in px.
NUMBER_RANGES = {
    "heading_size": (18, 48),
    "body_size": (12, 20),
    "border_radius": (0, 24),
}
NUMBER_LABELS = {
    "heading_size": _("Ukuran heading"),
    "body_size": _("Ukuran teks body"),
    "border_radius": _("Border radius"),
}

MAX_LENGTHS = {"platform_name": 60, "short_name": 20, "tagline": 160}
TEXT_LABELS = {"platform_name": _("Nama platform"), "short_name": _("Nama pendek"), "tagline": _("Tagline")}

COLOR_LABELS = {
    "primary_color": _("Warna primary"),
    "primary_text_color": _("Teks di atas primary"),
    "secondary_color": _("Warna secondary"),
    "secondary_text_color": _("Teks di atas secondary"),
    "primary_hover_color": _("Warna hover primary"),
    "sidebar_bg": _("Latar sidebar"),
    "sidebar_text": _("Teks sidebar"),
    "sidebar_active_bg": _("Latar menu aktif"),
    "sidebar_active_text": _("Teks menu aktif"),
    "card_bg": _("Latar kartu"),
    "page_bg": _("Latar halaman"),
}

# The body text colour of the design system (app.css: text-gray-900).
BODY_TEXT_COLOR = "#111827"
WCAG_AA_MIN_RATIO = 4.5

# (text field or fixed colour, background field, label). A fixed colour starts with "#".
CONTRAST_PAIRS = (
    ("primary_text_color", "primary_color", _("Teks primary di atas warna primary")),
    ("primary_text_color", "primary_hover_color", _("Teks primary di atas warna hover primary")),
    ("secondary_text_color", "secondary_color", _("Teks secondary di atas warna secondary")),
    ("sidebar_text", "sidebar_bg", _("Teks sidebar di atas latar sidebar")),
    ("sidebar_active_text", "sidebar_active_bg", _("Teks menu aktif di atas latar menu aktif")),
    (BODY_TEXT_COLOR, "card_bg", _("Teks isi (#111827) di atas latar kartu")),
    (BODY_TEXT_COLOR, "page_bg", _("Teks isi (#111827) di atas latar halaman")),
)

# Uploads: formats as Pillow names them after opening the file.
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
FAVICON_FORMATS = {"PNG": "png", "ICO": "ico"}
LOGO_MAX_BYTES = 2 * 1024 * 1024
FAVICON_MAX_BYTES = 512 * 1024
IMAGE_MAX_SIDE = 4096
FILE_LABELS = {"logo_main": _("Logo utama"), "logo_affiliate": _("Logo affiliate"), "favicon": _("Favicon")}

CACHE_KEY = "branding:data:v1"
# Saves delete the key at once; the timeout only bounds staleness in processes that do not share the cache
# (the in-process default cache when several server processes run without REDIS_URL).
CACHE_TIMEOUT = 60
