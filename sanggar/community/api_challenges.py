"""Community API, group challenges and quizzes (GAM-D7): lists per group, a challenge with the caller's progress and
the ranking, joining; a quiz's questions (never the answer before the caller has submitted), the submission and the
quiz's leaderboard; the group staff's create / edit / close endpoints. A member outside a private group gets 403, and
404 for a hidden one, like everything else in the group."""

from datetime import datetime

from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from sanggar.api.auth import jwt_auth
from sanggar.api.idempotency import idempotent
from sanggar.core.exceptions import NotFound, ServiceError

from . import challenges, quizzes
from .api import _ERRORS, _author, _group, _page
from .constants import PAGE_SIZE, ChallengeStatus, GroupPermission, QuizStatus
from .policy import group_allows
from .schemas import AuthorOut, PageIn

router = Router(tags=["komunitas"])


class _In(Schema):
    model_config = ConfigDict(extra="forbid")


class GroupChallengeIn(_In):
    title: str = Field(max_length=500)
    description: str = Field(default="", max_length=10_000)
    metric: str = Field(description="posts, comments, reactions, events, lessons", max_length=20)
    target: int
    starts_at: datetime = Field(description="Waktu mulai (tanpa zona = WIB).")
    ends_at: datetime = Field(description="Waktu selesai (tanpa zona = WIB).")
    reward_points: int = 0
    badge: int | None = None


class GroupChallengeUpdateIn(_In):
    title: str | None = Field(default=None, max_length=500)
    description: str | None = Field(default=None, max_length=10_000)
    metric: str | None = Field(default=None, max_length=20)
    target: int | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    reward_points: int | None = None
    badge: int | None = None


class GroupChallengeOut(Schema):
    id: int
    group: str
    title: str
    description: str
    metric: str
    metric_label: str
    target: int
    starts_at: datetime
    ends_at: datetime
    phase: str
    reward_points: int
    badge: str | None
    participants: int
    joined: bool


class GroupChallengePageOut(Schema):
    count: int
    next_page: int | None
    results: list[GroupChallengeOut]


class ChallengeProgressOut(Schema):
    count: int
    target: int
    percent: int
    completed: bool
    rank: int | None
    joined_at: datetime


class ChallengeRankOut(Schema):
    rank: int
    user: AuthorOut
    count: int
    completed: bool


class GroupChallengeDetailOut(GroupChallengeOut):
    can_manage: bool
    my_progress: ChallengeProgressOut | None
    ranking: list[ChallengeRankOut]


class GroupQuizQuestionIn(_In):
    text: str = Field(max_length=2000)
    explanation: str = Field(default="", max_length=10_000)
    options: list[str] = Field(max_length=10)
    correct: int = Field(description="Indeks (mulai 0) pilihan yang benar.")


class GroupQuizIn(_In):
    title: str = Field(max_length=500)
    description: str = Field(default="", max_length=10_000)
    opens_at: datetime
    closes_at: datetime
    scoring: str = Field(default="per_correct", description="full atau per_correct", max_length=20)
    points: int = 0
    publish: bool = True
    questions: list[GroupQuizQuestionIn] = Field(max_length=100)


class GroupQuizUpdateIn(_In):
    title: str | None = Field(default=None, max_length=500)
    description: str | None = Field(default=None, max_length=10_000)
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    scoring: str | None = Field(default=None, max_length=20)
    points: int | None = None
    questions: list[GroupQuizQuestionIn] | None = Field(
        default=None, max_length=100, description="Mengganti semua pertanyaan (hanya sebelum ada yang mengerjakan)."
    )


class GroupQuizOut(Schema):
    id: int
    group: str
    title: str
    description: str
    opens_at: datetime
    closes_at: datetime
    phase: str
    scoring: str
    points: int
    questions: int
    attempts: int


class GroupQuizPageOut(Schema):
    count: int
    next_page: int | None
    results: list[GroupQuizOut]


