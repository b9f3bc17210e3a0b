"""A group's feed (pinned first, then newest: `selectors.group_feed`) is read from its index in order. Without that
index PostgreSQL fetched every post of the group and sorted them for each page: 14 ms for a group of 5,000 posts in
the bench (`GET /api/v1/groups/<slug>/posts`), against 0.3 ms read in order."""

import pytest
from django.db import connection, transaction

from sanggar.community import selectors, services

from .world import World

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan checked is PostgreSQL's"),
]


def test_a_group_page_of_posts_needs_no_sort(make_user, admin_user):
    world = World(make_user, admin_user)
    sql, params = selectors.group_feed(world.public).values("pk")[20:40].query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # sorting priced out: a plan that still sorts has no index giving the feed's order
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Sort" not in plan and "community_post_group_feed" in plan, plan


def test_pinned_posts_lead_the_group_feed(make_user, admin_user):
    world = World(make_user, admin_user)
    posts = [services.post_create(user=admin_user, group=world.public, body=f"Kabar {n}") for n in range(3)]
    services.post_pin(actor=admin_user, post=posts[0], pinned=True)
    assert [p.pk for p in selectors.group_feed(world.public)] == [posts[0].pk, posts[2].pk, posts[1].pk]
