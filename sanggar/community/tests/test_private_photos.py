"""Post photos and link-preview images are private files: stored under `private/`, shown through signed links bound
to the account that loaded the page, and checked again on every request (outsiders, logged-out visitors and other
accounts get 403 / 404; the old public path serves nothing). Photos stored under the old public names are moved to
private storage by migration 0009 / `manage.py community_private_photos` without losing a file."""

import importlib
import io
import re

import pytest
from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from sanggar.api.testing import call
from sanggar.community import media, services
from sanggar.community.models import LinkPreview, Post

from .world import World

PHOTO_SRC = re.compile(r'<img [^>]*src="([^"]+)" alt="Foto postingan"')
PREVIEW_SRC = re.compile(r'<img [^>]*src="([^"]+)"[^>]*data-preview-image')


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.COMMUNITY_POST_RATE_LIMIT = settings.COMMUNITY_POST_IP_RATE_LIMIT = "1000/3600"
    return World(make_user, admin_user)


def png_bytes(color="blue"):
    buf = io.BytesIO()
    Image.new("RGB", (30, 20), color).save(buf, "PNG")
    return buf.getvalue()


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def photo_src(client, url) -> str:
    page = client.get(url)
    assert page.status_code == 200
    found = PHOTO_SRC.findall(page.content.decode())
    assert found, "no post photo on the page"
    return found[0]


def test_member_loads_the_photo_through_the_page_link_and_nobody_else_does(world, client):
    data = png_bytes()
    post = services.post_create(
        user=world.premium, group=world.hidden, body="Foto kontainer kopi", image=SimpleUploadedFile("k.png", data)
    )
    assert post.image.name.startswith("private/community/posts/")
    client.force_login(world.premium)
    page = client.get(f"/komunitas/post/{post.pk}").content.decode()
    assert post.image.name not in page and "/media/" not in page
    link = photo_src(client, f"/komunitas/post/{post.pk}")
    assert link.startswith("/komunitas/foto/")
    assert photo_src(client, "/komunitas").startswith("/komunitas/foto/")  # the feed too
    photo = client.get(link)
    assert photo.status_code == 200 and body_of(photo) == data
    assert photo["Content-Type"] == "image/png" and "no-store" in photo["Cache-Control"]
    # the same URL in another account, logged out, or with the outsider's own link
    client.force_login(world.outsider)
    assert client.get(link).status_code == 403
    assert client.get(media.photo_link(user=world.outsider, post=post)).status_code == 404
    assert client.get(f"/komunitas/post/{post.pk}").status_code == 404
    client.logout()
    assert client.get(link).status_code == 403
    assert client.get("/komunitas/foto/bukan-token").status_code == 403
    # the old public path serves nothing (neither the new name nor the old one)
    name = post.image.name
    assert client.get(f"/media/{name}").status_code == 404
    assert client.get(f"/media/community/posts/{name.rsplit('/', 1)[-1]}").status_code == 404


def test_access_is_checked_again_when_the_link_is_used(world, client, settings):
    services.member_add(actor=world.admin, group=world.private, user=world.free)
    services.group_join(user=world.mentor, group=world.public)
    post = services.post_create(
        user=world.admin, group=world.private, body="Daftar buyer Osaka", image=SimpleUploadedFile("b.png", png_bytes())
    )
    client.force_login(world.free)
    link = photo_src(client, f"/komunitas/post/{post.pk}")
    assert client.get(link).status_code == 200
    services.member_ban(actor=world.admin, group=world.private, user=world.free)
    assert client.get(link).status_code == 404  # banned since the page was loaded
    settings.COMMUNITY_MEDIA_LINK_TTL_SECONDS = -1
    client.force_login(world.admin)
    expired = client.get(media.photo_link(user=world.admin, post=post))
    assert expired.status_code == 403 and "kedaluwarsa" in expired.content.decode()


def test_pending_post_photo_opens_for_its_author_only(world, client):
    world.private.require_approval = True
    world.private.save(update_fields=["require_approval"])
    services.member_add(actor=world.admin, group=world.private, user=world.premium)
    services.member_add(actor=world.admin, group=world.private, user=world.free)
    post = services.post_create(
        user=world.premium, group=world.private, body="Menunggu", image=SimpleUploadedFile("p.png", png_bytes())
    )
    assert post.status == "pending"
    client.force_login(world.premium)
    assert client.get(media.photo_link(user=world.premium, post=post)).status_code == 200
    client.force_login(world.free)
    assert client.get(media.photo_link(user=world.free, post=post)).status_code == 404