class QuizOptionOut(Schema):
    id: int
    text: str


class QuizQuestionOut(Schema):
    id: int
    text: str
    options: list[QuizOptionOut]
    chosen: int | None = None
    correct_option: int | None = Field(default=None, description="Hanya setelah Anda mengirim jawaban.")
    is_correct: bool | None = None
    explanation: str | None = None


class QuizAttemptOut(Schema):
    correct: int
    total: int
    points: int
    submitted_at: datetime


class GroupQuizDetailOut(GroupQuizOut):
    can_manage: bool
    my_attempt: QuizAttemptOut | None
    question_list: list[QuizQuestionOut]


class QuizSubmitIn(_In):
    answers: dict[str, int] = Field(description='{"<id pertanyaan>": <id pilihan>}')


class QuizStatusIn(_In):
    status: str = Field(description="published atau closed", max_length=20)


class QuizLeaderOut(Schema):
    rank: int
    user: AuthorOut
    correct: int
    total: int
    submitted_at: datetime


class QuizLeaderPageOut(Schema):
    count: int
    next_page: int | None
    results: list[QuizLeaderOut]


# --- helpers ------------------------------------------------------------------------------------------------------


def _challenge_obj(request, challenge_id: int):
    challenge = challenges.challenge_get(challenge_id)
    if challenge is None:
        raise NotFound("Tantangan tidak ditemukan.")
    decision = challenges.group_access(request.auth, challenge.group)
    return challenge, decision


def _quiz_obj(request, quiz_id: int):
    quiz = quizzes.quiz_get(quiz_id)
    if quiz is None:
        raise NotFound("Kuis tidak ditemukan.")
    decision = challenges.group_access(request.auth, quiz.group)
    staff = group_allows(request.auth, quiz.group, GroupPermission.CHALLENGE, decision=decision)
    if quiz.status == QuizStatus.DRAFT and not staff:
        raise NotFound("Kuis tidak ditemukan.")
    return quiz, staff


def _challenge(c, *, group_slug: str, joined: bool) -> dict:
    return {
        "id": c.pk,
        "group": group_slug,
        "title": c.title,
        "description": c.description,
        "metric": c.metric,
        "metric_label": str(c.get_metric_display()),
        "target": c.target,
        "starts_at": c.starts_at,
        "ends_at": c.ends_at,
        "phase": challenges.phase(c),
        "reward_points": c.reward_points,
        "badge": c.badge.name if c.badge_id else None,
        "participants": getattr(c, "participant_count", 0),
        "joined": joined,
    }


def _challenge_detail(request, challenge) -> dict:
    progress, rows = challenges.standing(challenge, request.auth)
    ranking = [
        {"rank": r["rank"], "user": _author(r["user"]), "count": r["count"], "completed": r["completed"]} for r in rows
    ]
    return {
        **_challenge(challenge, group_slug=challenge.group.slug, joined=progress is not None),
        "can_manage": group_allows(request.auth, challenge.group, GroupPermission.CHALLENGE),
        "my_progress": progress,
        "ranking": ranking,
    }


def _quiz(q, group_slug: str) -> dict:
    return {
        "id": q.pk,
        "group": group_slug,
        "title": q.title,
        "description": q.description,
        "opens_at": q.opens_at,
        "closes_at": q.closes_at,
        "phase": quizzes.quiz_phase(q),
        "scoring": q.scoring,
        "points": q.points,
        "questions": getattr(q, "question_count", 0),
        "attempts": getattr(q, "attempt_count", 0),
    }


def _quiz_detail(request, quiz, staff: bool) -> dict:
    questions = quizzes.questions_of(quiz)
    attempt = quizzes.attempt_of(quiz, request.auth)
    quiz.question_count = len(questions)
    quiz.attempt_count = quiz.attempts.count()
    return {
        **_quiz(quiz, quiz.group.slug),
        "can_manage": staff,
        "my_attempt": (
            {
                "correct": attempt.correct,
                "total": attempt.total,
                "points": attempt.points,
                "submitted_at": attempt.submitted_at,
            }
            if attempt
            else None
        ),
        "question_list": quizzes.review(questions, attempt),
    }


