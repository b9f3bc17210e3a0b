"""The feed page, the feed API, a group's posts (page and API) and a post page run a fixed number of queries: measured
with some data, then again with three times as much (posts with polls in two groups, reactions by many members,
comments with replies, saves and votes), the count may not grow (the `make bench` community targets measure the same
pages at 100,000 posts and 1,000,000 reactions)."""

import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.community import services
from sanggar.community.models import Post

from .world import World

pytestmark = pytest.mark.django_db

CEILING = 40


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for name in ("POST", "COMMENT", "REACTION"):
        setattr(settings, f"COMMUNITY_{name}_RATE_LIMIT", "10000/3600")
        setattr(settings, f"COMMUNITY_{name}_IP_RATE_LIMIT", "10000/3600")
    return World(make_user, admin_user)


def _grow(world, make_user, n: int, start: int) -> None:
    """n rounds of: twelve posts (half with a poll in the hidden plan group, half in the public group; so each round's
    pages are full, banner slots included), a new member who reacts to every public post so far, a comment and a
    reply on the newest post, the viewer's reaction, vote and save."""
    viewer = world.premium
    readers = []
    for i in range(start, start + n):
        reader = make_user(full_name=f"Pembaca {i}", email=f"pembaca{i}@example.com")
        reader.date_joined = timezone.now() - timezone.timedelta(days=30)
        reader.save(update_fields=["date_joined"])
        services.group_join(user=reader, group=world.public)
        readers.append(reader)
    for i in range(start, start + n):
        for k in range(5):
            services.post_create(user=world.admin, group=world.hidden, body=f"Info {i}.{k}", poll=["Ya", "Tidak"])
            services.post_create(user=world.admin, group=world.public, body=f"Kabar {i}.{k}")
        hidden = services.post_create(user=world.admin, group=world.hidden, body=f"Info {i}", poll=["Ya", "Tidak"])
        public = services.post_create(user=world.admin, group=world.public, body=f"Kabar {i}")
        for reader in readers:
            services.reaction_set(user=reader, post=public, type="love" if i % 2 else "like")
        services.reaction_set(user=viewer, post=hidden, type="wow")
        services.poll_vote(user=viewer, post=hidden, option_id=hidden.poll_options.first().pk)
        services.post_save_toggle(user=viewer, post=public)
        comment = services.comment_create(user=viewer, post=hidden, body=f"Komentar {i}")
        services.comment_create(user=world.admin, post=hidden, body="Terima kasih", parent=comment)
        services.reaction_set(user=world.admin, post=hidden, type="like", comment=comment)


def _shape(sql: str) -> str:
    """A query without its literals and with IN lists of any length alike (to tell which query a larger page added)."""
    return re.sub(r"IN \((?:\?, )*\?\)", "IN (…)", re.sub(r"'[^']*'|\b\d+\b|%s", "?", sql))[:300]


def _count(do) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = do()
    assert response.status_code == 200, (response.status_code, response.content[:300])
    return [q["sql"] for q in captured.captured_queries]


def test_feed_group_and_post_queries_stay_fixed_at_three_times_the_data(world, client, make_user):
    viewer = world.premium
    client.force_login(viewer)

    def newest():
        return Post.objects.filter(group=world.hidden).order_by("-id").first().pk

    checks = {
        "feed page": lambda: client.get("/komunitas"),
        "feed page, next page": lambda: client.get(f"/komunitas?sebelum={newest()}", headers={"HX-Request": "true"}),
        "group page": lambda: client.get(f"/komunitas/grup/{world.hidden.slug}"),
        "post page": lambda: client.get(f"/komunitas/post/{newest()}"),
        "saved posts": lambda: client.get("/komunitas/tersimpan"),
        "API feed": lambda: call(client, "get", "/feed", user=viewer),
        "API group posts": lambda: call(client, "get", f"/groups/{world.public.slug}/posts", user=viewer),
        "API post": lambda: call(client, "get", f"/posts/{newest()}", user=viewer),
        "API comments": lambda: call(client, "get", f"/posts/{newest()}/comments", user=viewer),
    }
    _grow(world, make_user, 2, 0)  # 24 posts: full pages
    for do in checks.values():
        do()  # warm caches (settings rows, the day's visit points) so both rounds count a running server's request
    small = {name: _count(do) for name, do in checks.items()}
    _grow(world, make_user, 4, 2)  # three times as much
    for do in checks.values():
        do()
    large = {name: _count(do) for name, do in checks.items()}
    grew = {
        name: list((Counter(map(_shape, large[name])) - Counter(map(_shape, small[name]))).elements())
        for name in checks
        if len(large[name]) > len(small[name])
    }
    assert grew == {}, {k: (len(small[k]), len(large[k]), v) for k, v in grew.items()}
    over = {name: len(q) for name, q in large.items() if len(q) > CEILING}
    assert over == {}, over
