"""The front door at `/` (issue 9, item 2): hero from branding, plans with prices and badges, featured products,
numbers and testimonials that exist, routes to buy or sign in; the admin chooses what it shows."""

import pytest

from sanggar.audit.models import ActivityLog
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.orders.models import HomePage
from sanggar.orders.services.home import home_page_update
from sanggar.orders.services.home import testimonials_parse as parse_testimonials

from .test_checkout import build_catalog, checkout_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(admin_user, settings, tmp_path):
    checkout_settings(settings, tmp_path)
    return build_catalog(admin_user)


def test_front_door_shows_plans_products_and_routes(client, catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="/checkout/all"' in page and 'href="/produk"' in page and 'href="/accounts/login/"' in page
    plans = page[page.index('id="home-plans"') : page.index('id="home-products"')]
    assert plans.index("Silver") < plans.index("Gold") < plans.index("Platinum")
    assert plans.count("Paling Laris") == 1 and plans.count("Paling Murah") == 1
    assert "Rp 600.000" in plans  # Silver's cheapest option
    assert "Ebook Panduan Ekspor" in page[page.index('id="home-products"') :]
    assert 'id="home-numbers"' in page and "pilihan paket membership" in page
    assert "member aktif" not in page  # no members yet: no "0 member"
    assert 'id="home-testimonials"' not in page


def test_admin_chooses_what_the_front_door_shows(client, admin_client, admin_user, catalog):
    response = admin_client.post(
        "/admin/settings/beranda",
        {
            "headline": "Ekspor pertama Anda",
            "show_products": "on",
            "featured_products": [catalog.ebook.pk],
            "show_testimonials": "on",
            "testimonials": "Sari | Pemilik UMKM | Kopi kami sampai Rotterdam.\nbaris tanpa pemisah",
        },
    )
    assert response.status_code == 302
    assert ActivityLog.objects.filter(data__what="home.updated").count() == 1
    page = client.get("/").content.decode()
    assert "Ekspor pertama Anda" in page
    assert 'id="home-plans"' not in page and 'id="home-numbers"' not in page
    assert "Kopi kami sampai Rotterdam." in page and "baris tanpa pemisah" not in page
    products = page[page.index('id="home-products"') :]
    assert "Ebook Panduan Ekspor" in products and "Webinar" not in products.split('id="home-testimonials"')[0]


def test_home_settings_are_for_admins_only(client, member_client, member_user):
    assert member_client.get("/admin/settings/beranda").status_code == 403
    with pytest.raises(NotAllowed):
        home_page_update(actor=member_user, headline="Diretas")
    assert not HomePage.objects.exists()


def test_only_published_products_can_be_featured(admin_user, catalog):
    with pytest.raises(ServiceError) as exc:
        home_page_update(actor=admin_user, featured_product_ids=[catalog.soon.pk])
    assert "featured_product_ids" in exc.value.errors


def test_testimonials_parse():
    assert parse_testimonials("A | B | C\nD | E\n | x\nsatu") == [
        {"name": "A", "role": "B", "quote": "C"},
        {"name": "D", "role": "", "quote": "E"},
    ]
