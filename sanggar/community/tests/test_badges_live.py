"""Count badges awarded live (issue 13): at the moment the post, comment, class-discussion comment or attendance that
reaches the threshold is committed, once per (user, badge, period), with "Lencana baru: …", in a bounded number of
queries and none at all when no active badge counts that action. The Monday sweep stays as the safety net."""

import pytest
from django.core.cache import cache

from sanggar.community import badges, gamification, services
from sanggar.community.constants import BadgeCriteria, BadgePeriod, PointAction
from sanggar.community.models import UserBadge
from sanggar.learning.discussion import thread_comment_post
from sanggar.learning.services import course_create
from sanggar.notifications.models import Notification

from .world import World


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.COMMUNITY_POST_RATE_LIMIT = settings.COMMUNITY_POST_IP_RATE_LIMIT = "1000/3600"
    settings.COMMUNITY_COMMENT_RATE_LIMIT = "1000/3600"
    settings.LEARNING_COMMENT_RATE_LIMIT = settings.LEARNING_COMMENT_IP_RATE_LIMIT = "1000/3600"
    cache.clear()
    return World(make_user, admin_user)


def _told(user, name):
    return Notification.objects.filter(user=user, title=f"Lencana baru: {name}").count()


def test_post_badge_awarded_when_the_threshold_post_commits(world, django_capture_on_commit_callbacks):
    penulis = services.badge_ensure(slug="penulis", name="Penulis", criteria=BadgeCriteria.POSTS, threshold=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(user=world.premium, group=world.public, body="satu")
    assert not UserBadge.objects.filter(badge=penulis).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(user=world.premium, group=world.public, body="dua")
    row = UserBadge.objects.get(badge=penulis)
    assert (row.user, row.period_key) == (world.premium, "")
    assert _told(world.premium, "Penulis") == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(user=world.premium, group=world.public, body="tiga")
    assert UserBadge.objects.filter(badge=penulis).count() == 1 and _told(world.premium, "Penulis") == 1
    assert badges.badges_sweep() == 0  # the sweep finds nothing left to do


def test_weekly_comment_badge_is_this_weeks_and_the_sweep_does_not_repeat_it(world, django_capture_on_commit_callbacks):
    weekly = services.badge_ensure(
        slug="aktif-mingguan",
        name="Aktif Mingguan",
        criteria=BadgeCriteria.COMMENTS,
        threshold=3,
        period=BadgePeriod.WEEKLY,
    )
    post = services.post_create(user=world.admin, group=world.public, body="Tanya ongkir")
    for i in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            services.comment_create(user=world.premium, post=post, body=f"komentar {i}")
    row = UserBadge.objects.get(badge=weekly)
    assert row.user == world.premium and row.period_key == badges.period_key(gamification.week_start())
    assert _told(world.premium, "Aktif Mingguan") == 1
    assert badges.badges_sweep(monday=gamification.week_start()) == 0  # the sweep of this week: already held
    assert UserBadge.objects.filter(badge=weekly).count() == 1


def test_class_discussion_and_event_badges_awarded_live(world, django_capture_on_commit_callbacks):
    diskusi = services.badge_ensure(
        slug="diskusi-aktif", name="Diskusi Aktif", criteria=BadgeCriteria.COURSE_COMMENTS, threshold=2
    )
    rajin = services.badge_ensure(
        slug="rajin-event", name="Rajin Event", criteria=BadgeCriteria.EVENTS_ATTENDED, threshold=1
    )
    course = course_create(actor=world.admin, data={"title": "Ekspor Kopi"})
    for i in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            thread_comment_post(user=world.admin, course=course, body=f"Pertanyaan {i}")
    assert UserBadge.objects.filter(user=world.admin, badge=diskusi).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.points_award(user=world.free, action=PointAction.EVENT_ATTENDED, key="event:9:free")
    assert UserBadge.objects.filter(user=world.free, badge=rajin).exists()
    assert _told(world.free, "Rajin Event") == 1


def test_live_check_is_a_bounded_number_of_queries_and_none_without_a_badge(
    world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    post = services.post_create(user=world.admin, group=world.public, body="Halo")
    badges.count_badges()  # warm the cache, as any earlier request would have
    with django_assert_num_queries(0):
        badges.live_check_after_commit(user_id=world.premium.pk, criteria=BadgeCriteria.COMMENTS)
        assert badges.live_check(user_id=world.premium.pk, criteria=BadgeCriteria.COMMENTS) == 0
    # a new badge drops the cached list (badge_save / badge_ensure)
    services.badge_save(
        actor=world.admin, data={"name": "Komentator", "criteria": "comments", "threshold": 50, "period": "weekly"}
    )
    services.badge_ensure(slug="komentator-emas", name="Komentator Emas", criteria=BadgeCriteria.COMMENTS, threshold=99)
    badges.count_badges()
    with django_assert_num_queries(2):  # what the member holds, and their counts (all-time and this week at once)
        assert badges.live_check(user_id=world.premium.pk, criteria=BadgeCriteria.COMMENTS) == 0
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.comment_create(user=world.premium, post=post, body="komentar")
    assert any("live_check" in repr(c) for c in callbacks)


def test_inactive_badge_is_not_awarded_live(world, django_capture_on_commit_callbacks):
    badge = services.badge_save(
        actor=world.admin, data={"name": "Penulis Nonaktif", "criteria": "posts", "threshold": 1, "is_active": False}
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(user=world.premium, group=world.public, body="satu")
    assert not UserBadge.objects.filter(badge=badge).exists()
    assert badges.count_badges().get(BadgeCriteria.POSTS) is None
