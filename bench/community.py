"""The community part of the bench (issue 13): 20 public groups, 20,000 members (the bench buyers), 100,000 posts
(a tenth with a two-option poll) and 1,000,000 reactions, so the feed page, the feed API, a group's posts API and a
post page are measured over HTTP at that size (`community_feed`, `community_feed_api`, `community_group_api`,
`community_post`), and the fan-out of an announcement to a 10,000-member group is timed in-process
(`community_fanout`).

The groups through `community.services.group_create` (each has its access resource, the admin owns it); members,
posts, poll options and reactions by `INSERT … SELECT … FROM generate_series` (`bulk.py`: seconds, not minutes, for a
million rows), each post's `reaction_count` from its rows. Idempotent: a database that has the bench groups keeps
them (`--reuse`)."""

import time

from django.db import connection, transaction

from sanggar.accounts.models import User
from sanggar.community import services
from sanggar.community.models import Comment, Group, GroupMember, PollOption, Post, Reaction

from .bulk import insert_select
from .inprocess import QueryCounter, rolled_back

GROUPS = 20
MEMBERS = 20_000
POSTS = 100_000
REACTIONS = 1_000_000
FANOUT_MEMBERS = 10_000
SLUG_PREFIX = "komunitas-bench-"
BIG_GROUP = f"{SLUG_PREFIX}00"  # the group of the fan-out: its first `FANOUT_MEMBERS` members
TOPICS = ("Kopi", "Rempah", "Furnitur", "Kerajinan", "Kelapa", "Udang", "Rotan", "Kakao", "Teh", "Vanili")
REACTION_TYPES = ("like", "love", "haha", "wow", "sad", "angry")


def _log_counts(log) -> None:
    bench = Post.objects.filter(group__slug__startswith=SLUG_PREFIX)
    log(
        f"community: {Group.objects.filter(slug__startswith=SLUG_PREFIX).count()} groups, "
        f"{GroupMember.objects.filter(group__slug__startswith=SLUG_PREFIX).count():,} group memberships, "
        f"{bench.count():,} posts, {Reaction.objects.filter(post__in=bench).count():,} reactions"
    )


def community_build(
    *, members: int = MEMBERS, posts: int = POSTS, reactions: int = REACTIONS, fanout: int = FANOUT_MEMBERS, log
) -> None:
    if Group.objects.filter(slug=BIG_GROUP).exists():
        return
    from .dataset import ADMIN_EMAIL

    started = time.monotonic()
    admin = User.objects.get(email=ADMIN_EMAIL)
    with transaction.atomic():
        groups = [
            services.group_create(
                actor=admin,
                data={
                    "name": f"Komunitas Bench {n:02d}: Ekspor {TOPICS[n % len(TOPICS)]}",
                    "slug": f"{SLUG_PREFIX}{n:02d}",
                    "visibility": "public",
                    "description": "Grup untuk mengukur feed, postingan dan fan-out pada skala klien.",
                },
            )
            for n in range(GROUPS)
        ]
    users = list(User.objects.filter(email__startswith="pembeli").order_by("pk").values_list("pk", flat=True)[:members])
    if not users:
        raise RuntimeError("the community bench needs the bench buyers (dataset.py)")
    m, g = len(users), len(groups)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_users (n int PRIMARY KEY, id bigint) ON COMMIT DROP")
        cursor.execute(
            "INSERT INTO bench_users SELECT n - 1, id FROM unnest(%s::bigint[]) WITH ORDINALITY AS u(id, n)", [users]
        )
        cursor.execute("CREATE TEMP TABLE bench_groups (n int PRIMARY KEY, id bigint) ON COMMIT DROP")
        cursor.execute(
            "INSERT INTO bench_groups SELECT n - 1, id FROM unnest(%s::bigint[]) WITH ORDINALITY AS g(id, n)",
            [[x.pk for x in groups]],
        )
        member = {"role": "'member'", "source": "'self_join'", "status": "'active'", "notify_posts": "true"}
        # The big group: the first `fanout` members. Every member is also in two of the other groups.
        insert_select(
            GroupMember,
            {**member, "group_id": "(SELECT id FROM bench_groups WHERE n = 0)", "user_id": "u.id"},
            "FROM bench_users u WHERE u.n < %s",
            [min(fanout, m)],
        )
        insert_select(
            GroupMember,
            {**member, "group_id": "bg.id", "user_id": "u.id"},
            "FROM bench_users u CROSS JOIN generate_series(0, 1) k JOIN bench_groups bg ON bg.n = 1 + "
            "(CASE WHEN k = 0 THEN u.n ELSE u.n * 7 + 3 END) %% %s ON CONFLICT DO NOTHING",
            [g - 1],
        )
        log(f"{GroupMember.objects.filter(group__in=groups).count():,} group memberships")
        # Posts over the last year, newest last (ids follow time), spread over the groups; authors among the members.
        step = 365 * 86400 / max(posts, 1)
        insert_select(
            Post,
            {
                "group_id": "bg.id",
                "author_id": "u.id",
                "body": "'Postingan bench ' || s || ': pengalaman ekspor, dokumen, harga FOB dan pengiriman ke '"
                " || (ARRAY['Jepang','Jerman','Belanda','Amerika','Korea'])[1 + s %% 5] || '.'",
                "status": "'published'",
                "created_at": f"now() - (({posts} - s) * interval '{step:.3f} seconds')",
                "is_announcement": "false",
                "is_pinned": "false",
                "comments_enabled": "true",
                "reaction_count": "0",
                "comment_count": "0",
            },
            "FROM generate_series(0, %s - 1) s JOIN bench_groups bg ON bg.n = s %% %s "
            "JOIN bench_users u ON u.n = (s * 7919) %% %s ORDER BY s",
            [posts, g, m],
        )
        cursor.execute(
            "CREATE TEMP TABLE bench_posts ON COMMIT DROP AS SELECT row_number() OVER (ORDER BY p.id) - 1 AS n, p.id "
            "FROM community_post p JOIN bench_groups bg ON bg.id = p.group_id"
        )
        cursor.execute("CREATE UNIQUE INDEX ON bench_posts (n)")
        insert_select(
            PollOption,
            {"post_id": "p.id", "text": "(ARRAY['Sudah pernah','Belum pernah'])[k + 1]", "position": "k",
             "vote_count": "0"},
            "FROM bench_posts p CROSS JOIN generate_series(0, 1) k WHERE p.n %% 10 = 0",
        )  # fmt: skip
        # Reactions: post n gets its reactions from members (n * 7 + k * 2003) mod m, k = 0, 1, …: distinct people
        # per post (one reaction per member per post).
        made = insert_select(
            Reaction,
            {
                "user_id": "u.id",
                "post_id": "p.id",
                "comment_id": "NULL",
                "type": f"(ARRAY{list(REACTION_TYPES)})[1 + (r * 31) %% 6]",
            },
            "FROM generate_series(0, %s - 1) r JOIN bench_posts p ON p.n = r %% %s "
            "JOIN bench_users u ON u.n = ((r %% %s) * 7 + (r / %s) * 2003) %% %s ON CONFLICT DO NOTHING",
            [reactions, posts, posts, posts, m],
        )
        cursor.execute(
            "UPDATE community_post p SET reaction_count = c.n FROM (SELECT post_id, count(*) AS n FROM "
            "community_reaction WHERE comment_id IS NULL AND post_id IN (SELECT id FROM bench_posts) "
            "GROUP BY post_id) c WHERE p.id = c.post_id"
        )
        log(f"{posts:,} posts, {made:,} reactions")
    _comments(users)
    with connection.cursor() as cursor:
        for table in ("community_post", "community_reaction", "community_groupmember", "community_polloption"):
            cursor.execute(f"ANALYZE {table}")
    log(f"community built in {time.monotonic() - started:.1f} s")
    _log_counts(log)


