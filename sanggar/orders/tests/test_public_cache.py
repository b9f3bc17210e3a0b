"""The visitor's cache of the public pages and the plans API (issue 9, speed): a visitor's repeat request costs one
query; every change to what the pages show is there on the next request (prices, promos ending, stock, plans,
products, branding, the front door), also in another process; signed-in users, affiliates' visitors and remembered
coupons get their own pages; CSRF tokens and CSP nonces are never shared between visitors."""

import re
import time
from datetime import timedelta

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.utils import timezone

from sanggar.affiliates.services import REF_COOKIE
from sanggar.branding.services import branding_update
from sanggar.catalog import selectors as catalog_selectors
from sanggar.catalog import services as catalog_services
from sanggar.catalog.services import PriceInput
from sanggar.core import public_cache
from sanggar.core.models import CacheGeneration
from sanggar.orders.services.home import home_page_update
from sanggar.orders.views.checkout import COUPON_COOKIE

from .test_checkout import build_catalog, checkout_settings

pytestmark = pytest.mark.django_db

PAGES = ("/", "/checkout/gold", "/checkout/all", "/membership/gold", "/produk")
# The first (rendering) visit of each page, including the generation, the promo-end lookups and the session-less
# visitor: the page's own queries plus three.
# The checkout pages also read the payment settings (integrations) and the tax and admin fee.
FIRST_VISIT_BUDGET = {"/": 12, "/checkout/gold": 13, "/checkout/all": 11, "/membership/gold": 10, "/produk": 9}


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    checkout_settings(settings, tmp_path)
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    return settings


@pytest.fixture
def catalog(admin_user):
    return build_catalog(admin_user)


def html(response) -> str:
    return response.content.decode()


def _gold_prices(catalog, admin, twelve_months: int, promo=None, promo_ends_at=None, six_months=900_000):
    catalog_services.plan_prices_set(
        plan=catalog.gold,
        actor=admin,
        prices=[
            PriceInput(duration="6m", price=six_months),
            PriceInput(duration="12m", price=twelve_months, promo_price=promo, promo_ends_at=promo_ends_at),
        ],
    )


# --- speed: what a visitor's request costs ----------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_a_visitors_repeat_request_costs_one_query(client, catalog, path, django_assert_max_num_queries):
    with django_assert_max_num_queries(FIRST_VISIT_BUDGET[path]):
        first = client.get(path)
    assert first.status_code == 200
    with django_assert_max_num_queries(1):  # the generation; no session, no catalogue, no branding
        again = client.get(path)
    assert again.status_code == 200
    strip = lambda r: r.content.decode().replace(r.wsgi_request.csp_nonce, "N")  # noqa: E731
    tokens = r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[A-Za-z0-9]{64}'
    assert re.sub(tokens, "T", strip(first)) == re.sub(tokens, "T", strip(again))


def test_the_plans_api_answers_the_same_json_from_one_query(client, catalog, settings, django_assert_max_num_queries):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    uncached = client.get("/api/v1/plans")
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    first = client.get("/api/v1/plans")
    with django_assert_max_num_queries(1):
        again = client.get("/api/v1/plans")
    assert uncached.content == first.content == again.content
    assert again["Content-Type"] == uncached["Content-Type"] == "application/json; charset=utf-8"
    assert again["Cache-Control"] == "private, no-store"
    assert client.get("/api/v1/plans?page=2").json()["results"] == []  # each page its own answer
    assert client.get("/api/v1/plans?page=x").status_code == 422


# --- never shared between visitors ------------------------------------------------------------------------------