def _dump(payload) -> dict:
    return payload.dict(exclude_unset=True)


# --- challenges ---------------------------------------------------------------------------------------------------


@router.get(
    "/groups/{slug}/challenges",
    response={200: GroupChallengePageOut, **_ERRORS},
    auth=jwt_auth,
    summary="Tantangan grup",
)
def group_challenges(request, slug: str, filters: Query[PageIn]):
    group, decision = _group(request, slug, member=True)
    count, next_page, rows = _page(challenges.group_challenges(group), filters.page)
    joined = challenges.joined_ids(request.auth, [c.pk for c in rows])
    return {
        "count": count,
        "next_page": next_page,
        "results": [_challenge(c, group_slug=group.slug, joined=c.pk in joined) for c in rows],
    }


@router.post(
    "/groups/{slug}/challenges",
    response={201: GroupChallengeDetailOut, **_ERRORS},
    auth=jwt_auth,
    summary="Buat tantangan grup (admin / moderator grup)",
)
@idempotent
def group_challenge_create(request, slug: str, payload: GroupChallengeIn):
    group, _decision = _group(request, slug, member=True)
    challenge = challenges.challenge_create(actor=request.auth, group=group, data=payload.dict())
    return Status(201, _challenge_detail(request, challenges.challenge_get(challenge.pk)))


@router.get(
    "/challenges/{challenge_id}",
    response={200: GroupChallengeDetailOut, **_ERRORS},
    auth=jwt_auth,
    summary="Detail tantangan, progres saya dan peringkat",
)
def challenge_detail(request, challenge_id: int):
    challenge, _decision = _challenge_obj(request, challenge_id)
    return _challenge_detail(request, challenge)


@router.patch(
    "/challenges/{challenge_id}",
    response={200: GroupChallengeDetailOut, **_ERRORS},
    auth=jwt_auth,
    summary="Ubah tantangan grup (admin / moderator grup)",
)
@idempotent
def challenge_update(request, challenge_id: int, payload: GroupChallengeUpdateIn):
    challenge, _decision = _challenge_obj(request, challenge_id)
    challenges.challenge_update(actor=request.auth, challenge=challenge, data=_dump(payload))
    return _challenge_detail(request, challenges.challenge_get(challenge.pk))


@router.post(
    "/challenges/{challenge_id}/join",
    response={200: GroupChallengeDetailOut, **_ERRORS},
    auth=jwt_auth,
    summary="Ikut tantangan",
)
@idempotent
def challenge_join(request, challenge_id: int):
    challenge, _decision = _challenge_obj(request, challenge_id)
    challenges.challenge_join(user=request.auth, challenge=challenge)
    return _challenge_detail(request, challenges.challenge_get(challenge.pk))


@router.post(
    "/challenges/{challenge_id}/close",
    response={200: GroupChallengeDetailOut, **_ERRORS},
    auth=jwt_auth,
    summary="Akhiri tantangan sekarang (admin / moderator grup)",
)
@idempotent
def challenge_close(request, challenge_id: int):
    challenge, _decision = _challenge_obj(request, challenge_id)
    challenges.require_staff(request.auth, challenge.group)
    if challenge.status == ChallengeStatus.CLOSED:
        raise ServiceError("Tantangan sudah selesai.", code="closed")
    challenges.challenge_close(challenge_id=challenge.pk, actor=request.auth)
    return _challenge_detail(request, challenges.challenge_get(challenge.pk))


# --- quizzes ------------------------------------------------------------------------------------------------------


