"""Selling a course: the affiliate commission per course as a percent or flat rupiah (editor, admin API, the
commission paid), coupons limited to courses (service, admin page, pricing), and the mentor's share of a course
line taken before the company fee (finance's split)."""

import pytest
from django.urls import reverse

from sanggar.affiliates.models import Commission
from sanggar.affiliates.services import affiliate_profile_ensure
from sanggar.api.testing import call
from sanggar.catalog.models import Coupon
from sanggar.core.exceptions import ServiceError
from sanggar.finance.models import MentorShare
from sanggar.finance.services.revenue import revenue_settings_current
from sanggar.finance.services.split import _commission_quote, split_for_order
from sanggar.learning import services
from sanggar.orders.models import Order
from sanggar.orders.services import ItemRequest, order_create, order_mark_paid, order_preview

from .world import World, build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    w = World(make_user, admin_user)
    w.paid = build_course(
        admin_user,
        "Ekspor Furnitur",
        modules=1,
        lessons=1,
        quiz=False,
        role_access="public",
        price=1_000_000,
        affiliate_enabled=True,
        affiliate_commission_percent=20,
        mentor_share_percent=30,
        mentor=w.mentor.pk,
    )
    w.other = build_course(
        admin_user, "Ekspor Kopi", modules=1, lessons=1, quiz=False, role_access="public", price=500_000
    )
    affiliate_profile_ensure(user=w.affiliate)
    return w


def _sell(world, course, coupon=""):
    order = order_create(
        buyer=world.free,
        items=[ItemRequest("course", course.slug)],
        coupon_code=coupon,
        provider="manual",
        affiliate=world.affiliate,
    )
    return order_mark_paid(order=order, actor=world.admin)


def test_mentor_share_comes_before_the_company_fee(world):
    order = _sell(world, world.paid)
    commission = Commission.objects.get(order=order).amount
    assert commission == 200_000  # 20 % of 1,000,000
    share = MentorShare.objects.get(order=order)
    assert (share.mentor_id, share.amount) == (world.mentor.pk, 240_000)  # 30 % of what the commission left
    row = revenue_settings_current()
    paid = Order.objects.get(pk=order.pk)
    parts = split_for_order(paid, settings_row=row, quote=_commission_quote(paid))  # as posted at payment
    assert (parts.affiliate, parts.mentors) == (200_000, ((world.mentor.pk, 240_000),))
    # the company fee is a percent of what remains after the commission AND the mentor's share
    assert parts.company_fee == (1_000_000 - 200_000 - 240_000) * row.company_fee_percent // 100
    assert parts.affiliate + parts.mentor_total + parts.founder + parts.cofounder + parts.company == order.total


def test_flat_commission_per_course(world):
    services.course_update(
        actor=world.admin,
        course=world.paid,
        data={"affiliate_commission_type": "flat", "affiliate_commission_flat": "75000"},
    )
    order = _sell(world, world.paid)
    assert Commission.objects.get(order=order).amount == 75_000
    share = MentorShare.objects.get(order=order)
    assert share.amount == (1_000_000 - 75_000) * 30 // 100
    # off: no commission whatever the type
    services.course_update(actor=world.admin, course=world.other, data={"affiliate_enabled": False})
    assert not Commission.objects.filter(order=_sell(world, world.other), amount__gt=0).exists()


def test_commission_fields_are_admin_only_and_validated(world):
    # the mentor edits a draft (mentors edit drafts only); the commission fields stay the admin's
    services.course_set_status(actor=world.admin, course=world.paid, status="draft")
    world.paid.refresh_from_db()
    services.course_update(
        actor=world.mentor,
        course=world.paid,
        data={"affiliate_commission_type": "flat", "affiliate_commission_flat": 9},
    )
    world.paid.refresh_from_db()
    assert (world.paid.affiliate_commission_type, world.paid.affiliate_commission_flat) == ("percent", 0)
    for bad in ({"affiliate_commission_type": "gratis"}, {"affiliate_commission_flat": "-5"},
                {"affiliate_commission_flat": "1e9\x00"}):  # fmt: skip
        with pytest.raises(ServiceError):
            services.course_update(actor=world.admin, course=world.paid, data=bad)


def test_price_tab_and_api(world, client):
    client.force_login(world.admin)
    url = reverse("learning:edit", args=[world.paid.slug]) + "?tab=harga"
    page = client.get(url).content.decode()
    assert 'name="affiliate_commission_type"' in page and 'name="affiliate_commission_flat"' in page
    api = call(
        client,
        "put",
        f"/admin/courses/{world.paid.slug}/commission",
        {
            "affiliate_enabled": True,
            "affiliate_commission_type": "flat",
            "affiliate_commission_flat": 50_000,
            "mentor_share_percent": 40,
        },
        user=world.admin,
    )
    assert api.status_code == 200
    assert api.json()["affiliate_commission_type"] == "flat" and api.json()["mentor_share_percent"] == 40
    bad = {"affiliate_enabled": True, "affiliate_commission_type": "percent", "affiliate_commission_percent": 101}
    assert call(client, "put", f"/admin/courses/{world.paid.slug}/commission", bad, user=world.admin).status_code == 400
    body = {"affiliate_enabled": True, "affiliate_commission_type": "flat"}
    path = f"/admin/courses/{world.paid.slug}/commission"
    assert call(client, "put", path, body, user=world.mentor).status_code == 403
    assert call(client, "put", "/admin/courses/tidak-ada/commission", body, user=world.admin).status_code == 404
    world.paid.refresh_from_db()
    assert world.paid.affiliate_commission_flat == 50_000


def test_coupon_limited_to_a_course(world):
    world.shop.coupon("KOPI20", value=20, resource_ids=[world.other.resource_id])
    assert Coupon.objects.get(code="KOPI20").resources.get() == world.other.resource
    quote = order_preview(buyer=world.free, items=[ItemRequest("course", world.other.slug)], coupon_code="KOPI20")
    assert quote.coupon_valid and quote.lines[0].coupon_discount == 100_000
    other = order_preview(buyer=world.free, items=[ItemRequest("course", world.paid.slug)], coupon_code="KOPI20")
    assert not other.coupon_valid and "tidak berlaku" in other.coupon_message
    # a plan line is not a course line either
    with pytest.raises(ServiceError):
        order_create(
            buyer=world.free, items=[ItemRequest("course", world.paid.slug)], coupon_code="KOPI20", provider="manual"
        )
    # only course resources may be chosen
    with pytest.raises(ServiceError):
        world.shop.coupon("SALAH", value=5, resource_ids=[world.plan.pk * 1000 + 999999])


def test_coupon_page_offers_courses(world, client):
    client.force_login(world.admin)
    url = reverse("catalog:admin_coupon_create")
    page = client.get(url).content.decode()
    assert 'id="coupon-courses"' in page and "Ekspor Kopi" in page
    response = client.post(
        url,
        {
            "code": "KURSUS10",
            "discount_type": "percent",
            "value": "10",
            "resource_ids": [str(world.other.resource_id)],
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert list(Coupon.objects.get(code="KURSUS10").resources.values_list("pk", flat=True)) == [world.other.resource_id]
    listing = client.get(reverse("catalog:admin_coupons")).content.decode()
    assert "1 kursus" in listing
    bad = client.post(url, {"code": "X1", "discount_type": "percent", "value": "5", "resource_ids": ["abc"]})
    assert bad.status_code == 200 and not Coupon.objects.filter(code="X1").exists()
