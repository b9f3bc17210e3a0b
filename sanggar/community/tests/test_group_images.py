"""Group cover and avatar: uploaded by the group's owner or admins (settings page and API), checked by content and
size, re-encoded as JPEG cropped to shape, shown on the group header, the group list and the feed's sidebar, and in
the API's group fields. The group list is paginated with a fixed number of queries."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sanggar.api.testing import bearer
from sanggar.community import services
from sanggar.community.models import Group
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.roles import Role

pytestmark = pytest.mark.django_db


def _image(name="sampul.png", size=(2000, 1000), fmt="PNG", color="navy"):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def crew(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    owner = make_user(Role.MENTOR, full_name="Pak Joko Pemilik")
    group = services.group_create(
        actor=admin_user, data={"name": "Eksportir Rempah", "visibility": "public"}, owner=owner
    )
    admin = make_user(full_name="Admin Grup")
    services.member_add(actor=admin_user, group=group, user=admin, role="admin")
    member = make_user(full_name="Anggota Biasa")
    services.member_add(actor=admin_user, group=group, user=member)
    return {"group": group, "owner": owner, "admin": admin, "member": member}


def test_images_are_re_encoded_to_shape_and_shown_everywhere(crew, client):
    group = services.group_images_set(
        actor=crew["admin"], group=crew["group"], cover=_image(), avatar=_image("a.webp", (300, 500), "WEBP")
    )
    for field, size in ((group.cover, (1500, 500)), (group.avatar, (400, 400))):
        assert field.name.endswith(".jpg")
        with field.open("rb") as stored, Image.open(stored) as image:
            assert (image.format, image.size) == ("JPEG", size)

    client.force_login(crew["member"])
    page = client.get(f"/komunitas/grup/{group.slug}").content.decode()
    header = page[page.index('id="group-header"') :][:1200]
    assert group.cover.url in header and group.avatar.url in header
    assert group.avatar.url in client.get("/komunitas/grup").content.decode()
    assert group.avatar.url in client.get("/komunitas").content.decode()

    listing = client.get("/api/v1/groups", headers=bearer(crew["member"])).json()["results"]
    mine = next(g for g in listing if g["slug"] == group.slug)
    assert mine["cover_url"].endswith(group.cover.url) and mine["avatar_url"].endswith(group.avatar.url)
    detail = client.get(f"/api/v1/groups/{group.slug}", headers=bearer(crew["member"])).json()
    assert detail["avatar_url"].startswith("http") and detail["cover_url"].endswith(".jpg")


def test_wrong_files_and_limits_are_refused(crew, settings):
    group = crew["group"]
    fake = SimpleUploadedFile("sampul.png", b"<?php echo 'bukan gambar'; ?>", content_type="image/png")
    svg = SimpleUploadedFile("a.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', content_type="image/svg+xml")
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    for upload in (fake, svg, SimpleUploadedFile("a.gif", gif.getvalue()), SimpleUploadedFile("kosong.png", b"")):
        with pytest.raises(ServiceError):
            services.group_images_set(actor=crew["owner"], group=group, cover=upload)
    settings.COMMUNITY_GROUP_IMAGE_MAX_BYTES = 1000
    with pytest.raises(ServiceError, match="maksimal"):
        services.group_images_set(actor=crew["owner"], group=group, avatar=_image(size=(400, 400)))
    with pytest.raises(ServiceError):
        services.group_images_set(actor=crew["owner"], group=group)  # nothing chosen
    with pytest.raises(NotAllowed):
        services.group_images_set(actor=crew["member"], group=group, cover=_image())
    assert not Group.objects.get(pk=group.pk).cover


def test_settings_page_upload_and_remove(crew, client, django_capture_on_commit_callbacks):
    url = f"/komunitas/grup/{crew['group'].slug}/pengaturan"
    client.force_login(crew["member"])
    assert client.post(url, {"action": "images", "cover": _image()}).status_code == 403
    client.force_login(crew["owner"])
    response = client.post(url, {"action": "images", "cover": _image(), "avatar": _image("b.jpg", fmt="JPEG")})
    assert response.status_code == 302
    group = Group.objects.get(pk=crew["group"].pk)
    old_cover = group.cover.name
    assert group.cover.storage.exists(old_cover)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "images", "remove_cover": "1"})
    group.refresh_from_db()
    assert not group.cover and group.avatar and not group.cover.storage.exists(old_cover)
    page = client.post(url, {"action": "images", "avatar": SimpleUploadedFile("x.png", b"bukan")}, follow=True)
    assert "PNG, JPEG atau WebP" in page.content.decode()


def test_api_upload_by_owner_only(crew, client, make_user):
    slug = crew["group"].slug
    path = f"/api/v1/groups/{slug}/images"
    denied = client.post(path, {"avatar": _image()}, headers=bearer(crew["member"]))
    assert denied.status_code == 403
    response = client.post(path, {"avatar": _image()}, headers=bearer(crew["owner"]))
    assert response.status_code == 200 and response.json()["avatar_url"].endswith(".jpg")
    assert response.json()["cover_url"] is None
    bad = client.post(path, {"cover": SimpleUploadedFile("c.png", b"\x00" * 20)}, headers=bearer(crew["owner"]))
    assert bad.status_code == 400 and "gambar" in bad.json()["message"]
    removed = client.post(path, {"remove_avatar": "true"}, headers=bearer(crew["owner"]))
    assert removed.status_code == 200 and removed.json()["avatar_url"] is None


def test_group_list_is_paginated_with_fixed_queries(crew, client, admin_user, django_assert_max_num_queries):
    for i in range(25):
        g = services.group_create(actor=admin_user, data={"name": f"Grup Komoditas {i:02d}", "visibility": "public"})
        services.group_images_set(actor=admin_user, group=g, avatar=_image(size=(50, 50)))
    client.force_login(crew["member"])
    with django_assert_max_num_queries(25):
        first = client.get("/komunitas/grup").content.decode()
    assert first.count("data-group=") == 20 and "?page=2" in first
    second = client.get("/komunitas/grup?page=2").content.decode()
    assert second.count("data-group=") == 6