@router.get("/groups/{slug}/quizzes", response={200: GroupQuizPageOut, **_ERRORS}, auth=jwt_auth, summary="Kuis grup")
def group_quizzes(request, slug: str, filters: Query[PageIn]):
    group, decision = _group(request, slug, member=True)
    staff = group_allows(request.auth, group, GroupPermission.CHALLENGE, decision=decision)
    count, next_page, rows = _page(quizzes.group_quizzes(group, staff=staff), filters.page)
    return {"count": count, "next_page": next_page, "results": [_quiz(q, group.slug) for q in rows]}


@router.post(
    "/groups/{slug}/quizzes",
    response={201: GroupQuizDetailOut, **_ERRORS},
    auth=jwt_auth,
    summary="Buat kuis grup (admin / moderator grup)",
)
@idempotent
def group_quiz_create(request, slug: str, payload: GroupQuizIn):
    group, _decision = _group(request, slug, member=True)
    data = payload.dict()
    questions, publish = data.pop("questions"), data.pop("publish")
    quiz = quizzes.quiz_create(actor=request.auth, group=group, data=data, questions=questions, publish=publish)
    return Status(201, _quiz_detail(request, quizzes.quiz_get(quiz.pk), True))


@router.get(
    "/quizzes/{quiz_id}",
    response={200: GroupQuizDetailOut, **_ERRORS},
    auth=jwt_auth,
    summary="Detail kuis (tanpa kunci jawaban sebelum Anda mengirim)",
)
def quiz_detail(request, quiz_id: int):
    quiz, staff = _quiz_obj(request, quiz_id)
    return _quiz_detail(request, quiz, staff)


@router.post(
    "/quizzes/{quiz_id}/submit",
    response={200: GroupQuizDetailOut, **_ERRORS},
    auth=jwt_auth,
    summary="Kirim jawaban kuis (sekali)",
)
@idempotent
def quiz_submit(request, quiz_id: int, payload: QuizSubmitIn):
    quiz, staff = _quiz_obj(request, quiz_id)
    quizzes.quiz_submit(user=request.auth, quiz=quiz, answers=payload.answers)
    return _quiz_detail(request, quiz, staff)


@router.patch(
    "/quizzes/{quiz_id}",
    response={200: GroupQuizDetailOut, **_ERRORS},
    auth=jwt_auth,
    summary="Ubah kuis grup (admin / moderator grup)",
)
@idempotent
def quiz_update(request, quiz_id: int, payload: GroupQuizUpdateIn):
    quiz, staff = _quiz_obj(request, quiz_id)
    data = _dump(payload)
    questions = data.pop("questions", None)
    quiz = quizzes.quiz_update(actor=request.auth, quiz=quiz, data=data or None, questions=questions)
    return _quiz_detail(request, quiz, staff)


@router.post(
    "/quizzes/{quiz_id}/status",
    response={200: GroupQuizDetailOut, **_ERRORS},
    auth=jwt_auth,
    summary="Terbitkan atau tutup kuis (admin / moderator grup)",
)
@idempotent
def quiz_status(request, quiz_id: int, payload: QuizStatusIn):
    quiz, staff = _quiz_obj(request, quiz_id)
    quiz = quizzes.quiz_set_status(actor=request.auth, quiz=quiz, status=payload.status)
    return _quiz_detail(request, quiz, staff)


@router.get(
    "/quizzes/{quiz_id}/leaderboard",
    response={200: QuizLeaderPageOut, **_ERRORS},
    auth=jwt_auth,
    summary="Peringkat kuis",
)
def quiz_leaderboard(request, quiz_id: int, filters: Query[PageIn]):
    quiz, _staff = _quiz_obj(request, quiz_id)
    count, next_page, rows = _page(quizzes.quiz_leaderboard(quiz), filters.page)
    first = (filters.page - 1) * PAGE_SIZE
    return {
        "count": count,
        "next_page": next_page,
        "results": [
            {
                "rank": first + i + 1,
                "user": _author(a.user),
                "correct": a.correct,
                "total": a.total,
                "submitted_at": a.submitted_at,
            }
            for i, a in enumerate(rows)
        ],
    }