def test_each_visitor_gets_their_own_csrf_token_and_nonce(client, catalog):
    from django.test import Client

    pages = []
    for _ in range(3):
        visitor = Client()
        response = visitor.get("/checkout/gold")
        page = html(response)
        assert "@@sanggar" not in page
        token = re.search(r'csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        assert re.search(r'X-CSRFToken": "([^"]+)"', page).group(1) == token
        # The token on the page belongs to the cookie this visitor was given.
        assert _unmask_cipher_token(token) == response.cookies["csrftoken"].value
        nonce = response.wsgi_request.csp_nonce
        assert f"nonce-{nonce}" in response["Content-Security-Policy"] and f'nonce="{nonce}"' in page
        pages.append((token, nonce))
    assert len({token for token, _ in pages}) == 3 and len({nonce for _, nonce in pages}) == 3


def test_a_visitor_can_check_out_from_the_cached_page(client, catalog):
    from django.test import Client

    Client().get("/checkout/gold")  # someone else's visit fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = html(visitor.get("/checkout/gold"))
    token = re.search(r'csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = visitor.post(
        "/checkout/gold",
        {
            "csrfmiddlewaretoken": token,
            "item": "plan:gold:12m",
            "full_name": "Budi Santoso",
            "email": "budi.cache@gmail.test",
            "whatsapp": "081234567890",
            "password": "Rahasia-Kuat-2025",
            "provider": "manual",
        },
    )
    assert response.status_code == 302 and "/invoice/" in response["Location"]


# --- personal pages ---------------------------------------------------------------------------------------------


def test_signed_in_members_get_their_own_page_never_the_visitors(member_client, member_user, catalog):
    from django.test import Client

    visitor = Client()
    visitor_page = html(visitor.get("/checkout/gold"))
    assert "Nama lengkap" in visitor_page  # the visitor registers on the page
    page = html(member_client.get("/checkout/gold"))
    assert "Nama lengkap" not in page and member_user.email in page
    # The member's page is not kept for visitors either.
    assert member_user.email not in html(visitor.get("/checkout/gold"))


def test_referral_and_coupon_visitors_get_pages_rendered_for_them(client, catalog, django_assert_max_num_queries):
    from django.test import Client

    client.get("/checkout/gold")
    coupon_visitor = Client()
    coupon_visitor.cookies[COUPON_COOKIE] = "HEMAT10"
    assert 'value="HEMAT10"' in html(coupon_visitor.get("/checkout/gold"))
    referred = Client()
    referred.cookies[REF_COOKIE] = "signed-referral"
    with django_assert_max_num_queries(20):
        response = referred.get("/checkout/gold")
    assert response.status_code == 200
    assert public_cache.cacheable_request(response.wsgi_request) is False
    assert public_cache.cacheable_request(client.get("/checkout/gold?ref=ABC").wsgi_request) is False
    assert public_cache.cacheable_request(client.get("/checkout/gold").wsgi_request) is True


# --- invalidation: every change shows on the next request --------------------------------------------------------


def test_a_price_change_shows_at_once(client, catalog, admin_user):
    assert "Rp 1.200.000" in html(client.get("/membership/gold"))
    client.get("/api/v1/plans")
    assert "Rp 900.000" in html(client.get("/"))  # Gold from its 6 months
    _gold_prices(catalog, admin_user, 2_000_000, six_months=950_000)
    for path in ("/checkout/gold", "/checkout/all", "/membership/gold"):
        page = html(client.get(path))
        assert "Rp 2.000.000" in page and "Rp 1.200.000" not in page, path
    page = html(client.get("/"))
    assert "Rp 950.000" in page and "Rp 900.000" not in page
    prices = {p["duration"]: p["effective_price"] for p in client.get("/api/v1/plans").json()["results"][1]["prices"]}
    assert prices["12m"] == 2_000_000


@pytest.mark.django_db(transaction=True)
def test_another_process_sees_a_committed_change(client, catalog, admin_user):
    """Another worker never saw this process's local bump: the committed generation alone replaces its pages."""
    before = public_cache._local_generation
    assert "Rp 1.200.000" in html(client.get("/checkout/all"))
    generation = public_cache.generation()
    _gold_prices(catalog, admin_user, 2_100_000)  # commits (a transactional test)
    public_cache._local_generation = before  # as in a process where nothing was edited
    assert public_cache.generation() != generation
    assert CacheGeneration.objects.get(name="public").value >= 1
    assert "Rp 2.100.000" in html(client.get("/checkout/all"))


def test_a_promo_ending_shows_without_an_edit(client, catalog, admin_user):
    ends = timezone.now() + timedelta(seconds=3)
    _gold_prices(catalog, admin_user, 1_500_000, promo=1_100_000, promo_ends_at=ends)
    assert 0 < catalog_selectors.public_prices_stable_seconds() <= 3
    assert "Rp 1.100.000" in html(client.get("/checkout/all"))
    time.sleep(max(0.0, (ends - timezone.now()).total_seconds()) + 0.3)
    page = html(client.get("/checkout/all"))
    assert "Rp 1.100.000" not in page and "Rp 1.500.000" in page


def test_sold_seats_replace_the_pages(client, catalog, django_assert_max_num_queries):
    client.get("/produk")
    with django_assert_max_num_queries(1):
        client.get("/produk")
    catalog_services.product_stock_take(product=catalog.webinar)  # an UPDATE: no signal, the service bumps
    with django_assert_max_num_queries(20) as captured:
        client.get("/produk")
    assert len(captured.captured_queries) > 1  # rendered again


def test_plan_product_branding_and_front_door_edits_show_at_once(
    client, catalog, admin_user, django_capture_on_commit_callbacks
):
    for path in PAGES:
        client.get(path)
    catalog_services.plan_update(plan=catalog.gold, actor=admin_user, title="Gold Eksportir")
    assert "Gold Eksportir" in html(client.get("/checkout/all"))
    assert "Gold Eksportir" in html(client.get("/"))
    catalog_services.plan_update(plan=catalog.silver, actor=admin_user, badge_best_seller=True)
    page = html(client.get("/checkout/all"))
    assert page.count("Paling Laris") == 1
    catalog_services.product_update(product=catalog.ebook, actor=admin_user, title="Ebook Ekspor Edisi 2")
    assert "Ebook Ekspor Edisi 2" in html(client.get("/produk"))
    with django_capture_on_commit_callbacks(execute=True):  # branding's own cache is dropped on commit
        branding_update(actor=admin_user, section="identity", platform_name="Sanggar Ekspor Nusantara")
    assert "Sanggar Ekspor Nusantara" in html(client.get("/membership/gold"))
    home_page_update(actor=admin_user, headline="Belajar ekspor dari nol sampai kirim kontainer")
    assert "Belajar ekspor dari nol sampai kirim kontainer" in html(client.get("/"))


def test_an_admin_fee_change_shows_at_once(client, catalog, admin_user, django_capture_on_commit_callbacks):
    from sanggar.orders.services.charges import charge_settings_update

    assert "Rp 7.500" not in html(client.get("/checkout/gold"))
    with django_capture_on_commit_callbacks(execute=True):  # the settings' own cache is dropped on commit
        charge_settings_update(actor=admin_user, admin_fee=7_500)
    assert "Rp 7.500" in html(client.get("/checkout/gold"))


def test_cache_off_renders_every_request(client, catalog, settings, django_assert_max_num_queries):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.get("/checkout/all")
    with django_assert_max_num_queries(20) as captured:
        client.get("/checkout/all")
    assert len(captured.captured_queries) > 1
