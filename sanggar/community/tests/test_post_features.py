"""Scheduled posts (hidden until due, published once by the minute sweep even on two workers), 24-hour stories with
viewed markers, coloured quote posts from a fixed palette, location tags with a province filter, and audio / video
uploads recognised by content and streamed privately with range requests; hostile input answered 4xx in Indonesian."""

import io
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from PIL import Image

from sanggar.api.testing import PREFIX, bearer, call
from sanggar.community import demo, media, realtime, scheduled, services, stories
from sanggar.community.models import Post, ScheduledPost, Story, StoryView
from sanggar.core.exceptions import RateLimited, ServiceError
from sanggar.core.roles import Role
from sanggar.notifications.models import Notification

from .world import World

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 8
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" + b"\x00" * 500
OGG = b"OggS\x00\x02" + b"\x00" * 300


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.COMMUNITY_POST_RATE_LIMIT = settings.COMMUNITY_POST_IP_RATE_LIMIT = "1000/3600"
    settings.COMMUNITY_SCHEDULE_RATE_LIMIT = settings.COMMUNITY_SCHEDULE_IP_RATE_LIMIT = "1000/3600"
    settings.COMMUNITY_STORY_RATE_LIMIT = settings.COMMUNITY_STORY_IP_RATE_LIMIT = "1000/3600"
    return World(make_user, admin_user)


def png(name="a.png"):
    buf = io.BytesIO()
    Image.new("RGB", (30, 20), "blue").save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def later(minutes=30):
    return timezone.now() + timezone.timedelta(minutes=minutes)


# --- scheduled posts ---------------------------------------------------------------------------------------------


def test_scheduled_post_stays_hidden_until_the_sweep_publishes_it_once(world, client):
    services.profile_ensure(world.mentor)
    mentor_name = services.profile_ensure(world.mentor).username
    services.group_join(user=world.mentor, group=world.public)
    old = services.post_create(user=world.premium, group=world.public, body="postingan lama")
    row = scheduled.scheduled_post_create(
        user=world.premium,
        group=world.public,
        scheduled_at=later(),
        body=f"Rilis katalog kopi Gayo besok pagi, @{mentor_name} mohon dicek",
        location_name="Takengon",
        location_province="Aceh",
    )
    assert row.status == ScheduledPost.SCHEDULED and not Post.objects.filter(body__contains="katalog").exists()
    client.force_login(world.mentor)
    assert "katalog kopi" not in client.get("/komunitas").content.decode()
    assert "katalog kopi" not in call(client, "get", "/feed", user=world.mentor).content.decode()
    assert not Notification.objects.filter(user=world.mentor, data__template="community_mention").exists()
    assert scheduled.scheduled_posts_publish() == 0  # not due yet

    assert scheduled.scheduled_posts_publish(now=later(31)) == 1
    assert scheduled.scheduled_posts_publish(now=later(32)) == 0  # a second run finds nothing left
    row.refresh_from_db()
    post = row.post
    assert row.status == ScheduledPost.PUBLISHED and post.status == "published" and post.pk > old.pk
    assert post.location_province == "Aceh" and Post.objects.filter(body__contains="katalog").count() == 1
    assert Notification.objects.filter(user=world.mentor, data__template="community_mention").count() == 1
    assert Notification.objects.filter(user=world.premium, data__template="community_scheduled_published").exists()
    feed = call(client, "get", "/feed", user=world.mentor).json()["results"]
    assert feed[0]["id"] == post.pk  # at the top of the feed, not at its creation time


