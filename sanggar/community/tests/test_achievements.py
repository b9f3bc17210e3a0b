""" "Pencapaian Saya" (GAM-P3): the member's level and progress, points, weekly rank, badges earned and still to earn
with progress, challenges and quizzes, the paginated points history; only their own data; a fixed number of queries
whatever the number of badges; the "Lencana baru" notification links here; GET /api/v1/me/achievements."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.community import badges, gamification, services
from sanggar.community.challenge_models import Challenge, ChallengeParticipant, GroupQuiz, QuizAttempt
from sanggar.community.constants import BadgeCriteria, BadgePeriod, ChallengeStatus, PointAction, QuizStatus
from sanggar.community.models import Badge, Comment, Level, PointEntry, UserBadge
from sanggar.notifications.models import Notification

URL = "/komunitas/pencapaian"


@pytest.fixture
def crew(make_user, admin_user, settings):
    settings.COMMUNITY_POST_RATE_LIMIT = settings.COMMUNITY_POST_IP_RATE_LIMIT = "1000/3600"
    settings.COMMUNITY_COMMENT_RATE_LIMIT = "1000/3600"
    group = services.group_create(actor=admin_user, data={"name": "UKM Ekspor", "visibility": "public"})
    me = make_user(full_name="Dinda Premium", email="dinda@example.com")
    other = make_user(full_name="Riko Lain", email="riko@example.com")
    for user in (me, other):
        services.group_join(user=user, group=group)
    Level.objects.create(threshold=100, name="Eksportir Muda")
    Level.objects.create(threshold=500, name="Eksportir Andal")
    gamification._forget(gamification._levels_key())
    return {"admin": admin_user, "group": group, "me": me, "other": other}


def _points(user, n, points=10, action=PointAction.POST, prefix="p"):
    PointEntry.objects.bulk_create(
        PointEntry(user=user, action=action, points=points, key=f"{prefix}:{user.pk}:{i}") for i in range(n)
    )


def _badges(n, start=0):
    for i in range(start, start + n):
        services.badge_ensure(
            slug=f"komentar-{i}", name=f"Komentator {i}", criteria=BadgeCriteria.COMMENTS, threshold=20 + i
        )
    badges.count_badges_forget()


def test_page_shows_level_progress_badges_challenges_quizzes_and_history(crew, client):
    me, other, group = crew["me"], crew["other"], crew["group"]
    _points(me, 12)  # 120 points: "Eksportir Muda", 380 more to "Eksportir Andal"
    _points(other, 20)  # 200 points: ahead of me this week
    post = services.post_create(user=crew["admin"], group=group, body="Tanya dokumen ekspor")
    for i in range(12):
        Comment.objects.create(post=post, author=me, body=f"komentar {i}", status="published")
    _badges(1)
    weekly = services.badge_ensure(
        slug="aktif-mingguan",
        name="Aktif Diskusi Mingguan",
        criteria=BadgeCriteria.COMMENTS,
        threshold=50,
        period=BadgePeriod.WEEKLY,
        icon="flame",
    )
    for week in ("2026-W40", "2026-W41", "2026-W42"):
        UserBadge.objects.create(user=me, badge=weekly, period_key=week)
    hand = services.badge_ensure(slug="pelopor", name="Pelopor Komunitas", criteria=BadgeCriteria.MANUAL)
    UserBadge.objects.create(user=other, badge=hand)  # someone else's badge: not earned by me
    now = timezone.now()
    challenge = Challenge.objects.create(
        group=group,
        title="Tantangan 7 Hari Posting",
        metric="posts",
        target=7,
        starts_at=now - timezone.timedelta(days=10),
        ends_at=now - timezone.timedelta(days=3),
        status=ChallengeStatus.CLOSED,
    )
    ChallengeParticipant.objects.create(challenge=challenge, user=me, final_count=8, rank=2, completed=True)
    quiz = GroupQuiz.objects.create(
        group=group,
        title="Kuis Incoterms",
        opens_at=now - timezone.timedelta(days=2),
        closes_at=now + timezone.timedelta(days=2),
        status=QuizStatus.PUBLISHED,
    )
    QuizAttempt.objects.create(quiz=quiz, user=me, correct=4, total=5, points=40)
    PointEntry.objects.create(
        user=other, action=PointAction.QUIZ, points=99, key="rahasia", note="Catatan rahasia Riko"
    )

    client.force_login(me)
    html = client.get(URL).content.decode()
    assert "Eksportir Muda" in html and "380 poin lagi menuju Eksportir Andal" in html
    assert "#2" in html  # weekly rank: one member ahead
    assert "Aktif Diskusi Mingguan" in html and "3 minggu" in html
    assert "12/20 komentar" in html  # the badge not yet earned, with progress
    assert "Pelopor Komunitas" in html  # manual badge still to earn, shown as given by admins
    assert "Tantangan 7 Hari Posting" in html and "Peringkat #2" in html
    assert "Kuis Incoterms" in html and "Skor 4/5" in html
    assert "Membuat postingan" in html  # Indonesian action names in the history
    assert "Catatan rahasia Riko" not in html  # other members' ledger never shown


def test_ledger_is_paginated_and_only_mine(crew, client):
    me, other = crew["me"], crew["other"]
    _points(me, 25, prefix="a")
    _points(other, 5, points=7, action=PointAction.COMMENT, prefix="b")
    client.force_login(me)
    first = client.get(URL)
    assert first.status_code == 200
    assert len(first.context["page_obj"].object_list) == 20
    assert all(e.user_id == me.pk for e in first.context["page_obj"].object_list)
    second = client.get(URL, {"page": 2})
    assert len(second.context["page_obj"].object_list) == 5
    assert "Menulis komentar" not in second.content.decode()
    assert client.get(URL, {"page": "x"}).status_code == 200  # a wrong page number: the first page
    assert client.get(URL, {"page": "x\x00"}).status_code == 400  # NUL refused by the house middleware, never a 500


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and URL not in response["Location"].split("?")[0]


def test_query_count_does_not_grow_with_badges(crew, client):
    me = crew["me"]
    _points(me, 30)
    _badges(3)
    client.force_login(me)
    client.get(URL)  # warm caches (levels, menu)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    _badges(12, start=3)
    for badge in Badge.objects.all()[:5]:
        UserBadge.objects.create(user=me, badge=badge)
    client.get(URL)
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).status_code == 200
    assert len(many) == len(few)
    assert len(many) <= 30


def test_badge_notification_links_to_achievements(crew):
    me, group = crew["me"], crew["group"]
    services.badge_ensure(slug="komentar-3", name="Komentator Tiga", criteria=BadgeCriteria.COMMENTS, threshold=3)
    post = services.post_create(user=crew["admin"], group=group, body="Halo")
    for i in range(3):
        Comment.objects.create(post=post, author=me, body=f"k{i}", status="published")
    assert badges.live_check(user_id=me.pk, criteria=BadgeCriteria.COMMENTS) == 1
    note = Notification.objects.filter(user=me).order_by("-id").first()
    assert note is not None and note.link == reverse("community:achievements")


def test_menu_lists_the_page(crew, client):
    client.force_login(crew["me"])
    html = client.get("/komunitas/peringkat").content.decode()
    assert html.count('href="/komunitas/pencapaian"') >= 2  # the member menu and the leaderboard's own link


def test_api_achievements_own_data_paginated(crew, client):
    me, other = crew["me"], crew["other"]
    _points(me, 30, prefix="a")
    _points(other, 3, prefix="b")
    _badges(1)
    Comment.objects.create(
        post=services.post_create(user=crew["admin"], group=crew["group"], body="x"),
        author=me,
        body="k",
        status="published",
    )
    data = call(client, "get", "/me/achievements", user=me).json()
    assert data["total"] == 300 and data["week"] == 300 and data["weekly_rank"] == 1
    assert data["level"]["name"] == "Eksportir Muda" and data["level"]["next_threshold"] == 500
    assert data["ledger_count"] == 30 and len(data["ledger"]) == 20 and data["ledger_next_page"] == 2
    assert data["ledger"][0]["label"] == "Membuat postingan"
    assert data["pending"][0]["current"] == 1 and data["pending"][0]["target"] == 20
    page2 = call(client, "get", "/me/achievements", {"page": 2}, user=me).json()
    assert len(page2["ledger"]) == 10 and page2["ledger_next_page"] is None
    assert call(client, "get", "/me/achievements", {"page": "abc"}, user=me).status_code in (400, 422)
    assert call(client, "get", "/me/achievements").status_code == 401
    # /me/points keeps its fields
    points = call(client, "get", "/me/points", user=me).json()
    assert {"total", "level", "week", "month", "badges", "badge_items", "recent"} <= set(points)
