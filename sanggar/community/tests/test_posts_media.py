"""Posts: rich text (sanitised against an allow-list), YouTube / Vimeo embeds only, documents checked by content and
served only to readers, @mentions with notifications, and link previews fetched SSRF-safely in the background —
tested with local fakes (a fake resolver and a fake connection), never the internet."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sanggar.community import linkpreview, services
from sanggar.community.linkpreview import PreviewError, fetch_preview, video_embed
from sanggar.community.models import LinkPreview, Mention
from sanggar.community.richtext import sanitize_post_html
from sanggar.core.exceptions import ServiceError
from sanggar.notifications.models import Notification

from .world import World

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.COMMUNITY_POST_RATE_LIMIT = settings.COMMUNITY_POST_IP_RATE_LIMIT = "1000/3600"
    return World(make_user, admin_user)


# --- rich text, video, documents -------------------------------------------------------------------------------------


def test_rich_text_is_sanitised_to_the_allow_list():
    html = sanitize_post_html(
        '<h1 onclick="x()">Judul</h1><h6>Kecil</h6><p><b>tebal</b> <u>garis</u> <s>coret</s></p>'
        '<script>alert(1)</script><img src=x onerror=alert(1)><iframe src="https://evil"></iframe>'
        '<ul data-type="checklist"><li data-checked="true">Siapkan sampel</li><li data-checked="maybe">x</li></ul>'
        '<a href="javascript:alert(1)">jahat</a><a href="https://eksporyuk.com">baik</a>'
    )
    assert "<h1>Judul</h1>" in html and "<h6>Kecil</h6>" in html and "<u>garis</u>" in html
    assert "script" not in html and "onerror" not in html and "iframe" not in html and "onclick" not in html
    assert '<ul data-type="checklist"><li data-checked="true">' in html and 'data-checked="maybe"' not in html
    assert "javascript" not in html and 'rel="noopener noreferrer nofollow ugc"' in html
    assert sanitize_post_html("<p><br></p>") == ""


def test_post_with_rich_text_video_and_document(world, client):
    post = services.post_create(
        user=world.premium,
        group=world.hidden,
        body_html="<h2>Tips</h2><p>Kirim <b>sampel</b> dulu</p><script>x</script>",
        video_url="https://youtu.be/dQw4w9WgXcQ",
        document=SimpleUploadedFile("panduan.pdf", PDF),
    )
    assert post.body_html == "<h2>Tips</h2><p>Kirim <b>sampel</b> dulu</p>" and post.body == "Tips\nKirim sampel dulu"
    assert post.document.name.startswith("private/community/")
    client.force_login(world.premium)
    page = client.get(f"/komunitas/post/{post.pk}").content.decode()
    assert "<h2>Tips</h2>" in page and "youtube-nocookie.com/embed/dQw4w9WgXcQ" in page and "panduan.pdf" in page
    assert client.get(f"/komunitas/post/{post.pk}/dokumen").status_code == 200
    client.force_login(world.outsider)
    assert client.get(f"/komunitas/post/{post.pk}/dokumen").status_code == 404  # hidden group: outsiders get 404


def test_video_and_document_refusals(world):
    for url in ("https://evil.example/video.mp4", "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ"):
        with pytest.raises(ServiceError, match="YouTube atau Vimeo"):
            services.post_create(user=world.premium, group=world.hidden, body="video", video_url=url)
    assert video_embed("https://vimeo.com/123456789") == ("vimeo", "https://player.vimeo.com/video/123456789?dnt=1")
    for bad in (
        SimpleUploadedFile("x.pdf", b"<html>"),
        SimpleUploadedFile("x.exe", b"MZ"),
        SimpleUploadedFile("x.docx", PDF),
    ):
        with pytest.raises(ServiceError):
            services.post_create(user=world.premium, group=world.hidden, body="dok", document=bad)


# --- mentions ---


def test_mentions_notify_readers_once_and_never_outsiders(world):
    free = services.profile_ensure(world.free).username
    outsider = services.profile_ensure(world.outsider).username
    services.group_join(user=world.free, group=world.public)
    post = services.post_create(
        user=world.premium, group=world.public, body=f"Halo @{free} dan @{free}, juga @tidak_ada"
    )
    assert Mention.objects.filter(post=post, user=world.free).count() == 1
    assert Notification.objects.filter(user=world.free, data__template="community_mention").count() == 1
    hidden_post = services.post_create(user=world.premium, group=world.hidden, body=f"Rahasia @{outsider}")
    assert not Mention.objects.filter(post=hidden_post).exists()  # cannot read the hidden group: not told
    services.comment_create(user=world.free, post=post, body=f"Siap @{services.profile_ensure(world.premium).username}")
    assert Notification.objects.filter(user=world.premium, data__template="community_mention").count() == 1


def test_mention_limits(world, settings):
    settings.COMMUNITY_MENTION_MAX = 2
    with pytest.raises(ServiceError, match="@mention"):
        services.post_create(user=world.premium, group=world.public, body="@aaa @bbb @ccc")


# --- link previews ---


class FakeResponse:
    def __init__(self, status=200, headers=None, body=b""):
        self.status, self._headers, self._body = status, headers or {}, body

    def getheader(self, name, default=None):
        return self._headers.get(name, default)

    def read(self, n):
        return self._body[:n]


class FakeSite:
    """A local fake of the web: host → addresses, and (address, path) → response. Records every connection."""

    def __init__(self, dns, pages):
        self.dns, self.pages, self.connections = dns, pages, []

    def resolve(self, host, port):
        if host not in self.dns:
            raise OSError("no such host")
        return self.dns[host]

    def open_connection(self, scheme, address, hostname, port, timeout):
        site = self

        class Conn:
            def request(self, method, path, headers):
                site.connections.append((scheme, address, hostname, path, headers["Host"]))
                self.path = path

            def getresponse(self):
                return site.pages[(address, self.path)]

            def close(self):
                pass

        return Conn()


HTML = (
    b'<html><head><title>Cadangan</title><meta property="og:title" content="Ekspor Kopi ke Jepang &amp; Korea">'
    b'<meta name="description" content="Panduan lengkap">'
    b'<meta property="og:image" content="/img/kopi.jpg"></head></html>'
)


def test_preview_parses_and_connects_to_the_checked_address(settings):
    site = FakeSite(
        {"berita.example": ["93.184.216.34"]},
        {("93.184.216.34", "/kopi?x=1"): FakeResponse(200, {"Content-Type": "text/html"}, HTML)},
    )
    preview = fetch_preview(
        "https://berita.example/kopi?x=1", resolve=site.resolve, open_connection=site.open_connection
    )
    assert preview.title == "Ekspor Kopi ke Jepang & Korea" and preview.description == "Panduan lengkap"
    assert preview.image == "https://berita.example/img/kopi.jpg"
    assert site.connections == [("https", "93.184.216.34", "berita.example", "/kopi?x=1", "berita.example")]


@pytest.mark.parametrize(
    "url,dns",
    [
        ("http://127.0.0.1/admin", {}),
        ("http://localhost/", {"localhost": ["127.0.0.1"]}),
        ("http://intranet.example/", {"intranet.example": ["10.0.0.5"]}),
        ("http://metadata.example/", {"metadata.example": ["169.254.169.254"]}),
        ("http://v6.example/", {"v6.example": ["::1"]}),
        ("http://mapped.example/", {"mapped.example": ["::ffff:192.168.1.1"]}),
        ("http://mixed.example/", {"mixed.example": ["93.184.216.34", "192.168.0.1"]}),
        ("http://[::1]:8080/", {}),
        ("ftp://files.example/", {}),
        ("http://user:pw@berita.example/", {"berita.example": ["93.184.216.34"]}),
        ("http://berita.example:22/", {"berita.example": ["93.184.216.34"]}),
    ],
)
def test_preview_refuses_internal_addresses_and_odd_urls(url, dns):
    site = FakeSite(dns, {})
    with pytest.raises(PreviewError):
        fetch_preview(url, resolve=site.resolve, open_connection=site.open_connection)
    assert site.connections == []  # refused before any connection


def test_preview_redirect_to_private_address_is_refused_and_size_capped(settings):
    site = FakeSite(
        {"a.example": ["93.184.216.34"], "b.example": ["192.168.1.10"]},
        {("93.184.216.34", "/"): FakeResponse(302, {"Location": "http://b.example/rahasia"})},
    )
    with pytest.raises(PreviewError, match="internal"):
        fetch_preview("http://a.example/", resolve=site.resolve, open_connection=site.open_connection)
    assert len(site.connections) == 1
    settings.COMMUNITY_LINK_PREVIEW_MAX_BYTES = 60
    big = FakeSite(
        {"a.example": ["93.184.216.34"]},
        {
            ("93.184.216.34", "/"): FakeResponse(
                200, {"Content-Type": "text/html"}, b"<title>Judul</title>" + b"x" * 10_000
            )
        },
    )
    assert fetch_preview("http://a.example/", resolve=big.resolve, open_connection=big.open_connection).title == "Judul"
    loop = FakeSite({"a.example": ["93.184.216.34"]}, {("93.184.216.34", "/"): FakeResponse(302, {"Location": "/"})})
    with pytest.raises(PreviewError, match="pengalihan"):
        fetch_preview("http://a.example/", resolve=loop.resolve, open_connection=loop.open_connection)


def test_post_link_preview_is_fetched_after_commit_by_the_task(world, django_capture_on_commit_callbacks, monkeypatch):
    calls = []
    monkeypatch.setattr("sanggar.community.tasks.link_preview_task.delay", lambda pk: calls.append(pk))
    with django_capture_on_commit_callbacks(execute=True):
        post = services.post_create(
            user=world.premium, group=world.hidden, body="Baca ini", link_url="https://berita.example/kopi"
        )
    assert calls == [post.link_preview_id] and post.link_preview.status == LinkPreview.PENDING
    site = FakeSite(
        {"berita.example": ["93.184.216.34"]},
        {("93.184.216.34", "/kopi"): FakeResponse(200, {"Content-Type": "text/html"}, HTML)},
    )

    def fake_fetch(url):
        return linkpreview.fetch_preview(url, resolve=site.resolve, open_connection=site.open_connection)

    preview = services.link_preview_refresh(preview_id=post.link_preview_id, fetch=fake_fetch)
    assert preview.status == LinkPreview.OK and preview.title.startswith("Ekspor Kopi")
    failed = services.link_preview_refresh(
        preview_id=post.link_preview_id, fetch=lambda url: fetch_preview(url, resolve=lambda h, p: ["10.1.1.1"])
    )
    assert failed.status == LinkPreview.FAILED and failed.error


# --- the live feed and infinite scroll ---


def test_feed_infinite_scroll_and_live_new_posts(world, client, settings, django_assert_max_num_queries):
    from sanggar.community.constants import PAGE_SIZE

    posts = [
        services.post_create(user=world.premium, group=world.public, body=f"Kabar {i}") for i in range(PAGE_SIZE + 3)
    ]
    client.force_login(world.premium)
    page = client.get("/komunitas").content.decode()
    assert f"Kabar {PAGE_SIZE + 2}" in page and "Kabar 0" not in page and 'hx-trigger="revealed"' in page
    cursor = posts[3].pk
    with django_assert_max_num_queries(40):
        more = client.get(f"/komunitas?sebelum={cursor}", headers={"HX-Request": "true"}).content.decode()
    assert "Kabar 0" in more and "Kabar 2" in more and "Kabar 3" not in more and "<html" not in more
    newest = posts[-1].pk
    quiet = client.get(f"/komunitas?setelah={newest}", headers={"HX-Request": "true"}).content.decode()
    assert "hx-swap-oob" not in quiet and f"setelah={newest}" in quiet
    fresh = services.post_create(user=world.premium, group=world.public, body="Kabar paling baru")
    live = client.get(f"/komunitas?setelah={newest}", headers={"HX-Request": "true"}).content.decode()
    assert "Kabar paling baru" in live and "hx-swap-oob" in live and f"setelah={fresh.pk}" in live
    hidden = services.post_create(user=world.premium, group=world.hidden, body="Rahasia VIP")
    client.force_login(world.free)
    assert (
        "Rahasia VIP"
        not in client.get(f"/komunitas?setelah={fresh.pk}", headers={"HX-Request": "true"}).content.decode()
    )
    assert hidden.pk > fresh.pk


# --- link preview images: fetched on the server, checked by content, stored as our own thumbnail ---


def _image_bytes(fmt="PNG", size=(1200, 630)):
    buf = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(buf, format=fmt)
    return buf.getvalue()


def _site_with_image(image_response):
    return FakeSite(
        {"berita.example": ["93.184.216.34"], "cdn.example": ["93.184.216.35"], "dalam.example": ["10.0.0.9"]},
        {
            ("93.184.216.34", "/kopi"): FakeResponse(200, {"Content-Type": "text/html"}, HTML),
            ("93.184.216.34", "/img/kopi.jpg"): image_response,
        },
    )


def _refresh(post, site):
    return services.link_preview_refresh(
        preview_id=post.link_preview_id,
        fetch=lambda url: fetch_preview(url, resolve=site.resolve, open_connection=site.open_connection),
        fetch_image=lambda url: linkpreview.fetch_image_thumbnail(
            url, resolve=site.resolve, open_connection=site.open_connection
        ),
    )


def test_preview_image_becomes_our_thumbnail_served_from_our_origin(world, client):
    post = services.post_create(
        user=world.premium, group=world.public, body="Baca", link_url="https://berita.example/kopi"
    )
    site = _site_with_image(FakeResponse(200, {"Content-Type": "image/png"}, _image_bytes()))
    preview = _refresh(post, site)
    assert preview.status == LinkPreview.OK and preview.image and not preview.image_error
    assert preview.image.name.startswith("private/community/previews/preview-") and preview.image.name.endswith(".jpg")
    with preview.image.open("rb") as f, Image.open(f) as thumb:
        assert thumb.format == "JPEG" and thumb.size[0] <= 600 and thumb.size[1] <= 315  # re-encoded, resized
    assert site.connections[-1][1:4] == ("93.184.216.34", "berita.example", "/img/kopi.jpg")
    client.force_login(world.premium)
    page = client.get(f"/komunitas/post/{post.pk}").content.decode()
    # our origin (a signed, account-bound link), never the site's and never the stored name
    assert "data-preview-image" in page and 'src="/komunitas/pratinjau-gambar/' in page
    assert preview.image.name not in page
    assert "https://berita.example/img/kopi.jpg" not in page


@pytest.mark.parametrize(
    "response,message",
    [
        (FakeResponse(200, {"Content-Type": "image/png"}, b"<svg onload=alert(1)>"), "bukan gambar"),  # by content
        (FakeResponse(200, {"Content-Type": "text/html"}, b"<html>"), "bukan berkas gambar"),
        (FakeResponse(200, {"Content-Type": "image/x-icon"}, _image_bytes("ICO", (32, 32))), "tidak didukung"),
        (FakeResponse(302, {"Location": "http://dalam.example/x.png"}), "internal"),  # SSRF through a redirect
        (FakeResponse(404), "status 404"),
    ],
)
def test_preview_image_refusals_keep_the_preview(world, response, message):
    post = services.post_create(
        user=world.premium, group=world.public, body="Baca", link_url="https://berita.example/kopi"
    )
    preview = _refresh(post, _site_with_image(response))
    assert preview.status == LinkPreview.OK and preview.title.startswith("Ekspor Kopi")  # the card stays
    assert not preview.image and message in preview.image_error


def test_preview_image_size_capped(world, settings):
    settings.COMMUNITY_LINK_PREVIEW_IMAGE_MAX_BYTES = 1000
    post = services.post_create(
        user=world.premium, group=world.public, body="Baca", link_url="https://berita.example/kopi"
    )
    buf = io.BytesIO()
    Image.frombytes("RGB", (100, 100), os.urandom(30_000)).save(buf, format="PNG")  # noise: does not compress
    big = buf.getvalue()
    assert len(big) > 1000
    preview = _refresh(post, _site_with_image(FakeResponse(200, {"Content-Type": "image/png"}, big)))
    assert not preview.image and "terlalu besar" in preview.image_error
