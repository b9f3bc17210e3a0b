"""Group challenges and quizzes (GAM-D7): who creates them (the matrix's challenge permission), joining, progress
counted from the group's rows in the period, the ranking, the idempotent closing sweep with its once-only rewards and
result notifications, quizzes checked on the server without leaking the answer, access per group type on pages and
API, query counts of the lists, and hostile input."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.community import challenges, quizzes, services
from sanggar.community.constants import Notify
from sanggar.community.models import (
    Badge,
    Challenge,
    ChallengeParticipant,
    Group,
    GroupQuiz,
    PointEntry,
    Post,
    QuizAttempt,
    UserBadge,
)
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.roles import Role
from sanggar.notifications.models import Notification

pytestmark = pytest.mark.django_db


class Crew:
    def __init__(self, make_user, admin, *, visibility="private"):
        self.site_admin = admin
        self.owner = make_user(Role.MENTOR, full_name="Bu Sari Pemilik")
        self.group = services.group_create(
            actor=admin, data={"name": f"Eksportir Kopi {visibility}", "visibility": visibility}, owner=self.owner
        )
        self.users = {"owner": self.owner}
        for role in ("admin", "moderator", "member"):
            user = make_user(Role.MENTOR, full_name=f"Anggota {role} {visibility}")
            services.member_add(actor=admin, group=self.group, user=user, role=role)
            self.users[role] = user
        self.member = self.users["member"]
        self.outsider = make_user(Role.MENTOR, full_name=f"Orang Luar {visibility}")

    def refresh(self):
        self.group = Group.objects.select_related("resource").get(pk=self.group.pk)
        return self.group


@pytest.fixture
def crew(make_user, admin_user, settings):
    settings.COMMUNITY_POST_RATE_LIMIT = settings.COMMUNITY_POST_IP_RATE_LIMIT = "1000/3600"
    settings.COMMUNITY_COMMENT_RATE_LIMIT = settings.COMMUNITY_COMMENT_IP_RATE_LIMIT = "1000/3600"
    return Crew(make_user, admin_user)


def _data(**over):
    now = timezone.now()
    return {
        "title": "7 Hari Posting Produk",
        "description": "Bagikan satu produk ekspor setiap hari.",
        "metric": "posts",
        "target": 2,
        "starts_at": now - timedelta(hours=1),
        "ends_at": now + timedelta(days=7),
        "reward_points": 50,
        **over,
    }


def _end_now(challenge):
    """Moves the period into the past (as if time passed), keeping the start before the end."""
    now = timezone.now()
    Challenge.objects.filter(pk=challenge.pk).update(
        starts_at=now - timedelta(days=2), ends_at=now - timedelta(seconds=1)
    )


QUESTIONS = [
    {
        "text": "Dokumen asal barang disebut?",
        "explanation": "SKA / Certificate of Origin.",
        "options": ["Invoice", "SKA", "Packing list"],
        "correct": 1,
    },
    {
        "text": "Incoterm penjual menanggung sampai kapal?",
        "explanation": "FOB.",
        "options": ["FOB", "DDP"],
        "correct": 0,
    },
]


def _quiz(crew, **over):
    now = timezone.now()
    data = {
        "title": "Kuis Dokumen Ekspor",
        "opens_at": now - timedelta(hours=1),
        "closes_at": now + timedelta(days=3),
        "scoring": "per_correct",
        "points": 5,
        **over,
    }
    return quizzes.quiz_create(actor=crew.owner, group=crew.group, data=data, questions=QUESTIONS, publish=True)


# --- who may create, join -----------------------------------------------------------------------------------------


def test_group_staff_and_site_admin_create_members_and_outsiders_cannot(crew):
    for role in ("owner", "admin", "moderator"):
        challenges.challenge_create(actor=crew.users[role], group=crew.group, data=_data(title=f"Oleh {role}"))
    challenges.challenge_create(actor=crew.site_admin, group=crew.group, data=_data(title="Oleh admin situs"))
    for user in (crew.member, crew.outsider):
        with pytest.raises(NotAllowed):
            challenges.challenge_create(actor=user, group=crew.group, data=_data())
        with pytest.raises(NotAllowed):
            quizzes.quiz_create(actor=user, group=crew.group, data={}, questions=QUESTIONS)
    assert Challenge.objects.filter(group=crew.group).count() == 4
    # the matrix decides: the owner gives it to members, takes it from moderators
    services.group_permissions_update(actor=crew.owner, group=crew.group, permissions={"challenge": ["member"]})
    group = crew.refresh()
    challenges.challenge_create(actor=crew.member, group=group, data=_data(title="Oleh member"))
    with pytest.raises(NotAllowed):
        challenges.challenge_create(actor=crew.users["moderator"], group=group, data=_data())


def test_join_progress_counts_rows_in_the_group_and_period_and_ranks(crew, make_user, admin_user):
    other = services.group_create(actor=admin_user, data={"name": "Grup Lain", "visibility": "public"})
    services.group_join(user=crew.member, group=other)
    services.post_create(user=crew.member, group=crew.group, body="Sebelum tantangan dibuat")
    Post.objects.filter(group=crew.group).update(created_at=timezone.now() - timedelta(days=3))
    challenge = challenges.challenge_create(actor=crew.owner, group=crew.group, data=_data())
    with pytest.raises(NotAllowed):
        challenges.challenge_join(user=crew.outsider, challenge=challenge)
    challenges.challenge_join(user=crew.member, challenge=challenge)
    challenges.challenge_join(user=crew.member, challenge=challenge)  # twice: still one row
    challenges.challenge_join(user=crew.users["admin"], challenge=challenge)
    assert ChallengeParticipant.objects.filter(challenge=challenge).count() == 2
    assert challenges.progress_of(challenge, crew.member)["count"] == 0
    services.post_create(user=crew.member, group=crew.group, body="Kopi Gayo grade 1")
    services.post_create(user=crew.member, group=other, body="Di grup lain: tidak dihitung")
    services.post_create(user=crew.users["moderator"], group=crew.group, body="Bukan peserta")
    progress = challenges.progress_of(challenge, crew.member)
    assert progress["count"] == 1 and progress["completed"] is False and progress["percent"] == 50
    services.post_create(user=crew.member, group=crew.group, body="Vanili Papua")
    progress = challenges.progress_of(challenge, crew.member)
    assert progress["count"] == 2 and progress["completed"] is True
    ranking = challenges.ranking(challenge)
    assert [(r["rank"], r["user"].pk, r["count"]) for r in ranking] == [
        (1, crew.member.pk, 2),
        (2, crew.users["admin"].pk, 0),
    ]
    assert challenges.progress_of(challenge, crew.outsider) is None


def test_comment_and_reaction_metrics(crew):
    post = services.post_create(user=crew.owner, group=crew.group, body="Tanya harga kapulaga")
    comments = challenges.challenge_create(actor=crew.owner, group=crew.group, data=_data(metric="comments"))
    reactions = challenges.challenge_create(actor=crew.owner, group=crew.group, data=_data(metric="reactions"))
    for c in (comments, reactions):
        challenges.challenge_join(user=crew.member, challenge=c)
        challenges.challenge_join(user=crew.owner, challenge=c)
    services.comment_create(user=crew.member, post=post, body="Rp 300 ribu per kg")
    services.comment_create(user=crew.member, post=post, body="Tergantung grade")
    services.reaction_set(user=crew.member, post=post, type="like")
    services.reaction_set(user=crew.owner, post=post, type="love")  # own post: not counted
    assert challenges.progress_of(comments, crew.member)["count"] == 2
    assert challenges.progress_of(reactions, crew.owner)["count"] == 1


# --- the sweep ------------------------------------------------------------------------------------------------------


def test_sweep_closes_awards_once_notifies_and_is_safe_to_run_twice(crew):
    badge = Badge.objects.create(name="Juara Tantangan", slug="juara-tantangan", criteria="manual")
    challenge = challenges.challenge_create(actor=crew.owner, group=crew.group, data=_data(badge=badge.pk))
    running = challenges.challenge_create(actor=crew.owner, group=crew.group, data=_data(title="Masih jalan"))
    for role in ("member", "admin"):
        challenges.challenge_join(user=crew.users[role], challenge=challenge)
    services.post_create(user=crew.member, group=crew.group, body="Satu")
    services.post_create(user=crew.member, group=crew.group, body="Dua")
    services.post_create(user=crew.users["admin"], group=crew.group, body="Hanya satu")
    Post.objects.filter(group=crew.group).update(created_at=timezone.now() - timedelta(days=1))
    _end_now(challenge)
    before = Notification.objects.filter(data__template=Notify.CHALLENGE_RESULT).count()

    assert challenges.challenges_close_due() == 1
    assert challenges.challenges_close_due() == 0  # twice: nothing more
    assert challenges.challenge_close(challenge_id=challenge.pk) is None

    challenge.refresh_from_db()
    assert challenge.status == "closed" and Challenge.objects.get(pk=running.pk).status == "open"
    rows = {p.user_id: p for p in ChallengeParticipant.objects.filter(challenge=challenge)}
    assert (rows[crew.member.pk].final_count, rows[crew.member.pk].rank, rows[crew.member.pk].completed) == (
        2,
        1,
        True,
    )
    assert (rows[crew.users["admin"].pk].final_count, rows[crew.users["admin"].pk].completed) == (1, False)
    entries = PointEntry.objects.filter(action="challenge")
    assert list(entries.values_list("user_id", "points", "key")) == [
        (crew.member.pk, 50, f"challenge:{challenge.pk}:{crew.member.pk}")
    ]
    assert UserBadge.objects.filter(badge=badge).count() == 1
    assert Notification.objects.filter(data__template=Notify.CHALLENGE_RESULT).count() - before == 2
    told = Notification.objects.filter(user=crew.member, data__template=Notify.CHALLENGE_RESULT).get()
    assert "berhasil" in told.message and f"/komunitas/tantangan/{challenge.pk}" == told.link
    # the result is frozen: a later post changes nothing; joining an ended challenge is refused
    services.post_create(user=crew.users["admin"], group=crew.group, body="Terlambat")
    assert challenges.progress_of(challenge, crew.users["admin"])["count"] == 1
    with pytest.raises(ServiceError):
        challenges.challenge_join(user=crew.users["moderator"], challenge=challenge)
    with pytest.raises(ServiceError):
        challenges.challenge_update(actor=crew.owner, challenge=challenge, data={"title": "Ubah"})


def test_staff_close_early_only_staff(crew):
    challenge = challenges.challenge_create(actor=crew.owner, group=crew.group, data=_data())
    with pytest.raises(NotAllowed):
        challenges.challenge_close(challenge_id=challenge.pk, actor=crew.member)
    assert Challenge.objects.get(pk=challenge.pk).status == "open"
    closed = challenges.challenge_close(challenge_id=challenge.pk, actor=crew.users["moderator"])
    assert closed.status == "closed" and closed.ends_at <= timezone.now()


def test_beat_runs_the_sweep():
    entry = django_settings.CELERY_BEAT_SCHEDULE["community-challenges-close"]
    assert entry["task"] == "sanggar.community.tasks.challenges_close_task" and entry["schedule"] <= 300


# --- quizzes ------------------------------------------------------------------------------------------------------


def test_quiz_scored_on_the_server_points_once_and_no_leak_before_submission(crew, client):
    quiz = _quiz(crew)
    detail = call(client, "get", f"/quizzes/{quiz.pk}", user=crew.member)
    assert detail.status_code == 200
    body = detail.json()
    assert body["my_attempt"] is None
    for question in body["question_list"]:
        assert question["correct_option"] is None and question["explanation"] is None and question["chosen"] is None
    assert "SKA / Certificate" not in detail.content.decode() and 'is_correct": true' not in detail.content.decode()
    client.force_login(crew.member)
    html = client.get(f"/komunitas/kuis/{quiz.pk}").content.decode()
    assert "SKA / Certificate" not in html and 'id="quiz-submit"' in html

    questions = quizzes.questions_of(quiz)
    right = {str(q.pk): next(o.pk for o in q.options.all() if o.is_correct) for q in questions}
    wrong_second = next(o.pk for o in questions[1].options.all() if not o.is_correct)
    answers = {str(questions[0].pk): right[str(questions[0].pk)], str(questions[1].pk): wrong_second}
    response = call(client, "post", f"/quizzes/{quiz.pk}/submit", {"answers": answers}, user=crew.member)
    assert response.status_code == 200, response.content
    result = response.json()
    assert result["my_attempt"]["correct"] == 1 and result["my_attempt"]["total"] == 2
    assert result["my_attempt"]["points"] == 5
    assert [q["is_correct"] for q in result["question_list"]] == [True, False]
    assert result["question_list"][0]["explanation"] == "SKA / Certificate of Origin."
    again = call(client, "post", f"/quizzes/{quiz.pk}/submit", {"answers": right}, user=crew.member)
    assert again.status_code == 400 and "sudah mengerjakan" in again.json()["message"]
    assert list(PointEntry.objects.filter(action="quiz").values_list("user_id", "points")) == [(crew.member.pk, 5)]
    assert QuizAttempt.objects.get(quiz=quiz, user=crew.member).correct == 1
    # full scoring: only all right earns the points; the page shows the explanations after submitting
    full = _quiz(crew, title="Kuis penuh", scoring="full", points=20)
    fq = quizzes.questions_of(full)
    all_right = {str(q.pk): next(o.pk for o in q.options.all() if o.is_correct) for q in fq}
    client.post(f"/komunitas/kuis/{full.pk}", {f"q_{k}": v for k, v in all_right.items()})
    assert QuizAttempt.objects.get(quiz=full, user=crew.member).points == 20
    html = client.get(f"/komunitas/kuis/{full.pk}").content.decode()
    assert "SKA / Certificate of Origin." in html and 'id="quiz-submit"' not in html
    board = call(client, "get", f"/quizzes/{full.pk}/leaderboard", user=crew.owner).json()
    assert [(r["rank"], r["user"]["id"], r["correct"]) for r in board["results"]] == [(1, crew.member.pk, 2)]


def test_quiz_rules_drafts_closed_and_outsiders(crew, client):
    draft = quizzes.quiz_create(actor=crew.owner, group=crew.group, data=_quiz_data(), questions=None, publish=False)
    assert call(client, "get", f"/quizzes/{draft.pk}", user=crew.member).status_code == 404
    assert call(client, "get", f"/quizzes/{draft.pk}", user=crew.owner).status_code == 200
    with pytest.raises(ServiceError, match="minimal satu pertanyaan"):
        quizzes.quiz_set_status(actor=crew.owner, quiz=draft, status="published")
    quiz = _quiz(crew)
    assert call(client, "post", f"/quizzes/{quiz.pk}/submit", {"answers": {}}, user=crew.outsider).status_code == 403
    quizzes.quiz_set_status(actor=crew.users["moderator"], quiz=quiz, status="closed")
    response = call(client, "post", f"/quizzes/{quiz.pk}/submit", {"answers": {}}, user=crew.member)
    assert response.status_code == 400 and "ditutup" in response.json()["message"]
    assert not QuizAttempt.objects.exists()
    # questions cannot change once someone answered
    other = _quiz(crew, title="Kuis dua")
    quizzes.quiz_submit(user=crew.member, quiz=other, answers={})
    with pytest.raises(ServiceError, match="sudah dikerjakan"):
        quizzes.quiz_update(actor=crew.owner, quiz=other, questions=QUESTIONS)


def _quiz_data(**over):
    now = timezone.now()
    return {"title": "Draf", "opens_at": now, "closes_at": now + timedelta(days=1), **over}


# --- access per group type on the API and pages ------------------------------------------------------------------


@pytest.mark.parametrize("visibility,outsider_status", [("public", 200), ("private", 403), ("hidden", 404)])
def test_access_per_group_type(make_user, admin_user, client, visibility, outsider_status):
    crew = Crew(make_user, admin_user, visibility=visibility)
    challenge = challenges.challenge_create(actor=crew.owner, group=crew.group, data=_data())
    quiz = _quiz(crew)
    slug = crew.group.slug
    for path in (f"/groups/{slug}/challenges", f"/challenges/{challenge.pk}", f"/groups/{slug}/quizzes"):
        assert call(client, "get", path, user=crew.outsider).status_code == outsider_status, path
        assert call(client, "get", path, user=crew.member).status_code == 200, path
    assert call(client, "get", f"/quizzes/{quiz.pk}", user=crew.outsider).status_code == outsider_status
    join = call(client, "post", f"/challenges/{challenge.pk}/join", user=crew.outsider)
    assert join.status_code == (403 if visibility == "public" else outsider_status)
    assert not ChallengeParticipant.objects.filter(user=crew.outsider).exists()
    joined = call(client, "post", f"/challenges/{challenge.pk}/join", user=crew.member)
    assert joined.status_code == 200 and joined.json()["my_progress"]["count"] == 0
    create = call(client, "post", f"/groups/{slug}/challenges", _api_challenge(), user=crew.member)
    assert create.status_code == 403 and "moderator" in create.json()["message"]
    assert call(client, "get", f"/groups/{slug}/challenges").status_code == 401
    client.force_login(crew.outsider)
    page_status = 200 if visibility == "public" else outsider_status
    assert client.get(f"/komunitas/tantangan/{challenge.pk}").status_code == page_status
    assert client.get(f"/komunitas/kuis/{quiz.pk}").status_code == page_status
    assert client.get(f"/komunitas/grup/{slug}/tantangan/baru").status_code in (403, 404)
    assert client.get(f"/komunitas/tantangan/{challenge.pk}/ubah").status_code in (403, 404)


def _api_challenge(**over):
    now = timezone.localtime()
    return {
        "title": "Tantangan API",
        "metric": "comments",
        "target": 3,
        "starts_at": (now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S"),
        "ends_at": (now + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%S"),
        "reward_points": 10,
        **over,
    }


def test_api_create_edit_close_by_staff(crew, client):
    response = call(client, "post", f"/groups/{crew.group.slug}/challenges", _api_challenge(), user=crew.users["admin"])
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["phase"] == "upcoming" and body["can_manage"] is True and body["metric"] == "comments"
    # a naive time is WIB
    challenge = Challenge.objects.get(pk=body["id"])
    assert timezone.localtime(challenge.starts_at).hour == (timezone.localtime() + timedelta(hours=1)).hour
    patched = call(client, "patch", f"/challenges/{challenge.pk}", {"target": 5}, user=crew.users["moderator"])
    assert patched.status_code == 200 and patched.json()["target"] == 5
    denied = call(client, "patch", f"/challenges/{challenge.pk}", {"target": 1}, user=crew.member)
    assert denied.status_code == 403 and Challenge.objects.get(pk=challenge.pk).target == 5
    closed = call(client, "post", f"/challenges/{challenge.pk}/close", user=crew.owner)
    assert closed.status_code == 200 and closed.json()["phase"] == "ended"
    quiz = call(
        client,
        "post",
        f"/groups/{crew.group.slug}/quizzes",
        {**_api_quiz(), "questions": QUESTIONS},
        user=crew.users["moderator"],
    )
    assert quiz.status_code == 201, quiz.content
    assert quiz.json()["phase"] == "open" and len(quiz.json()["question_list"]) == 2


def _api_quiz(**over):
    now = timezone.localtime()
    return {
        "title": "Kuis API",
        "opens_at": (now - timedelta(hours=1)).isoformat(),
        "closes_at": (now + timedelta(days=1)).isoformat(),
        "points": 3,
        **over,
    }


# --- hostile input ---------------------------------------------------------------------------------------------


def test_hostile_input_is_refused_with_indonesian_reasons(crew, client):
    slug = crew.group.slug
    owner = crew.owner
    cases = [
        _api_challenge(title="Judul\x00jahat"),
        _api_challenge(title="x" * 400),
        _api_challenge(metric="uang"),
        _api_challenge(target=0),
        _api_challenge(target="banyak"),
        _api_challenge(target=10**12),
        _api_challenge(reward_points=-5),
        _api_challenge(starts_at="kemarin"),
        _api_challenge(ends_at=_api_challenge()["starts_at"]),
        _api_challenge(badge=999999),
        {**_api_challenge(), "extra": {"a": [[[[1]]]]}},
        [1, 2, 3],
    ]
    for payload in cases:
        response = call(client, "post", f"/groups/{slug}/challenges", payload, user=owner)
        assert response.status_code in (400, 422), (payload, response.status_code)
        assert response.json()["message"], payload
    assert call(client, "post", f"/groups/{slug}/challenges", raw="{bukan json", user=owner).status_code in (400, 422)
    assert not Challenge.objects.exists()
    bad_quizzes = [
        {**_api_quiz(), "questions": [{**QUESTIONS[0], "options": ["a"]}]},
        {**_api_quiz(), "questions": [{**QUESTIONS[0], "options": list("abcdefg")}]},
        {**_api_quiz(), "questions": [{**QUESTIONS[0], "correct": 7}]},
        {**_api_quiz(), "questions": [{**QUESTIONS[0], "text": "\x00"}]},
        {**_api_quiz(), "questions": [{**QUESTIONS[0], "options": ["a", "b\x00"]}]},
        {**_api_quiz(scoring="acak"), "questions": QUESTIONS},
        {**_api_quiz(), "questions": QUESTIONS * 30},
    ]
    for payload in bad_quizzes:
        response = call(client, "post", f"/groups/{slug}/quizzes", payload, user=owner)
        assert response.status_code in (400, 422), (payload, response.status_code)
    assert not GroupQuiz.objects.exists()
    quiz = _quiz(crew)
    q = quizzes.questions_of(quiz)
    other = _quiz(crew, title="Lain")
    foreign_option = quizzes.questions_of(other)[0].options.all()[0].pk
    for answers in (
        {str(q[0].pk): foreign_option},
        {"999999": 1},
        {str(q[0].pk): "satu"},
        {str(i): 1 for i in range(50)},
        "semua benar",
        {str(q[0].pk): [1]},
    ):
        response = call(client, "post", f"/quizzes/{quiz.pk}/submit", {"answers": answers}, user=crew.member)
        assert response.status_code in (400, 422), (answers, response.status_code)
    assert not QuizAttempt.objects.exists()
    assert call(client, "get", "/challenges/99999999999", user=crew.member).status_code in (404, 422)
    client.force_login(owner)
    page = client.post(f"/komunitas/grup/{slug}/tantangan/baru", {"title": "a\x00b", "metric": "posts", "target": "x"})
    assert page.status_code in (200, 400) and not Challenge.objects.exists()
    page = client.post(f"/komunitas/grup/{slug}/tantangan/baru", {"title": "Judul", "metric": "uang", "target": "x"})
    assert page.status_code == 200 and "field-error" in page.content.decode() and not Challenge.objects.exists()
    quiz_page = client.post(f"/komunitas/kuis/{quiz.pk}", {f"q_{q[0].pk}": "abc"}, follow=True)
    assert quiz_page.status_code == 200 and not QuizAttempt.objects.exists()


# --- lists: a fixed number of queries ------------------------------------------------------------------------------


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_list_query_counts_do_not_grow(crew, client, make_user):
    def grow(n):
        for i in range(n):
            c = challenges.challenge_create(actor=crew.owner, group=crew.group, data=_data(title=f"T{i}"))
            challenges.challenge_join(user=crew.member, challenge=c)
            _quiz(crew, title=f"K{i}")

    slug = crew.group.slug
    client.force_login(crew.member)

    def api_list():
        assert call(client, "get", f"/groups/{slug}/challenges", user=crew.member).status_code == 200
        assert call(client, "get", f"/groups/{slug}/quizzes", user=crew.member).status_code == 200

    def page():
        assert client.get(f"/komunitas/grup/{slug}?tab=tantangan").status_code == 200

    grow(2)
    page()  # warm the caches the shell fills on a first visit
    small_api, small_page = _queries(api_list), _queries(page)
    grow(6)
    assert _queries(api_list) == small_api
    assert _queries(page) == small_page

    challenge = Challenge.objects.filter(group=crew.group).first()
    quiz = GroupQuiz.objects.filter(group=crew.group).first()

    def detail():
        assert call(client, "get", f"/challenges/{challenge.pk}", user=crew.member).status_code == 200
        assert call(client, "get", f"/quizzes/{quiz.pk}/leaderboard", user=crew.member).status_code == 200
        assert client.get(f"/komunitas/tantangan/{challenge.pk}").status_code == 200
        assert client.get(f"/komunitas/kuis/{quiz.pk}").status_code == 200

    quizzes.quiz_submit(user=crew.owner, quiz=quiz, answers={})  # lists with a row (an empty page skips its query)
    detail()
    few = _queries(detail)
    for i in range(5):
        user = make_user(Role.MENTOR, full_name=f"Peserta {i}")
        services.member_add(actor=crew.site_admin, group=crew.group, user=user)
        challenges.challenge_join(user=user, challenge=challenge)
        quizzes.quiz_submit(user=user, quiz=quiz, answers={})
    assert _queries(detail) == few


def test_admin_tabs_list_every_group_challenge(crew, client, admin_user, member_user):
    challenges.challenge_create(actor=crew.owner, group=crew.group, data=_data(title="Tantangan Kopi"))
    _quiz(crew, title="Kuis Kopi")
    client.force_login(admin_user)
    assert "Tantangan Kopi" in client.get("/admin/gamifikasi?tab=tantangan").content.decode()
    assert "Kuis Kopi" in client.get("/admin/gamifikasi?tab=kuis").content.decode()
    client.force_login(member_user)
    assert client.get("/admin/gamifikasi?tab=tantangan").status_code == 403


def test_pages_create_join_edit_and_close(crew, client):
    client.force_login(crew.users["moderator"])
    now = timezone.localtime()
    response = client.post(
        f"/komunitas/grup/{crew.group.slug}/tantangan/baru",
        {
            "title": "Posting Rutin",
            "metric": "posts",
            "target": "3",
            "starts_at": (now - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "reward_points": "25",
        },
    )
    challenge = Challenge.objects.get(title="Posting Rutin")
    assert response.status_code == 302 and challenge.created_by == crew.users["moderator"]
    client.force_login(crew.member)
    tab = client.get(f"/komunitas/grup/{crew.group.slug}?tab=tantangan").content.decode()
    assert "Posting Rutin" in tab and 'id="challenge-new"' not in tab
    client.post(f"/komunitas/tantangan/{challenge.pk}/ikut")
    assert ChallengeParticipant.objects.filter(challenge=challenge, user=crew.member).exists()
    html = client.get(f"/komunitas/tantangan/{challenge.pk}").content.decode()
    assert 'id="my-progress"' in html and 'id="challenge-close"' not in html
    assert client.post(f"/komunitas/tantangan/{challenge.pk}/akhiri").status_code == 403
    client.force_login(crew.owner)
    assert 'id="challenge-close-confirm"' in client.get(f"/komunitas/tantangan/{challenge.pk}/akhiri").content.decode()
    client.post(f"/komunitas/tantangan/{challenge.pk}/akhiri")
    assert Challenge.objects.get(pk=challenge.pk).status == "closed"
    # a quiz through the pages: draft, a question, publish
    client.post(
        f"/komunitas/grup/{crew.group.slug}/kuis/baru",
        {
            "title": "Kuis Halaman",
            "opens_at": (now - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "scoring": "per_correct",
            "points": "2",
        },
    )
    quiz = GroupQuiz.objects.get(title="Kuis Halaman")
    assert quiz.status == "draft"
    client.post(
        f"/komunitas/kuis/{quiz.pk}/ubah",
        {"action": "question", "text": "HS code kopi?", "option_0": "0901", "option_1": "1801", "correct": "0"},
    )
    client.post(f"/komunitas/kuis/{quiz.pk}/ubah", {"action": "published"})
    quiz.refresh_from_db()
    assert quiz.status == "published" and quiz.questions.get().options.get(is_correct=True).text == "0901"


def test_seed_demo_has_a_running_challenge_and_a_quiz_with_participants(settings, tmp_path):
    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo")
    call_command("seed_demo")
    running = Challenge.objects.get(title="Tantangan 7 Hari Posting Produk Ekspor")
    assert challenges.phase(running) == "running" and running.participants.count() >= 3
    assert challenges.ranking(running)[0]["count"] >= 1
    finished = Challenge.objects.get(title="Pekan Diskusi Buyer")
    assert finished.status == "closed" and finished.participants.filter(rank__isnull=False).count() >= 3
    quiz = GroupQuiz.objects.get(title="Kuis Dasar Dokumen Ekspor")
    assert quizzes.quiz_phase(quiz) == "open" and quiz.attempts.count() == 2
    assert Challenge.objects.count() == 2 and GroupQuiz.objects.count() == 1


def test_live_rank_events_metric_and_quiz_patch(crew, client):
    challenge = challenges.challenge_create(actor=crew.owner, group=crew.group, data=_data(metric="events", target=1))
    for role in ("member", "admin"):
        challenges.challenge_join(user=crew.users[role], challenge=challenge)
    # attendance is a ledger row of the group (events award it); another group's attendance does not count
    services.points_award(action="event_attended", key="event:1:x", user=crew.users["admin"], group=crew.group)
    services.points_award(action="event_attended", key="event:2:x", user=crew.member, group=None)
    detail = call(client, "get", f"/challenges/{challenge.pk}", user=crew.member).json()
    assert detail["my_progress"] == {**detail["my_progress"], "count": 0, "rank": 2, "completed": False}
    assert [(r["rank"], r["user"]["id"], r["count"], r["completed"]) for r in detail["ranking"]] == [
        (1, crew.users["admin"].pk, 1, True),
        (2, crew.member.pk, 0, False),
    ]
    quiz = _quiz(crew)
    response = call(client, "patch", f"/quizzes/{quiz.pk}", {"title": "Kuis Baru", "points": 7}, user=crew.member)
    assert response.status_code == 403 and GroupQuiz.objects.get(pk=quiz.pk).title == "Kuis Dokumen Ekspor"
    response = call(
        client,
        "patch",
        f"/quizzes/{quiz.pk}",
        {"title": "Kuis Baru", "questions": QUESTIONS[:1]},
        user=crew.users["moderator"],
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Kuis Baru" and len(response.json()["question_list"]) == 1
    bad = call(client, "patch", f"/quizzes/{quiz.pk}", {"title": None}, user=crew.owner)
    assert bad.status_code == 400 and "Judul" in bad.json()["message"]


def test_edit_page_of_a_running_challenge_keeps_its_start(crew, client):
    start = timezone.now() - timedelta(hours=3, seconds=17)
    challenge = challenges.challenge_create(actor=crew.owner, group=crew.group, data=_data(starts_at=start))
    client.force_login(crew.owner)
    form = client.get(f"/komunitas/tantangan/{challenge.pk}/ubah").context["form"]
    data = {
        name: (value.strftime("%Y-%m-%dT%H:%M") if hasattr(value, "strftime") else value)
        for name, value in form.initial.items()
        if value is not None
    }
    response = client.post(f"/komunitas/tantangan/{challenge.pk}/ubah", {**data, "target": "4"})
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.target == 4 and challenge.starts_at == start
    changed = {**data, "metric": "comments"}
    response = client.post(f"/komunitas/tantangan/{challenge.pk}/ubah", changed)
    assert response.status_code == 200 and "sudah dimulai" in response.content.decode()
    assert Challenge.objects.get(pk=challenge.pk).metric == "posts"


def test_group_followers_hear_of_a_new_challenge_and_a_published_quiz(crew, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        challenge = challenges.challenge_create(actor=crew.owner, group=crew.group, data=_data())
    told = Notification.objects.filter(data__template=Notify.CHALLENGE_NEW)
    assert set(told.values_list("user_id", flat=True)) == {crew.users[r].pk for r in ("admin", "moderator", "member")}
    assert told.filter(user=crew.member).get().link == f"/komunitas/tantangan/{challenge.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        draft = quizzes.quiz_create(actor=crew.users["admin"], group=crew.group, data=_quiz_data(), questions=QUESTIONS)
    assert told.count() == 3  # a draft is not announced
    with django_capture_on_commit_callbacks(execute=True):
        quizzes.quiz_set_status(actor=crew.users["admin"], quiz=draft, status="published")
    quiz_told = told.filter(link=f"/komunitas/kuis/{draft.pk}")
    assert set(quiz_told.values_list("user_id", flat=True)) == {
        crew.users[r].pk for r in ("owner", "moderator", "member")
    }
    assert challenges.challenge_announce(kind="quiz", pk=999999) == 0
