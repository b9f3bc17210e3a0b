"""Announcing a banner: once, by an admin, to exactly the people it targets (role, membership, plan, province),
in the background after commit."""

import pytest

from sanggar.api.testing import call
from sanggar.banners import selectors, services
from sanggar.banners.models import Banner
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.roles import Role
from sanggar.notifications.models import Notification

from .conftest import data

pytestmark = pytest.mark.django_db


def _told(user) -> bool:
    return Notification.objects.filter(user=user, data__template="banners.announcement").exists()


def test_announce_reaches_the_targeted_people_once(
    make_banner, admin_user, make_user, django_capture_on_commit_callbacks
):
    jatim_affiliate = make_user(Role.AFFILIATE, province="Jawa Timur")
    bali_affiliate = make_user(Role.AFFILIATE, province="Bali")
    jatim_member = make_user(province="Jawa Timur")
    banner = make_banner(title="Bonus komisi Desember", target_roles=[Role.AFFILIATE], target_provinces=["Jawa Timur"])
    assert list(selectors.announcement_audience(banner)) == [jatim_affiliate]
    with django_capture_on_commit_callbacks(execute=True):
        services.banner_announce(actor=admin_user, banner=banner)
    banner.refresh_from_db()
    assert banner.announced_at and banner.announced_count == 1
    assert _told(jatim_affiliate) and not _told(bali_affiliate) and not _told(jatim_member)
    with pytest.raises(ServiceError):
        services.banner_announce(actor=admin_user, banner=banner)
    assert services.banner_announce_send(banner_id=banner.pk) == 0  # a retried task sends nothing more
    with pytest.raises(NotAllowed):
        services.banner_announce(actor=jatim_member, banner=make_banner(title="Lain"))


def test_announce_page_and_refusals(client, make_banner, admin_user, make_user, django_capture_on_commit_callbacks):
    member = make_user()
    banner = make_banner(title="Pemeliharaan sistem Sabtu malam", audience="free")
    inactive = make_banner(title="Tidak aktif", active=False)
    client.force_login(member)
    assert client.post(f"/admin/banner/{banner.pk}/umumkan").status_code == 403
    client.force_login(admin_user)
    assert "Umumkan sebagai notifikasi" in client.get(f"/admin/banner/{banner.pk}/statistik").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/admin/banner/{banner.pk}/umumkan").status_code == 302
    assert _told(member)
    page = client.get(f"/admin/banner/{banner.pk}/statistik").content.decode()
    assert "data-announced" in page
    client.post(f"/admin/banner/{inactive.pk}/umumkan")
    assert Banner.objects.get(pk=inactive.pk).announced_at is None


def test_text_only_banner(admin_user, member_client, client, member_user):
    banner = services.banner_create(
        actor=admin_user, data=data(title="Server pemeliharaan", description="Sabtu 23.00–01.00 WIB"), image=None
    )
    assert not banner.image
    html = member_client.get("/dashboard/").content.decode()
    assert "Server pemeliharaan" in html and "Sabtu 23.00–01.00 WIB" in html
    assert call(client, "get", "/banners?placement=dashboard", user=member_user).json()[0]["image_url"] == ""
    with pytest.raises(ServiceError) as err:
        services.banner_create(actor=admin_user, data=data(description=""), image=None)
    assert "image" in err.value.errors
