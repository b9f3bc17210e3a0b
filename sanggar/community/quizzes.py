"""Group quizzes (GAM-D7): a group's staff (the matrix's "challenge" permission) writes a quiz of questions with two to
six options, exactly one correct, and an optional explanation; it opens and closes at set times (WIB). A member of
the group takes it once: the answers are checked here on the server (the options go out without `is_correct` until the
member has submitted), the member gets the score and the explanations, and the quiz's points once through the ledger
(key "quiz:<id>:<user>"): the full points for all answers right, or the points per right answer. The quiz's
leaderboard ranks attempts by right answers, the earlier submission first."""

from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotAllowed, ServiceError

from .challenges import announce_later, clean_int, clean_period, clean_text, require_staff
from .constants import (
    CHALLENGE_POINTS_MAX,
    CHALLENGE_TEXT_MAX,
    CHALLENGE_TITLE_MAX,
    QUIZ_MAX_OPTIONS,
    QUIZ_MAX_QUESTIONS,
    QUIZ_MIN_OPTIONS,
    QUIZ_OPTION_MAX,
    QUIZ_QUESTION_MAX,
    Action,
    PointAction,
    QuizScoring,
    QuizStatus,
)
from .models import Group, GroupQuiz, QuizAttempt, QuizOption, QuizQuestion
from .services import is_member, points_award


def quiz_phase(quiz: GroupQuiz, now=None) -> str:
    """ "draft", "upcoming", "open" or "closed"."""
    now = now or timezone.now()
    if quiz.status == QuizStatus.DRAFT:
        return "draft"
    if quiz.status == QuizStatus.CLOSED or quiz.closes_at <= now:
        return "closed"
    return "upcoming" if quiz.opens_at > now else "open"


QUIZ_PHASE_LABELS = {
    "draft": _("Draf"),
    "upcoming": _("Akan dibuka"),
    "open": _("Dibuka"),
    "closed": _("Ditutup"),
}


# --- reads --------------------------------------------------------------------------------------------------------


def group_quizzes(group: Group, *, staff: bool = False):
    """A group's quizzes with question and attempt counts; drafts only for its staff."""
    rows = GroupQuiz.objects.filter(group=group)
    if not staff:
        rows = rows.exclude(status=QuizStatus.DRAFT)
    return rows.annotate(
        question_count=Count("questions", distinct=True), attempt_count=Count("attempts", distinct=True)
    ).order_by("-closes_at", "-id")


def all_quizzes():
    return (
        GroupQuiz.objects.select_related("group")
        .annotate(question_count=Count("questions", distinct=True), attempt_count=Count("attempts", distinct=True))
        .order_by("-closes_at", "-id")
    )


def quiz_get(pk) -> GroupQuiz | None:
    if not isinstance(pk, int) or pk <= 0 or pk > 2**31:
        return None
    return GroupQuiz.objects.select_related("group__resource").filter(pk=pk).first()


def questions_of(quiz: GroupQuiz) -> list[QuizQuestion]:
    """The questions with their options (two queries)."""
    return list(quiz.questions.prefetch_related(Prefetch("options", queryset=QuizOption.objects.order_by("position"))))


def attempt_of(quiz: GroupQuiz, user) -> QuizAttempt | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return QuizAttempt.objects.filter(quiz=quiz, user_id=user.pk).first()


def quiz_leaderboard(quiz: GroupQuiz):
    """Attempts, most right answers first, the earlier submission first on a tie (paginate it)."""
    return (
        QuizAttempt.objects.filter(quiz=quiz)
        .select_related("user", "user__community_profile")
        .order_by("-correct", "submitted_at", "id")
    )


# --- writes -------------------------------------------------------------------------------------------------------


