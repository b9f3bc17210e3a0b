"""Group challenge and quiz pages (GAM-D7): the group page's "Tantangan" tab, a challenge's progress and ranking, the
quiz-taking page with its result and leaderboard, and the group staff's create / edit / close pages. Access is the
group page's: a hidden group is 404 and a private one 403 to whoever may not read it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanggar.core.exceptions import NotAllowed, NotFound, ServiceError
from sanggar.core.forms import add_service_errors
from sanggar.core.listing import paginate
from sanggar.core.permissions import login_required

from . import challenges, quizzes, selectors
from .constants import PAGE_SIZE, ChallengeStatus, GroupPermission, QuizStatus
from .forms_challenges import ChallengeForm, QuestionForm, QuizForm
from .models import QuizQuestion
from .policy import group_allows


def _access(request, group):
    try:
        return challenges.group_access(request.user, group)
    except NotFound:
        raise Http404 from None
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from None


def _group(request, slug):
    group = selectors.group_by_slug(slug)
    if group is None:
        raise Http404
    _access(request, group)
    return group


def _challenge(request, pk):
    challenge = challenges.challenge_get(pk)
    if challenge is None:
        raise Http404
    _access(request, challenge.group)
    return challenge


def _quiz(request, pk):
    quiz = quizzes.quiz_get(pk)
    if quiz is None:
        raise Http404
    decision = _access(request, quiz.group)
    staff = group_allows(request.user, quiz.group, GroupPermission.CHALLENGE, decision=decision)
    if quiz.status == QuizStatus.DRAFT and not staff:
        raise Http404
    return quiz, staff


def _staff_only(request, group):
    if not group_allows(request.user, group, GroupPermission.CHALLENGE):
        raise PermissionDenied(_("Hanya admin atau moderator grup yang dapat mengelola tantangan dan kuis grup ini."))


def _saved(form, save):
    """Runs a service for a valid form: its result, or None with the service's refusal shown on the form."""
    try:
        return save()
    except ServiceError as exc:
        add_service_errors(form, exc)
        form.add_error(None, exc.message)  # the reason in full on top, the field marked beside it
        return None


def tab_context(request, group, *, staff: bool) -> dict:
    """The group page's "Tantangan" tab: the group's challenges (paginated, running and upcoming first) and its
    quizzes (the newest PAGE_SIZE; drafts for the staff)."""
    page = paginate(request, challenges.group_challenges(group), per_page=PAGE_SIZE)
    rows = list(page.object_list)
    joined = challenges.joined_ids(request.user, [c.pk for c in rows])
    now = timezone.now()
    for c in rows:
        c.phase = challenges.phase(c, now)
        c.phase_label = challenges.PHASE_LABELS[c.phase]
        c.joined = c.pk in joined
    quiz_rows = list(quizzes.group_quizzes(group, staff=staff)[:PAGE_SIZE])
    for q in quiz_rows:
        q.phase = quizzes.quiz_phase(q, now)
        q.phase_label = quizzes.QUIZ_PHASE_LABELS[q.phase]
    return {"page_obj": page, "challenges": rows, "quizzes": quiz_rows, "can_challenge": staff}


# --- challenges -----------------------------------------------------------------------------------------------


@login_required
def challenge_new(request, slug):
    group = _group(request, slug)
    _staff_only(request, group)
    if request.method == "POST":
        form = ChallengeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            challenge = _saved(form, lambda: challenges.challenge_create(actor=request.user, group=group, data=data))
            if challenge is not None:
                messages.success(request, _("Tantangan dibuat."))
                return redirect("community:challenge", challenge.pk)
    else:
        now = timezone.localtime().replace(second=0, microsecond=0)
        form = ChallengeForm(
            initial={"starts_at": now, "ends_at": now + timezone.timedelta(days=7), "metric": "posts", "target": 5}
        )
    return render(
        request, "community/challenge_form.html", {"form": form, "group": group, "challenge": None, "kind": "challenge"}
    )


