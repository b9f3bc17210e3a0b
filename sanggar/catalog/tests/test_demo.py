import pytest

from sanggar.accounts import demo as accounts_demo
from sanggar.audit.models import ActivityLog
from sanggar.catalog import demo
from sanggar.catalog.models import Coupon, FollowUpStep, MembershipPlan, PlanPrice, Product, ProductFile

pytestmark = pytest.mark.django_db


def test_demo_catalog_is_complete_and_idempotent():
    accounts_demo.seed(log=lambda m: None)
    lines = []
    demo.seed(log=lines.append)
    assert lines == ["catalog: 6 plans, 4 products, 2 coupons, 13 access resources"]
    plans = {p.slug: p for p in MembershipPlan.objects.all()}
    assert sorted(plans) == ["12-bulan", "6-bulan", "gold", "lifetime", "platinum", "silver"]
    assert all(p.status == "active" and p.logo and p.banner for p in plans.values())
    assert [(plans[s].title, plans[s].rank) for s in ("silver", "gold", "platinum")] == [
        ("Silver", 1), ("Gold", 2), ("Platinum", 3),
    ]  # fmt: skip
    assert list(PlanPrice.objects.filter(plan=plans["gold"]).values_list("duration", flat=True)) == [
        "3m", "6m", "12m", "lifetime",
    ]  # fmt: skip
    assert (plans["gold"].badge_best_seller, plans["silver"].badge_cheapest) == (True, True)
    assert sorted(plans["silver"].included_resources.values_list("title", flat=True)) == [
        "Dasar Ekspor", "Komunitas Pemula",
    ]  # fmt: skip
    # every plan with the buyer database opens the other directories too (directory gating, §1.1)
    directories = {"database-buyer", "database-supplier", "database-forwarder", "member-directory"}
    for slug in ("12-bulan", "lifetime", "gold", "platinum"):
        assert directories <= set(plans[slug].included_resources.values_list("key", flat=True)), slug
    assert not FollowUpStep.objects.filter(plan__isnull=False).exists()  # the reminders demo: builder sequences
    products = {p.slug: p for p in Product.objects.all()}
    assert {s: p.status for s, p in products.items()} == {
        "ebook-panduan-ekspor-pemula": "published",
        "webinar-menembus-buyer-eropa": "published",
        "bundel-template-dokumen-ekspor": "published",
        "kelas-strategi-harga-ekspor": "coming_soon",
    }
    assert products["webinar-menembus-buyer-eropa"].stock == 100
    assert all(p.resource_id and p.cover for p in products.values())
    files = ProductFile.objects.order_by("id")
    assert [f.file.read(4) for f in files] == [b"%PDF", b"PK\x03\x04"]
    assert list(Coupon.objects.order_by("id").values_list("code", flat=True)) == ["EKSPOR10", "DINDA100"]

    rows = ActivityLog.objects.count()
    lines.clear()
    demo.seed(log=lines.append)
    assert lines == ["demo catalog already there"]
    assert ActivityLog.objects.count() == rows
    assert (MembershipPlan.objects.count(), Product.objects.count(), Coupon.objects.count()) == (6, 4, 2)
