"""`make run` (DEBUG) shows the product's own Indonesian 404 and 500 pages, not Django's debug pages (issue 9,
item 7)."""

import pytest
from django.urls import include, path

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("rusak")


urlpatterns = [path("rusak", _boom), path("", include("config.urls"))]


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True
    settings.DEBUG_ERROR_PAGES = False
    return settings


def test_unknown_address_shows_the_own_404_page_in_debug(client, debug_on):
    response = client.get("/alamat-yang-tidak-ada")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in html
    assert "URLconf" not in html and "Page not found" not in html


def test_a_view_raising_404_shows_the_own_page_in_debug(client, debug_on):
    response = client.get("/produk/produk-yang-tidak-ada")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()
    assert "Page not found" not in response.content.decode()


def test_a_crash_shows_the_own_500_page_in_debug(client, debug_on):
    debug_on.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    response = client.get("/rusak")
    assert response.status_code == 500
    assert "Traceback" not in response.content.decode()
    assert "Terjadi kesalahan" in response.content.decode()


def test_developers_can_ask_for_the_debug_pages(client, debug_on):
    debug_on.DEBUG_ERROR_PAGES = True
    response = client.get("/alamat-yang-tidak-ada")
    assert response.status_code == 404
    assert "URLconf" in response.content.decode()