@login_required
def challenge_edit(request, pk):
    challenge = _challenge(request, pk)
    _staff_only(request, challenge.group)
    if challenge.status == ChallengeStatus.CLOSED:
        messages.error(request, _("Tantangan sudah selesai dan tidak bisa diubah."))
        return redirect("community:challenge", challenge.pk)
    if request.method == "POST":
        form = ChallengeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if _saved(form, lambda: challenges.challenge_update(actor=request.user, challenge=challenge, data=data)):
                messages.success(request, _("Tantangan disimpan."))
                return redirect("community:challenge", challenge.pk)
    else:
        form = ChallengeForm(
            initial={
                "title": challenge.title,
                "description": challenge.description,
                "metric": challenge.metric,
                "target": challenge.target,
                "starts_at": timezone.localtime(challenge.starts_at),
                "ends_at": timezone.localtime(challenge.ends_at),
                "reward_points": challenge.reward_points,
                "badge": challenge.badge_id,
            }
        )
    return render(
        request,
        "community/challenge_form.html",
        {"form": form, "group": challenge.group, "challenge": challenge, "kind": "challenge"},
    )


@login_required
def challenge(request, pk):
    challenge = _challenge(request, pk)
    challenge.phase = challenges.phase(challenge)
    challenge.phase_label = challenges.PHASE_LABELS[challenge.phase]
    progress, ranking = challenges.standing(challenge, request.user)
    ctx = {
        "challenge": challenge,
        "group": challenge.group,
        "progress": progress,
        "ranking": ranking,
        "is_member": challenges.is_member(request.user, challenge.group),
        "can_manage": group_allows(request.user, challenge.group, GroupPermission.CHALLENGE),
    }
    return render(request, "community/challenge.html", ctx)


@login_required
@require_POST
def challenge_join(request, pk):
    challenge = _challenge(request, pk)
    try:
        if request.POST.get("action") == "leave":
            challenges.challenge_leave(user=request.user, challenge=challenge)
            messages.success(request, _("Anda keluar dari tantangan."))
        else:
            challenges.challenge_join(user=request.user, challenge=challenge)
            messages.success(request, _("Anda ikut tantangan ini. Semangat!"))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("community:challenge", challenge.pk)


