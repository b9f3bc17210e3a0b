"""The course rules in the one access policy, and the learner's flow through services, pages and the API."""

import pytest
from django.urls import reverse

from sanggar.access.constants import DenyReason
from sanggar.learning import services
from sanggar.learning.constants import CourseStatus
from sanggar.learning.models import Certificate, Enrollment, QuizAttempt
from sanggar.learning.policy import NO_PERMISSION, PREMIUM, VIA_MEMBERSHIP
from sanggar.learning.selectors import outline

from .world import World, build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return World(make_user, admin_user)


def decision(user, course):
    return services.course_decision(user=user, course=course)


def test_plan_member_opens_free_member_sees_premium_message(world):
    assert decision(world.member, world.course).allowed
    denied = decision(world.free, world.course)
    assert (denied.allowed, denied.reason, denied.message) == (False, DenyReason.PREMIUM_REQUIRED, str(PREMIUM))
    assert denied.message == "Kelas ini hanya untuk Member Premium. Silakan upgrade membership."


def test_affiliate_course_only_for_affiliates(world):
    course = build_course(world.admin, "Jualan Kursus", modules=1, lessons=1, quiz=False, role_access="affiliate")
    assert decision(world.affiliate, course).allowed
    denied = decision(world.member, course)
    assert denied.message == "Anda tidak memiliki izin untuk mengakses kelas ini." == str(NO_PERMISSION)


def test_draft_closed_except_author_and_admin(world):
    course = build_course(world.mentor, "Draf Mentor", modules=1, lessons=1, quiz=False)
    assert course.status == CourseStatus.DRAFT
    assert decision(world.mentor, course).allowed
    assert decision(world.admin, course).allowed
    assert decision(world.affiliate, course).reason == DenyReason.INACTIVE_RESOURCE


def test_public_free_course_opens_and_priced_one_must_be_bought(world):
    free = build_course(world.admin, "Gratis Umum", modules=1, lessons=1, quiz=False, role_access="public")
    assert decision(world.free, free).allowed
    paid = build_course(world.admin, "Berbayar", modules=1, lessons=1, quiz=False, role_access="public", price=250_000)
    denied = decision(world.free, paid)
    assert denied.reason == DenyReason.PURCHASE_REQUIRED
    assert denied.action_url == reverse("learning:checkout", args=[paid.slug])


def test_mentor_submits_admin_rejects_then_approves(world):
    course = build_course(world.mentor, "Riset Pasar", modules=1, lessons=1, quiz=False)
    services.course_submit(actor=world.mentor, course=course)
    course.refresh_from_db()
    assert course.status == CourseStatus.PENDING
    with pytest.raises(services.ServiceError):
        services.course_reject(actor=world.admin, course=course, note="\x00")
    services.course_reject(actor=world.admin, course=course, note="Tambah kuis")
    course.refresh_from_db()
    assert (course.status, course.review_note) == (CourseStatus.DRAFT, "Tambah kuis")
    services.course_submit(actor=world.mentor, course=course)
    with pytest.raises(services.NotAllowed):
        services.course_approve(actor=world.mentor, course=course)
    services.course_approve(actor=world.admin, course=course)
    course.refresh_from_db()
    assert course.status == CourseStatus.PUBLISHED


def test_complete_course_passes_quiz_and_gets_certificate(world):
    course = world.course
    view = outline(user=world.member, course=course)
    for row in view.lessons:
        services.lesson_complete(user=world.member, lesson=row.lesson)
        services.lesson_complete(user=world.member, lesson=row.lesson)  # idempotent
    enrollment = Enrollment.objects.get(user=world.member, course=course)
    assert enrollment.progress_percent == 80 and enrollment.completed_at is None
    quiz = course.quizzes.get()
    attempt = services.quiz_attempt_start(user=world.member, quiz=quiz)
    answers = [
        {"question": q.pk, "choices": [c.pk for c in q.choices.all() if not c.is_correct][:1]}
        for q in quiz.questions.all()
    ]
    failed = services.quiz_attempt_submit(user=world.member, attempt=attempt, answers=answers)
    assert (failed.passed, failed.score_percent) == (False, 0)
    attempt = services.quiz_attempt_start(user=world.member, quiz=quiz)
    right = [
        {"question": q.pk, "choices": [c.pk for c in q.choices.all() if c.is_correct]} for q in quiz.questions.all()
    ]
    passed = services.quiz_attempt_submit(user=world.member, attempt=attempt, answers=right)
    assert (passed.passed, passed.score_percent) == (True, 100)
    enrollment.refresh_from_db()
    assert enrollment.progress_percent == 100 and enrollment.completed_at is not None
    cert = Certificate.objects.get(user=world.member, course=course)
    with pytest.raises(services.ServiceError):  # attempts limit (2) reached
        services.quiz_attempt_start(user=world.member, quiz=quiz)
    assert QuizAttempt.objects.filter(user=world.member).count() == 2
    assert cert.code.startswith("SKP-")