def _clean_quiz(data: dict) -> dict:
    if not isinstance(data, dict):
        raise ServiceError(_("Data kuis tidak valid."))
    scoring = data.get("scoring") or QuizScoring.PER_CORRECT
    if not isinstance(scoring, str) or scoring not in QuizScoring.values:
        raise ServiceError(_("Pilih cara penilaian kuis."), errors={"scoring": [_("Pilih salah satu.")]})
    opens, closes = clean_period(
        data.get("opens_at"), data.get("closes_at"), start_field="opens_at", end_field="closes_at"
    )
    return {
        "title": clean_text(data.get("title"), field="title", label=_("Judul"), max_length=CHALLENGE_TITLE_MAX),
        "description": clean_text(
            data.get("description"),
            field="description",
            label=_("Deskripsi"),
            max_length=CHALLENGE_TEXT_MAX,
            required=False,
        ),
        "scoring": scoring,
        "points": clean_int(data.get("points") or 0, field="points", label=_("Poin"), low=0, high=CHALLENGE_POINTS_MAX),
        "opens_at": opens,
        "closes_at": closes,
    }


def _clean_question(data, index: int) -> tuple[str, str, list[tuple[str, bool]]]:
    """(text, explanation, [(option text, is correct)]) of one question: 2–6 options, exactly one correct."""
    field = f"questions.{index}"
    if not isinstance(data, dict):
        raise ServiceError(_("Pertanyaan %(n)s tidak valid.") % {"n": index + 1}, errors={field: [_("Tidak valid.")]})
    text = clean_text(data.get("text"), field=field, label=_("Pertanyaan"), max_length=QUIZ_QUESTION_MAX)
    explanation = clean_text(
        data.get("explanation"), field=field, label=_("Penjelasan"), max_length=CHALLENGE_TEXT_MAX, required=False
    )
    options = data.get("options")
    if not isinstance(options, list) or not QUIZ_MIN_OPTIONS <= len(options) <= QUIZ_MAX_OPTIONS:
        raise ServiceError(
            _("Pertanyaan %(n)s harus punya %(lo)s sampai %(hi)s pilihan.")
            % {"n": index + 1, "lo": QUIZ_MIN_OPTIONS, "hi": QUIZ_MAX_OPTIONS},
            errors={field: [_("Jumlah pilihan tidak valid.")]},
        )
    correct = data.get("correct")
    if isinstance(correct, str) and correct.strip().isdigit() and len(correct.strip()) < 3:
        correct = int(correct.strip())
    if not isinstance(correct, int) or isinstance(correct, bool) or not 0 <= correct < len(options):
        raise ServiceError(
            _("Pilih satu jawaban benar untuk pertanyaan %(n)s.") % {"n": index + 1},
            errors={field: [_("Jawaban benar belum dipilih.")]},
        )
    cleaned = [
        (clean_text(o, field=field, label=_("Pilihan jawaban"), max_length=QUIZ_OPTION_MAX), i == correct)
        for i, o in enumerate(options)
    ]
    return text, explanation, cleaned


def _questions_replace(quiz: GroupQuiz, questions) -> None:
    if not isinstance(questions, list) or len(questions) > QUIZ_MAX_QUESTIONS:
        raise ServiceError(
            _("Kuis berisi paling banyak %(n)s pertanyaan.") % {"n": QUIZ_MAX_QUESTIONS},
            errors={"questions": [_("Tidak valid.")]},
        )
    cleaned = [_clean_question(q, i) for i, q in enumerate(questions)]
    quiz.questions.all().delete()
    for position, question in enumerate(cleaned):
        _question_create(quiz, position, question)


def _question_create(quiz: GroupQuiz, position: int, question) -> QuizQuestion:
    text, explanation, options = question
    row = QuizQuestion.objects.create(quiz=quiz, text=text, explanation=explanation, position=position)
    QuizOption.objects.bulk_create(
        QuizOption(question=row, text=o, is_correct=right, position=i) for i, (o, right) in enumerate(options)
    )
    return row


def _locked_open(actor, quiz: GroupQuiz) -> GroupQuiz:
    """The quiz locked for a change by its group's staff; refused once closed."""
    require_staff(actor, quiz.group)
    quiz = GroupQuiz.objects.select_for_update().select_related("group").get(pk=quiz.pk)
    if quiz.status == QuizStatus.CLOSED:
        raise ServiceError(_("Kuis sudah ditutup dan tidak bisa diubah."), code="closed")
    return quiz