def test_scheduled_post_reaches_the_websocket_only_when_published(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(realtime, "_send", lambda channel, event: sent.append((channel, event)))
    with django_capture_on_commit_callbacks(execute=True):
        scheduled.scheduled_post_create(user=world.premium, group=world.public, scheduled_at=later(), body="nanti")
    assert sent == []
    with django_capture_on_commit_callbacks(execute=True):
        scheduled.scheduled_posts_publish(now=later(31))
    post = ScheduledPost.objects.get().post
    assert sent == [
        (realtime.group_channel(world.public.pk), {"type": "community.post", "post": post.pk, "group": world.public.pk})
    ]


def test_scheduled_post_edit_cancel_and_the_authors_list(world, client):
    row = scheduled.scheduled_post_create(user=world.premium, group=world.hidden, scheduled_at=later(), body="draf")
    client.force_login(world.premium)
    page = client.get("/komunitas/terjadwal").content.decode()
    assert "draf" in page and "Terjadwal" in page
    when = timezone.localtime(later(120)).strftime("%Y-%m-%dT%H:%M")
    r = client.post(f"/komunitas/terjadwal/{row.pk}", {"body": "draf diperbaiki", "scheduled_at": when})
    assert r.status_code == 302
    row.refresh_from_db()
    assert row.body == "draf diperbaiki" and row.scheduled_at > later(100)
    client.force_login(world.free)
    assert client.get(f"/komunitas/terjadwal/{row.pk}").status_code == 404  # someone else's
    assert client.post(f"/komunitas/terjadwal/{row.pk}/batal").status_code == 404
    client.force_login(world.premium)
    assert client.post(f"/komunitas/terjadwal/{row.pk}/batal").status_code == 302
    row.refresh_from_db()
    assert row.status == ScheduledPost.CANCELLED
    assert scheduled.scheduled_posts_publish(now=later(500)) == 0 and not Post.objects.filter(body="draf").exists()


def test_scheduled_post_from_the_composer_with_a_photo(world, client):
    client.force_login(world.premium)
    when = timezone.localtime(later(60)).strftime("%Y-%m-%dT%H:%M")
    r = client.post(
        f"/komunitas/grup/{world.hidden.slug}/posting",
        {"body": "Foto stand pameran", "scheduled_at": when, "image": png()},
    )
    assert r.status_code == 302 and r["Location"] == "/komunitas/terjadwal"
    row = ScheduledPost.objects.get()
    assert row.image.name.startswith("private/community/scheduled/")
    scheduled.scheduled_posts_publish(now=later(61))
    row.refresh_from_db()
    assert row.post.image and not row.image  # the scheduled copy is removed once published


def test_scheduled_post_refused_when_due_tells_the_author(world):
    row = scheduled.scheduled_post_create(user=world.premium, group=world.public, scheduled_at=later(), body="nanti")
    services.group_leave(user=world.premium, group=world.public)
    scheduled.scheduled_posts_publish(now=later(31))
    row.refresh_from_db()
    assert row.status == ScheduledPost.FAILED and row.error and row.post is None
    assert Notification.objects.filter(user=world.premium, data__template="community_scheduled_failed").exists()


@pytest.mark.parametrize(
    "when, message",
    [
        ("2020-01-01T10:00", "masa depan"),
        ("besok pagi", "tidak valid"),
        ("2030-01-01T10:00\x00", "tidak valid"),
        (12345, "tidak valid"),
        ("9999-12-31T23:59", "paling lama"),
    ],
)
def test_scheduled_time_is_checked(world, when, message):
    with pytest.raises(ServiceError, match=message):
        scheduled.scheduled_post_create(user=world.premium, group=world.hidden, scheduled_at=when, body="x")


def test_scheduled_posts_have_limits_per_user_address_and_waiting(world, settings):
    settings.COMMUNITY_SCHEDULE_RATE_LIMIT = "2/3600"
    for _ in range(2):
        scheduled.scheduled_post_create(user=world.premium, group=world.hidden, scheduled_at=later(), body="a")
    with pytest.raises(RateLimited):
        scheduled.scheduled_post_create(user=world.premium, group=world.hidden, scheduled_at=later(), body="a")
    settings.COMMUNITY_SCHEDULE_RATE_LIMIT = "1000/3600"
    settings.COMMUNITY_SCHEDULE_IP_RATE_LIMIT = "1/3600"
    services.group_join(user=world.mentor, group=world.public)
    scheduled.scheduled_post_create(
        user=world.mentor, group=world.public, scheduled_at=later(), body="b", ip="10.0.0.9"
    )
    with pytest.raises(RateLimited):
        scheduled.scheduled_post_create(
            user=world.premium, group=world.hidden, scheduled_at=later(), body="c", ip="10.0.0.9"
        )
    settings.COMMUNITY_SCHEDULE_IP_RATE_LIMIT = "1000/3600"
    settings.COMMUNITY_SCHEDULE_MAX_PENDING = 2
    with pytest.raises(ServiceError, match="sudah punya 2"):
        scheduled.scheduled_post_create(user=world.premium, group=world.hidden, scheduled_at=later(), body="d")


def test_scheduled_posts_api(world, client):
    r = call(
        client,
        "post",
        f"/groups/{world.hidden.slug}/scheduled-posts",
        {"body": "Webinar HS Code Jumat", "scheduled_at": later(90).isoformat()},
        user=world.premium,
    )
    assert r.status_code == 201, r.content
    row_id = r.json()["id"]
    assert r.json()["status"] == "scheduled"
    listing = call(client, "get", "/me/scheduled-posts", user=world.premium).json()
    assert [x["id"] for x in listing["results"]] == [row_id]
    assert call(client, "get", "/me/scheduled-posts", user=world.free).json()["count"] == 0
    r = call(client, "patch", f"/scheduled-posts/{row_id}", {"body": "Webinar HS Code Sabtu"}, user=world.premium)
    assert r.status_code == 200 and r.json()["body"] == "Webinar HS Code Sabtu"
    assert call(client, "delete", f"/scheduled-posts/{row_id}", user=world.free).status_code == 404
    r = call(client, "post", f"/groups/{world.hidden.slug}/scheduled-posts", {"body": "x"}, user=world.premium)
    assert r.status_code == 422  # scheduled_at is required
    r = call(
        client,
        "post",
        f"/groups/{world.hidden.slug}/scheduled-posts",
        {"body": "x", "scheduled_at": "2001-01-01T00:00:00"},
        user=world.premium,
    )
    assert r.status_code == 400 and "masa depan" in r.json()["message"]
    assert call(client, "delete", f"/scheduled-posts/{row_id}", user=world.premium).status_code == 204


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_publish_a_due_post_once(make_user, admin_user, settings, tmp_path):
    """Two workers run the sweep at the same moment on PostgreSQL: SKIP LOCKED gives each row to one of them."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    settings.MEDIA_ROOT = tmp_path
    w = World(make_user, admin_user)
    for i in range(6):
        scheduled.scheduled_post_create(user=w.premium, group=w.hidden, scheduled_at=later(), body=f"serentak {i}")
    barrier = threading.Barrier(2)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(scheduled.scheduled_posts_publish(now=later(31)))
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(results) == 6
    assert Post.objects.filter(body__startswith="serentak").count() == 6
    assert ScheduledPost.objects.filter(status=ScheduledPost.PUBLISHED).count() == 6


# --- stories ------------------------------------------------------------------------------------------------------


def test_story_bar_shows_followed_and_group_stories_and_marks_them_seen(world, client):
    services.follow(user=world.free, target=world.premium)
    own = stories.story_create(user=world.premium, image=png(), text="Kontainer pertama ke Rotterdam!")
    group_story = stories.story_create(
        user=world.premium, text="Rapat grup jam 8", background="hijau", group=world.hidden
    )
    stranger = stories.story_create(user=world.mentor, text="Story mentor")  # the free member does not follow
    assert own.kind == Story.PHOTO and own.image.name.startswith("private/community/stories/")
    bar = stories.story_bar(world.free)
    seen_ids = [s.pk for e in bar for s in e["stories"]]
    assert seen_ids == [own.pk] and bar[0]["unseen"]  # not the hidden group's, not the unfollowed mentor's
    client.force_login(world.free)
    feed = client.get("/komunitas").content.decode()
    assert "data-story-bar" in feed and f"/komunitas/story/{own.pk}" in feed and "data-unseen" in feed
    page = client.get(f"/komunitas/story/{own.pk}").content.decode()
    assert "Rotterdam" in page and "/komunitas/story-foto/" in page
    assert StoryView.objects.filter(story=own, user=world.free).count() == 1
    client.get(f"/komunitas/story/{own.pk}")
    own.refresh_from_db()
    assert own.view_count == 1 and not stories.story_bar(world.free)[0]["unseen"]
    assert client.get(f"/komunitas/story/{group_story.pk}").status_code == 404
    assert client.get(f"/komunitas/story/{stranger.pk}").status_code == 404
    # the photo through its signed link: the viewer's own link opens, another account's does not
    photo = stories.photo_link(user=world.free, story=own)
    assert client.get(photo).status_code == 200
    client.force_login(world.mentor)
    assert client.get(photo).status_code == 403
    # the author sees who viewed
    client.force_login(world.premium)
    assert "Riko Gratis" in client.get(f"/komunitas/story/{own.pk}").content.decode()


def test_stories_expire_after_24_hours_and_the_sweep_deletes_their_files(world, client, tmp_path):
    services.follow(user=world.free, target=world.premium)
    story = stories.story_create(user=world.premium, image=png())
    path = tmp_path / story.image.name
    assert path.exists()
    Story.objects.filter(pk=story.pk).update(expires_at=timezone.now() - timezone.timedelta(seconds=1))
    assert stories.story_bar(world.free) == []
    client.force_login(world.free)
    assert client.get(f"/komunitas/story/{story.pk}").status_code == 404
    assert call(client, "get", "/stories", user=world.free).json()["results"] == []
    assert stories.stories_sweep() == 1
    assert not path.exists() and not Story.objects.exists()


def test_story_refusals(world, settings):
    with pytest.raises(ServiceError, match="Premium"):
        stories.story_create(user=world.free, text="halo")
    with pytest.raises(ServiceError, match="latar warna"):
        stories.story_create(user=world.premium, text="halo", background="url(javascript:x)")
    with pytest.raises(ServiceError, match="tidak diizinkan"):
        stories.story_create(user=world.premium, text="ha\x00lo")
    with pytest.raises(ServiceError, match="kosong"):
        stories.story_create(user=world.premium)
    with pytest.raises(ServiceError):
        stories.story_create(user=world.premium, image=SimpleUploadedFile("x.png", b"<svg></svg>"))
    with pytest.raises(ServiceError):
        stories.story_create(user=world.premium, text="x" * 301)
    settings.COMMUNITY_STORY_RATE_LIMIT = "1/3600"
    stories.story_create(user=world.premium, text="satu")
    with pytest.raises(RateLimited):
        stories.story_create(user=world.premium, text="dua")
    settings.COMMUNITY_STORY_RATE_LIMIT = "1000/3600"
    settings.COMMUNITY_STORY_IP_RATE_LIMIT = "1/3600"
    stories.story_create(user=world.mentor, text="dari warnet", ip="10.1.1.1")
    with pytest.raises(RateLimited):
        stories.story_create(user=world.premium, text="dari warnet juga", ip="10.1.1.1")


def test_stories_api(world, client):
    services.follow(user=world.free, target=world.premium)
    r = client.post(PREFIX + "/stories", {"text": "Panen vanili", "image": png()}, headers=bearer(world.premium))
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["kind"] == "photo" and body["image_url"].startswith("http") and body["view_count"] == 0
    listing = call(client, "get", "/stories", user=world.free).json()["results"]
    assert [s["id"] for s in listing] == [body["id"]] and listing[0]["seen"] is False
    assert listing[0]["view_count"] is None  # only the author sees the count
    assert client.get(listing[0]["image_url"]).status_code == 200  # the API's link carries the account
    r = call(client, "post", f"/stories/{body['id']}/view", user=world.free)
    assert r.json() == {"seen": True, "first_view": True}
    assert call(client, "post", f"/stories/{body['id']}/view", user=world.free).json()["first_view"] is False
    assert call(client, "get", "/stories", user=world.free).json()["results"][0]["seen"] is True
    assert call(client, "post", f"/stories/{body['id']}/view", user=world.outsider).status_code == 404
    r = client.post(PREFIX + "/stories", {"text": "x", "background": "neon"}, headers=bearer(world.premium))
    assert r.status_code == 400 and "latar warna" in r.json()["message"]
    r = client.post(
        PREFIX + "/stories", {"text": "rahasia", "group": world.hidden.slug}, headers=bearer(world.outsider)
    )
    assert r.status_code == 404  # a hidden group the caller is not in
    assert call(client, "delete", f"/stories/{body['id']}", user=world.free).status_code == 403
    assert call(client, "delete", f"/stories/{body['id']}", user=world.premium).status_code == 204


def test_story_create_page(world, client):
    client.force_login(world.premium)
    assert client.get("/komunitas/story/baru").status_code == 200
    r = client.post("/komunitas/story/baru", {"text": "Sampel sudah sampai!", "background": "ungu", "group": ""})
    assert r.status_code == 302
    assert Story.objects.get().background == "ungu"
    r = client.post("/komunitas/story/baru", {"text": "x", "group": "grup-tidak-ada"})
    assert r.status_code == 400 and "Pilih grup" in r.content.decode()
    client.force_login(world.free)
    assert "butuh Member Premium" in client.get("/komunitas/story/baru").content.decode()


# --- quote posts and locations ------------------------------------------------------------------------------------


def test_quote_post_from_the_palette_is_rendered_large(world, client):
    post = services.post_create(
        user=world.premium, group=world.hidden, body="Ekspor itu maraton, bukan sprint.", background="jingga"
    )
    client.force_login(world.premium)
    page = client.get(f"/komunitas/post/{post.pk}").content.decode()
    assert 'data-quote="jingga"' in page and "from-amber-400" in page and "text-2xl" in page
    body = call(client, "get", f"/posts/{post.pk}", user=world.premium).json()
    assert body["background"] == "jingga"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"body": "halo", "background": "#ff0000"}, "dari daftar"),
        ({"body": "halo", "background": 7}, "harus berupa teks"),
        ({"body": "x" * 281, "background": "biru"}, "280"),
        ({"body": "", "background": "biru", "poll": ["a", "b"]}, "harus diisi"),
        ({"body": "halo", "background": "biru", "link_url": "https://eksporyuk.com"}, "tidak bisa digabung"),
    ],
)
def test_quote_post_refusals(world, kwargs, message):
    with pytest.raises(ServiceError, match=message):
        services.post_create(user=world.premium, group=world.hidden, **kwargs)


def test_location_tag_is_shown_and_filters_the_feed(world, client):
    here = services.post_create(
        user=world.premium,
        group=world.hidden,
        body="Muat kontainer di sini",
        location_name="Pelabuhan Tanjung Perak",
        location_city="Surabaya",
        location_province="Jawa Timur",
    )
    elsewhere = services.post_create(user=world.premium, group=world.hidden, body="Tanpa lokasi")
    client.force_login(world.premium)
    page = client.get("/komunitas").content.decode()
    assert "Pelabuhan Tanjung Perak, Surabaya, Jawa Timur" in page
    filtered = client.get("/komunitas?provinsi=Jawa Timur").content.decode()
    assert f'id="post-{here.pk}"' in filtered and f'id="post-{elsewhere.pk}"' not in filtered
    api = call(client, "get", "/feed?province=Jawa Timur", user=world.premium).json()["results"]
    assert [p["id"] for p in api] == [here.pk]
    assert api[0]["location"] == {"name": "Pelabuhan Tanjung Perak", "city": "Surabaya", "province": "Jawa Timur"}
    r = call(client, "get", "/feed?province=Atlantis", user=world.premium)
    assert r.status_code == 400 and "Provinsi" in r.json()["message"]
    grp = call(client, "get", f"/groups/{world.hidden.slug}/posts?province=Jawa Timur", user=world.premium).json()
    assert grp["count"] == 1


def test_location_refusals_and_hostile_api_input(world, client):
    with pytest.raises(ServiceError, match="provinsi"):
        services.post_create(user=world.premium, group=world.hidden, body="x", location_province="Narnia")
    with pytest.raises(ServiceError, match="terlalu panjang"):
        services.post_create(user=world.premium, group=world.hidden, body="x", location_name="y" * 101)
    with pytest.raises(ServiceError, match="tidak diizinkan"):
        services.post_create(user=world.premium, group=world.hidden, body="x", location_name="Bali\x00")
    path = f"/groups/{world.hidden.slug}/posts"
    for payload in (
        {"body": "x", "location_name": "a\x00b"},
        {"body": "x", "location_name": "z" * 5000},
        {"body": "x", "background": ["merah"]},
        {"body": "x", "location_province": {"a": 1}},
        {"body": "x", "background": "ungu\x00"},
    ):
        r = call(client, "post", path, payload, user=world.premium)
        assert 400 <= r.status_code < 500, (payload, r.status_code)
    r = call(client, "post", path, {"body": "x", "location_city": "Kota"}, user=world.premium)
    assert r.status_code == 201 and r.json()["location"]["name"] == "Kota"  # a city alone names the place


# --- audio and video ----------------------------------------------------------------------------------------------


def test_media_is_recognised_by_content():
    assert media.sniff_media(MP4[:16]) == "video/mp4"
    assert media.sniff_media(b"\x1a\x45\xdf\xa3" + b"\x00" * 12) == "video/webm"
    assert media.sniff_media(MP3[:16]) == "audio/mpeg"
    assert media.sniff_media(OGG[:16]) == "audio/ogg"
    assert media.sniff_media(b"RIFF\x00\x00\x00\x00WAVEfmt ") == "audio/wav"
    assert media.sniff_media(b"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00") == "audio/mp4"
    assert media.sniff_media(b"<html><body>") is None and media.sniff_media(b"MZ\x90\x00") is None


def test_video_post_is_private_and_streamed_with_ranges(world, client):
    post = services.post_create(
        user=world.premium, group=world.hidden, body="Proses sortasi biji kopi", media=SimpleUploadedFile("a.mp4", MP4)
    )
    assert post.media_kind == "video" and post.media_type == "video/mp4" and post.media.name.startswith("private/")
    client.force_login(world.premium)
    page = client.get(f"/komunitas/post/{post.pk}").content.decode()
    assert '<video class="' in page and "/komunitas/media/" in page and post.media.name not in page
    link = media.media_link(user=world.premium, post=post)
    whole = client.get(link)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes" and whole["Content-Type"] == "video/mp4"
    assert b"".join(whole.streaming_content) == MP4
    part = client.get(link, headers={"Range": "bytes=10-19"})
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 10-19/{len(MP4)}"
    assert b"".join(part.streaming_content) == MP4[10:20]
    assert client.get(link, headers={"Range": f"bytes={len(MP4) + 5}-"}).status_code == 416
    client.force_login(world.outsider)
    assert client.get(link).status_code == 403  # a link made for another account
    assert client.get(media.media_link(user=world.outsider, post=post)).status_code == 404  # hidden group
    assert client.get("/komunitas/media/bukan-token").status_code == 403
    # the API's link carries the account and plays without a session
    api = call(client, "get", f"/posts/{post.pk}", user=world.premium).json()
    assert api["media_kind"] == "video" and api["media_url"].startswith("http")
    client.logout()
    assert client.get(api["media_url"], headers={"Range": "bytes=0-3"}).status_code == 206


def test_media_link_expires(world, client, settings):
    post = services.post_create(user=world.premium, group=world.hidden, media=SimpleUploadedFile("s.mp3", MP3))
    assert post.media_kind == "audio"
    client.force_login(world.premium)
    assert "<audio" in client.get(f"/komunitas/post/{post.pk}").content.decode()
    link = media.media_link(user=world.premium, post=post)
    settings.COMMUNITY_MEDIA_LINK_TTL_SECONDS = -1
    r = client.get(link)
    assert r.status_code == 403 and "kedaluwarsa" in r.content.decode()


def test_media_refusals(world, settings, client):
    with pytest.raises(ServiceError, match="bukan audio"):
        services.post_create(user=world.premium, group=world.hidden, media=SimpleUploadedFile("v.mp4", b"<html>" * 9))
    with pytest.raises(ServiceError, match="bukan audio"):
        services.post_create(user=world.premium, group=world.hidden, media=SimpleUploadedFile("v.mp3", b"MZ\x90" * 9))
    settings.COMMUNITY_VIDEO_MAX_BYTES = 100
    with pytest.raises(ServiceError, match="Video terlalu besar"):
        services.post_create(user=world.premium, group=world.hidden, media=SimpleUploadedFile("v.mp4", MP4))
    settings.COMMUNITY_AUDIO_MAX_BYTES = 100
    with pytest.raises(ServiceError, match="Audio terlalu besar"):
        services.post_create(user=world.premium, group=world.hidden, media=SimpleUploadedFile("a.ogg", OGG))
    client.force_login(world.premium)
    r = client.post(
        f"/komunitas/grup/{world.hidden.slug}/posting",
        {"body": "x", "media": SimpleUploadedFile("film.mp4", b"bukan video sama sekali")},
        follow=True,
    )
    assert r.status_code == 200 and "bukan audio" in r.content.decode()
    assert not Post.objects.exists()


def test_media_upload_through_the_api(world, client):
    r = client.post(
        PREFIX + f"/groups/{world.hidden.slug}/posts/upload",
        {"body": "Rekaman webinar", "media": SimpleUploadedFile("r.ogg", OGG), "location_province": "Bali"},
        headers=bearer(world.premium),
    )
    assert r.status_code == 201, r.content
    assert r.json()["media_kind"] == "audio" and r.json()["location"]["province"] == "Bali"
    r = client.post(
        PREFIX + f"/groups/{world.hidden.slug}/posts/upload",
        {"body": "x", "media": SimpleUploadedFile("r.mp4", b"GIF89a" + b"\x00" * 40)},
        headers=bearer(world.premium),
    )
    assert r.status_code == 400 and "bukan audio" in r.json()["message"]
    r = client.post(
        PREFIX + f"/groups/{world.hidden.slug}/posts/upload",
        {"body": "x", "media": SimpleUploadedFile("r.ogg", OGG)},
        headers=bearer(world.outsider),
    )
    assert r.status_code == 404


# --- demo ---------------------------------------------------------------------------------------------------------


def test_demo_adds_quote_location_scheduled_post_and_stories_once(make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    make_user(Role.ADMIN, email="admin@sanggar.test", full_name="Admin Demo")
    make_user(Role.MENTOR, email="mentor@sanggar.test", full_name="Mentor Demo")
    member = make_user(email="member@sanggar.test", full_name="Member Demo")
    lines = []
    demo.seed(log=lines.append)
    counts = (Post.objects.count(), ScheduledPost.objects.count(), Story.objects.count())
    demo.seed(log=lines.append)
    assert (Post.objects.count(), ScheduledPost.objects.count(), Story.objects.count()) == counts
    assert Post.objects.filter(background="hijau").exists()
    assert Post.objects.filter(location_province="Jawa Tengah").exists()
    assert ScheduledPost.objects.get().status == ScheduledPost.SCHEDULED
    assert {s.author.email for e in stories.story_bar(member) for s in e["stories"]} == {"mentor@sanggar.test"}
