"""Targeting by plan, province and hours; the per-person daily cap and views counted once per person per day;
dismissal; the feed slot; statistics per period and CSV; sponsor packages from purchase to review."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanggar.access.services import grant_create
from sanggar.api.testing import bearer, call
from sanggar.banners import selectors, services
from sanggar.banners.models import Banner, BannerDailyStat, BannerDismissal
from sanggar.catalog.services import product_create
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.notifications.models import Notification

from .conftest import png

pytestmark = pytest.mark.django_db


def _for(user, placement="dashboard", limit=5, now=None):
    return selectors.banners_for(user=user, placement=placement, roles=["member"], limit=limit, now=now)


def test_targeting_by_plan_and_province(make_banner, make_user, monkeypatch):
    jatim = make_user(province="Jawa Timur")
    bali = make_user(province="Bali")
    for_province = make_banner(title="Jatim", target_provinces=["Jawa Timur"])
    everyone = make_banner(title="Semua")
    assert set(_for(jatim)) == {for_province, everyone}
    assert set(_for(bali)) == {everyone}
    with pytest.raises(ServiceError) as err:
        make_banner(target_provinces=["Atlantis"])
    assert "target_provinces" in err.value.errors


def test_targeting_by_plan(make_banner, member_user, monkeypatch):
    from sanggar.catalog.models import MembershipPlan

    plan = MembershipPlan.objects.create(title="Lifetime", slug="lifetime-uji")
    lifetime = make_banner(title="Khusus Lifetime", target_plans=[plan.pk])
    monkeypatch.setattr(selectors, "membership_active_for", lambda **kw: None)
    assert lifetime not in _for(member_user)
    monkeypatch.setattr(selectors, "membership_active_for", lambda **kw: SimpleNamespace(plan_id=plan.pk))
    assert lifetime in _for(member_user)
    with pytest.raises(ServiceError):
        make_banner(target_plans=[999999])
    with pytest.raises(ServiceError):
        make_banner(target_plans="semua")


def test_active_hours_in_wib_including_past_midnight(make_banner, member_user):
    day = make_banner(title="Siang", hour_from=7, hour_to=22, end_at=None)
    night = make_banner(title="Malam", hour_from=22, hour_to=5, end_at=None)
    base = timezone.localtime().replace(minute=30) + timedelta(days=1)
    at = lambda h: base.replace(hour=h)  # noqa: E731
    assert set(_for(member_user, now=at(8))) == {day}
    assert set(_for(member_user, now=at(23))) == {night}
    assert set(_for(member_user, now=at(3))) == {night}
    with pytest.raises(ServiceError) as err:
        make_banner(hour_from=7)
    assert "hour_to" in err.value.errors
    with pytest.raises(ServiceError):
        make_banner(hour_from=24, hour_to=3)


def test_daily_cap_and_views_once_per_person_per_day(make_banner, member_user, make_user):
    capped = make_banner(title="Sekali sehari", daily_cap=2, priority=5, end_at=None)
    for _ in range(2):
        shown = _for(member_user, limit=1)
        assert shown == [capped]
        services.banners_record_views(shown, user=member_user)
    assert _for(member_user) == []  # cap reached for today
    # Two showings to one person are one view; another person adds one.
    assert BannerDailyStat.objects.get(banner=capped).views == 1
    other = make_user()
    services.banners_record_views(_for(other), user=other)
    assert BannerDailyStat.objects.get(banner=capped).views == 2
    # Tomorrow the cap starts again.
    assert _for(member_user, now=timezone.now() + timedelta(days=1)) == [capped]


def test_rotation_within_a_priority(make_banner, member_user):
    a = make_banner(title="A")
    b = make_banner(title="B")
    first = _for(member_user, limit=1)
    services.banners_record_views(first, user=member_user)
    second = _for(member_user, limit=1)
    assert {first[0], second[0]} == {a, b}


def test_dismissal_from_page_and_api(client, make_banner, member_user):
    banner = make_banner(title="Tutup saya", placement="sidebar")
    client.force_login(member_user)
    response = client.post(f"/b/{banner.pk}/tutup", {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert BannerDismissal.objects.filter(banner=banner, user=member_user).exists()
    assert _for(member_user, placement="sidebar") == []
    other = make_banner(title="Lain", placement="sidebar")
    assert call(client, "post", f"/banners/{other.pk}/dismiss", user=member_user).json() == {"dismissed": True}
    assert call(client, "post", f"/banners/{other.pk}/dismiss", user=member_user).status_code == 200
    assert call(client, "post", "/banners/999999/dismiss", user=member_user).status_code == 404
    client.logout()
    assert client.post(f"/b/{banner.pk}/tutup").status_code == 302  # to the login page
    assert BannerDismissal.objects.count() == 2


def test_feed_slot_after_every_fifth_post(make_banner, member_user):
    make_banner(title="Feed satu", placement="feed", priority=5)
    make_banner(title="Feed dua", placement="feed", priority=4)
    request = RequestFactory().get("/komunitas")
    request.user, request.session = member_user, {}
    template = Template(
        "{% load banners %}{% for i in posts %}[{{ i }}]{% banner_feed_slot forloop.counter %}{% endfor %}"
    )
    html = template.render(Context({"request": request, "posts": range(1, 16)}))
    assert html.index("Feed satu") > html.index("[5]") and html.index("Feed satu") < html.index("[6]")
    assert html.index("Feed dua") > html.index("[10]") and html.index("Feed dua") < html.index("[11]")
    assert html.count("data-banner=") == 2  # only two banners: the third slot stays empty


def test_api_query_budget_and_new_placements(client, member_user, make_banner):
    for i in range(4):
        make_banner(title=f"Produk {i}", placement="produk", daily_cap=3)
    with CaptureQueriesContext(connection) as queries:
        response = call(client, "get", "/banners?placement=produk&limit=5", user=member_user)
    assert response.status_code == 200 and len(response.json()) == 4
    assert response.json()[0]["click_url"].startswith("http") and "?s=" in response.json()[0]["click_url"]
    sql = [q["sql"] for q in queries.captured_queries if "banners_" in q["sql"]]
    assert len(sql) <= 4, sql  # banners, today's showings, two counters


def test_admin_stats_period_chart_and_csv(admin_client, make_banner):
    banner = make_banner(title='=HYPERLINK("x")')
    today = timezone.localdate()
    BannerDailyStat.objects.create(banner=banner, day=today, views=10, clicks=2)
    BannerDailyStat.objects.create(banner=banner, day=today - timedelta(days=40), views=90, clicks=9)
    page = admin_client.get(f"/admin/banner/{banner.pk}/statistik?periode=30")
    assert page.status_code == 200
    html = page.content.decode()
    assert "data-views>10<" in html and "20,0%" in html and "chart.umd" in html
    assert "data-views>100<" in admin_client.get(f"/admin/banner/{banner.pk}/statistik?periode=semua").content.decode()
    listing = admin_client.get("/admin/banner?periode=7").content.decode()
    assert ">10<" in listing
    csv = admin_client.get("/admin/banner/statistik.csv?periode=semua")
    assert csv["Content-Type"].startswith("text/csv")
    body = csv.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body and body.count("\n") == 3
    assert admin_client.get("/admin/banner/statistik.csv?periode=7").content.decode("utf-8-sig").count("\n") == 2


def _package(admin_user, **kw):
    product = product_create(actor=admin_user, title="Iklan Sidebar 7 Hari", status="published", price=250000)
    return services.sponsor_package_save(actor=admin_user, product=product, placement="sidebar", days=7, **kw)


def _buy(user, package, ref="order:INV-1"):
    grant_create(user=user, resource=package.product.resource, source="purchase", source_ref=ref,
                 starts_at=timezone.now())  # fmt: skip


def _sponsor_data(**kw):
    return {"sponsor_name": "CV Kopi Nusantara", "title": "Kopi Gayo untuk Ekspor", "link_url": "https://kopi.example",
            "description": "Green bean grade 1", "cta_text": "Hubungi", **kw}  # fmt: skip


def test_sponsor_package_purchase_submit_review_and_run(client, admin_user, make_user):
    package = _package(admin_user, daily_cap=3)
    sponsor = make_user(full_name="Sponsor Uji")
    with pytest.raises(NotAllowed):  # not bought yet
        services.sponsor_banner_submit(user=sponsor, package=package, source_ref="order:INV-1", data=_sponsor_data(),
                                       image=png())  # fmt: skip
    _buy(sponsor, package)
    assert [e.source_ref for e in selectors.sponsor_entitlements(user=sponsor)] == ["order:INV-1"]
    client.force_login(sponsor)
    home = client.get("/iklan-saya").content.decode()
    assert "Kirim banner" in home and "Iklan Sidebar 7 Hari" in home
    form = {**_sponsor_data(link_url="javascript:x"), "ref": "order:INV-1", "image": png()}
    bad = client.post(f"/iklan-saya/paket/{package.pk}", form)
    assert bad.status_code == 400 and "http://" in bad.content.decode()
    ok = client.post(f"/iklan-saya/paket/{package.pk}", {**_sponsor_data(), "ref": "order:INV-1", "image": png()})
    assert ok.status_code == 302
    banner = Banner.objects.get(owner=sponsor)
    assert (banner.review, banner.kind, banner.placement, banner.daily_cap) == ("pending", "sponsor", "sidebar", 3)
    assert selectors.sponsor_entitlements(user=sponsor) == []  # one banner per purchase
    assert _for(make_user(), placement="sidebar") == []  # not running before review
    with pytest.raises(NotAllowed):
        services.sponsor_banner_submit(user=sponsor, package=package, source_ref="order:INV-1", data=_sponsor_data(),
                                       image=png())  # fmt: skip
    # Rejected with a note, corrected, approved.
    with pytest.raises(ServiceError):
        services.banner_review(actor=admin_user, banner=banner, approve=False, note="")
    with pytest.raises(NotAllowed):
        services.banner_review(actor=sponsor, banner=banner, approve=True)
    services.banner_review(actor=admin_user, banner=banner, approve=False, note="Gambar buram")
    assert Notification.objects.filter(user=sponsor, data__template="banners.sponsor_rejected").exists()
    assert "Gambar buram" in client.get("/iklan-saya").content.decode()
    fixed = client.post(f"/iklan-saya/{banner.pk}", {**_sponsor_data(title="Kopi Gayo Grade 1"), "image": png()})
    assert fixed.status_code == 302
    banner.refresh_from_db()
    assert (banner.review, banner.title) == ("pending", "Kopi Gayo Grade 1")
    client.force_login(admin_user)
    assert "Menunggu review" in client.get("/admin/banner?review=pending").content.decode()
    response = client.post(f"/admin/banner/{banner.pk}/review", {"decision": "approve", "note": ""})
    assert response.status_code == 302
    banner.refresh_from_db()
    assert banner.review == "approved" and (banner.end_at - banner.start_at).days == 7
    assert _for(make_user(), placement="sidebar") == [banner]
    assert Notification.objects.filter(user=sponsor, data__template="banners.sponsor_approved").exists()
    # Someone else cannot edit it; the owner cannot edit a running banner.
    client.force_login(make_user())
    assert client.get(f"/iklan-saya/{banner.pk}").status_code == 404
    with pytest.raises(ServiceError):
        services.sponsor_banner_update(user=sponsor, banner=banner, data=_sponsor_data())


def test_sponsor_api(client, admin_user, make_user):
    package = _package(admin_user)
    sponsor = make_user()
    _buy(sponsor, package, ref="order:INV-9")
    listed = call(client, "get", "/me/sponsor-banners", user=sponsor).json()
    assert listed["entitlements"][0]["ref"] == "order:INV-9" and listed["banners"] == []
    form = {"package_id": package.pk, "ref": "order:INV-9", **_sponsor_data(), "image": png()}
    response = client.post("/api/v1/me/sponsor-banners", form, headers=bearer(sponsor))
    assert response.status_code == 201, response.content
    assert response.json()["review"] == "pending"
    again = client.post("/api/v1/me/sponsor-banners", {**form, "image": png()}, headers=bearer(sponsor))
    assert again.status_code == 403 and again.json()["message"]
    nul = client.post("/api/v1/me/sponsor-banners", {**form, "title": "a\x00b", "image": png()},
                      headers=bearer(make_user()))  # fmt: skip
    assert nul.status_code in (400, 403)
    banner = Banner.objects.get(owner=sponsor)
    stats = call(client, "get", f"/admin/banners/{banner.pk}/stats?periode=7", user=admin_user)
    assert stats.status_code == 200 and len(stats.json()["days"]) >= 1
    assert call(client, "get", f"/admin/banners/{banner.pk}/stats", user=sponsor).status_code == 403


def test_package_validation_and_admin_only(admin_user, make_user):
    product = product_create(actor=admin_user, title="Iklan Feed", status="published", price=100000)
    with pytest.raises(ServiceError) as err:
        services.sponsor_package_save(actor=admin_user, product=product, placement="popup", days=0)
    assert {"placement", "days"} <= set(err.value.errors)
    with pytest.raises(NotAllowed):
        services.sponsor_package_save(actor=make_user(), product=product, placement="feed", days=7)
