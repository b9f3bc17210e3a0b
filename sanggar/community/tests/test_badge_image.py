"""Badge pictures (issue 13): an admin uploads an image for a badge besides the icon set; checked by content and size,
re-encoded as a 256 × 256 PNG (transparency kept) under the public prefix community/badges/, shown on the profile,
the leaderboard, the admin list and in the API's `image_url`."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sanggar.api.testing import call
from sanggar.community import badges, services
from sanggar.community.models import Badge
from sanggar.core.exceptions import NotAllowed, ServiceError

from .world import World


def _png(size=(600, 300), name="lencana.png", mode="RGBA"):
    buffer = io.BytesIO()
    Image.new(mode, size, (200, 30, 30, 128) if mode == "RGBA" else "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return World(make_user, admin_user)


def test_admin_uploads_badge_image_shown_on_profile_leaderboard_and_api(world, client):
    client.force_login(world.admin)
    r = client.post(
        "/admin/gamifikasi",
        {"action": "badge", "name": "Eksportir Muda", "criteria": "manual", "is_active": "1", "image": _png()},
    )
    assert r.status_code == 302
    badge = Badge.objects.get(name="Eksportir Muda")
    assert badge.image.name.startswith("community/badges/") and badge.image.name.endswith(".png")
    with Image.open(badge.image.path) as stored:
        assert stored.format == "PNG" and stored.size == (256, 256) and stored.mode == "RGBA"
        assert stored.getpixel((0, 0))[3] == 0  # padding stays transparent
    assert "community/badges/" in client.get("/admin/gamifikasi").content.decode()
    services.badge_award(actor=world.admin, user=world.premium, badge=badge)
    username = services.profile_ensure(world.premium).username
    client.force_login(world.free)
    assert badge.image.url in client.get(f"/u/{username}").content.decode()
    assert badge.image.url in client.get("/komunitas/peringkat").content.decode()
    item = call(client, "get", f"/users/{username}", user=world.free).json()["badge_items"][0]
    assert item["image_url"].startswith("http") and item["image_url"].endswith(badge.image.url)
    me = call(client, "get", "/me/points", user=world.premium).json()["badge_items"][0]
    assert me["image_url"] == item["image_url"] and me["icon"] == "award"
    # removing goes back to the icon
    client.force_login(world.admin)
    old = badge.image.path
    client.post(
        "/admin/gamifikasi",
        {"action": "badge", "badge_id": badge.pk, "name": "Eksportir Muda", "criteria": "manual", "remove_image": "1"},
    )
    badge.refresh_from_db()
    assert not badge.image
    assert call(client, "get", "/me/points", user=world.premium).json()["badge_items"][0]["image_url"] is None
    assert old  # the old file goes after commit (not run inside the test transaction)


def test_badge_image_checked_by_content_and_size_and_admin_only(world, client, settings):
    badge = services.badge_ensure(slug="juara", name="Juara")
    fake = SimpleUploadedFile("lencana.png", b"<svg onload=alert(1)></svg>", content_type="image/png")
    with pytest.raises(ServiceError):
        services.badge_image_set(actor=world.admin, badge=badge, image=fake)
    settings.COMMUNITY_BADGE_IMAGE_MAX_BYTES = 100
    with pytest.raises(ServiceError):
        services.badge_image_set(actor=world.admin, badge=badge, image=_png())
    settings.COMMUNITY_BADGE_IMAGE_MAX_BYTES = 1024 * 1024
    with pytest.raises(NotAllowed):
        services.badge_image_set(actor=world.premium, badge=badge, image=_png())
    badge.refresh_from_db()
    assert not badge.image
    # on the page: an Indonesian message, no 500, nothing saved
    client.force_login(world.admin)
    fake.seek(0)
    r = client.post(
        "/admin/gamifikasi",
        {"action": "badge", "badge_id": badge.pk, "name": "Juara", "criteria": "manual", "image": fake},
        follow=True,
    )
    assert r.status_code == 200
    badge.refresh_from_db()
    assert not badge.image
    client.force_login(world.premium)
    assert client.post("/admin/gamifikasi", {"action": "badge", "name": "X", "image": _png()}).status_code in (302, 403)
    assert not Badge.objects.filter(name="X").exists()
    assert badges.count_badges() == {}
