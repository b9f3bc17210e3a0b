from datetime import timedelta
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanggar.audit.models import ActivityLog
from sanggar.banners import selectors, services
from sanggar.banners.models import Banner, BannerDailyStat
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.roles import Role

from .conftest import data, png

pytestmark = pytest.mark.django_db


def _for(user, role="member", placement="dashboard", limit=5):
    return selectors.banners_for(user=user, placement=placement, roles=[role], limit=limit)


def test_create_records_audit_and_only_admins_manage(admin_user, member_user):
    banner = services.banner_create(actor=admin_user, data=data(), image=png())
    assert ActivityLog.objects.filter(action="banners.created", target_id=str(banner.pk)).exists()
    with pytest.raises(NotAllowed):
        services.banner_create(actor=member_user, data=data(), image=png())
    with pytest.raises(NotAllowed):
        services.banner_delete(actor=member_user, banner=banner)
    services.banner_delete(actor=admin_user, banner=banner)
    assert not Banner.objects.exists()


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "//evil.example", "ftp://x.example/a", "/relatif", "https://a\x00b.example", ""]
)
def test_link_must_be_http_or_https(admin_user, url):
    with pytest.raises(ServiceError) as exc:
        services.banner_create(actor=admin_user, data=data(link_url=url), image=png())
    assert "link_url" in exc.value.errors


def test_image_checked_by_content_and_size(admin_user, settings):
    fake = SimpleUploadedFile("b.png", b"<svg onload=alert(1)>", content_type="image/png")
    with pytest.raises(ServiceError) as exc:
        services.banner_create(actor=admin_user, data=data(), image=fake)
    assert "PNG, JPEG atau WebP" in exc.value.errors["image"][0]
    big = SimpleUploadedFile("b.png", b"\x89PNG" + b"0" * (2 * 1024 * 1024 + 1))
    with pytest.raises(ServiceError) as exc:
        services.banner_create(actor=admin_user, data=data(), image=big)
    assert "2 MB" in exc.value.errors["image"][0]
    gif = BytesIO()
    from PIL import Image

    Image.new("RGB", (5, 5)).save(gif, format="GIF")
    with pytest.raises(ServiceError):
        services.banner_create(actor=admin_user, data=data(), image=SimpleUploadedFile("a.gif", gif.getvalue()))


def test_nul_and_bad_values_are_refused(admin_user):
    bad = data(title="Judul\x00", priority=9, placement="popup", target_roles=["raja"], audience="x")
    with pytest.raises(ServiceError) as exc:
        services.banner_create(actor=admin_user, data=bad, image=png())
    assert {"title", "priority", "placement", "target_roles", "audience"} <= set(exc.value.errors)
    now = timezone.now()
    with pytest.raises(ServiceError) as exc:
        services.banner_create(actor=admin_user, data=data(start_at=now, end_at=now - timedelta(hours=1)), image=png())
    assert "end_at" in exc.value.errors


def test_targeting_dates_active_role_and_priority(make_banner, member_user):
    now = timezone.now()
    low = make_banner(title="Rendah", priority=1)
    high = make_banner(title="Tinggi", priority=5)
    make_banner(title="Belum mulai", start_at=now + timedelta(days=1), end_at=now + timedelta(days=2))
    make_banner(title="Sudah lewat", start_at=now - timedelta(days=3), end_at=now - timedelta(days=2))
    make_banner(title="Nonaktif", active=False)
    make_banner(title="Sidebar", placement="sidebar")
    affiliate_only = make_banner(title="Affiliate", target_roles=[Role.AFFILIATE])
    assert _for(member_user) == [high, low]
    assert affiliate_only in _for(member_user, role=Role.AFFILIATE)
    assert _for(member_user, limit=1) == [high]


def test_targeting_by_membership_status(make_banner, member_user, monkeypatch):
    free = make_banner(title="Untuk gratis", audience="free")
    premium = make_banner(title="Untuk premium", audience="premium")
    everyone = make_banner(title="Semua", audience="all")
    monkeypatch.setattr(selectors, "membership_active_for", lambda **kw: None)
    assert set(_for(member_user)) == {free, everyone}
    monkeypatch.setattr(selectors, "membership_active_for", lambda **kw: SimpleNamespace(plan_id=1))
    assert set(_for(member_user)) == {premium, everyone}


def test_views_and_clicks_are_daily_aggregates(make_banner):
    a, b = make_banner(title="A"), make_banner(title="B")
    services.banners_record_views([a, b])
    services.banners_record_views([a])
    services.banner_record_click(a)
    assert BannerDailyStat.objects.count() == 2
    row = BannerDailyStat.objects.get(banner=a, day=timezone.localdate())
    assert (row.views, row.clicks) == (2, 1)
    listed = {x.pk: x for x in selectors.banner_admin_list()}
    assert (listed[a.pk].total_views, listed[a.pk].total_clicks) == (2, 1)
    assert selectors.ctr(2, 1) == "50,0%"
    assert selectors.ctr(0, 0) == "0%"