@login_required
def challenge_close(request, pk):
    """A confirmation page, then the close: counts are frozen and rewards given now."""
    challenge = _challenge(request, pk)
    _staff_only(request, challenge.group)
    if challenge.status == ChallengeStatus.CLOSED:
        return redirect("community:challenge", challenge.pk)
    if request.method == "POST":
        try:
            challenges.challenge_close(challenge_id=challenge.pk, actor=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Tantangan diakhiri. Hasil dan hadiah sudah dibagikan."))
        return redirect("community:challenge", challenge.pk)
    return render(request, "community/challenge_close.html", {"challenge": challenge, "group": challenge.group})


# --- quizzes ----------------------------------------------------------------------------------------------------


@login_required
def quiz_new(request, slug):
    group = _group(request, slug)
    _staff_only(request, group)
    if request.method == "POST":
        form = QuizForm(request.POST)
        if form.is_valid():
            quiz = _saved(form, lambda: quizzes.quiz_create(actor=request.user, group=group, data=form.cleaned_data))
            if quiz is not None:
                messages.success(request, _("Kuis dibuat sebagai draf. Tambahkan pertanyaan lalu terbitkan."))
                return redirect("community:quiz_edit", quiz.pk)
    else:
        now = timezone.localtime().replace(second=0, microsecond=0)
        form = QuizForm(initial={"opens_at": now, "closes_at": now + timezone.timedelta(days=7), "points": 2})
    return render(request, "community/challenge_form.html", {"form": form, "group": group, "kind": "quiz"})


@login_required
def quiz_edit(request, pk):
    quiz, _staff = _quiz(request, pk)
    _staff_only(request, quiz.group)
    form = QuizForm(
        initial={
            "title": quiz.title,
            "description": quiz.description,
            "opens_at": timezone.localtime(quiz.opens_at),
            "closes_at": timezone.localtime(quiz.closes_at),
            "scoring": quiz.scoring,
            "points": quiz.points,
        }
    )
    question_form = QuestionForm()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "question":
                question_form = QuestionForm(request.POST)
                if question_form.is_valid():
                    quizzes.question_add(actor=request.user, quiz=quiz, data=question_form.question_data())
                    messages.success(request, _("Pertanyaan ditambahkan."))
                    return redirect("community:quiz_edit", quiz.pk)
            elif request.POST.get("action") in (QuizStatus.PUBLISHED, QuizStatus.CLOSED):
                quizzes.quiz_set_status(actor=request.user, quiz=quiz, status=request.POST["action"])
                messages.success(request, _("Status kuis diperbarui."))
                return redirect("community:quiz_edit", quiz.pk)
            else:
                form = QuizForm(request.POST)
                if form.is_valid():
                    quizzes.quiz_update(actor=request.user, quiz=quiz, data=form.cleaned_data)
                    messages.success(request, _("Kuis disimpan."))
                    return redirect("community:quiz_edit", quiz.pk)
        except ServiceError as exc:
            target = question_form if request.POST.get("action") == "question" else form
            add_service_errors(target, exc)
            messages.error(request, exc.message)
    quiz.phase = quizzes.quiz_phase(quiz)
    ctx = {
        "quiz": quiz,
        "group": quiz.group,
        "form": form,
        "question_form": question_form,
        "questions": quizzes.questions_of(quiz),
        "has_attempts": quiz.attempts.exists(),
        "phase_label": quizzes.QUIZ_PHASE_LABELS[quiz.phase],
    }
    return render(request, "community/quiz_edit.html", ctx)


@login_required
def quiz_question_delete(request, pk):
    question = get_object_or_404(QuizQuestion.objects.select_related("quiz__group__resource"), pk=pk)
    quiz, _staff = _quiz(request, question.quiz_id)
    _staff_only(request, quiz.group)
    if request.method == "POST":
        try:
            quizzes.question_delete(actor=request.user, question=question)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Pertanyaan dihapus."))
        return redirect("community:quiz_edit", quiz.pk)
    return render(request, "community/quiz_question_delete.html", {"question": question, "quiz": quiz})


@login_required
def quiz(request, pk):
    quiz, staff = _quiz(request, pk)
    if request.method == "POST":
        answers = {
            key.removeprefix("q_"): value
            for key, value in request.POST.items()
            if key.startswith("q_") and len(key) < 14
        }
        try:
            attempt = quizzes.quiz_submit(user=request.user, quiz=quiz, answers=answers)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Jawaban terkirim: %(c)s dari %(t)s benar, %(p)s poin.")
                % {"c": attempt.correct, "t": attempt.total, "p": attempt.points},
            )
        return redirect("community:quiz", quiz.pk)
    attempt = quizzes.attempt_of(quiz, request.user)
    quiz.phase = quizzes.quiz_phase(quiz)
    page = paginate(request, quizzes.quiz_leaderboard(quiz), per_page=PAGE_SIZE)
    ctx = {
        "quiz": quiz,
        "group": quiz.group,
        "attempt": attempt,
        "items": quizzes.review(quizzes.questions_of(quiz), attempt),
        "phase_label": quizzes.QUIZ_PHASE_LABELS[quiz.phase],
        "can_take": attempt is None and quiz.phase == "open" and challenges.is_member(request.user, quiz.group),
        "can_manage": staff,
        "page_obj": page,
        "leaders": page.object_list,
        "rank_offset": (page.number - 1) * PAGE_SIZE,
    }
    return render(request, "community/quiz.html", ctx)


def admin_tab_context(request, tab: str) -> dict:
    """/admin/gamifikasi's "Tantangan grup" and "Kuis grup" tabs: every group's challenges or quizzes, paginated."""
    if tab not in ("tantangan", "kuis"):
        return {}
    now = timezone.now()
    if tab == "tantangan":
        page = paginate(request, challenges.all_challenges(), per_page=30)
        rows = list(page.object_list)
        for c in rows:
            c.phase_label = challenges.PHASE_LABELS[challenges.phase(c, now)]
    else:
        page = paginate(request, quizzes.all_quizzes(), per_page=30)
        rows = list(page.object_list)
        for q in rows:
            q.phase_label = quizzes.QUIZ_PHASE_LABELS[quizzes.quiz_phase(q, now)]
    return {"page_obj": page, "admin_rows": rows}
