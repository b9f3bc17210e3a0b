import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanggar.api.testing import call
from sanggar.banners.links import click_url
from sanggar.banners.models import Banner, BannerDailyStat
from sanggar.core.roles import Role

from .conftest import png

pytestmark = pytest.mark.django_db


def test_click_redirects_only_to_stored_link_and_counts(client, make_banner):
    banner = make_banner(link_url="https://ekspor.example/promo")
    response = client.get(f"{click_url(banner.pk)}&next=https://evil.example&url=//evil.example")
    assert response.status_code == 302
    assert response["Location"] == "https://ekspor.example/promo"
    assert BannerDailyStat.objects.get(banner=banner).clicks == 1
    # An unsigned or forged link still goes to the stored link but counts nothing.
    assert client.get(f"/b/{banner.pk}").status_code == 302
    assert client.get(f"/b/{banner.pk}?s=palsu").status_code == 302
    other = click_url(banner.pk + 1).replace(f"/b/{banner.pk + 1}", f"/b/{banner.pk}")  # another banner's token
    assert client.get(other).status_code == 302
    assert BannerDailyStat.objects.get(banner=banner).clicks == 1
    assert client.get("/b/999999").status_code == 404


def test_admin_pages_only_for_admins(client, make_user, admin_user, make_banner):
    banner = make_banner()
    for role in (Role.MEMBER, Role.AFFILIATE, Role.SUPPORT, Role.MENTOR):
        client.force_login(make_user(role))
        assert client.get("/admin/banner").status_code == 403
        assert client.post(f"/admin/banner/{banner.pk}/hapus").status_code == 403
    admin_client = client
    admin_client.force_login(admin_user)
    page = admin_client.get("/admin/banner")
    assert page.status_code == 200
    assert "Banner &amp; Iklan" in page.content.decode() and banner.title in page.content.decode()
    assert admin_client.get(f"/admin/banner/{banner.pk}").status_code == 200
    assert admin_client.post(f"/admin/banner/{banner.pk}/hapus").status_code == 302
    assert not Banner.objects.exists()


def test_admin_create_page_validates_in_indonesian(admin_client):
    form = {"title": "Promo Lebaran", "link_url": "javascript:alert(1)", "placement": "dashboard", "audience": "all",
            "start_at": "2026-12-01T08:00", "priority": "3", "active": "on"}  # fmt: skip
    response = admin_client.post("/admin/banner/baru", {**form, "image": png()})
    assert response.status_code == 400
    assert "diawali http:// atau https://" in response.content.decode()
    response = admin_client.post("/admin/banner/baru", {**form, "link_url": "https://ekspor.example", "image": png()})
    assert response.status_code == 302
    assert Banner.objects.get().title == "Promo Lebaran"
    nul = admin_client.post("/admin/banner/baru", {**form, "title": "A\x00B", "image": png()})
    assert nul.status_code == 400


def test_admin_list_query_budget(admin_client, make_banner):
    for i in range(3):
        make_banner(title=f"Banner {i}")
    admin_client.get("/admin/banner")  # warm the per-process caches (branding, menu)
    with CaptureQueriesContext(connection) as few:
        admin_client.get("/admin/banner")
    for i in range(10):
        make_banner(title=f"Lagi {i}")
    with CaptureQueriesContext(connection) as many:
        assert admin_client.get("/admin/banner").status_code == 200
    assert len(many) == len(few), [q["sql"][:90] for q in many.captured_queries]


def test_dashboard_shows_the_targeted_banner(member_client, make_banner):
    make_banner(title="Khusus affiliate", target_roles=[Role.AFFILIATE])
    shown = make_banner(title="Upgrade Premium Sekarang", audience="free")
    html = member_client.get("/dashboard/").content.decode()
    assert shown.title in html and "Khusus affiliate" not in html
    assert f"/b/{shown.pk}" in html
    assert BannerDailyStat.objects.get(banner=shown).views == 1


def test_api_lists_for_placement_and_counts(client, member_user, make_banner):
    make_banner(title="Dashboard")
    side = make_banner(title="Sidebar", placement="sidebar")
    make_banner(title="Affiliate", placement="sidebar", target_roles=[Role.AFFILIATE])
    with CaptureQueriesContext(connection) as queries:
        response = call(client, "get", "/banners?placement=sidebar&limit=5", user=member_user)
    assert response.status_code == 200
    assert [b["title"] for b in response.json()] == ["Sidebar"]
    assert response.json()[0]["image_url"].startswith("http")
    assert len(queries) <= 8
    assert BannerDailyStat.objects.get(banner=side).views == 1
    assert call(client, "get", "/banners?placement=popup", user=member_user).status_code == 422
    assert call(client, "get", "/banners?placement=dashboard%00", user=member_user).status_code in (400, 422)
    assert call(client, "get", "/banners").status_code == 401


def test_api_click_counts_and_answers_stored_link(client, member_user, make_banner):
    banner = make_banner(link_url="https://ekspor.example/a")
    response = call(client, "post", f"/banners/{banner.pk}/click", user=member_user)
    assert response.status_code == 200
    assert response.json() == {"link_url": "https://ekspor.example/a"}
    assert BannerDailyStat.objects.get(banner=banner).clicks == 1
    assert call(client, "post", "/banners/999999/click", user=member_user).status_code == 404