def test_quiz_answers_from_another_quiz_are_refused(world):
    quiz = world.course.quizzes.get()
    attempt = services.quiz_attempt_start(user=world.member, quiz=quiz)
    with pytest.raises(services.ServiceError):
        services.quiz_attempt_submit(user=world.member, attempt=attempt, answers=[{"question": 999999, "choices": [1]}])
    with pytest.raises(services.ServiceError):
        services.quiz_attempt_submit(user=world.member, attempt=attempt, answers="nonsense")


def test_free_member_cannot_complete_a_locked_lesson(world):
    lesson = world.course.lessons.exclude(is_preview=True).first()
    with pytest.raises(services.NotAllowed):
        services.lesson_complete(user=world.free, lesson=lesson)


def test_drip_lesson_opens_later(world):
    module = world.course.modules.first()
    lesson = services.lesson_save(actor=world.admin, module=module, data={"title": "Nanti", "drip_days": 3})
    with pytest.raises(services.NotAllowed) as exc:
        services.lesson_open(user=world.member, lesson=lesson)
    assert exc.value.code == "drip"
    row = outline(user=world.member, course=world.course).row(lesson.pk)
    assert row.locked and row.opens_at is not None


def test_video_hosts_allow_list(world, settings):
    module = world.course.modules.first()
    bad = {"title": "Video", "kind": "video", "video_url": "https://evil.example.com/x"}
    with pytest.raises(services.ServiceError):
        services.lesson_save(actor=world.admin, module=module, data=bad)
    settings.LEARNING_VIDEO_HOSTS = ["evil.example.com"]
    lesson = services.lesson_save(actor=world.admin, module=module, data=bad)
    assert lesson.video_url == "https://evil.example.com/x"
    vimeo = services.lesson_save(
        actor=world.admin, module=module, data={"title": "V", "kind": "video", "video_url": "https://vimeo.com/12345"}
    )
    assert vimeo.video_url == "https://player.vimeo.com/video/12345"
    first = world.course.lessons.filter(kind="video").first()
    assert first.video_url.startswith("https://www.youtube-nocookie.com/embed/")


def test_discussion_limits_and_notifications(world, settings):
    settings.LEARNING_COMMENT_RATE_LIMIT = "2/3600"
    lesson = world.course.lessons.first()
    question = services.comment_post(user=world.member, lesson=lesson, body="Apa itu FOB?")
    reply = services.comment_post(user=world.mentor, lesson=lesson, body="Free on Board.", parent=question)
    assert reply.parent_id == question.pk
    assert world.mentor.notifications.filter(data__template="learning.comment_posted").exists()
    assert world.member.notifications.filter(data__template="learning.comment_replied").exists()
    services.comment_post(user=world.member, lesson=lesson, body="Kedua")
    with pytest.raises(services.RateLimited):
        services.comment_post(user=world.member, lesson=lesson, body="Ketiga")
    with pytest.raises(services.ServiceError):
        services.comment_post(user=world.mentor, lesson=lesson, body="x" * 5000)
    with pytest.raises(services.ServiceError):
        services.comment_post(user=world.mentor, lesson=lesson, body="nul\x00")
    with pytest.raises(services.NotAllowed):
        services.comment_post(user=world.free, lesson=lesson, body="Boleh tanya?")


