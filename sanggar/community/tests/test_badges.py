"""Badges (GAM-D3/D4, GAM-F2/F3): icons from the house's icon set, criteria beyond points, weekly badges earned again
per ISO week by the idempotent Monday sweep, the admin form, the profile and the API."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.community import badges, gamification, services
from sanggar.community.constants import BadgeCriteria, BadgePeriod, PointAction
from sanggar.community.models import Badge, Comment, PointEntry, UserBadge
from sanggar.core.exceptions import ServiceError
from sanggar.learning.models import Comment as CourseComment
from sanggar.learning.services import course_create

from .world import World


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.COMMUNITY_POST_RATE_LIMIT = settings.COMMUNITY_POST_IP_RATE_LIMIT = "1000/3600"
    settings.COMMUNITY_COMMENT_RATE_LIMIT = "1000/3600"
    return World(make_user, admin_user)


def _last_monday():
    return gamification.week_start() - timedelta(days=7)


def _into_last_week(queryset):
    start, _end = gamification._week_bounds(_last_monday())
    queryset.update(created_at=start + timedelta(days=2))


def test_weekly_badge_awarded_for_last_week_once_and_again_next_week(world):
    weekly = services.badge_ensure(
        slug="aktif-diskusi-mingguan",
        name="Aktif Diskusi Mingguan",
        icon="messages-square",
        criteria=BadgeCriteria.COMMENTS,
        threshold=3,
        period=BadgePeriod.WEEKLY,
    )
    post = services.post_create(user=world.premium, group=world.public, body="Tanya ongkir")
    for i in range(3):
        services.comment_create(user=world.premium, post=post, body=f"komentar {i}")
    services.comment_create(user=world.admin, post=post, body="satu saja")
    _into_last_week(Comment.objects.all())
    assert badges.badges_sweep() == 1
    key = badges.period_key(_last_monday())
    assert key.startswith(str(_last_monday().isocalendar()[0])) and "-W" in key
    row = UserBadge.objects.get(badge=weekly)
    assert row.user == world.premium and row.period_key == key
    assert badges.badges_sweep() == 0  # idempotent: running twice awards nothing more
    assert UserBadge.objects.filter(badge=weekly).count() == 1
    # the week before had no comments: nothing; a later week with comments awards the badge again
    assert badges.badges_sweep(monday=_last_monday() - timedelta(days=7)) == 0
    Comment.objects.update(created_at=timezone.now() - timedelta(days=14))
    assert badges.badges_sweep(monday=_last_monday() - timedelta(days=7)) == 1
    assert UserBadge.objects.filter(user=world.premium, badge=weekly).count() == 2


def test_all_time_count_badges_posts_course_comments_events(world):
    posts = services.badge_ensure(
        slug="penulis", name="Penulis", criteria=BadgeCriteria.POSTS, threshold=2, icon="pen-line"
    )
    diskusi = services.badge_ensure(
        slug="diskusi-aktif", name="Diskusi Aktif", criteria=BadgeCriteria.COURSE_COMMENTS, threshold=11
    )
    events = services.badge_ensure(
        slug="rajin-event", name="Rajin Event", criteria=BadgeCriteria.EVENTS_ATTENDED, threshold=1
    )
    services.post_create(user=world.premium, group=world.public, body="satu")
    services.post_create(user=world.premium, group=world.public, body="dua")
    course = course_create(actor=world.mentor, data={"title": "Ekspor Kopi"})
    now = timezone.now()
    for i in range(10):
        CourseComment.objects.create(course=course, user=world.free, body=f"k{i}", created_at=now)
    PointEntry.objects.create(user=world.free, action=PointAction.EVENT_ATTENDED, points=5, key="event:1:free")
    badges.badges_sweep()
    assert UserBadge.objects.filter(user=world.premium, badge=posts, period_key="").exists()
    assert not UserBadge.objects.filter(badge=diskusi).exists()  # 10 is not "more than 10"
    assert UserBadge.objects.filter(user=world.free, badge=events).exists()
    CourseComment.objects.create(course=course, user=world.free, body="k10", created_at=now)
    badges.badges_sweep()
    assert UserBadge.objects.filter(user=world.free, badge=diskusi, period_key="").exists()
    Badge.objects.filter(pk=posts.pk).update(is_active=False)
    UserBadge.objects.filter(badge=posts).delete()
    badges.badges_sweep()
    assert not UserBadge.objects.filter(badge=posts).exists()  # an inactive badge is not awarded


def test_manual_badge_and_all_time_badge_stay_once(world):
    badge = services.badge_ensure(slug="aktif", name="Member Aktif", points_required=5, icon="star")
    services.post_create(user=world.premium, group=world.hidden, body="post")
    services.post_create(user=world.premium, group=world.hidden, body="post dua")
    assert UserBadge.objects.filter(user=world.premium, badge=badge).count() == 1
    manual = services.badge_ensure(slug="juara", name="Juara")
    assert manual.criteria == BadgeCriteria.MANUAL
    services.badge_award(actor=world.admin, user=world.free, badge=manual)
    services.badge_award(actor=world.admin, user=world.free, badge=manual)
    assert UserBadge.objects.filter(user=world.free, badge=manual).count() == 1


def test_badge_save_validates_icon_criteria_threshold_and_period(world):
    save = services.badge_save
    with pytest.raises(ServiceError):
        save(actor=world.admin, data={"name": "X", "icon": "../../etc/passwd"})
    with pytest.raises(ServiceError):
        save(actor=world.admin, data={"name": "X", "criteria": "hacker"})
    with pytest.raises(ServiceError):
        save(actor=world.admin, data={"name": "X", "criteria": "comments", "threshold": 0})
    with pytest.raises(ServiceError):
        save(actor=world.admin, data={"name": "X", "criteria": "points", "points_required": 5, "period": "weekly"})
    with pytest.raises(ServiceError):
        save(actor=world.admin, data={"name": "X", "period": "daily"})
    badge = save(
        actor=world.admin,
        data={"name": "Rajin", "icon": "flame", "criteria": "comments", "threshold": 5, "period": "weekly"},
    )
    assert (badge.icon, badge.criteria, badge.threshold, badge.period, badge.is_active) == (
        "flame",
        "comments",
        5,
        "weekly",
        True,
    )


def test_admin_form_profile_and_api_show_icons_and_period(world, client):
    client.force_login(world.admin)
    page = client.get("/admin/gamifikasi")
    assert page.status_code == 200 and 'name="icon"' in page.content.decode()
    r = client.post(
        "/admin/gamifikasi",
        {
            "action": "badge",
            "name": "Aktif Diskusi Mingguan",
            "icon": "messages-square",
            "criteria": "comments",
            "threshold": "5",
            "period": "weekly",
            "is_active": "1",
        },
    )
    assert r.status_code == 302
    weekly = Badge.objects.get(slug="aktif-diskusi-mingguan")
    assert (weekly.icon, weekly.criteria, weekly.threshold, weekly.period) == (
        "messages-square",
        "comments",
        5,
        "weekly",
    )
    r = client.post("/admin/gamifikasi", {"action": "badge", "name": "Buruk", "icon": "x" * 500}, follow=True)
    assert r.status_code == 200 and not Badge.objects.filter(name="Buruk").exists()
    key = badges.period_key(_last_monday())
    badges.award(weekly, [world.premium.pk], key)
    username = services.profile_ensure(world.premium).username
    client.force_login(world.free)
    page = client.get(f"/u/{username}").content.decode()
    assert "Aktif Diskusi Mingguan" in page and "<svg" in page and key in page
    me = call(client, "get", "/me/points", user=world.premium).json()
    assert me["badges"] == ["Aktif Diskusi Mingguan"]  # the old field stays as it was
    assert me["badge_items"][0]["icon"] == "messages-square" and me["badge_items"][0]["period_key"] == key


def test_weekly_badges_sweep_is_scheduled_monday_midnight():
    entry = django_settings.CELERY_BEAT_SCHEDULE["community-weekly-badges"]
    assert entry["task"] == "sanggar.community.tasks.weekly_badges_task"
    schedule = entry["schedule"]
    assert schedule.hour == {0} and schedule.minute == {0} and schedule.day_of_week == {1}
