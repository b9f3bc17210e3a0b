"""Tracking pixels per course: the course's own IDs next to the global ones on its page, buy page and invoice; the
admin sets them on the course editor (checked with catalog/pixels.py); the CSP opens to the providers on /kursus/
only when a pixel is configured."""

import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from sanggar.api.testing import call
from sanggar.core.exceptions import ServiceError
from sanggar.learning import services
from sanggar.marketing.services import pixel_settings_update
from sanggar.orders.models import Order
from sanggar.orders.services import order_mark_paid

from .world import World, build_course

pytestmark = pytest.mark.django_db

META_GLOBAL = "123456789012345"
META_COURSE = "998877665544"
TIKTOK_COURSE = "C4ABCDEF1234567890"


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PAYMENT_PROVIDERS = ["manual"]
    cache.clear()
    return World(make_user, admin_user)


def config_of(html: str) -> dict | None:
    match = re.search(r'<script id="tracking-config" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1)) if match else None


def paid_course(world, **pixels):
    course = build_course(
        world.admin, "Ekspor Kopi", modules=1, lessons=1, quiz=False, role_access="public", price=300_000,
        promo_price=250_000,
    )  # fmt: skip
    if pixels:
        course = services.course_update(actor=world.admin, course=course, data=pixels)
    return course


def test_course_page_carries_course_and_global_pixels_with_view_content(world, client):
    pixel_settings_update(actor=world.admin, consent_required=False, pixel_meta_id=META_GLOBAL)
    course = paid_course(world, pixel_meta_id=META_COURSE, pixel_tiktok_id=TIKTOK_COURSE.lower())
    assert course.pixel_tiktok_id == TIKTOK_COURSE  # stored upper-case, like the plan's
    response = client.get(reverse("learning:course_detail", args=[course.slug]))
    config = config_of(response.content.decode())
    assert config["meta"] == [META_GLOBAL, META_COURSE] and config["tiktok"] == [TIKTOK_COURSE]
    assert config["events"] == [
        {
            "name": "ViewContent",
            "currency": "IDR",
            "value": 250_000,
            "content_name": "Ekspor Kopi",
            "content_ids": [f"course-{course.pk}"],
        }
    ]
    csp = response["Content-Security-Policy"]
    assert "https://connect.facebook.net" in csp and "https://analytics.tiktok.com" in csp
    buy = client.get(reverse("learning:checkout", args=[course.slug]))
    config = config_of(buy.content.decode())
    assert [e["name"] for e in config["events"]] == ["InitiateCheckout"]
    assert config["events"][0]["value"] == 250_000 and config["events"][0]["content_ids"] == [f"course-{course.pk}"]
    assert "https://connect.facebook.net" in buy["Content-Security-Policy"]
    # Member pages never get the providers' hosts.
    client.force_login(world.free)
    assert "facebook" not in client.get(reverse("learning:mine"))["Content-Security-Policy"]


def test_only_the_course_pixel_opens_the_csp_of_course_pages(world, client):
    course = paid_course(world)
    response = client.get(reverse("learning:course_detail", args=[course.slug]))
    assert config_of(response.content.decode()) is None
    assert "tracking.js" not in response.content.decode()
    assert "facebook" not in response["Content-Security-Policy"]
    services.course_update(actor=world.admin, course=course, data={"pixel_meta_id": META_COURSE})
    response = client.get(reverse("learning:course_detail", args=[course.slug]))  # the save cleared the cache
    assert config_of(response.content.decode())["meta"] == [META_COURSE]
    assert "https://connect.facebook.net" in response["Content-Security-Policy"]
    other = build_course(world.admin, "Ekspor Teh", modules=1, lessons=1, quiz=False, role_access="public")
    plain = client.get(reverse("learning:course_detail", args=[other.slug]))
    assert config_of(plain.content.decode()) is None  # another course without pixels fires nothing


def test_invalid_pixel_refused_on_the_course_editor_in_indonesian(world, client):
    course = paid_course(world)
    client.force_login(world.admin)
    url = reverse("learning:edit", args=[course.slug]) + "?tab=harga"
    page = client.get(url).content.decode()
    assert 'name="pixel_meta_id"' in page and 'name="pixel_google_id"' in page and 'name="pixel_tiktok_id"' in page
    response = client.post(url, {"price": "300000", "promo_price": "250000", "pixel_meta_id": "abc<script>"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "ID Meta Pixel tidak valid" in html
    course.refresh_from_db()
    assert course.pixel_meta_id == ""
    response = client.post(url, {"price": "300000", "promo_price": "250000", "pixel_google_id": "g-abc1234"})
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.pixel_google_id == "G-ABC1234"
    # The mentor cannot set pixels (the admin's to set, like commissions); the service refuses bad IDs too.
    client.force_login(world.mentor)
    mentor_course = build_course(world.mentor, "Kursus Mentor", modules=1, lessons=1, quiz=False)
    assert (
        'name="pixel_meta_id"'
        not in client.get(reverse("learning:edit", args=[mentor_course.slug]) + "?tab=harga").content.decode()
    )
    services.course_update(actor=world.mentor, course=mentor_course, data={"pixel_meta_id": META_COURSE})
    mentor_course.refresh_from_db()
    assert mentor_course.pixel_meta_id == ""
    with pytest.raises(ServiceError) as exc:
        services.course_update(actor=world.admin, course=course, data={"pixel_tiktok_id": "pendek\x00"})
    assert "ID TikTok Pixel tidak valid" in str(exc.value.errors["pixel_tiktok_id"][0])


def test_purchase_of_a_course_carries_the_course_pixels(world, client):
    course = paid_course(world, pixel_meta_id=META_COURSE)
    response = call(
        client, "post", "/orders", {"items": [{"kind": "course", "slug": course.slug}], "provider": "manual"},
        user=world.free,
    )  # fmt: skip
    order = Order.objects.get(invoice_number=response.json()["invoice_number"])
    order_mark_paid(order=order, actor=world.admin)
    client.force_login(world.free)
    config = config_of(client.get(f"/invoice/{order.invoice_number}").content.decode())
    assert config["meta"] == [META_COURSE]
    assert config["events"] == [
        {
            "name": "Purchase",
            "currency": "IDR",
            "value": int(order.total),
            "content_name": "Ekspor Kopi",
            "content_ids": [f"course-{course.pk}"],
            "transaction_id": order.invoice_number,
        }
    ]