def _no_attempts(quiz: GroupQuiz) -> None:
    if quiz.attempts.exists():
        raise ServiceError(
            _("Kuis sudah dikerjakan member: pertanyaannya tidak bisa diubah lagi."), code="has_attempts"
        )


def _publishable(quiz: GroupQuiz) -> None:
    if not quiz.questions.exists():
        raise ServiceError(_("Tambahkan minimal satu pertanyaan sebelum menerbitkan kuis."), code="no_questions")


@transaction.atomic
def quiz_create(*, actor, group: Group, data: dict, questions=None, publish: bool = False) -> GroupQuiz:
    """A quiz in the group; with `questions` ([{text, explanation, options: [...], correct: index}]) at once, and
    published when `publish` (which needs at least one question)."""
    require_staff(actor, group)
    quiz = GroupQuiz.objects.create(group=group, created_by=actor, **_clean_quiz(data))
    if questions is not None:
        _questions_replace(quiz, questions)
    if publish:
        _publishable(quiz)
        quiz.status = QuizStatus.PUBLISHED
        quiz.save(update_fields=["status"])
        announce_later(kind="quiz", pk=quiz.pk)
    activity_record(
        action=Action.QUIZ_SAVED, actor=actor, target=quiz, target_label=quiz.title, data={"group": group.slug}
    )
    return quiz


@transaction.atomic
def quiz_update(*, actor, quiz: GroupQuiz, data: dict | None = None, questions=None) -> GroupQuiz:
    quiz = _locked_open(actor, quiz)
    if data is not None:
        current = {
            "title": quiz.title,
            "description": quiz.description,
            "scoring": quiz.scoring,
            "points": quiz.points,
            "opens_at": quiz.opens_at,
            "closes_at": quiz.closes_at,
        }
        fields = _clean_quiz({**current, **(data if isinstance(data, dict) else {})})
        if quiz.attempts.exists() and (fields["scoring"], fields["points"]) != (quiz.scoring, quiz.points):
            raise ServiceError(
                _("Kuis sudah dikerjakan member: penilaian dan poin tidak bisa diubah lagi."),
                errors={"points": [_("Sudah dikerjakan.")]},
            )
        for name, value in fields.items():
            setattr(quiz, name, value)
        quiz.save()
    if questions is not None:
        _no_attempts(quiz)
        _questions_replace(quiz, questions)
        if quiz.status == QuizStatus.PUBLISHED:
            _publishable(quiz)
    activity_record(action=Action.QUIZ_SAVED, actor=actor, target=quiz, target_label=quiz.title, data={"updated": True})
    return quiz


@transaction.atomic
def question_add(*, actor, quiz: GroupQuiz, data: dict) -> QuizQuestion:
    """One more question (the editor page), while nobody has taken the quiz."""
    quiz = _locked_open(actor, quiz)
    _no_attempts(quiz)
    count = quiz.questions.count()
    if count >= QUIZ_MAX_QUESTIONS:
        raise ServiceError(_("Kuis berisi paling banyak %(n)s pertanyaan.") % {"n": QUIZ_MAX_QUESTIONS})
    return _question_create(quiz, count, _clean_question(data, count))


@transaction.atomic
def question_delete(*, actor, question: QuizQuestion) -> None:
    quiz = question.quiz
    require_staff(actor, quiz.group)
    if quiz.status == QuizStatus.CLOSED:
        raise ServiceError(_("Kuis sudah ditutup dan tidak bisa diubah."), code="closed")
    _no_attempts(quiz)
    question.delete()
    if quiz.status == QuizStatus.PUBLISHED:
        _publishable(quiz)


@transaction.atomic
def quiz_set_status(*, actor, quiz: GroupQuiz, status: str) -> GroupQuiz:
    """Publish a draft (it needs a question) or close a quiz now (nobody can take it after)."""
    require_staff(actor, quiz.group)
    quiz = GroupQuiz.objects.select_for_update().select_related("group").get(pk=quiz.pk)
    if status == QuizStatus.PUBLISHED and quiz.status == QuizStatus.DRAFT:
        _publishable(quiz)
    elif status == QuizStatus.CLOSED and quiz.status != QuizStatus.CLOSED:
        pass
    else:
        raise ServiceError(_("Perubahan status kuis tidak valid."), code="invalid_status")
    quiz.status = status
    quiz.save(update_fields=["status"])
    if status == QuizStatus.PUBLISHED:
        announce_later(kind="quiz", pk=quiz.pk)
    activity_record(
        action=Action.QUIZ_SAVED, actor=actor, target=quiz, target_label=quiz.title, data={"status": status}
    )
    return quiz


