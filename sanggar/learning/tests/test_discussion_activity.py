""" "Diskusi Aktif": a course whose lessons got more than the smart rule's threshold of visible comments in the window
shows the badge on the catalogue, the course page and in the API; the mentor's daily digest of new comments is one
notification per course and day, safe to run twice."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.learning import services
from sanggar.learning.constants import Notify
from sanggar.learning.models import CommentDigest
from sanggar.notifications.models import Notification, SmartRule

from .world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LEARNING_COMMENT_RATE_LIMIT = "1000/3600"
    SmartRule.objects.create(key="learning.active_discussion", value=3)  # the smart rule "Diskusi Aktif"
    settings.LEARNING_ACTIVE_DISCUSSION_DAYS = 30
    return World(make_user, admin_user)


def _comments(world, n, *, user=None, now=None):
    lesson = world.course.lessons.order_by("pk").first()
    return [
        services.comment_post(user=user or world.member, lesson=lesson, body=f"Pertanyaan ke-{i}", now=now)
        for i in range(n)
    ]


def test_badge_shows_past_the_threshold_of_recent_visible_comments(world, client):
    old = timezone.now() - timedelta(days=40)
    _comments(world, 5, now=old)  # outside the window
    comments = _comments(world, 3)
    client.force_login(world.member)
    assert "data-active-discussion" not in client.get(reverse("learning:catalogue")).content.decode()
    _comments(world, 1)  # 4 > 3
    page = client.get(reverse("learning:catalogue")).content.decode()
    assert page.count("data-active-discussion") == 1 and "Diskusi Aktif" in page
    assert (
        "data-active-discussion"
        in client.get(reverse("learning:course_detail", args=[world.course.slug])).content.decode()
    )
    listed = call(client, "get", "/courses", user=world.member).json()["results"]
    assert [r["active_discussion"] for r in listed if r["slug"] == world.course.slug] == [True]
    assert call(client, "get", f"/courses/{world.course.slug}").json()["active_discussion"] is True
    services.comment_hide(actor=world.admin, comment=comments[0], reason="Spam")  # hidden ones do not count
    assert call(client, "get", f"/courses/{world.course.slug}").json()["active_discussion"] is False


def test_daily_digest_once_per_course_and_day(world):
    now = timezone.now()
    _comments(world, 3, now=now - timedelta(hours=2))
    _comments(world, 2, user=world.mentor, now=now - timedelta(hours=1))  # the mentor's own are not news to them
    assert services.comment_digest_sweep(now=now) == 1
    assert services.comment_digest_sweep(now=now) == 0  # safe to run twice
    note = Notification.objects.get(user=world.mentor, data__template=Notify.COMMENT_DIGEST)
    assert note.message == "💡 Ada 3 komentar baru di kelas 'Dasar Ekspor' — yuk ikut diskusi sekarang!"
    assert note.link == reverse("learning:course_detail", args=[world.course.slug])
    tomorrow = now + timedelta(days=1)
    assert services.comment_digest_sweep(now=tomorrow) == 0  # nothing new since the last digest
    _comments(world, 2, now=tomorrow + timedelta(minutes=5))
    assert services.comment_digest_sweep(now=tomorrow + timedelta(hours=1)) == 1
    assert list(CommentDigest.objects.order_by("day").values_list("comments", flat=True)) == [3, 2]
    assert Notification.objects.filter(user=world.mentor, data__template=Notify.COMMENT_DIGEST).count() == 2


def test_command_runs_the_digest(world, capsys):
    _comments(world, 1)
    call_command("learning_reminders", "--only", "digest")
    assert "1 discussion digests sent." in capsys.readouterr().out
    call_command("learning_reminders", "--only", "digest")
    assert "0 discussion digests sent." in capsys.readouterr().out