def test_assignment_submit_and_grade(world, settings):
    module = world.course.modules.first()
    assignment = services.assignment_save(  # published: the admin authors, the mentor grades
        actor=world.admin, module=module, data={"title": "Riset HS Code", "max_points": 100}
    )
    sub = services.submission_submit(user=world.member, assignment=assignment, text="HS 0901")
    with pytest.raises(services.ServiceError):
        services.submission_grade(actor=world.mentor, submission=sub, points=101)
    with pytest.raises(services.NotAllowed):
        services.submission_grade(actor=world.free, submission=sub, points=90)
    services.submission_grade(actor=world.mentor, submission=sub, points=90, feedback="Bagus")
    with pytest.raises(services.ServiceError):
        services.submission_submit(user=world.member, assignment=assignment, text="ganti")


def test_via_membership_text_on_the_course_page(world, client):
    client.force_login(world.member)
    response = client.get(reverse("learning:course_detail", args=[world.course.slug]))
    assert response.status_code == 200
    assert str(VIA_MEMBERSHIP) in response.content.decode()
    client.force_login(world.free)
    response = client.get(reverse("learning:course_detail", args=[world.course.slug]))
    assert "Kelas ini hanya untuk Member Premium. Silakan upgrade membership." in response.content.decode()


def test_locked_lesson_content_never_reaches_the_client(world, client):
    lesson = world.course.lessons.exclude(is_preview=True).first()
    client.force_login(world.free)
    response = client.get(reverse("learning:lesson", args=[world.course.slug, lesson.pk]))
    assert response.status_code == 403
    assert lesson.content not in response.content.decode()
    client.force_login(world.member)
    response = client.get(reverse("learning:lesson", args=[world.course.slug, lesson.pk]))
    assert response.status_code == 200 and lesson.content in response.content.decode()


def test_preview_lesson_plays_for_visitors(world, client):
    preview = world.course.lessons.get(is_preview=True)
    response = client.get(reverse("learning:lesson", args=[world.course.slug, preview.pk]))
    assert response.status_code == 200
    assert "youtube-nocookie.com" in response.content.decode()


def test_player_complete_and_resume(world, client):
    client.force_login(world.member)
    lessons = [r.lesson for r in outline(user=world.member, course=world.course).lessons]
    response = client.post(reverse("learning:lesson_complete", args=[world.course.slug, lessons[0].pk]))
    assert response.status_code == 302 and response.url.endswith(f"/{lessons[1].pk}")
    video = lessons[2]  # module 2's first lesson is a video
    assert video.kind == "video"
    client.get(reverse("learning:lesson", args=[world.course.slug, video.pk]))
    client.post(reverse("learning:lesson_position", args=[world.course.slug, video.pk]), {"seconds": "95"})
    response = client.get(reverse("learning:resume", args=[world.course.slug]))
    assert response.url.endswith(f"/{video.pk}")
    page = client.get(response.url).content.decode()
    assert 'data-position="95"' in page
    response = client.get(reverse("learning:mine"))
    assert "Lanjutkan" in response.content.decode()
    bad = client.post(reverse("learning:lesson_position", args=[world.course.slug, lessons[1].pk]), {"seconds": "x"})
    assert bad.status_code == 400


