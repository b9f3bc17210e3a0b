"""Tracking pixels (global and per plan/product, consent, CSP allow-list only when configured, Purchase once per
order), testimonials on the sales pages, and sales-page visits counted for the conversion per plan."""

import io
import json
import re

import pytest
from django.core.cache import cache
from django.test import Client
from PIL import Image

from sanggar.analytics.selectors import analytics_summary, period_make
from sanggar.catalog import services as catalog
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.marketing import selectors as marketing_selectors
from sanggar.marketing import services
from sanggar.marketing.models import SalesPageVisit
from sanggar.marketing.models import Testimonial as TestimonialRow
from sanggar.orders.models import Order
from sanggar.orders.services import order_mark_paid
from sanggar.orders.tests.shop import Shop, plan_item


@pytest.fixture
def shop(admin_user):
    return Shop(admin_user)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def config_of(html: str) -> dict | None:
    match = re.search(r'<script id="tracking-config" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1)) if match else None


def pixels(admin, **values):
    values.setdefault("consent_required", False)
    return services.pixel_settings_update(actor=admin, **values)


# --- pixels --------------------------------------------------------------------------------------------------------


def test_without_pixels_nothing_loads_and_the_csp_stays_strict(client, shop):
    gold = shop.plan("Gold")
    response = client.get(f"/membership/{gold.slug}")
    html = response.content.decode()
    assert config_of(html) is None
    assert "facebook" not in response["Content-Security-Policy"]
    assert "data-visit-url" in html  # the visit beacon is there anyway


def test_sales_page_fires_view_content_with_global_and_plan_pixels(client, shop, admin_user):
    pixels(admin_user, pixel_meta_id="123456789012345", pixel_google_id="G-ABC1234")
    gold = shop.plan("Gold", prices=(("12m", 1_200_000), ("1m", 150_000)))
    catalog.plan_update(plan=gold, actor=admin_user, pixel_tiktok_id="C4ABCDEF1234567890")
    response = client.get(f"/membership/{gold.slug}")
    config = config_of(response.content.decode())
    assert config["meta"] == ["123456789012345"] and config["google"] == ["G-ABC1234"]
    assert config["tiktok"] == ["C4ABCDEF1234567890"]
    assert config["consent"] is False
    assert config["events"] == [
        {
            "name": "ViewContent",
            "currency": "IDR",
            "value": 150_000,
            "content_name": "Gold",
            "content_ids": [f"plan-{gold.pk}"],
        }
    ]
    csp = response["Content-Security-Policy"]
    assert "https://connect.facebook.net" in csp and "https://analytics.tiktok.com" in csp
    # Admin and member pages never get the providers' hosts.
    client.force_login(admin_user)
    assert "facebook" not in client.get("/admin/settings/pixel")["Content-Security-Policy"]


def test_checkout_fires_initiate_checkout(client, shop, admin_user):
    pixels(admin_user, pixel_meta_id="123456789012345")
    gold = shop.plan("Gold")
    config = config_of(client.get(f"/checkout/{gold.slug}").content.decode())
    assert [e["name"] for e in config["events"]] == ["InitiateCheckout"]
    assert config["events"][0]["value"] == 1_200_000
    product = shop.product("Ebook", price=99_000, pixel_meta_id="998877665544")
    config = config_of(client.get(f"/produk/{product.slug}/checkout").content.decode())
    assert config["meta"] == ["123456789012345", "998877665544"]
    assert config["events"][0]["name"] == "InitiateCheckout" and config["events"][0]["value"] == 99_000
    config = config_of(client.get(f"/produk/{product.slug}").content.decode())
    assert config["events"][0]["name"] == "ViewContent"
    config = config_of(client.get("/checkout/all").content.decode())
    assert config["events"] == [{"name": "InitiateCheckout", "currency": "IDR"}]


def test_purchase_fires_once_per_order_from_the_invoice_page(client, shop, admin_user, make_user):
    pixels(admin_user, pixel_meta_id="123456789012345", consent_required=True)
    buyer = make_user(full_name="Pembeli Uji")
    gold = shop.plan("Gold")
    order = shop.buy(buyer, plan_item(gold.slug))
    client.force_login(buyer)
    pending = config_of(client.get(f"/invoice/{order.invoice_number}").content.decode())
    assert pending["events"] == []  # not paid yet: pixels load, no Purchase
    order_mark_paid(order=order, actor=admin_user)
    first = client.get(f"/invoice/{order.invoice_number}").content.decode()
    purchase = config_of(first)["events"]
    assert purchase == [
        {
            "name": "Purchase",
            "currency": "IDR",
            "value": int(order.total),
            "content_name": "Gold",
            "content_ids": [f"plan-{gold.pk}"],
            "transaction_id": order.invoice_number,
        }
    ]
    assert config_of(first)["consent"] is True and 'id="pixel-consent"' in first
    assert Order.objects.get(pk=order.pk).pixel_purchase_at is not None
    for _ in range(2):  # a reload, another tab
        again = config_of(client.get(f"/invoice/{order.invoice_number}").content.decode())
        assert again["events"] == []
    # An admin opening the invoice never fires the buyer's Purchase.
    client.force_login(admin_user)
    assert config_of(client.get(f"/invoice/{order.invoice_number}").content.decode()) is None


def test_pixel_settings_page_validates_ids(admin_client, admin_user, member_user):
    response = admin_client.post(
        "/admin/settings/pixel", {"pixel_meta_id": "abc", "pixel_google_id": "UA-1", "pixel_tiktok_id": "<x>"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "ID Meta Pixel tidak valid" in page
    response = admin_client.post(
        "/admin/settings/pixel",
        {"pixel_meta_id": "123456789", "pixel_google_id": "gtm-abcd12", "consent_required": "on"},
    )
    assert response.status_code == 302
    assert "GTM-ABCD12" in admin_client.get("/admin/settings/pixel").content.decode()
    other = Client()
    other.force_login(member_user)
    assert other.get("/admin/settings/pixel").status_code in (302, 403)
    with pytest.raises(NotAllowed):
        services.pixel_settings_update(actor=member_user, consent_required=False)


def test_plan_and_product_forms_carry_pixel_fields(admin_client, shop, admin_user):
    gold = shop.plan("Gold")
    assert 'name="pixel_meta_id"' in admin_client.get(f"/admin/membership/{gold.pk}/marketing").content.decode()
    product = shop.product("Ebook")
    response = admin_client.post(
        f"/admin/produk/{product.pk}/seo", {"seo_title": "", "seo_description": "", "pixel_tiktok_id": "bukan id"}
    )
    assert "ID TikTok Pixel tidak valid" in response.content.decode()
    with pytest.raises(ServiceError):
        catalog.plan_update(plan=gold, actor=admin_user, pixel_meta_id="12ab")


# --- testimonials --------------------------------------------------------------------------------------------------


def photo():
    buffer = io.BytesIO()
    Image.new("RGB", (30, 30), "red").save(buffer, format="JPEG")
    buffer.seek(0)
    buffer.name = "foto.jpg"
    return buffer


def test_testimonials_admin_and_sales_pages(admin_client, client, shop, admin_user, media):
    gold = shop.plan("Gold")
    silver = shop.plan("Silver", rank=2)
    response = admin_client.post(
        "/admin/testimoni",
        {
            "name": "Rina Wulandari",
            "role_city": "Eksportir kopi, Medan",
            "text": "Order pertama saya ke Jepang berkat kelas ini.",
            "rating": "5",
            "target": f"plan:{gold.pk}",
            "sort_order": "1",
            "is_active": "on",
            "photo": photo(),
        },
    )
    assert response.status_code == 302
    services.testimonial_save(actor=admin_user, name="Budi", text="Mentornya sabar.", rating=4)
    services.testimonial_save(actor=admin_user, name="Sari", text="Untuk Silver saja.", plan_id=silver.pk)
    services.testimonial_save(actor=admin_user, name="Tersembunyi", text="Tidak aktif.", is_active=False)
    page = client.get(f"/membership/{gold.slug}").content.decode()
    assert page.index("Rina Wulandari") < page.index("Budi")  # the plan's own first, then the global ones
    assert "Sari" not in page and "Tersembunyi" not in page
    assert "/media/testimonials/" in page
    assert [t.name for t in marketing_selectors.testimonials_for(plan=gold)] == ["Rina Wulandari", "Budi"]
    product = shop.product("Ebook")
    assert "Budi" in client.get(f"/produk/{product.slug}").content.decode()
    listing = admin_client.get("/admin/testimoni").content.decode()
    assert "Rina Wulandari" in listing and "Paket: Gold" in listing
    rina = TestimonialRow.objects.get(name="Rina Wulandari")
    assert admin_client.get(f"/admin/testimoni/{rina.pk}").status_code == 200
    admin_client.post(
        f"/admin/testimoni/{rina.pk}",
        {"name": "Rina W.", "text": "Diperbarui.", "rating": "3", "target": "", "sort_order": "0"},
    )
    rina.refresh_from_db()
    assert (rina.name, rina.rating, rina.plan_id, rina.is_active) == ("Rina W.", 3, None, False)
    admin_client.post(f"/admin/testimoni/{rina.pk}/hapus")
    assert not TestimonialRow.objects.filter(pk=rina.pk).exists()


def test_testimonial_input_is_checked(admin_user, member_user, media, shop):
    gold = shop.plan("Gold")
    product = shop.product("Ebook")
    for bad in (
        {"name": "", "text": "x"},
        {"name": "A", "text": "x", "rating": 9},
        {"name": "A\x00", "text": "x"},
        {"name": "A", "text": "x", "plan_id": gold.pk, "product_id": product.pk},
        {"name": "A", "text": "x", "plan_id": 999_999},
    ):
        with pytest.raises(ServiceError):
            services.testimonial_save(actor=admin_user, **bad)
    fake = io.BytesIO(b"GIF89a-bukan-jpeg")
    fake.name, fake.size = "x.jpg", 17
    with pytest.raises(ServiceError) as refused:
        services.testimonial_save(actor=admin_user, name="A", text="x", photo=fake)
    assert "photo" in refused.value.errors
    with pytest.raises(NotAllowed):
        services.testimonial_save(actor=member_user, name="A", text="x")
    assert not TestimonialRow.objects.exists()


# --- visits and conversion -----------------------------------------------------------------------------------------


def test_visit_beacon_counts_once_per_address_and_day(client, shop):
    gold = shop.plan("Gold")
    url = f"/kunjungan/plan/{gold.slug}"
    assert client.post(url, REMOTE_ADDR="10.0.0.1").status_code == 204
    client.post(url, REMOTE_ADDR="10.0.0.1")  # a reload
    client.post(url, REMOTE_ADDR="10.0.0.2")
    assert SalesPageVisit.objects.get(plan=gold).count == 2
    assert client.post("/kunjungan/plan/tidak-ada", REMOTE_ADDR="10.0.0.3").status_code == 204
    assert client.post(f"/kunjungan/kursus/{gold.slug}").status_code == 204
    assert client.get(url).status_code == 405
    assert SalesPageVisit.objects.count() == 1


def test_the_beacon_is_on_the_page_also_when_it_comes_from_the_cache(client, shop):
    gold = shop.plan("Gold")
    first = client.get(f"/membership/{gold.slug}").content.decode()
    second = client.get(f"/membership/{gold.slug}").content.decode()  # served from the public cache
    assert f'data-visit-url="/kunjungan/plan/{gold.slug}"' in first
    assert f'data-visit-url="/kunjungan/plan/{gold.slug}"' in second


def test_conversion_per_plan_counts_visits_checkouts_and_paid(admin_client, shop, make_user, admin_user):
    gold = shop.plan("Gold")
    silver = shop.plan("Silver", rank=2)
    for n in range(10):
        services.visit_record(kind="plan", slug=gold.slug, address=f"10.0.1.{n}")
    services.visit_record(kind="plan", slug=silver.slug, address="10.0.2.1")
    shop.buy(make_user(), plan_item(gold.slug))
    shop.buy_paid(make_user(), plan_item(gold.slug))
    cache.clear()
    summary = analytics_summary(period=period_make(start=None, end=None))
    rows = {c.plan: c for c in summary.conversion}
    assert (rows["Gold"].visits, rows["Gold"].checkouts, rows["Gold"].paid) == (10, 2, 1)
    assert rows["Gold"].visit_rate == 10.0 and rows["Gold"].checkout_rate == 20.0
    assert (rows["Silver"].visits, rows["Silver"].checkouts) == (1, 0)
    csv = b"".join(admin_client.get("/admin/analytics?csv=conversion").streaming_content).decode()
    assert "Kunjungan halaman penjualan" in csv and "Gold,10,2,1,20.0,50.0,10.0" in csv
    page = admin_client.get("/admin/analytics").content.decode()
    assert 'data-conversion="Gold"' in page