def _answers(raw, questions: list[QuizQuestion]) -> dict[int, int]:
    """{question_id: option_id} from the submission: keys and values as numbers or digit text; unknown questions
    and options are refused; an unanswered question counts as wrong."""
    if not isinstance(raw, dict) or len(raw) > len(questions):
        raise ServiceError(_("Jawaban tidak valid."), errors={"answers": [_("Tidak valid.")]})
    options = {q.pk: {o.pk for o in q.options.all()} for q in questions}
    out = {}
    for key, value in raw.items():
        qid = int(key) if isinstance(key, str) and key.isdigit() and len(key) < 10 else key
        oid = int(value) if isinstance(value, str) and value.isdigit() and len(value) < 10 else value
        if (
            not isinstance(qid, int)
            or not isinstance(oid, int)
            or isinstance(oid, bool)
            or qid not in options
            or oid not in options[qid]
        ):
            raise ServiceError(
                _("Jawaban berisi pertanyaan atau pilihan yang tidak ada."), errors={"answers": [_("Tidak valid.")]}
            )
        out[qid] = oid
    return out


def quiz_submit(*, user, quiz: GroupQuiz, answers) -> QuizAttempt:
    """The member's one attempt: checked on the server, scored, the quiz's points once through the ledger."""
    if not is_member(user, quiz.group):
        raise NotAllowed(_("Gabung ke grup ini dulu untuk mengerjakan kuisnya."), code="not_member")
    phase = quiz_phase(quiz)
    if phase != "open":
        message = _("Kuis ini belum dibuka.") if phase in ("draft", "upcoming") else _("Kuis ini sudah ditutup.")
        raise ServiceError(message, code="quiz_not_open")
    if QuizAttempt.objects.filter(quiz=quiz, user=user).exists():
        raise ServiceError(_("Anda sudah mengerjakan kuis ini."), code="already_submitted")
    questions = questions_of(quiz)
    chosen = _answers(answers, questions)
    right = {q.pk: next((o.pk for o in q.options.all() if o.is_correct), None) for q in questions}
    correct = sum(1 for qid, oid in chosen.items() if right.get(qid) == oid)
    total = len(questions)
    if quiz.scoring == QuizScoring.FULL:
        points = quiz.points if total and correct == total else 0
    else:
        points = quiz.points * correct
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(
                quiz=quiz,
                user=user,
                answers={str(k): v for k, v in chosen.items()},
                correct=correct,
                total=total,
                points=points,
            )
            if points:
                points_award(
                    action=PointAction.QUIZ, key=f"quiz:{quiz.pk}:{user.pk}", user=user, group=quiz.group, points=points
                )
    except IntegrityError:  # a second submission at the same time
        raise ServiceError(_("Anda sudah mengerjakan kuis ini."), code="already_submitted") from None
    return attempt


def review(questions: list[QuizQuestion], attempt: QuizAttempt | None) -> list[dict]:
    """What a page or the API shows of each question: the options; after the member's submission also which one is
    correct, what they chose and the explanation. Before it nothing tells the answer."""
    chosen = {int(k): v for k, v in (attempt.answers if attempt else {}).items()}
    out = []
    for q in questions:
        item = {"id": q.pk, "text": q.text, "options": [{"id": o.pk, "text": o.text} for o in q.options.all()]}
        if attempt is not None:
            correct_id = next((o.pk for o in q.options.all() if o.is_correct), None)
            item.update(
                chosen=chosen.get(q.pk),
                correct_option=correct_id,
                is_correct=chosen.get(q.pk) == correct_id,
                explanation=q.explanation,
            )
        out.append(item)
    return out
