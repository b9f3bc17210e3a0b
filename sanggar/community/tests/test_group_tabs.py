"""Group tabs: Berkas (the group library: upload by content type and size, list, download only through a signed
link bound to the member and re-checked at download; page and API), Kursus & Produk (products that include the
group and the courses they include), Acara (the group's events through the events app's registry). Lists are
paginated with a fixed number of queries."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanggar.api.testing import bearer
from sanggar.community import services
from sanggar.community.models import GroupFile
from sanggar.core.exceptions import NotAllowed, NotFound, ServiceError
from sanggar.events import services as events
from sanggar.learning.models import Course
from sanggar.learning.tests.world import build_course

from .world import World

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _pdf(name="daftar-buyer.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.COMMUNITY_GROUP_FILE_RATE_LIMIT = settings.COMMUNITY_GROUP_FILE_IP_RATE_LIMIT = "1000/3600"
    w = World(make_user, admin_user)
    services.member_add(actor=admin_user, group=w.private, user=w.free)
    return w


def test_files_upload_list_and_signed_download(world, client):
    item = services.group_file_upload(user=world.free, group=world.private, upload=_pdf(), title="Daftar buyer Jepang")
    assert item.file.name.startswith("private/community/files/") and "daftar-buyer" not in item.file.name
    client.force_login(world.free)
    html = client.get(f"/komunitas/grup/{world.private.slug}?tab=berkas").content.decode()
    assert "Daftar buyer Jepang" in html and 'id="file-upload"' in html
    link = html[html.index("/komunitas/berkas/unduh/") :].split('"', 1)[0]
    response = client.get(link)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"

    # the same URL opens nothing for anyone else, nor for nobody
    client.force_login(world.admin)
    assert client.get(link).status_code == 403
    client.logout()
    assert client.get(link).status_code == 302  # to the login page
    client.force_login(world.outsider)
    assert client.get(link).status_code == 403
    assert client.get(link[:-3] + "abc").status_code == 404  # forged
    # a member who is banned afterwards is refused their own link
    services.member_ban(actor=world.admin, group=world.private, user=world.free)
    client.force_login(world.free)
    refused = client.get(link)
    assert refused.status_code == 403 and "anggota" in refused.content.decode()


def test_expired_and_foreign_tokens(world, settings):
    item = services.group_file_upload(user=world.free, group=world.private, upload=_pdf())
    token = services.group_file_token(world.free, item)
    assert services.group_file_open(user=world.free, token=token) == item
    with pytest.raises(NotAllowed, match="akun lain"):
        services.group_file_open(user=world.admin, token=token)
    settings.PRIVATE_LINK_TTL_SECONDS = -1
    with pytest.raises(NotAllowed, match="kedaluwarsa"):
        services.group_file_open(user=world.free, token=token)
    with pytest.raises(NotFound):
        services.group_file_open(user=world.free, token="x" * 2000)


def test_upload_checks_content_size_permission_and_membership(world, settings):
    for bad in (_pdf(content=b"<html>bukan pdf</html>"), _pdf("skrip.exe", b"MZ\x90"), _pdf("kosong.pdf", b"")):
        with pytest.raises(ServiceError):
            services.group_file_upload(user=world.free, group=world.private, upload=bad)
    settings.COMMUNITY_GROUP_FILE_MAX_BYTES = 10
    with pytest.raises(ServiceError, match="maksimal"):
        services.group_file_upload(user=world.free, group=world.private, upload=_pdf())
    settings.COMMUNITY_GROUP_FILE_MAX_BYTES = 1024 * 1024
    with pytest.raises(NotAllowed, match="hanya untuk anggota"):
        services.group_file_upload(user=world.outsider, group=world.private, upload=_pdf())
    with pytest.raises(NotFound):
        services.group_file_upload(user=world.outsider, group=world.hidden, upload=_pdf())
    services.group_permissions_update(actor=world.admin, group=world.private, permissions={"upload": ["admin"]})
    world.private.refresh_from_db()
    with pytest.raises(NotAllowed, match="mengunggah berkas"):
        services.group_file_upload(user=world.free, group=world.private, upload=_pdf())
    assert not GroupFile.objects.exists()


def test_outsiders_see_the_tab_locked_and_removal(world, client, django_capture_on_commit_callbacks):
    item = services.group_file_upload(user=world.free, group=world.private, upload=_pdf())
    client.force_login(world.outsider)
    html = client.get(f"/komunitas/grup/{world.public.slug}?tab=berkas").content.decode()
    assert "hanya untuk anggota" in html  # public group: readable, but the library is for members
    assert client.get(f"/komunitas/grup/{world.hidden.slug}?tab=berkas").status_code == 404
    assert client.post(f"/komunitas/berkas/{item.pk}/hapus").status_code == 302
    assert GroupFile.objects.filter(pk=item.pk).exists()  # refused with a message
    client.force_login(world.free)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/komunitas/berkas/{item.pk}/hapus")
    assert not GroupFile.objects.filter(pk=item.pk).exists()
    assert not item.file.storage.exists(item.file.name)


def test_files_api(world, client):
    path = f"/api/v1/groups/{world.private.slug}/files"
    created = client.post(path, {"file": _pdf(), "title": "Kontrak"}, headers=bearer(world.free))
    assert created.status_code == 201
    download = created.json()["download_url"]
    assert client.get(path, headers=bearer(world.outsider)).status_code == 403
    assert client.get(f"/api/v1/groups/{world.hidden.slug}/files", headers=bearer(world.outsider)).status_code == 404
    listing = client.get(path, headers=bearer(world.free)).json()
    assert listing["count"] == 1 and listing["results"][0]["title"] == "Kontrak"
    got = client.get(download, headers=bearer(world.free))
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert client.get(download, headers=bearer(world.admin)).status_code == 403
    assert client.get(download).status_code == 401
    bad = client.post(path, {"file": _pdf(content=b"nope")}, headers=bearer(world.free))
    assert bad.status_code == 400


def test_files_tab_queries_do_not_grow(world, client, django_assert_max_num_queries):
    for i in range(3):
        services.group_file_upload(user=world.free, group=world.private, upload=_pdf(f"f{i}.pdf"))
    client.force_login(world.free)
    url = f"/komunitas/grup/{world.private.slug}?tab=berkas"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _i in range(25):
        services.group_file_upload(user=world.free, group=world.private, upload=_pdf())
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count("data-file=") == 20 and "page=2" in html


def test_courses_and_products_tab(world, client):
    course = build_course(world.admin, "Riset Pasar Jepang", modules=1, lessons=1, quiz=False)
    Course.objects.filter(pk=course.pk).update(status="published")
    draft = build_course(world.admin, "Draf Kursus", modules=1, lessons=1, quiz=False)
    Course.objects.filter(pk=draft.pk).update(status="draft")
    bundle = world.shop.product("Kelas Jepang + Grup Diskusi", price=500_000)
    bundle.included_resources.add(course.resource, draft.resource, world.private.resource)
    other = world.shop.product("Ebook lain", price=50_000)
    other.included_resources.add(world.public.resource)
    client.force_login(world.free)
    html = client.get(f"/komunitas/grup/{world.private.slug}?tab=kursus").content.decode()
    assert "Riset Pasar Jepang" in html and f"/produk/{bundle.slug}" in html
    assert "Draf Kursus" not in html and "Ebook lain" not in html
    client.force_login(world.outsider)
    assert client.get(f"/komunitas/grup/{world.hidden.slug}?tab=kursus").status_code == 404


def test_events_tab_through_the_registry(world, client):
    now = timezone.now()

    def event(title, days, group=world.private, slug=None):
        start = now + timedelta(days=days)
        data = {"title": title, "starts_at": start, "ends_at": start + timedelta(hours=1), "slug": slug or ""}
        made = events.event_create(actor=world.admin, data=data, group=group)
        made.status = "published"
        made.save(update_fields=["status"])
        return made

    event("Kopdar bulan depan", 30)
    event("Webinar besok", 1)
    event("Webinar lalu", -10)
    event("Acara grup lain", 2, group=world.public)
    for i in range(20):
        event(f"Sesi rutin {i}", 40 + i, slug=f"sesi-rutin-{i}")
    client.force_login(world.free)
    html = client.get(f"/komunitas/grup/{world.private.slug}?tab=acara").content.decode()
    block = html[html.index('id="group-events"') :]
    assert block.index("Webinar besok") < block.index("Kopdar bulan depan")
    assert "Acara grup lain" not in block and "Webinar lalu" not in block and "hal=2" in block
    second = client.get(f"/komunitas/grup/{world.private.slug}?tab=acara&hal=2").content.decode()
    assert "Webinar lalu" in second and "Selesai" in second
    client.force_login(world.outsider)
    locked = client.get(f"/komunitas/grup/{world.private.slug}?tab=acara").content.decode()
    assert "Kopdar bulan depan" not in locked
