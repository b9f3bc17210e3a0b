"""Private lesson videos (signed, expiring links; HTTP range requests; type checked by content; access checked again),
the quiz kinds beyond choices (short answer, fill-in, ordering, matching, essay graded by the mentor), the
certificate's QR code, assignment files through the API, the completion hooks (community points) and courses on
the affiliates' Link Saya."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sanggar.api.testing import bearer, call
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.learning import hooks, selectors, services
from sanggar.learning import video as videos
from sanggar.learning.certificates import certificate_html
from sanggar.learning.models import Enrollment, Lesson, QuizAttempt

from .world import World, build_course

pytestmark = pytest.mark.django_db

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 40  # 10 264 bytes
WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 200


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return World(make_user, admin_user)


# The world's course is published: its curriculum is the admin's to change (mentors edit drafts only, PRODUCT.md),
# so the admin authors here; the mentor still grades.


def _video_lesson(world) -> Lesson:
    lesson = world.course.lessons.order_by("pk")[1]  # a text lesson, not a preview
    videos.lesson_video_set(actor=world.admin, lesson=lesson, upload=SimpleUploadedFile("kelas.mp4", MP4))
    lesson.refresh_from_db()
    return lesson


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


# --- video ---------------------------------------------------------------------------------------------------------


def test_video_upload_checks_the_bytes_not_the_name(world):
    lesson = world.course.lessons.order_by("pk")[1]
    for name, content in (("palsu.mp4", b"<html>not a video</html>"), ("kosong.mp4", b"")):
        with pytest.raises(ServiceError) as exc:
            videos.lesson_video_set(actor=world.admin, lesson=lesson, upload=SimpleUploadedFile(name, content))
        assert "video_file" in exc.value.errors
    with pytest.raises(NotAllowed):
        videos.lesson_video_set(actor=world.member, lesson=lesson, upload=SimpleUploadedFile("a.mp4", MP4))
    videos.lesson_video_set(actor=world.admin, lesson=lesson, upload=SimpleUploadedFile("x.bin", WEBM))
    lesson.refresh_from_db()
    assert (lesson.kind, lesson.video_type, lesson.video_size) == ("video", "video/webm", len(WEBM))
    assert lesson.video_file.name.startswith("private/courses/videos/video-") and lesson.video_file.name.endswith(
        ".webm"
    )


def test_video_size_limit(world, settings):
    settings.LEARNING_VIDEO_MAX_BYTES = 100
    with pytest.raises(ServiceError, match="terlalu besar"):
        _video_lesson(world)


def test_player_streams_through_a_signed_link_with_ranges(world, client):
    lesson = _video_lesson(world)
    client.force_login(world.member)
    page = client.get(reverse("learning:lesson", args=[world.course.slug, lesson.pk]))
    assert page.status_code == 200
    src = page.context["video_src"]
    assert src.startswith("/belajar/video/") and 'id="video-player"' in page.content.decode()
    assert lesson.video_file.url not in page.content.decode()

    whole = client.get(src)
    assert (whole.status_code, whole["Accept-Ranges"], whole["Content-Type"]) == (200, "bytes", "video/mp4")
    assert whole["Content-Length"] == str(len(MP4)) and _body(whole) == MP4
    assert whole["Cache-Control"] == "private, no-store"

    part = client.get(src, HTTP_RANGE="bytes=10-19")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 10-19/{len(MP4)}" and part["Content-Length"] == "10"
    assert _body(part) == MP4[10:20]
    tail = client.get(src, HTTP_RANGE="bytes=-16")
    assert (tail.status_code, tail["Content-Range"], _body(tail)) == (
        206,
        f"bytes {len(MP4) - 16}-{len(MP4) - 1}/{len(MP4)}",
        MP4[-16:],
    )
    open_end = client.get(src, HTTP_RANGE=f"bytes={len(MP4) - 5}-")
    assert (open_end.status_code, _body(open_end)) == (206, MP4[-5:])
    past = client.get(src, HTTP_RANGE=f"bytes={len(MP4)}-")
    assert (past.status_code, past["Content-Range"]) == (416, f"bytes */{len(MP4)}")
    several = client.get(src, HTTP_RANGE="bytes=0-1,5-6")
    assert several.status_code == 200  # several ranges: the whole file
    assert client.get(src, HTTP_RANGE="items=0-1").status_code == 200

    # the resume point does not move when the stream checks access
    assert Enrollment.objects.get(user=world.member, course=world.course).last_lesson_id == lesson.pk


def test_video_link_is_bound_checked_again_and_expires(world, client, make_user, settings):
    lesson = _video_lesson(world)
    src = videos.video_link(user=world.member, lesson=lesson)
    client.force_login(world.free)
    assert client.get(src).status_code == 403  # someone else's link
    own = videos.video_link(user=world.free, lesson=lesson)
    refused = client.get(own)
    assert refused.status_code == 403  # no access to the course
    assert "Member Premium" in refused.content.decode()
    client.logout()
    assert client.get(src).status_code == 403
    assert client.get("/belajar/video/bukan-token").status_code == 403
    client.force_login(world.member)
    assert client.get(src).status_code == 200
    settings.LEARNING_VIDEO_LINK_TTL_SECONDS = -1
    expired = client.get(src)
    assert expired.status_code == 403 and "kedaluwarsa" in expired.content.decode()


def test_api_lesson_gives_a_stream_link_for_the_apps(world, client):
    lesson = _video_lesson(world)
    body = call(client, "get", f"/courses/{world.course.slug}/lessons/{lesson.pk}", user=world.member).json()
    url = body["video_stream_url"]
    assert url.startswith("http") and "/belajar/video/" in url
    path = url.split("sanggar.test", 1)[-1] if "sanggar.test" in url else "/" + url.split("/", 3)[3]
    part = client.get(path, HTTP_RANGE="bytes=0-3")  # no session: the link carries the account
    assert (part.status_code, _body(part)) == (206, MP4[:4])
    locked = call(client, "get", f"/courses/{world.course.slug}/lessons/{lesson.pk}", user=world.free)
    assert locked.status_code == 403 and "video_stream_url" not in locked.json()


def test_preview_video_plays_for_visitors_of_a_public_course(world, client):
    preview = world.course.lessons.get(is_preview=True)
    videos.lesson_video_set(actor=world.admin, lesson=preview, upload=SimpleUploadedFile("p.mp4", MP4))
    world.course.refresh_from_db()
    page = client.get(reverse("learning:lesson", args=[world.course.slug, preview.pk]))
    assert page.status_code == 200
    assert client.get(page.context["video_src"], HTTP_RANGE="bytes=0-0").status_code == 206


def test_author_page_uploads_and_removes_a_video(world, client):
    lesson = world.course.lessons.order_by("pk")[1]
    client.force_login(world.admin)
    url = reverse("learning:lesson_edit", args=[world.course.slug, lesson.module_id, lesson.pk])
    response = client.post(url, {"action": "video", "video_file": SimpleUploadedFile("v.mp4", MP4)})
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.video_file and lesson.video_type == "video/mp4"
    bad = client.post(url, {"action": "video", "video_file": SimpleUploadedFile("v.mp4", b"%PDF-1.4 nope")})
    assert bad.status_code == 400 and "bukan video" in bad.content.decode()
    assert client.post(url, {"action": "video_remove"}).status_code == 302
    lesson.refresh_from_db()
    assert not lesson.video_file and lesson.kind == "text"


# --- question kinds -------------------------------------------------------------------------------------------------


def _quiz_of_every_kind(world):
    module = world.course.modules.order_by("position").first()
    quiz = services.quiz_save(
        actor=world.admin,
        module=module,
        data={"title": "Kuis Lengkap", "pass_percent": 60, "is_required": True, "show_answers": True},
    )
    add = services.question_add
    q = {}
    q["short"] = add(actor=world.admin, quiz=quiz, kind="short", text="Singkatan Free On Board?", choices=["FOB"])
    q["fill"] = add(
        actor=world.admin,
        quiz=quiz,
        kind="fill",
        text="Dokumen ___ menyatakan asal barang; ___ adalah kode barang.",
        choices=["SKA|COO|Certificate of Origin", "HS Code"],
    )
    q["ordering"] = add(
        actor=world.admin,
        quiz=quiz,
        kind="ordering",
        text="Urutkan proses ekspor",
        choices=["Kontrak", "Produksi", "Pengapalan"],
    )
    q["matching"] = add(
        actor=world.admin,
        quiz=quiz,
        kind="matching",
        text="Jodohkan Incoterm",
        choices=[("FOB", "Free On Board"), ("CIF", "Cost, Insurance and Freight")],
    )
    q["essay"] = add(
        actor=world.admin, quiz=quiz, kind="essay", text="Jelaskan strategi ekspor Anda.", choices=[], points=4
    )
    return quiz, q


def _right_answers(q) -> list[dict]:
    ordering = [c.pk for c in q["ordering"].choices.all()]
    return [
        {"question": q["short"].pk, "text": "  fob. "},
        {"question": q["fill"].pk, "texts": ["certificate of origin", "hs code"]},
        {"question": q["ordering"].pk, "order": ordering},
        {"question": q["matching"].pk, "pairs": {str(c.pk): c.pk for c in q["matching"].choices.all()}},
        {"question": q["essay"].pk, "text": "Mulai dari pasar Jepang dengan kopi spesialti."},
    ]


def test_question_authoring_is_validated(world):
    quiz, _q = _quiz_of_every_kind(world)
    bad = [
        ("short", "Pertanyaan?", []),
        ("fill", "Tanpa isian", ["a"]),
        ("fill", "Dua ___ dan ___", ["a"]),
        ("ordering", "Urutkan", ["satu"]),
        ("matching", "Jodohkan", [("A", "x"), ("B", "X")]),
        ("matching", "Jodohkan", [("A", ""), ("B", "y")]),
        ("rahasia", "Jenis tak dikenal", []),
    ]
    for kind, text, choices in bad:
        with pytest.raises(ServiceError):
            services.question_add(actor=world.admin, quiz=quiz, kind=kind, text=text, choices=choices)


def test_every_kind_is_graded_on_the_server_and_the_essay_by_the_mentor(world, client):
    quiz, q = _quiz_of_every_kind(world)
    attempt = services.quiz_attempt_start(user=world.member, quiz=quiz)
    shown = selectors.attempt_questions(attempt)
    by_kind = {row["kind"]: row for row in shown}
    assert by_kind["short"]["choices"] == [] and by_kind["essay"]["choices"] == []  # the key never leaves
    assert by_kind["fill"]["blanks"] == 2 and by_kind["fill"]["choices"] == []
    assert sorted(m["text"] for m in by_kind["matching"]["match_options"]) == [
        "Cost, Insurance and Freight",
        "Free On Board",
    ]
    assert shown == selectors.attempt_questions(attempt)  # the same shuffle each time

    result = services.quiz_attempt_submit(user=world.member, attempt=attempt, answers=_right_answers(q))
    assert (result.score, result.max_score, result.passed, result.needs_grading) == (4, 8, None, True)
    with pytest.raises(ServiceError, match="menunggu penilaian"):
        services.quiz_attempt_start(user=world.member, quiz=quiz)

    # the mentor's grading page
    client.force_login(world.mentor)
    queue = client.get(reverse("learning:grading") + "?jenis=esai")
    assert queue.status_code == 200 and f'data-attempt="{attempt.pk}"' in queue.content.decode()
    url = reverse("learning:essay_grade", args=[attempt.pk])
    page = client.get(url)
    assert page.status_code == 200 and "pasar Jepang" in page.content.decode()
    too_many = client.post(url, {f"points_{q['essay'].pk}": "9"})
    assert too_many.status_code == 400
    assert client.post(url, {f"points_{q['essay'].pk}": "3", "feedback": "Bagus"}).status_code == 302
    result.refresh_from_db()
    assert (result.score, result.score_percent, result.passed, result.needs_grading) == (7, 87, True, False)
    assert result.graded_by == world.mentor and result.feedback == "Bagus"
    client.force_login(world.free)
    assert client.get(url).status_code in (302, 403, 404)


def test_wrong_answers_and_hostile_payloads(world, client):
    quiz, q = _quiz_of_every_kind(world)
    attempt = services.quiz_attempt_start(user=world.member, quiz=quiz)
    hostile = [
        [{"question": q["ordering"].pk, "order": [1, 2]}],
        [{"question": q["matching"].pk, "pairs": {"x": 1}}],
        [{"question": q["matching"].pk, "pairs": {str(q["matching"].choices.first().pk): True}}],
        [{"question": q["short"].pk, "text": ["a"]}],
        [{"question": q["fill"].pk, "texts": ["a", "b", "c"]}],
        [{"question": q["essay"].pk, "text": "x" * 30_000}],
        [{"question": True, "text": "a"}],
        [{"question": 999999, "text": "a"}],
        [{"question": "9" * 5000, "text": "a"}],
        [{"question": q["ordering"].pk, "order": ["9" * 5000]}],
        [{"question": q["matching"].pk, "pairs": {"9" * 5000: 1}}],
        "teks",
        [[{"deep": [[[]]]}]],
    ]
    for answers in hostile:
        with pytest.raises(ServiceError):
            services.quiz_attempt_submit(user=world.member, attempt=attempt, answers=answers)
    wrong = [
        {"question": q["short"].pk, "text": "DDP\x00"},
        {"question": q["fill"].pk, "texts": ["SKA", "salah"]},
        {"question": q["ordering"].pk, "order": list(reversed([c.pk for c in q["ordering"].choices.all()]))},
    ]
    result = services.quiz_attempt_submit(user=world.member, attempt=attempt, answers=wrong)
    assert (result.score, result.passed, result.needs_grading) == (0, False, False)  # empty essay: no mentor needed


def test_quiz_page_form_for_every_kind(world, client):
    quiz, q = _quiz_of_every_kind(world)
    client.force_login(world.member)
    url = reverse("learning:quiz", args=[world.course.slug, quiz.pk])
    page = client.post(url, {"action": "start"})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'name="q{q["fill"].pk}_2"' in html and f'name="q{q["essay"].pk}"' in html
    attempt = QuizAttempt.objects.get(user=world.member, quiz=quiz)
    ordering = list(q["ordering"].choices.all())
    form = {
        "action": "submit",
        "attempt": attempt.pk,
        f"q{q['short'].pk}": "Fob",
        f"q{q['fill'].pk}_1": "COO",
        f"q{q['fill'].pk}_2": "HS code",
        f"q{q['essay'].pk}": "",
        **{f"q{q['ordering'].pk}_pos_{c.pk}": str(i) for i, c in enumerate(ordering, start=1)},
        **{f"q{q['matching'].pk}_m_{c.pk}": str(c.pk) for c in q["matching"].choices.all()},
    }
    result = client.post(url, form)
    assert result.status_code == 200
    attempt.refresh_from_db()
    assert (attempt.score, attempt.max_score, attempt.passed) == (4, 8, False)
    assert 'id="quiz-review"' in result.content.decode()


def test_api_quiz_kinds_and_essay_grading(world, client, django_assert_max_num_queries):
    quiz, q = _quiz_of_every_kind(world)
    started = call(client, "post", f"/quizzes/{quiz.pk}/attempts", user=world.member)
    assert started.status_code == 201
    kinds = {row["kind"]: row for row in started.json()["questions"]}
    assert kinds["fill"]["blanks"] == 2 and len(kinds["matching"]["match_options"]) == 2
    attempt_id = started.json()["id"]
    submitted = call(
        client, "post", f"/quiz-attempts/{attempt_id}/submit", {"answers": _right_answers(q)}, user=world.member
    )
    assert submitted.status_code == 200
    assert submitted.json()["passed"] is None and submitted.json()["pending_grading"] is True
    bad = call(
        client, "post", f"/quiz-attempts/{attempt_id}/submit", {"answers": [{"question": 1, "x": 1}]}, user=world.member
    )
    assert bad.status_code in (400, 422)

    with django_assert_max_num_queries(12):
        queue = call(client, "get", "/mentor/quiz-attempts", user=world.mentor)
    assert queue.status_code == 200
    row = queue.json()["results"][0]
    assert row["essays"][0]["answer"].startswith("Mulai dari pasar Jepang")
    assert call(client, "get", "/mentor/quiz-attempts", user=world.member).status_code == 403
    graded = call(
        client,
        "post",
        f"/mentor/quiz-attempts/{attempt_id}/grade",
        {"points": {str(q["essay"].pk): 4}, "feedback": "Lengkap"},
        user=world.mentor,
    )
    assert graded.status_code == 200 and graded.json()["passed"] is True and graded.json()["score"] == 8
    too_many = call(
        client,
        "post",
        f"/mentor/quiz-attempts/{attempt_id}/grade",
        {"points": {str(q["essay"].pk): 5}},
        user=world.mentor,
    )
    assert too_many.status_code in (400, 422)
    assert (
        call(client, "post", f"/mentor/quiz-attempts/{attempt_id}/grade", {"points": {}}, user=world.free).status_code
        == 403
    )


# --- certificate, assignment files, hooks, Link Saya -------------------------------------------------------------


def test_certificate_pdf_carries_a_qr_code_of_the_verification_page(world):
    cert = services.certificate_issue(user=world.member, course=world.course)
    html = certificate_html(cert)
    assert 'src="data:image/svg+xml;base64,' in html
    assert f"/sertifikat/{cert.code}" in html


def test_assignment_file_through_the_api(world, client, settings):
    module = world.course.modules.first()
    assignment = services.assignment_save(
        actor=world.admin, module=module, data={"title": "Riset HS Code", "allow_file": True}
    )
    url = f"/api/v1/assignments/{assignment.pk}/submissions/file"
    pdf = SimpleUploadedFile("riset.pdf", b"%PDF-1.4\n1 0 obj\n", content_type="application/pdf")
    response = client.post(url, {"file": pdf, "text": "Terlampir"}, headers=bearer(world.member))
    assert response.status_code == 201, response.content
    assert response.json()["has_file"] is True and response.json()["text"] == "Terlampir"
    fake = SimpleUploadedFile("riset.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    refused = client.post(url, {"file": fake}, headers=bearer(world.member))
    assert refused.status_code == 400 and "tidak cocok" in refused.json()["message"] + json.dumps(refused.json())
    binary_text = SimpleUploadedFile("catatan.txt", b"teks\x00biner")
    assert client.post(url, {"file": binary_text}, headers=bearer(world.member)).status_code == 400
    assert client.post(url, {"text": "tanpa berkas"}, headers=bearer(world.member)).status_code in (400, 422)
    assert client.post(url, {"file": pdf}, headers=bearer(world.free)).status_code == 403
    assert client.post(url, {"file": pdf}).status_code == 401
    no_files = services.assignment_save(
        actor=world.admin, module=module, data={"title": "Esai saja", "allow_file": False}
    )
    pdf.seek(0)
    response = client.post(
        f"/api/v1/assignments/{no_files.pk}/submissions/file", {"file": pdf}, headers=bearer(world.member)
    )
    assert response.status_code == 400


def test_completions_call_the_registered_listeners_once(world):
    from sanggar.community.models import PointEntry

    heard = []
    hooks.lesson_completed_register("test.heard", lambda *, user, lesson: heard.append(("lesson", lesson.pk)))
    hooks.course_completed_register("test.heard", lambda *, user, course: heard.append(("course", course.pk)))

    def broken(**kwargs):
        raise RuntimeError("listener rusak")

    hooks.lesson_completed_register("test.broken", broken)
    try:
        course = build_course(world.admin, "Kursus Poin", modules=1, lessons=2, quiz=False, role_access="public")
        first, second = course.lessons.order_by("pk")
        services.lesson_complete(user=world.member, lesson=first)
        services.lesson_complete(user=world.member, lesson=first)  # again: no second call
        services.lesson_complete(user=world.member, lesson=second)
    finally:
        hooks.lesson_completed_listeners.unregister("test.heard")
        hooks.lesson_completed_listeners.unregister("test.broken")
        hooks.course_completed_listeners.unregister("test.heard")
    assert heard == [("lesson", first.pk), ("lesson", second.pk), ("course", course.pk)]
    points = dict(PointEntry.objects.filter(user=world.member).values_list("key", "points"))
    assert points == {
        f"lesson:{world.member.pk}:{first.pk}": 3,
        f"lesson:{world.member.pk}:{second.pk}": 3,
        f"course:{world.member.pk}:{course.pk}": 20,
    }


def test_link_saya_lists_courses_affiliates_may_promote(world, client, django_assert_max_num_queries):
    promoted = build_course(
        world.admin, "Ekspor Kopi", modules=1, lessons=1, quiz=False, affiliate_enabled=True, price=250000
    )
    build_course(world.admin, "Tanpa Affiliate", modules=1, lessons=1, quiz=False)
    client.force_login(world.affiliate)
    with django_assert_max_num_queries(30):
        page = client.get(reverse("affiliates:links"))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="course-links"' in html
    assert f'data-course="{promoted.slug}"' in html and "Tanpa Affiliate" not in html
    assert f"/kursus/{promoted.slug}?ref=" in html and f"/kursus/{promoted.slug}/beli?ref=" in html
    body = call(client, "get", "/affiliate/links", user=world.affiliate).json()
    section = next(s for s in body["sections"] if s["key"] == "course")
    assert [g["slug"] for g in section["groups"]] == [promoted.slug]


def test_editor_offers_up_and_down_for_modules_and_lessons(world, client):
    client.force_login(world.admin)
    page = client.get(reverse("learning:edit", args=[world.course.slug]) + "?tab=materi")
    html = page.content.decode()
    assert html.count('data-move="up"') == world.course.modules.count() + world.course.lessons.count()
    module = world.course.modules.order_by("position").first()
    ids = list(reversed(list(module.lessons.order_by("position").values_list("pk", flat=True))))
    response = client.post(
        reverse("learning:reorder", args=[world.course.slug]),
        json.dumps({"kind": "lessons", "ids": ids}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert list(module.lessons.order_by("position").values_list("pk", flat=True)) == ids
