import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from sanggar.branding.constants import CACHE_KEY
from sanggar.branding.models import Branding
from sanggar.branding.selectors import BrandingData, branding_data_from, branding_get, integration_status_list
from sanggar.core.roles import Role

DEFAULT_CSS_VARS = {
    "brand-primary": "#2047FC",
    "brand-primary-text": "#FFFFFF",
    "brand-primary-hover": "#1836C9",
    "brand-secondary": "#FFC30D",
    "brand-secondary-text": "#111827",
    "brand-sidebar-bg": "#FFFFFF",
    "brand-sidebar-text": "#1F2937",
    "brand-sidebar-active-bg": "#2047FC",
    "brand-sidebar-active-text": "#FFFFFF",
    "brand-card-bg": "#FFFFFF",
    "brand-page-bg": "#F5F7FB",
    "brand-radius": "12px",
    "brand-font-body": "15px",
    "brand-font-heading": "24px",
}


def _root_variables_in_app_css() -> set[str]:
    css = (Path(django_settings.BASE_DIR) / "assets" / "css" / "app.css").read_text(encoding="utf-8")
    root = re.search(r":root\s*\{(.*?)\}", css, re.S).group(1)
    return set(re.findall(r"--([a-z0-9-]+)\s*:", root))


@pytest.mark.django_db
def test_defaults_without_a_row_write_nothing():
    data = branding_get()
    assert data.platform_name == "Sanggar"
    assert data.short_name == "Sanggar"
    assert data.tagline == ""
    assert (data.logo_main_url, data.logo_affiliate_url, data.favicon_url) == ("", "", "")
    assert data.css_vars == DEFAULT_CSS_VARS
    assert data.updated_at is None
    assert Branding.objects.count() == 0


def test_css_vars_are_exactly_the_variables_of_app_css():
    assert set(branding_data_from(None).css_vars) == _root_variables_in_app_css()


@pytest.mark.django_db
def test_branding_get_is_cached_and_a_cached_read_runs_no_query(django_assert_num_queries):
    Branding.objects.create(platform_name="Ekspor Yuk", primary_color="#0B5D1E")
    with django_assert_num_queries(1):
        first = branding_get()
    with django_assert_num_queries(0):
        second = branding_get()
    assert first == second
    assert second.css_vars["brand-primary"] == "#0B5D1E"
    assert isinstance(cache.get(CACHE_KEY), BrandingData)


@pytest.mark.django_db
def test_values_that_could_break_out_of_css_fall_back_to_defaults():
    Branding.objects.create(
        primary_color="red;}",
        secondary_text_color="#abc",
        typography_json={"heading_size": "99px;}", "body_size": 99},
        component_style_json={
            "sidebar_bg": "#000;background:url(https://evil.test)",
            "card_bg": "#FAFAFA",
            "border_radius": 500,
            "page_bg": 12,
        },
    )
    data = branding_get()
    expected = {**DEFAULT_CSS_VARS, "brand-card-bg": "#FAFAFA"}
    assert data.css_vars == expected


@pytest.mark.django_db
def test_non_dict_json_falls_back_to_defaults():
    Branding.objects.create(typography_json=["x"], component_style_json="</style>")
    assert branding_get().css_vars == DEFAULT_CSS_VARS


def test_logo_for_role_prefers_the_affiliate_logo_only_for_affiliates():
    data = branding_data_from(None)
    with_logos = BrandingData(**{**data.__dict__, "logo_main_url": "/m.png", "logo_affiliate_url": "/a.png"})
    assert with_logos.logo_url_for_role(Role.AFFILIATE) == "/a.png"
    assert with_logos.logo_url_for_role(Role.MEMBER) == "/m.png"
    assert with_logos.logo_url_for_role(Role.ADMIN) == "/m.png"
    assert with_logos.logo_url_for_role(None) == "/m.png"
    main_only = BrandingData(**{**data.__dict__, "logo_main_url": "/m.png"})
    assert main_only.logo_url_for_role(Role.AFFILIATE) == "/m.png"


def _statuses():
    return {item.key: item for item in integration_status_list()}


def test_integrations_without_configuration(settings):
    settings.REDIS_URL = ""
    settings.MAILKETING_API_TOKEN = ""
    settings.EMAIL_HOST = ""
    settings.ONESIGNAL_APP_ID = ""
    settings.ONESIGNAL_API_KEY = ""
    settings.WHATSAPP_PROVIDER = ""
    settings.STARSENDER_API_KEY = ""
    settings.FONNTE_TOKEN = ""
    statuses = _statuses()
    assert list(statuses) == ["realtime", "onesignal", "mailketing", "whatsapp"]
    assert {key: item.active for key, item in statuses.items()} == {
        "realtime": True,
        "onesignal": False,
        "mailketing": False,
        "whatsapp": False,
    }
    assert statuses["realtime"].detail == (
        "Aktif di dalam proses server (satu server). Isi REDIS_URL untuk banyak server."
    )
    assert statuses["mailketing"].detail == (
        "Email ditulis ke konsol server sampai MAILKETING_API_TOKEN atau EMAIL_HOST diisi."
    )


def test_integrations_configured_never_show_secrets(settings):
    settings.REDIS_URL = "redis://:redis-secret@cache:6379/0"
    settings.MAILKETING_API_TOKEN = "mk-secret-123"
    settings.ONESIGNAL_APP_ID = "app-id-456"
    settings.ONESIGNAL_API_KEY = "os-secret-789"
    settings.WHATSAPP_PROVIDER = ""
    settings.STARSENDER_API_KEY = ""
    settings.FONNTE_TOKEN = "fonnte-secret-000"
    statuses = _statuses()
    assert all(item.active for item in statuses.values())
    assert statuses["realtime"].detail == "Aktif melalui Redis (bisa banyak server)."
    assert statuses["whatsapp"].detail == "Pesan dikirim melalui Fonnte."
    text = repr(list(statuses.values()))
    for secret in ("redis-secret", "mk-secret-123", "app-id-456", "os-secret-789", "fonnte-secret-000"):
        assert secret not in text


def test_whatsapp_chosen_provider_without_key_is_not_configured(settings):
    settings.WHATSAPP_PROVIDER = "starsender"
    settings.STARSENDER_API_KEY = ""
    settings.FONNTE_TOKEN = "fonnte-key"
    assert _statuses()["whatsapp"].active is False
