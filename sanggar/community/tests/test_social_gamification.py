"""Issue 13 additions: post edits with history and an edit window, the feed's sidebars (bounded), profiles (cover,
social links, online dot, followers pages, block and report from the profile), stricter posting for new accounts,
points per action and levels set by admins, points reversed by moderation, member of the week, the inactivity nudge,
the viral-post alert, the statistics page and the one member directory."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from sanggar.api.testing import call
from sanggar.audit.models import ActivityLog
from sanggar.chat import realtime as chat_realtime
from sanggar.chat.models import Block
from sanggar.community import activity, engagement, gamification, services
from sanggar.community.constants import Action, Notify, PointAction, PostStatus
from sanggar.community.models import Follow, Level, MemberOfWeek, PointEntry, PointRule, Post, PostRevision, Report
from sanggar.core.exceptions import NotAllowed, RateLimited, ServiceError
from sanggar.directory.models import MemberProfile
from sanggar.notifications.models import Notification, SmartRule

from .world import World


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.COMMUNITY_POST_RATE_LIMIT = settings.COMMUNITY_POST_IP_RATE_LIMIT = "1000/3600"
    settings.COMMUNITY_COMMENT_RATE_LIMIT = settings.COMMUNITY_COMMENT_IP_RATE_LIMIT = "1000/3600"
    return World(make_user, admin_user)


def png(size=(40, 20)):
    buf = io.BytesIO()
    Image.new("RGB", size, "blue").save(buf, "PNG")
    return SimpleUploadedFile("c.png", buf.getvalue(), content_type="image/png")


def _back_date(post, minutes):
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timezone.timedelta(minutes=minutes))
    post.refresh_from_db()


# --- post edits ---------------------------------------------------------------------------------------------------


def test_author_edits_within_window_history_is_append_only(world, settings):
    settings.COMMUNITY_POST_EDIT_MINUTES = 30
    post = services.post_create(user=world.premium, group=world.hidden, body="Versi satu")
    engagement.post_edit(actor=world.premium, post=post, body_html="<h1>Judul</h1><h6>kecil</h6><script>x</script>")
    post.refresh_from_db()
    assert post.body_html == "<h1>Judul</h1><h6>kecil</h6>" and post.edited_at
    engagement.post_edit(actor=world.premium, post=post, body="Versi tiga")
    assert list(PostRevision.objects.filter(post=post).order_by("id").values_list("body", flat=True)) == [
        "Versi satu",
        "Judul\nkecil",
    ]
    _back_date(post, 31)
    with pytest.raises(NotAllowed, match="Batas waktu"):
        engagement.post_edit(actor=world.premium, post=post, body="terlambat")
    # a moderator (site admin) may always edit, and that is audited
    engagement.post_edit(actor=world.admin, post=post, body="Dirapikan moderator")
    assert ActivityLog.objects.filter(action=Action.POST_EDITED, data__by_moderator=True).exists()
    with pytest.raises(NotAllowed):
        engagement.post_edit(actor=world.free, post=post, body="bukan penulis")
    assert Post.objects.get(pk=post.pk).body == "Dirapikan moderator"


def test_edit_checks_like_a_new_post(world):
    services.keyword_rule_save(actor=world.admin, phrase="judi", action="reject")
    services.keyword_rule_save(actor=world.admin, phrase="promo", action="hold")
    post = services.post_create(user=world.premium, group=world.hidden, body="Aman")
    for bad in ("a\x00b", "x" * 6000, "ayo judi"):
        with pytest.raises(ServiceError):
            engagement.post_edit(actor=world.premium, post=post, body=bad)
    assert Post.objects.get(pk=post.pk).body == "Aman" and not PostRevision.objects.exists()
    engagement.post_edit(actor=world.premium, post=post, body="ada promo")
    assert Post.objects.get(pk=post.pk).status == PostStatus.PENDING


def test_edit_page_and_api(world, client):
    post = services.post_create(user=world.premium, group=world.hidden, body="Awal")
    client.force_login(world.premium)
    page = client.get(f"/komunitas/post/{post.pk}")
    assert b"data-edit-post" in page.content
    r = client.get(f"/komunitas/post/{post.pk}/sunting")
    assert r.status_code == 200 and b"H6" in r.content and "😀".encode() in r.content
    r = client.post(f"/komunitas/post/{post.pk}/sunting", {"body": "Dari halaman"})
    assert r.status_code == 302 and Post.objects.get(pk=post.pk).body == "Dari halaman"
    r = client.post(f"/komunitas/post/{post.pk}/sunting", {"body": "x" * 6000})
    assert r.status_code == 200 and b"terlalu panjang" in r.content
    assert client.post(f"/komunitas/post/{post.pk}/sunting", {"body": "a\x00"}).status_code == 400
    client.force_login(world.free)
    assert client.get(f"/komunitas/post/{post.pk}/sunting").status_code == 404  # cannot read the hidden group
    r = call(client, "patch", f"/posts/{post.pk}", {"body": "Dari API"}, user=world.premium)
    assert r.status_code == 200 and r.json()["body"] == "Dari API"
    assert call(client, "patch", f"/posts/{post.pk}", {"body": "x"}, user=world.outsider).status_code == 404
    assert call(client, "patch", f"/posts/{post.pk}", {"body": 5}, user=world.premium).status_code in (400, 422)
    revs = call(client, "get", f"/posts/{post.pk}/revisions", user=world.premium).json()["results"]
    assert [r["body"] for r in revs] == ["Dari halaman", "Awal"]


# --- limits for new accounts ----------------------------------------------------------------------------------------


def test_new_account_has_a_stricter_posts_per_hour(world, make_user, settings):
    settings.COMMUNITY_NEW_ACCOUNT_POST_RATE_LIMIT = "2/3600"
    young = world.premium
    young.date_joined = timezone.now()
    young.save(update_fields=["date_joined"])
    for i in range(2):
        services.post_create(user=young, group=world.hidden, body=f"baru {i}")
    with pytest.raises(RateLimited, match="Akun baru"):
        services.post_create(user=young, group=world.hidden, body="ketiga")
    services.post_create(user=world.admin, group=world.hidden, body="admin tidak dibatasi")
    services.group_join(user=world.mentor, group=world.public)
    for i in range(3):
        services.post_create(user=world.mentor, group=world.public, body=f"mentor {i}")  # a role: not a new account


# --- gamification ---------------------------------------------------------------------------------------------------


def test_admin_point_rules_and_levels(world):
    gamification.point_rule_save(actor=world.admin, action=PointAction.POST, points=12, daily_cap=0)
    services.post_create(user=world.premium, group=world.hidden, body="poin baru")
    assert PointEntry.objects.get(user=world.premium, action="post").points == 12
    with pytest.raises(NotAllowed):
        gamification.point_rule_save(actor=world.premium, action=PointAction.POST, points=1)
    for bad in ({"action": "admin", "points": 1}, {"action": "post", "points": -1}, {"action": "post", "points": "x"}):
        with pytest.raises(ServiceError):
            gamification.point_rule_save(actor=world.admin, **bad)
    gamification.level_save(actor=world.admin, threshold=10, name="Penjelajah")
    gamification.level_save(actor=world.admin, threshold=100, name="Eksportir")
    assert services.level_for(12) == 2 and gamification.level_name(12) == "Penjelajah"
    assert gamification.level_name(0) == "Pemula" and services.level_for(500) == 3
    with pytest.raises(ServiceError):
        gamification.level_save(actor=world.admin, threshold=10, name="Kembar")
    assert PointRule.objects.count() == 1 and Level.objects.count() == 2
    assert ActivityLog.objects.filter(action=Action.POINT_RULE_SAVED).count() == 1


def test_moderation_removal_reverses_points_with_a_new_row(world):
    post = services.post_create(user=world.premium, group=world.hidden, body="akan dihapus")
    comment = services.comment_create(user=world.premium, post=post, body="komentar")
    assert services.points_total(world.premium.pk) == 7
    report = services.report_create(user=world.admin, kind="comment", target_id=comment.pk, reason="spam")
    services.report_handle(actor=world.admin, report=report, action="remove")
    services.post_remove(actor=world.admin, post=post, note="melanggar")
    services.post_remove(actor=world.admin, post=post, note="lagi")  # twice: reversed once
    assert services.points_total(world.premium.pk) == 0
    rows = list(PointEntry.objects.filter(user=world.premium).order_by("id").values_list("action", "points"))
    assert rows == [("post", 5), ("comment", 2), ("reversal", -2), ("reversal", -5)]
    assert Notification.objects.filter(user=world.premium, data__template=Notify.CONTENT_REMOVED).count() == 2
    own = services.post_create(user=world.premium, group=world.hidden, body="hapus sendiri")
    services.post_remove(actor=world.premium, post=own)  # the author's own removal is not moderation
    assert PointEntry.objects.filter(key=f"reversal:post:{own.pk}").count() == 0


def test_member_of_week_computed_once_and_admin_pick(world):
    services.post_create(user=world.premium, group=world.hidden, body="minggu lalu")
    last_monday = gamification.week_start() - timezone.timedelta(days=7)
    PointEntry.objects.update(created_at=timezone.now() - timezone.timedelta(days=7))
    row = gamification.member_of_week_compute(monday=last_monday)
    assert row.user == world.premium and row.points == 5
    assert gamification.member_of_week_compute(monday=last_monday) is None  # twice: nothing more
    assert Notification.objects.filter(user=world.premium, data__template=Notify.MEMBER_OF_WEEK).count() == 1
    pick = gamification.member_of_week_pick(actor=world.admin, user=world.free)
    assert pick.picked_by == world.admin and MemberOfWeek.objects.count() == 2
    assert engagement.member_of_week()["name"] == world.free.full_name
    with pytest.raises(NotAllowed):
        gamification.member_of_week_pick(actor=world.premium, user=world.free)


def test_admin_gamification_tabs_and_api(world, client):
    client.force_login(world.admin)
    for tab in ("aturan", "level", "member-minggu"):
        assert client.get(f"/admin/gamifikasi?tab={tab}").status_code == 200
    client.post("/admin/gamifikasi", {"action": "rule", "rule_action": "comment", "points": "4", "daily_cap": "8"})
    assert PointRule.objects.get(action="comment").points == 4
    r = client.post("/admin/gamifikasi", {"action": "rule", "rule_action": "comment", "points": "abc"}, follow=True)
    assert b"harus bilangan bulat" in r.content
    client.post("/admin/gamifikasi", {"action": "level", "threshold": "20", "name": "Aktif"})
    assert Level.objects.filter(name="Aktif").exists()
    username = services.profile_ensure(world.premium).username
    client.post("/admin/gamifikasi", {"action": "motw", "member": "@" + username})
    assert MemberOfWeek.objects.get().user == world.premium
    client.force_login(world.premium)
    assert client.get("/admin/gamifikasi?tab=aturan").status_code in (302, 403)
    assert call(client, "get", "/admin/gamification/point-rules", user=world.premium).status_code == 403
    rules = call(client, "get", "/admin/gamification/point-rules", user=world.admin).json()["results"]
    assert {"action": "comment", "label": "Menulis komentar", "points": 4, "daily_cap": 8} in rules
    r = call(client, "put", "/admin/gamification/point-rules/post", {"points": 9}, user=world.admin)
    assert r.status_code == 200 and r.json()["points"] == 9
    assert call(client, "put", "/admin/gamification/point-rules/xx", {"points": 9}, user=world.admin).status_code == 400
    r = call(client, "post", "/admin/gamification/levels", {"threshold": 50, "name": "Mahir"}, user=world.admin)
    assert r.status_code == 201
    level_id = r.json()["id"]
    assert call(client, "delete", f"/admin/gamification/levels/{level_id}", user=world.admin).status_code == 204
    r = call(client, "post", "/admin/gamification/member-of-week", {"username": "tidakada"}, user=world.admin)
    assert r.status_code == 400
    assert call(client, "get", "/member-of-week", user=world.free).json()["username"] == username


# --- activity: nudge, viral alert, statistics -------------------------------------------------------------------------


def test_inactivity_nudge_once_until_active_again(world, settings):
    settings.COMMUNITY_INACTIVE_DAYS = 7
    old = timezone.now() - timezone.timedelta(days=30)
    world.premium.last_login = old
    world.premium.save(update_fields=["last_login"])
    PointEntry.objects.update(created_at=old)
    services.group_join(user=world.free, group=world.public)
    type(world.free).objects.filter(pk=world.free.pk).update(date_joined=old, last_login=timezone.now())
    assert activity.inactivity_nudge_sweep() == 1  # premium only: the free member logged in today
    assert activity.inactivity_nudge_sweep() == 0  # once
    assert Notification.objects.filter(user=world.premium, data__template=Notify.INACTIVITY).count() == 1
    world.premium.last_login = timezone.now() - timezone.timedelta(days=8)  # active since the nudge? no: older
    world.premium.save(update_fields=["last_login"])
    assert activity.inactivity_nudge_sweep() == 0


def test_viral_post_alerts_admins_once(world, settings):
    SmartRule.objects.create(key="community.popular", value=2)  # the smart rule "Konten populer"
    post = services.post_create(user=world.premium, group=world.hidden, body="ramai")
    for i in range(4):
        services.comment_create(user=world.admin, post=post, body=f"komentar {i}")
    assert Notification.objects.filter(user=world.admin, data__template=Notify.VIRAL_POST).count() == 1
    assert Post.objects.get(pk=post.pk).viral_alerted_at


def test_stats_page_and_api_bounded(world, client, django_assert_max_num_queries):
    for i in range(5):
        post = services.post_create(user=world.premium, group=world.hidden, body=f"p{i}")
        services.comment_create(user=world.premium, post=post, body="c")
    client.force_login(world.admin)
    client.get("/admin/komunitas/statistik")
    with django_assert_max_num_queries(25):
        r = client.get("/admin/komunitas/statistik?hari=7")
    assert r.status_code == 200 and b'data-stat="posts">5<' in r.content and b"Event &amp; Webinar" in r.content
    assert client.get("/admin/komunitas/statistik?hari=abc").status_code == 200
    body = call(client, "get", "/admin/community/stats?days=7", user=world.admin).json()
    assert body["posts"] == 5 and body["comments"] == 5 and body["top_groups"][0]["slug"] == world.hidden.slug
    assert call(client, "get", "/admin/community/stats", user=world.premium).status_code == 403
    assert call(client, "get", "/admin/community/stats?days=9999", user=world.admin).status_code in (400, 422)
    client.force_login(world.premium)
    assert client.get("/admin/komunitas/statistik").status_code in (302, 403)


# --- feed sidebars ---------------------------------------------------------------------------------------------------


def test_feed_sidebars_show_and_stay_bounded(world, client, make_user, django_assert_max_num_queries):
    services.follow(user=world.premium, target=world.mentor)
    services.daily_visit(user=world.mentor)
    chat_realtime.presence_touch(world.mentor.pk)
    for i in range(25):
        services.post_create(user=world.admin, group=world.hidden, body=f"post {i}")
    client.force_login(world.premium)
    client.get("/komunitas")
    with django_assert_max_num_queries(40):
        page = client.get("/komunitas").content.decode()
    for key in ("courses", "events", "online", "leaderboard", "mentors"):
        assert f'data-sidebar="{key}"' in page
    online = page[page.index('data-sidebar="online"') :]
    assert world.mentor.full_name in online[: online.index("</section>")]
    mentors = page[page.index('data-sidebar="mentors"') :]
    assert world.mentor.full_name in mentors[: mentors.index("</section>")]
    body = call(client, "get", "/community/sidebar", user=world.premium).json()
    assert body["online_members"][0]["name"] == world.mentor.full_name
    assert body["popular_mentors"][0]["followers"] == 1
    assert {g["slug"] for g in body["my_groups"]} >= {world.hidden.slug, world.public.slug}


# --- profiles --------------------------------------------------------------------------------------------------------


def test_profile_cover_links_online_and_follow_pages(world, client):
    username = services.profile_ensure(world.premium).username
    services.follow(user=world.free, target=world.premium)
    client.force_login(world.premium)
    r = client.post(
        "/komunitas/profil/sampul",
        {"cover": png(), "social_instagram": "https://instagram.com/dinda", "social_x": ""},
    )
    assert r.status_code == 302
    profile = services.profile_ensure(world.premium)
    assert profile.cover and profile.social_links == {"instagram": "https://instagram.com/dinda"}
    r = client.post("/komunitas/profil/sampul", {"social_facebook": "javascript:alert(1)"}, follow=True)
    assert b"harus alamat https" in r.content
    r = client.post("/komunitas/profil/sampul", {"social_linkedin": "https://evil.example/linkedin.com"}, follow=True)
    assert b"harus alamat https" in r.content
    chat_realtime.presence_touch(world.premium.pk)
    client.force_login(world.free)
    page = client.get(f"/u/{username}").content.decode()
    assert "data-profile-cover" in page and "data-online" in page and "https://instagram.com/dinda" in page
    assert client.get(profile.cover.url).status_code == 200  # the <img> loads (public media, random name)
    page = client.get(f"/u/{username}/pengikut").content.decode()
    assert world.free.full_name in page
    assert client.get(f"/u/{username}/mengikuti").status_code == 200
    assert client.get("/u/tidak_ada/pengikut").status_code == 404
    body = call(client, "get", f"/users/{username}", user=world.free).json()
    assert body["online"] is True and body["social_links"]["instagram"] and body["cover_url"]
    r = call(client, "put", "/me/community-profile/links", {"links": {"myspace": "https://x"}}, user=world.free)
    assert r.status_code == 400


def test_block_and_report_member_from_profile(world, client):
    username = services.profile_ensure(world.premium).username
    services.follow(user=world.free, target=world.premium)
    client.force_login(world.free)
    r = client.post(f"/u/{username}/laporkan", {"category": "spam", "reason": "jualan terus"})
    assert r.status_code == 302
    report = Report.objects.get()
    assert report.target_user == world.premium and report.post is None
    assert client.get("/komunitas/moderasi").status_code in (302, 403)
    r = client.post(f"/u/{username}/laporkan", {"category": "bukan-kategori"}, follow=True)
    assert b"Kategori laporan tidak dikenal" in r.content and Report.objects.count() == 1
    client.post(f"/u/{username}/blokir")
    assert Block.objects.filter(blocker=world.free, blocked=world.premium).exists()
    assert not Follow.objects.filter(follower=world.free, followee=world.premium).exists()
    with pytest.raises(NotAllowed):
        services.follow(user=world.premium, target=world.free)  # blocked either way: no following
    assert "data-unblock" in client.get(f"/u/{username}").content.decode()
    client.post(f"/u/{username}/blokir", {"unblock": "1"})
    assert not Block.objects.exists()
    assert call(client, "post", f"/users/{username}/block", user=world.free).json() == {"blocked": True}
    assert call(client, "delete", f"/users/{username}/block", user=world.free).json() == {"blocked": False}
    own = services.profile_ensure(world.free).username
    assert call(client, "post", f"/users/{own}/block", user=world.free).status_code == 404
    client.force_login(world.admin)
    assert client.get("/komunitas/moderasi").status_code == 200


# --- one member directory ---------------------------------------------------------------------------------------------


def test_community_directory_redirects_and_opt_in_lists_the_card(world, client):
    client.force_login(world.premium)
    r = client.get("/komunitas/direktori?q=kopi&provinsi=Aceh")
    assert r.status_code == 301 and r["Location"] == "/direktori/member?q=kopi&province=Aceh"
    services.profile_update(user=world.premium, data={"show_in_directory": True})
    card = MemberProfile.objects.get(user=world.premium)
    assert card.is_listed and card.headline
    services.profile_update(user=world.premium, data={"show_in_directory": False})
    assert not MemberProfile.objects.get(user=world.premium).is_listed
    r = call(client, "get", "/members/directory", user=world.free)
    assert r.status_code == 200 and "results" in r.json()


# --- dashboard cards --------------------------------------------------------------------------------------------------


def test_dashboard_cards_moderation_and_points(world, client):
    post = services.post_create(user=world.premium, group=world.hidden, body="dilaporkan")
    services.report_create(user=world.admin, kind="post", target_id=post.pk, reason="cek")
    client.force_login(world.admin)
    page = client.get("/dashboard/").content.decode()
    assert "Moderasi Komunitas" in page and "Laporan terbuka" in page
    client.force_login(world.premium)
    page = client.get("/dashboard/").content.decode()
    assert "Poin Komunitas" in page and "Moderasi Komunitas" not in page