def test_api_gives_a_signed_photo_url_that_rechecks_access(world, client):
    data = png_bytes("green")
    post = services.post_create(
        user=world.premium, group=world.hidden, body="Sampel", image=SimpleUploadedFile("s.png", data)
    )
    api = call(client, "get", f"/posts/{post.pk}", user=world.premium).json()
    url = api["image_url"]
    assert url.startswith("http") and "/komunitas/foto/" in url and post.image.name not in url
    assert body_of(client.get(url)) == data  # the API's link carries the account (apps' image views)
    assert call(client, "get", f"/posts/{post.pk}", user=world.outsider).status_code == 404
    assert client.get(url[:-3] + "abc").status_code == 403  # a tampered signature


def _preview_post(world, group):
    preview = LinkPreview.objects.create(
        url="https://berita.example/kopi", status=LinkPreview.OK, title="Ekspor Kopi ke Jepang"
    )
    preview.image.save("preview-a.jpg", ContentFile(png_bytes("red")), save=True)
    post = services.post_create(user=world.premium, group=group, body="Baca", link_url=preview.url)
    Post.objects.filter(pk=post.pk).update(link_preview=preview)
    return Post.objects.select_related("link_preview").get(pk=post.pk), preview


def test_link_preview_image_is_private_and_bound_to_the_post(world, client):
    post, preview = _preview_post(world, world.hidden)
    assert preview.image.name.startswith("private/community/previews/")
    client.force_login(world.premium)
    page = client.get(f"/komunitas/post/{post.pk}").content.decode()
    link = PREVIEW_SRC.findall(page)[0]
    assert link.startswith("/komunitas/pratinjau-gambar/") and preview.image.name not in page
    assert client.get(link).status_code == 200
    api = call(client, "get", f"/posts/{post.pk}", user=world.premium).json()
    assert "/komunitas/pratinjau-gambar/" in api["link_preview"]["image_url"]
    client.force_login(world.outsider)
    assert client.get(link).status_code == 403
    assert client.get(media.preview_image_link(user=world.outsider, post=post)).status_code == 404
    client.logout()
    assert client.get(link).status_code == 403
    assert client.get(f"/media/{preview.image.name}").status_code == 404


def test_existing_public_photos_move_to_private_storage(world, client):
    """Rows from before the fix (demo data, production) point at `community/posts/…`: the migration moves each file
    and its row; a missing file is reported and its row kept; running it again changes nothing."""
    data, preview_data = png_bytes("yellow"), png_bytes("purple")
    post = services.post_create(user=world.premium, group=world.hidden, body="Foto lama")
    old = default_storage.save("community/posts/post-lama.png", ContentFile(data))
    Post.objects.filter(pk=post.pk).update(image=old)
    lost = services.post_create(user=world.premium, group=world.hidden, body="Berkas hilang")
    Post.objects.filter(pk=lost.pk).update(image="community/posts/hilang.png")
    preview = LinkPreview.objects.create(url="https://berita.example/a", status=LinkPreview.OK, title="Berita")
    old_preview = default_storage.save("community/previews/preview-lama.jpg", ContentFile(preview_data))
    LinkPreview.objects.filter(pk=preview.pk).update(image=old_preview)

    migration = importlib.import_module("sanggar.community.migrations.0009_private_post_photos")
    migration.forwards(django_apps, None)

    post.refresh_from_db()
    preview.refresh_from_db()
    assert post.image.name == "private/community/posts/post-lama.png"
    assert preview.image.name == "private/community/previews/preview-lama.jpg"
    assert not default_storage.exists(old) and not default_storage.exists(old_preview)
    with default_storage.open(post.image.name, "rb") as f:
        assert f.read() == data
    with default_storage.open(preview.image.name, "rb") as f:
        assert f.read() == preview_data
    assert Post.objects.get(pk=lost.pk).image.name == "community/posts/hilang.png"  # kept, reported
    out = io.StringIO()
    call_command("community_private_photos", stdout=out)
    assert "0 berkas dipindahkan" in out.getvalue() and "hilang.png tidak ditemukan" in out.getvalue()
    # the moved photo shows on the page through a signed link, and the old path serves nothing
    client.force_login(world.premium)
    link = photo_src(client, f"/komunitas/post/{post.pk}")
    assert body_of(client.get(link)) == data
    assert client.get(f"/media/{old}").status_code == 404
    client.force_login(world.outsider)
    assert client.get(link).status_code == 403
