"""Groups (types × member states), posts, comments, reactions, polls, saves, moderation, follow and points: the
services, the pages and the API."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from sanggar.access.policy import access_check
from sanggar.api.testing import call
from sanggar.audit.models import ActivityLog
from sanggar.community import selectors, services
from sanggar.community.constants import MemberStatus, PostStatus
from sanggar.community.models import GroupMember, PointEntry, Post, Reaction, Report
from sanggar.core.exceptions import NotAllowed, NotFound, RateLimited, ServiceError
from sanggar.memberships.services import memberships_expire_sweep
from sanggar.notifications.models import Notification

from .world import World


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.COMMUNITY_POST_RATE_LIMIT = settings.COMMUNITY_POST_IP_RATE_LIMIT = "1000/3600"
    return World(make_user, admin_user)


def png(size=(20, 20)):
    buf = io.BytesIO()
    Image.new("RGB", size, "red").save(buf, "PNG")
    return SimpleUploadedFile("a.png", buf.getvalue(), content_type="image/png")


# --- groups and access --------------------------------------------------------------------------------------------


def test_group_adopts_placeholder_resource_key(world):
    assert world.hidden.resource.key == "grup-vip-platinum"
    assert world.hidden.resource.kind == "group"


def test_membership_brings_member_into_plan_group_and_expiry_locks_it(world):
    assert services.is_member(world.premium, world.hidden)
    assert not services.is_member(world.free, world.hidden)
    row = services.group_join(user=world.premium, group=world.hidden)  # a row for role and notifications
    assert row.source == "membership"
    later = world.membership.ends_at + timezone.timedelta(days=1)
    memberships_expire_sweep(now=later)
    decision = access_check(user=world.premium, resource=world.hidden.resource, now=later)
    assert not decision.allowed and decision.message
    assert GroupMember.objects.filter(pk=row.pk).exists()  # nothing deleted: renewal reopens


def test_public_join_private_request_hidden_404(world):
    assert services.group_join(user=world.free, group=world.public).status == MemberStatus.ACTIVE
    assert services.is_member(world.free, world.public)
    row = services.group_join(user=world.free, group=world.private)
    assert row.status == MemberStatus.PENDING and not services.is_member(world.free, world.private)
    services.member_approve(actor=world.admin, member=row)
    assert services.is_member(world.free, world.private)
    with pytest.raises(NotFound):
        services.group_join(user=world.outsider, group=world.hidden)
    services.group_leave(user=world.free, group=world.public)
    assert not services.is_member(world.free, world.public)


def test_only_admin_creates_groups(world):
    with pytest.raises(NotAllowed):
        services.group_create(actor=world.mentor, data={"name": "Grup Mentor"})


def test_pages_respect_group_types(world, client):
    client.force_login(world.outsider)
    assert client.get("/komunitas/grup/grup-vip-platinum").status_code == 404
    assert client.get(f"/komunitas/grup/{world.private.slug}").status_code == 200  # the about tab and join request
    page = client.get("/komunitas/grup").content.decode()
    assert "VIP Platinum" not in page and "UKM Ekspor" in page
    client.force_login(world.premium)
    assert client.get("/komunitas/grup/grup-vip-platinum").status_code == 200


def test_api_group_types(world, client):
    assert call(client, "get", "/groups/grup-vip-platinum", user=world.outsider).status_code == 404
    assert call(client, "get", "/groups/grup-vip-platinum/posts", user=world.outsider).status_code == 404
    assert call(client, "get", f"/groups/{world.private.slug}/posts", user=world.outsider).status_code == 403
    body = call(client, "get", "/groups", user=world.premium).json()
    slugs = {g["slug"]: g["is_member"] for g in body["results"]}
    assert slugs["grup-vip-platinum"] is True and slugs["ekspor-jepang"] is False
    free_groups = call(client, "get", "/groups", user=world.free).json()["results"]
    assert "grup-vip-platinum" not in {g["slug"] for g in free_groups}
    r = call(client, "post", f"/groups/{world.private.slug}/join", user=world.free)
    assert r.status_code == 200 and r.json()["status"] == "pending"
    assert call(client, "get", "/groups").status_code == 401


# --- posts, comments, reactions, polls -----------------------------------------------------------------------------


def test_free_member_cannot_post_premium_can_with_image_and_poll(world):
    services.group_join(user=world.free, group=world.public)
    with pytest.raises(NotAllowed):
        services.post_create(user=world.free, group=world.public, body="Halo semua")
    post = services.post_create(
        user=world.premium,
        group=world.hidden,
        body="Siapa sudah kirim sampel kopi ke Jepang?",
        image=png(),
        poll=["Sudah", "Belum"],
    )
    assert post.status == PostStatus.PUBLISHED and post.image and post.poll_options.count() == 2
    assert PointEntry.objects.filter(user=world.premium, action="post").exists()


def test_image_content_type_and_size_checked(world, settings):
    fake = SimpleUploadedFile("x.png", b"<svg></svg>", content_type="image/png")
    with pytest.raises(ServiceError):
        services.post_create(user=world.premium, group=world.hidden, body="foto", image=fake)
    settings.COMMUNITY_IMAGE_MAX_BYTES = 10
    with pytest.raises(ServiceError):
        services.post_create(user=world.premium, group=world.hidden, body="foto", image=png())


def test_hostile_text_is_refused_with_a_message(world):
    for body in ("a\x00b", "x" * 6000, 12345):
        with pytest.raises(ServiceError):
            services.post_create(user=world.premium, group=world.hidden, body=body)
    with pytest.raises(ServiceError):
        services.post_create(user=world.premium, group=world.hidden, body="", poll=["satu"])


def test_comment_threads_one_level_and_notifies(world):
    services.group_join(user=world.free, group=world.public)
    post = services.post_create(user=world.premium, group=world.public, body="Tips packing")
    top = services.comment_create(user=world.free, post=post, body="Terima kasih!")
    reply = services.comment_create(user=world.premium, post=post, body="Sama-sama", parent=top)
    deeper = services.comment_create(user=world.free, post=post, body="Balas lagi", parent=reply)
    assert reply.parent_id == top.pk and deeper.parent_id == top.pk
    post.refresh_from_db()
    assert post.comment_count == 3
    assert Notification.objects.filter(user=world.premium, data__template="community_comment").exists()
    assert Notification.objects.filter(user=world.free, data__template="community_reply").exists()


def test_reaction_one_per_member_and_points_to_author(world):
    services.group_join(user=world.free, group=world.public)
    post = services.post_create(user=world.premium, group=world.public, body="Info pameran")
    services.reaction_set(user=world.free, post=post, type="like")
    services.reaction_set(user=world.free, post=post, type="love")
    assert Reaction.objects.filter(post=post).count() == 1
    post.refresh_from_db()
    assert post.reaction_count == 1
    assert PointEntry.objects.filter(user=world.premium, action="reaction_received").count() == 1
    services.reaction_unset(user=world.free, post=post)
    services.reaction_set(user=world.free, post=post, type="like")  # re-reacting earns nothing again
    assert PointEntry.objects.filter(user=world.premium, action="reaction_received").count() == 1
    with pytest.raises(ServiceError):
        services.reaction_set(user=world.free, post=post, type="bogus")


def test_outsider_cannot_comment_in_private_group(world):
    post = services.post_create(user=world.admin, group=world.private, body="Rahasia")
    with pytest.raises(NotFound):
        services.comment_create(user=world.outsider, post=post, body="halo")


def test_poll_one_vote(world):
    post = services.post_create(user=world.premium, group=world.hidden, body="Pilih", poll=["A", "B"])
    option = post.poll_options.first()
    services.poll_vote(user=world.premium, post=post, option_id=option.pk)
    with pytest.raises(ServiceError):
        services.poll_vote(user=world.premium, post=post, option_id=option.pk)
    with pytest.raises(ServiceError):
        services.poll_vote(user=world.premium, post=post, option_id="1")


def test_rate_limit_per_user(world, settings):
    settings.COMMUNITY_POST_RATE_LIMIT = "2/3600"
    services.post_create(user=world.premium, group=world.hidden, body="satu")
    services.post_create(user=world.premium, group=world.hidden, body="dua")
    with pytest.raises(RateLimited):
        services.post_create(user=world.premium, group=world.hidden, body="tiga")


# --- moderation ----------------------------------------------------------------------------------------------------


def test_keyword_rules_hold_or_reject(world):
    services.keyword_rule_save(actor=world.admin, phrase="judi", action="reject")
    services.keyword_rule_save(actor=world.admin, phrase="transfer dulu", action="hold")
    with pytest.raises(ServiceError):
        services.post_create(user=world.premium, group=world.hidden, body="Main judi online")
    post = services.post_create(user=world.premium, group=world.hidden, body="Silakan transfer dulu ya")
    assert post.status == PostStatus.PENDING
    services.post_moderate(actor=world.admin, post=post, approve=True)
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    assert ActivityLog.objects.filter(action="community.post_approved").exists()


def test_report_remove_and_reporter_told(world):
    services.group_join(user=world.free, group=world.public)
    post = services.post_create(user=world.premium, group=world.public, body="Postingan")
    comment = services.comment_create(user=world.free, post=post, body="spam spam")
    report = services.report_create(user=world.premium, kind="comment", target_id=comment.pk, reason="spam")
    with pytest.raises(NotAllowed):
        services.report_handle(actor=world.free, report=report, action="remove")
    services.report_handle(actor=world.admin, report=report, action="remove")
    comment.refresh_from_db()
    assert comment.status == PostStatus.REMOVED
    assert Notification.objects.filter(user=world.premium, data__template="community_report_outcome").exists()
    assert ActivityLog.objects.filter(action="community.report_handled").exists()


def test_group_moderator_bans_and_banned_member_locked(world):
    services.group_join(user=world.free, group=world.public)
    owner_row = services.group_join(user=world.mentor, group=world.public)
    services.member_set_role(actor=world.admin, member=owner_row, role="moderator")
    services.member_ban(actor=world.mentor, group=world.public, user=world.free)
    assert not services.is_member(world.free, world.public)
    assert not services.can_read(world.free, world.public)
    with pytest.raises(NotAllowed):
        services.group_join(user=world.free, group=world.public)
    with pytest.raises(NotAllowed):
        services.member_ban(actor=world.free, group=world.public, user=world.mentor)


def test_auto_hide_after_reports(world, make_user, settings):
    settings.COMMUNITY_AUTO_HIDE_REPORTS = 2
    post = services.post_create(user=world.premium, group=world.public, body="Promo murah")
    for i in range(2):
        u = make_user(email=f"r{i}@example.com")
        services.report_create(user=u, kind="post", target_id=post.pk, reason="spam")
    post.refresh_from_db()
    assert post.status == PostStatus.PENDING


def test_moderation_pages_access(world, client):
    client.force_login(world.free)
    assert client.get("/komunitas/moderasi").status_code == 403
    assert client.get(f"/komunitas/grup/{world.public.slug}/moderasi").status_code == 403
    client.force_login(world.admin)
    assert client.get("/komunitas/moderasi").status_code == 200
    assert client.get("/admin/grup").status_code == 200
    client.force_login(world.free)
    assert client.get("/admin/grup").status_code == 403


# --- follow, profile, points ---------------------------------------------------------------------------------------


def test_follow_notifies_and_profile_page(world, client):
    target = services.profile_ensure(world.premium)
    assert services.follow(user=world.free, target=world.premium)
    assert not services.follow(user=world.free, target=world.premium)
    assert Notification.objects.filter(user=world.premium, data__template="community_followed").exists()
    with pytest.raises(ServiceError):
        services.follow(user=world.free, target=world.free)
    client.force_login(world.free)
    assert client.get(f"/u/{target.username}").status_code == 200
    assert client.get("/u/tidak-ada").status_code == 404


def test_points_daily_cap_and_leaderboard(world, settings):
    settings.COMMUNITY_POINTS_DAILY_CAP = {"post": 7}
    for i in range(3):
        services.post_create(user=world.premium, group=world.hidden, body=f"post {i}")
    assert services.points_total(world.premium.pk) == 7
    rows = selectors.leaderboard("week")
    assert rows[0]["user"] == world.premium and rows[0]["points"] == 7
    assert services.level_for(0) == 1 and services.level_for(60) == 2


def test_badge_automatic_at_threshold(world):
    badge = services.badge_ensure(slug="aktif", name="Member Aktif", points_required=5)
    services.post_create(user=world.premium, group=world.hidden, body="post")
    assert world.premium.badges.filter(badge=badge).exists()


# --- pages and API ------------------------------------------------------------------------------------------------


def test_feed_page_and_post_page(world, client):
    post = services.post_create(user=world.premium, group=world.hidden, body="Kabar dari Surabaya")
    client.force_login(world.premium)
    page = client.get("/komunitas")
    assert page.status_code == 200 and "Kabar dari Surabaya" in page.content.decode()
    assert client.get(f"/komunitas/post/{post.pk}").status_code == 200
    r = client.post(f"/komunitas/post/{post.pk}/komentar", {"body": "a\x00b"})
    assert r.status_code == 400  # the house's input guard, with its Indonesian page
    r = client.post(f"/komunitas/post/{post.pk}/komentar", {"body": "x" * 3000}, follow=True)
    assert r.status_code == 200 and "terlalu panjang" in r.content.decode()
    client.force_login(world.outsider)
    assert client.get(f"/komunitas/post/{post.pk}").status_code == 404


def test_post_from_page_with_image(world, client):
    client.force_login(world.premium)
    r = client.post(
        f"/komunitas/grup/{world.hidden.slug}/posting", {"body": "Foto kontainer", "image": png(), "poll": ["", ""]}
    )
    assert r.status_code == 302
    assert Post.objects.filter(body="Foto kontainer").exclude(image="").exists()


def test_api_post_comment_react_save_report(world, client):
    payload = {"body": "Halo", "poll": ["Ya", "Tidak"]}
    r = call(client, "post", f"/groups/{world.hidden.slug}/posts", payload, user=world.premium)
    assert r.status_code == 201, r.content
    post_id = r.json()["id"]
    services.group_join(user=world.free, group=world.public)
    r = call(client, "post", f"/posts/{post_id}/comments", {"body": "Mantap"}, user=world.premium)
    assert r.status_code == 201
    reply = {"body": "Balas", "parent": r.json()["id"]}
    r = call(client, "post", f"/posts/{post_id}/comments", reply, user=world.premium)
    assert r.status_code == 201 and r.json()["parent"]
    r = call(client, "post", f"/posts/{post_id}/reactions", {"type": "haha"}, user=world.premium)
    assert r.status_code == 200 and r.json()["reactions"] == {"haha": 1}
    assert call(client, "get", f"/posts/{post_id}", user=world.premium).json()["reactions"] == {"haha": 1}
    assert call(client, "post", f"/posts/{post_id}/save", user=world.premium).json() == {"saved": True}
    assert call(client, "get", "/me/saved", user=world.premium).json()["count"] == 1
    assert call(client, "get", f"/posts/{post_id}", user=world.outsider).status_code == 404
    r = call(client, "post", "/reports", {"kind": "post", "id": post_id, "reason": "x"}, user=world.admin)
    assert r.status_code == 201
    assert Report.objects.count() == 1
    assert call(client, "get", "/moderation/queue", user=world.free).status_code == 403
    assert call(client, "get", "/moderation/queue", user=world.admin).json()["reports"]


def test_api_hostile_input(world, client):
    slug = world.hidden.slug
    for payload in ({"body": "a\x00b"}, {"body": 5}, {"body": "x" * 30000}, {"body": "ok", "extra": 1}, {"poll": "ab"}):
        r = call(client, "post", f"/groups/{slug}/posts", payload, user=world.premium)
        assert 400 <= r.status_code < 500, (payload, r.status_code)
    r = call(client, "post", f"/groups/{slug}/posts", raw="{not json", user=world.premium)
    assert 400 <= r.status_code < 500
    deep = "[" * 5000 + "]" * 5000
    r = call(client, "post", "/reports", raw='{"kind": "post", "id": ' + deep + "}", user=world.premium)
    assert 400 <= r.status_code < 500
    assert call(client, "post", "/reports", {"kind": "x", "id": 1}, user=world.premium).status_code == 400
    assert call(client, "get", "/leaderboard?period=year", user=world.premium).status_code in (400, 422)


def test_api_feed_cursor_and_query_budget(world, client, django_assert_max_num_queries):
    for i in range(25):
        services.post_create(user=world.admin, group=world.hidden, body=f"post {i}", poll=["a", "b"])
    call(client, "get", "/feed", user=world.premium)  # warm caches (tokens, templates)
    with django_assert_max_num_queries(30):
        body = call(client, "get", "/feed", user=world.premium).json()
    assert len(body["results"]) == 20 and body["next_cursor"]
    rest = call(client, "get", f"/feed?cursor={body['next_cursor']}", user=world.premium).json()
    assert len(rest["results"]) == 5 and rest["next_cursor"] is None
    ids = {p["id"] for p in body["results"]} | {p["id"] for p in rest["results"]}
    assert len(ids) == 25


def test_feed_page_query_budget(world, client, django_assert_max_num_queries):
    for i in range(25):
        services.post_create(user=world.admin, group=world.hidden, body=f"post {i}", poll=["a", "b"])
    client.force_login(world.premium)
    client.get("/komunitas")
    # the group access batch once, not twice; the feed banners once (2); the story bar (1) and the scheduled count (1)
    with django_assert_max_num_queries(35):
        assert client.get("/komunitas").status_code == 200


def test_api_profile_follow_points_leaderboard(world, client):
    username = services.profile_ensure(world.premium).username
    assert call(client, "get", "/me", user=world.premium).json()["username"] == username
    r = call(client, "post", f"/users/{username}/follow", user=world.free)
    assert r.status_code == 200 and r.json() == {"following": True}
    body = call(client, "get", f"/users/{username}", user=world.free).json()
    assert body["followers"] == 1 and body["is_following"] is True and "email" not in body
    services.post_create(user=world.premium, group=world.hidden, body="poin")
    lb = call(client, "get", "/leaderboard?period=all", user=world.free).json()
    assert lb["results"][0]["points"] == 5
    me = call(client, "get", "/me/points", user=world.premium).json()
    assert me["total"] == 5 and me["week"] == 5 and me["level"] == 1


def test_chat_counts_mutual_follows_and_shared_groups_as_connections(world):
    from sanggar.chat.registry import connected

    assert not connected(world.free, world.outsider)
    services.group_join(user=world.free, group=world.public)
    assert not connected(world.free, world.outsider)  # a public group the other has not joined
    services.group_join(user=world.outsider, group=world.public)
    assert connected(world.free, world.outsider) and connected(world.outsider, world.free)
    services.group_leave(user=world.outsider, group=world.public)
    services.follow(user=world.free, target=world.outsider)
    assert not connected(world.free, world.outsider)  # one-way follow
    services.follow(user=world.outsider, target=world.free)
    assert connected(world.free, world.outsider)
    assert connected(world.premium, world.admin) == selectors.members_connected(world.premium, world.admin)
