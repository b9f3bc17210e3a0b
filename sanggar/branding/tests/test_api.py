"""GET /api/v1/branding: public, absolute logo URLs, and changes from the admin page show at once."""

import pytest

from sanggar.api.testing import call
from sanggar.branding.constants import DEFAULT_COLORS
from sanggar.branding.services import branding_update

from .images import png

pytestmark = pytest.mark.django_db


def test_defaults_without_a_branding_row(client):
    response = call(client, "get", "/branding")

    assert response.status_code == 200
    body = response.json()
    assert body["platform_name"] == "Sanggar"
    assert body["short_name"] == "Sanggar"
    assert body["tagline"] == ""
    assert body["logo_url"] is None
    assert body["logo_affiliate_url"] is None
    assert body["favicon_url"] is None
    assert body["colors"] == {
        "primary": "#2047FC",
        "primary_text": "#FFFFFF",
        "primary_hover": "#1836C9",
        "secondary": "#FFC30D",
        "secondary_text": "#111827",
        "sidebar_bg": "#FFFFFF",
        "sidebar_text": "#1F2937",
        "sidebar_active_bg": "#2047FC",
        "sidebar_active_text": "#FFFFFF",
        "card_bg": "#FFFFFF",
        "page_bg": "#F5F7FB",
    }
    assert body["typography"] == {"heading_size": 24, "body_size": 15}
    assert body["component_style"] == {
        "border_radius": 12,
        "button_color": DEFAULT_COLORS["primary_color"],
        "button_text_color": DEFAULT_COLORS["primary_text_color"],
        "button_hover_color": DEFAULT_COLORS["primary_hover_color"],
        "sidebar_bg": "#FFFFFF",
        "sidebar_text": "#1F2937",
        "sidebar_active_bg": "#2047FC",
        "sidebar_active_text": "#FFFFFF",
    }
    assert body["updated_at"] is None


def test_changes_show_at_once_with_absolute_logo_urls(client, admin_user, django_capture_on_commit_callbacks):
    assert call(client, "get", "/branding").json()["platform_name"] == "Sanggar"  # cached now

    with django_capture_on_commit_callbacks(execute=True):
        branding_update(
            actor=admin_user,
            section="identity",
            platform_name="Ekspor Yuk",
            short_name="EY",
            tagline="Belajar ekspor",
            logo_main=png(),
        )
        branding_update(actor=admin_user, section="colors", primary_color="#0B3D91")
        branding_update(actor=admin_user, section="typography", heading_size=30, body_size=16)

    body = call(client, "get", "/branding").json()

    assert (body["platform_name"], body["short_name"], body["tagline"]) == ("Ekspor Yuk", "EY", "Belajar ekspor")
    assert body["logo_url"].startswith("http://testserver/media/branding/")
    assert body["logo_url"].endswith(".png")
    assert body["logo_affiliate_url"] == body["logo_url"]  # the main logo until an affiliate logo is uploaded
    assert body["colors"]["primary"] == "#0B3D91"
    assert body["component_style"]["button_color"] == "#0B3D91"
    assert body["typography"] == {"heading_size": 30, "body_size": 16}
    assert body["updated_at"] is not None


def test_affiliate_logo_when_uploaded(client, admin_user):
    branding_update(actor=admin_user, section="identity", logo_main=png("utama.png"), logo_affiliate=png("aff.png"))

    body = call(client, "get", "/branding").json()

    assert body["logo_affiliate_url"].startswith("http://testserver/media/branding/")
    assert body["logo_affiliate_url"] != body["logo_url"]


def test_public_but_a_bad_token_is_still_ignored(client):
    response = call(client, "get", "/branding", headers={"Authorization": "Bearer rusak"})

    assert response.status_code == 200


def test_cached_branding_needs_no_query(client, django_assert_num_queries):
    call(client, "get", "/branding")

    with django_assert_num_queries(0):
        assert call(client, "get", "/branding").status_code == 200
