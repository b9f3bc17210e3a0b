"""Stickers in the community (COM-D13): a comment or a post can be a sticker alone (picked in the comment box and in
the group composer), shown in the feed, on the post page and in the live fragments, and in the API (`sticker`
{id, name, url}; `sticker` id accepted on create). Hostile ids are a 4xx with an Indonesian reason."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanggar.api.testing import call
from sanggar.chat import stickers
from sanggar.community import services
from sanggar.community.models import Comment, Post

from .world import World


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.COMMUNITY_POST_RATE_LIMIT = settings.COMMUNITY_POST_IP_RATE_LIMIT = "1000/3600"
    settings.COMMUNITY_COMMENT_RATE_LIMIT = "1000/3600"
    w = World(make_user, admin_user)
    w.pack = stickers.builtin_ensure()
    w.mantap = w.pack.stickers.get(name="Mantap")
    w.siap = w.pack.stickers.get(name="Siap kirim")
    return w


def test_comment_can_be_a_sticker_alone_on_page_live_fragment_and_api(world, client):
    post = services.post_create(user=world.premium, group=world.public, body="Kontainer pertama berangkat!")
    client.force_login(world.premium)
    page = client.get(f"/komunitas/post/{post.pk}").content.decode()
    assert "data-sticker-picker" in page and world.mantap.url in page  # the picker in the comment box
    r = client.post(f"/komunitas/post/{post.pk}/komentar", {"body": "", "sticker": str(world.mantap.pk)})
    assert r.status_code == 302
    comment = Comment.objects.get(post=post)
    assert comment.sticker == world.mantap and comment.body == ""
    html = client.get(f"/komunitas/post/{post.pk}").content.decode()
    assert f'data-sticker="{world.mantap.pk}"' in html and 'alt="Mantap"' in html
    fragment = client.get(f"/komunitas/post/{post.pk}/komentar-baru?setelah=0").content.decode()
    assert f'data-sticker="{world.mantap.pk}"' in fragment  # what the live update fetches
    r = call(client, "post", f"/posts/{post.pk}/comments", {"sticker": world.siap.pk}, user=world.premium)
    assert r.status_code == 201
    assert r.json()["sticker"]["id"] == world.siap.pk and r.json()["sticker"]["name"] == "Siap kirim"
    assert r.json()["sticker"]["url"].startswith("http") and r.json()["body"] == ""
    listed = call(client, "get", f"/posts/{post.pk}/comments", user=world.premium).json()["results"]
    assert [c["sticker"]["name"] for c in listed] == ["Mantap", "Siap kirim"]


def test_hostile_sticker_ids_are_refused_with_a_reason(world, client, admin_user):
    post = services.post_create(user=world.premium, group=world.public, body="Halo")
    url = f"/posts/{post.pk}/comments"
    for bad in ("abc", True, 10**15, [1], {"a": 1}, -5):
        r = call(client, "post", url, {"sticker": bad}, user=world.premium)
        assert 400 <= r.status_code < 500, bad
    r = call(client, "post", url, {"sticker": 987654}, user=world.premium)
    assert r.status_code == 400 and "Stiker" in r.json()["message"]
    r = call(client, "post", url, {"body": ""}, user=world.premium)
    assert r.status_code == 400  # neither text nor sticker
    stickers.sticker_set_active(actor=admin_user, sticker=world.mantap, active=False)
    r = call(client, "post", url, {"sticker": world.mantap.pk}, user=world.premium)
    assert r.status_code == 400 and "dinonaktifkan" in r.json()["message"]
    client.force_login(world.premium)
    r = client.post(f"/komunitas/post/{post.pk}/komentar", {"body": "", "sticker": "1\x00"}, follow=True)
    assert r.status_code in (200, 400)  # the NUL guard or the service: never a 500
    r = client.post(f"/komunitas/post/{post.pk}/komentar", {"body": "", "sticker": "99999999999"}, follow=True)
    assert r.status_code == 200 and "Stiker tidak valid" in r.content.decode()
    r = call(client, "post", f"/groups/{world.public.slug}/posts", {"sticker": "1; drop"}, user=world.premium)
    assert 400 <= r.status_code < 500
    event = {"title": "Kelas HS Code", "starts_at": "2030-01-01T10:00:00"}
    r = call(
        client,
        "post",
        f"/groups/{world.public.slug}/posts",
        {"sticker": world.siap.pk, "event": event},
        user=world.premium,
    )
    assert r.status_code == 400 and "Stiker" in r.json()["message"]
    r = client.post(
        f"/komunitas/grup/{world.public.slug}/posting",
        {"body": "nanti", "sticker": str(world.siap.pk), "scheduled_at": "2030-01-01T10:00"},
        follow=True,
    )
    assert "Stiker tidak bisa digabung" in r.content.decode()
    assert not Comment.objects.exists() and Post.objects.count() == 1
    # an outsider cannot comment with a sticker in a hidden group
    hidden_post = services.post_create(user=world.premium, group=world.hidden, body="VIP")
    r = call(client, "post", f"/posts/{hidden_post.pk}/comments", {"sticker": world.siap.pk}, user=world.outsider)
    assert r.status_code in (403, 404)


def test_post_sticker_from_composer_feed_and_api(world, client):
    client.force_login(world.premium)
    group_page = client.get(f"/komunitas/grup/{world.public.slug}").content.decode()
    assert "data-sticker-picker" in group_page and 'name="sticker"' in group_page
    r = client.post(
        f"/komunitas/grup/{world.public.slug}/posting", {"body": "", "sticker": str(world.siap.pk)}, follow=True
    )
    assert r.status_code == 200
    post = Post.objects.get(group=world.public)
    assert post.sticker == world.siap and post.body == ""
    feed = client.get(f"/komunitas/grup/{world.public.slug}").content.decode()
    assert f'data-sticker="{world.siap.pk}"' in feed
    assert f'data-sticker="{world.siap.pk}"' in client.get(f"/komunitas/post/{post.pk}").content.decode()
    r = call(
        client,
        "post",
        f"/groups/{world.public.slug}/posts",
        {"body": "Siap!", "sticker": world.mantap.pk},
        user=world.premium,
    )
    assert r.status_code == 201 and r.json()["sticker"]["name"] == "Mantap" and r.json()["body"] == "Siap!"
    listed = call(client, "get", f"/groups/{world.public.slug}/posts", user=world.premium).json()["results"]
    assert {p["sticker"]["name"] for p in listed} == {"Mantap", "Siap kirim"}
    one = call(client, "get", f"/posts/{post.pk}", user=world.free).json()
    assert one["sticker"]["id"] == world.siap.pk


def test_group_posts_api_queries_do_not_grow_with_sticker_posts(world, client):
    services.post_create(user=world.premium, group=world.public, body="teks", sticker=world.mantap.pk)
    call(client, "get", f"/groups/{world.public.slug}/posts", user=world.premium)
    with CaptureQueriesContext(connection) as one:
        call(client, "get", f"/groups/{world.public.slug}/posts", user=world.premium)
    for sticker in world.pack.stickers.all()[:8]:
        services.post_create(user=world.premium, group=world.public, body="", sticker=sticker.pk)
    with CaptureQueriesContext(connection) as many:
        r = call(client, "get", f"/groups/{world.public.slug}/posts", user=world.premium)
    assert len(r.json()["results"]) == 9
    assert len(many.captured_queries) == len(one.captured_queries)