def test_certificate_verification_and_pdf(world, client):
    cert = services.certificate_issue(user=world.member, course=world.course)
    response = client.get(reverse("learning:certificate", args=[cert.code]))
    assert response.status_code == 200 and cert.learner_name in response.content.decode()
    assert client.get(reverse("learning:certificate", args=["SKP-TIDAKADA"])).status_code == 404
    assert client.get(reverse("learning:certificate_pdf", args=[cert.code])).status_code == 404
    client.force_login(world.member)
    pdf = client.get(reverse("learning:certificate_pdf", args=[cert.code]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_certificate_lookup_by_typed_code(world, client):
    cert = services.certificate_issue(user=world.member, course=world.course)
    lookup = reverse("learning:certificate_lookup")
    assert client.get(lookup).status_code == 200
    typed = client.get(lookup, {"kode": f"  {cert.code.lower()} "})
    assert typed.status_code == 302 and typed["Location"] == reverse("learning:certificate", args=[cert.code])
    hostile = client.get(lookup, {"kode": "<script>" + "A" * 500})
    assert hostile.status_code == 302 and client.get(hostile["Location"]).status_code == 404
    assert client.get(lookup, {"kode": "SKP\x00"}).status_code == 400  # refused before the view
    empty = client.get(lookup, {"kode": " "})
    assert empty.status_code == 200 and "Kode sertifikat wajib diisi." in empty.content.decode()


def test_catalogue_hides_affiliate_and_draft_courses_from_visitors(world, client, django_assert_max_num_queries):
    build_course(world.admin, "Jualan Kursus", modules=1, lessons=1, quiz=False, role_access="affiliate")
    build_course(world.mentor, "Draf Mentor", modules=1, lessons=1, quiz=False)
    for n in range(5):
        build_course(world.admin, f"Kursus {n}", modules=1, lessons=1, quiz=False)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("learning:catalogue"))
    page = response.content.decode()
    assert "Dasar Ekspor" in page and "Jualan Kursus" not in page and "Draf Mentor" not in page
    client.force_login(world.member)
    with django_assert_max_num_queries(20):
        client.get(reverse("learning:catalogue"))
    client.force_login(world.affiliate)
    assert "Jualan Kursus" in client.get(reverse("learning:catalogue")).content.decode()


def test_hostile_input_on_pages(world, client):
    client.force_login(world.mentor)
    response = client.post(reverse("learning:create"), {"title": "a\x00b"})
    assert response.status_code == 400
    # NUL in a query string is refused by the house's input guard (400 with a message), never a 500
    assert client.get(reverse("learning:catalogue"), {"q": "x\x00y"}).status_code == 400
    assert client.get(reverse("learning:catalogue"), {"q": "y" * 5000, "level": "zzz", "page": "-1"}).status_code == 200
    response = client.post(reverse("learning:create"), {"title": "x" * 10_000})
    assert response.status_code == 400
    client.force_login(world.member)
    lesson = world.course.lessons.first()
    response = client.post(reverse("learning:comment_post", args=[world.course.slug, lesson.pk]), {"body": "\x00"})
    assert response.status_code == 400  # the input guard
    response = client.post(reverse("learning:comment_post", args=[world.course.slug, lesson.pk]), {"body": "z" * 9000})
    assert response.status_code == 302 and not lesson.comments.exists()


def test_author_pages_need_the_role_and_ownership(world, client):
    client.force_login(world.free)
    assert client.get(reverse("learning:manage")).status_code == 403
    other = build_course(world.admin, "Milik Admin", modules=1, lessons=1, quiz=False)
    client.force_login(world.mentor)
    assert client.get(reverse("learning:manage")).status_code == 200
    assert client.get(reverse("learning:edit", args=[other.slug])).status_code == 404
    assert client.get(reverse("learning:edit", args=[world.course.slug]) + "?tab=materi").status_code == 200
    for tab in ("info", "akses", "harga", "status"):
        assert client.get(reverse("learning:edit", args=[world.course.slug]) + f"?tab={tab}").status_code == 200
    assert client.get(reverse("learning:admin_review")).status_code == 403
    client.force_login(world.admin)
    assert client.get(reverse("learning:admin_review")).status_code == 200
    assert client.get(reverse("learning:stats")).status_code == 200
    assert client.get(reverse("learning:grading")).status_code == 200


def test_mentor_builds_course_through_pages(world, client):
    client.force_login(world.mentor)
    response = client.post(
        reverse("learning:create"),
        {"title": "Ekspor Kopi", "level": "pemula", "role_access": "member", "is_public": "on"},
    )
    assert response.status_code == 302
    from sanggar.learning.models import Course

    course = Course.objects.get(title="Ekspor Kopi")
    assert course.status == CourseStatus.DRAFT and course.mentor_id == world.mentor.pk
    client.post(reverse("learning:module_add", args=[course.slug]), {"title": "Modul A"})
    module = course.modules.get()
    response = client.post(
        reverse("learning:lesson_new", args=[course.slug, module.pk]),
        {"title": "Video 1", "kind": "video", "video_url": "https://youtu.be/dQw4w9WgXcQ"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("learning:quiz_new", args=[course.slug, module.pk]),
        {"title": "Kuis A", "pass_percent": "60", "is_required": "on"},
    )
    assert response.status_code == 302
    quiz = course.quizzes.get()
    client.post(
        reverse("learning:quiz_edit", args=[course.slug, module.pk, quiz.pk]),
        {
            "action": "question",
            "kind": "single",
            "text": "Negara tujuan kopi terbesar?",
            "choice_1": "Amerika",
            "choice_2": "Mars",
            "correct": ["1"],
        },
    )
    assert quiz.questions.count() == 1
    client.post(reverse("learning:submit", args=[course.slug]))
    course.refresh_from_db()
    assert course.status == CourseStatus.PENDING
    client.force_login(world.admin)
    client.post(reverse("learning:status", args=[course.slug]), {"action": "approve"})
    course.refresh_from_db()
    assert course.status == CourseStatus.PUBLISHED


def test_study_reminder_sweep_once_per_idle_stretch(world):
    from datetime import timedelta

    from django.utils import timezone

    lesson = world.course.lessons.first()
    now = timezone.now()
    services.lesson_open(user=world.member, lesson=lesson, now=now - timedelta(days=30))
    assert services.study_reminders_sweep(now=now - timedelta(days=25)) == 0  # idle 5 days only
    assert services.study_reminders_sweep(now=now - timedelta(days=20)) == 1
    assert services.study_reminders_sweep(now=now - timedelta(days=20)) == 0  # safe to run twice
    assert services.study_reminders_sweep(now=now) == 0  # no new activity: no second reminder
    note = world.member.notifications.get(data__template="learning.study_reminder")
    assert note.link.endswith(f"/belajar/{world.course.slug}/{lesson.pk}")
    assert "kamu belum lanjut kelas minggu ini" in note.title
    services.lesson_open(user=world.member, lesson=lesson, now=now - timedelta(days=8))
    assert services.study_reminders_sweep(now=now) == 1  # a new idle stretch


def test_broadcast_reaches_students_and_is_limited(world, client, settings):
    settings.LEARNING_BROADCAST_RATE_LIMIT = "1/3600"
    services.lesson_open(user=world.member, lesson=world.course.lessons.first())
    client.force_login(world.mentor)
    response = client.post(reverse("learning:broadcast", args=[world.course.slug]), {"message": "Live Kamis 19.00"})
    assert response.status_code == 302
    assert world.member.notifications.filter(data__template="learning.broadcast").count() == 1
    with pytest.raises(services.RateLimited):
        services.course_broadcast(actor=world.mentor, course=world.course, message="lagi")
    with pytest.raises(services.NotAllowed):
        services.course_broadcast(actor=world.member, course=world.course, message="halo")


def test_date_drip_and_prerequisite(world):
    from datetime import timedelta

    from django.utils import timezone

    module = world.course.modules.first()
    first = world.course.lessons.order_by("module__position", "position").first()
    later = services.lesson_save(
        actor=world.admin,
        module=module,
        data={"title": "Tanggal", "available_on": (timezone.now() + timedelta(days=5)).date().isoformat()},
    )
    with pytest.raises(services.NotAllowed):
        services.lesson_open(user=world.member, lesson=later)
    after = services.lesson_save(actor=world.admin, module=module, data={"title": "Sesudah", "prerequisite": first.pk})
    with pytest.raises(services.NotAllowed) as exc:
        services.lesson_open(user=world.member, lesson=after)
    assert exc.value.code == "prerequisite"
    assert outline(user=world.member, course=world.course).row(after.pk).locked
    services.lesson_complete(user=world.member, lesson=first)
    services.lesson_open(user=world.member, lesson=after)
    assert not outline(user=world.member, course=world.course).row(after.pk).locked
    with pytest.raises(services.ServiceError):
        services.lesson_save(actor=world.admin, module=module, data={"title": "X", "available_on": "bukan-tanggal"})
    other = build_course(world.admin, "Lain", modules=1, lessons=1, quiz=False)
    with pytest.raises(services.ServiceError):
        services.lesson_save(
            actor=world.admin, module=module, data={"title": "X", "prerequisite": other.lessons.get().pk}
        )


def test_mentor_application_approved_grants_the_role(world, client):
    client.force_login(world.free)
    assert client.get(reverse("learning:mentor_apply")).status_code == 200
    response = client.post(reverse("learning:mentor_apply"), {"expertise": "", "motivation": ""})
    assert response.status_code == 400
    response = client.post(reverse("learning:mentor_apply"), {"expertise": "Ekspor kopi", "motivation": "Berbagi"})
    assert response.status_code == 302
    with pytest.raises(services.ServiceError):  # one pending at a time
        services.mentor_apply(user=world.free, expertise="Lagi", motivation="Lagi")
    application = world.free.mentor_applications.get()
    assert client.get(reverse("learning:admin_mentor_applications")).status_code == 403
    client.force_login(world.admin)
    assert client.get(reverse("learning:admin_mentor_applications")).status_code == 200
    response = client.post(
        reverse("learning:admin_mentor_applications"), {"application": application.pk, "action": "reject", "note": ""}
    )
    application.refresh_from_db()
    assert application.status == "pending"  # a rejection needs a note
    client.post(reverse("learning:admin_mentor_applications"), {"application": application.pk, "action": "approve"})
    application.refresh_from_db()
    world.free.refresh_from_db()
    world.free.__dict__.pop("role_set", None)
    assert application.status == "approved" and world.free.has_role("mentor")
    assert world.free.notifications.filter(data__template="learning.mentor_decided").exists()


def test_module_rating_on_the_player_tells_the_mentor(world, client, django_assert_max_num_queries):
    from sanggar.learning.models import ModuleRating
    from sanggar.notifications.models import Notification

    module, second = list(world.course.modules.all())[:2]
    lesson = module.lessons.first()
    url = reverse("learning:module_rate", args=[world.course.slug, module.pk])
    client.force_login(world.free)  # not entitled: the policy's message, nothing stored
    locked = client.post(url, {"rating": "5", "lesson": lesson.pk})
    assert locked.status_code == 403 and "Kelas ini hanya untuk Member Premium." in locked.content.decode()
    client.force_login(world.member)
    assert client.post(url, {"rating": "5"}).status_code == 302
    assert not ModuleRating.objects.exists()  # must have started the course first
    page = client.get(reverse("learning:lesson", args=[world.course.slug, lesson.pk])).content.decode()
    assert 'id="rating-modul"' in page and "Belum ada rating untuk modul ini." in page
    answer = client.post(url, {"rating": "4", "body": "Contohnya jelas.", "lesson": lesson.pk})
    assert answer["Location"].endswith(f"/belajar/{world.course.slug}/{lesson.pk}#rating-modul")
    client.post(url, {"rating": "3", "body": "Sedikit cepat.", "lesson": lesson.pk})  # replaces, never doubles
    rating = ModuleRating.objects.get()
    assert (rating.user, rating.module, rating.rating, rating.body) == (world.member, module, 3, "Sedikit cepat.")
    told = Notification.objects.filter(user=world.mentor, data__template="learning.module_rated")
    assert told.count() == 2 and "3/5" in told.first().message
    for bad in ("0", "6", "x", "\x00"):
        assert client.post(url, {"rating": bad, "lesson": lesson.pk}).status_code in (302, 400)
    assert ModuleRating.objects.get().rating == 3
    foreign = reverse("learning:module_rate", args=[world.course.slug, 999_999])
    assert client.post(foreign, {"rating": "5"}).status_code == 404
    services.lesson_open(user=world.admin, lesson=lesson)
    services.module_rating_save(user=world.admin, module=module, rating=5)
    services.lesson_open(user=world.member, lesson=second.lessons.first())
    page = client.get(reverse("learning:course_detail", args=[world.course.slug])).content.decode()
    assert f'data-module-rating="{module.pk}"' in page and f'data-module-rating="{second.pk}"' not in page
    client.force_login(world.mentor)
    with django_assert_max_num_queries(30):
        students = client.get(reverse("learning:students", args=[world.course.slug])).content.decode()
    section = students[students.find('id="rating-modul"') :]
    assert "Sedikit cepat." in section and "4,0 / 5" in section  # (3 + 5) / 2