def _comments(users) -> None:
    """Thirty comments with a reply each on the measured post (the post page shows them)."""
    post = measured_post()
    if post is None:
        return
    top = Comment.objects.bulk_create(
        Comment(post=post, author_id=users[(i * 37) % len(users)], body=f"Komentar {i}: terima kasih infonya.")
        for i in range(30)
    )
    Comment.objects.bulk_create(
        Comment(post=post, parent=c, author_id=users[(i * 41) % len(users)], body="Setuju, saya juga begitu.")
        for i, c in enumerate(top)
    )
    Post.objects.filter(pk=post.pk).update(comment_count=60)


def viewer() -> User | None:
    """The member whose pages are measured: the first bench member (in the big group and two others)."""
    return (
        User.objects.filter(group_memberships__group__slug=BIG_GROUP, email__startswith="pembeli")
        .order_by("pk")
        .first()
    )


def measured_post() -> Post | None:
    """The newest post of the second bench group (the viewer is a member): the post page's post."""
    return Post.objects.filter(group__slug=f"{SLUG_PREFIX}01", status="published").order_by("-id").first()


def measured() -> dict:
    """Sessions, token, post and group of the community targets, when the community is built."""
    from django.test import Client

    from sanggar.api.tokens import token_pair_issue

    user, post = viewer(), measured_post()
    if user is None or post is None:
        return {}
    client = Client()
    client.force_login(user)
    return {
        "community_cookie": f"sessionid={client.cookies['sessionid'].value}",
        "community_token": token_pair_issue(user=user).access,
        "community_post_id": post.pk,
        "community_group_slug": post.group.slug,
    }


def fanout_measure(*, log) -> dict:
    """An announcement by the group's owner (the admin) to the 10,000-member group, through `post_create`, then the
    background fan-out task run in-process (as a worker runs it), timed with its queries and the notifications it
    created; everything rolled back afterwards (the bench stays rerunnable)."""
    from sanggar.community import tasks
    from sanggar.notifications.models import Notification

    group = Group.objects.get(slug=BIG_GROUP)
    author = group.owner
    row: dict = {}
    create_counter, counter = QueryCounter(), QueryCounter()
    with rolled_back():
        before = Notification.objects.count()
        started = time.perf_counter()
        with create_counter.counting():
            post = services.post_create(
                user=author,
                group=group,
                body="Pengumuman: webinar riset pasar Jepang hari Kamis pukul 19.00 WIB. Daftar di halaman acara.",
                is_announcement=True,
            )
        create_seconds, create_queries = time.perf_counter() - started, create_counter.count
        started = time.perf_counter()
        with counter.counting():
            sent = tasks.announcement_fanout_task(post.pk)  # what the worker runs after commit
        seconds = time.perf_counter() - started
        created = Notification.objects.count() - before
        expected = (
            GroupMember.objects.filter(group=group, status="active", notify_posts=True).exclude(user=author).count()
        )
        row = {
            "members": expected,
            "notifications": created,
            "sent": sent,
            "seconds": round(seconds, 2),
            "per_second": round(created / seconds) if seconds else 0,
            "queries": counter.count,
            "post_create_ms": round(create_seconds * 1000, 1),
            "post_create_queries": create_queries,
            "errors": int(created != expected),
        }
    log(
        f"fan-out of an announcement to {row['members']:,} members: {row['seconds']} s "
        f"({row['per_second']:,} notifications/s, {row['queries']} queries, {row['notifications']:,} notifications); "
        f"post_create itself {row['post_create_ms']} ms, {row['post_create_queries']} queries"
    )
    return row
