"""Authoring and review over the API (the mentors' and admins' apps): a mentor builds a course with every kind of
curriculum item, reorders it, submits it; the admin reviews with a status filter and changes status (the mentor
is told in-app and by email, every change audited); co-instructors; a course's students; denials, wrong states,
hostile input; query counts on the lists."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sanggar.api.testing import PREFIX, bearer, call
from sanggar.audit.models import ActivityLog
from sanggar.learning import services
from sanggar.learning.constants import Action, CourseStatus, Notify
from sanggar.learning.models import Choice, Course, Lesson, Module, Question
from sanggar.notifications.models import Delivery, Notification

from .world import build_course

pytestmark = pytest.mark.django_db


def _draft(people, title="Ekspor Kopi"):
    return build_course(people.mentor, title, modules=2, lessons=2, quiz=False)


QUESTIONS = [
    {
        "kind": "single",
        "text": "Incoterm harga di pelabuhan muat?",
        "choices": [{"text": "FOB", "is_correct": True}, {"text": "DDP"}],
    },
    {
        "kind": "multiple",
        "text": "Dokumen ekspor?",
        "choices": [
            {"text": "Invoice", "is_correct": True},
            {"text": "Packing list", "is_correct": True},
            {"text": "KTP"},
        ],
    },
    {"kind": "true_false", "text": "HS Code berupa angka.", "choices": [{"is_correct": True}]},
    {"kind": "short", "text": "Singkatan Free On Board?", "choices": [{"text": "FOB"}]},
    {"kind": "fill", "text": "Harga ___ termasuk ongkos kirim.", "choices": [{"text": "CIF|CFR"}]},
    {
        "kind": "ordering",
        "text": "Urutkan proses.",
        "choices": [{"text": "Pesan"}, {"text": "Bayar"}, {"text": "Kirim"}],
    },
    {
        "kind": "matching",
        "text": "Jodohkan.",
        "choices": [{"text": "FOB", "match_text": "Pelabuhan muat"}, {"text": "DDP", "match_text": "Gudang pembeli"}],
    },
    {"kind": "essay", "text": "Jelaskan strategi ekspor Anda.", "points": 5},
]


def test_mentor_builds_a_course_submits_and_admin_publishes(people, client):
    m = people.mentor
    created = call(
        client,
        "post",
        "/mentor/courses",
        {
            "title": "Ekspor Rempah",
            "level": "menengah",
            "role_access": "public",
            "price": 250_000,
            "promo_price": 199_000,
            "mentor_share_percent": 90,
            "description": "<p>Isi</p><script>x</script>",
        },
        user=m,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    slug = body["slug"]
    assert body["status"] == "draft" and body["level"] == "menengah" and body["price"] == 250_000
    assert body["mentor_share_percent"] == 0  # the admin's to set: a mentor's value is ignored
    assert "<script>" not in body["description"]
    assert body["mentor"]["id"] == m.pk and body["editable"] is True
    patched = call(client, "patch", f"/mentor/courses/{slug}", {"summary": "Ringkas", "is_public": False}, user=m)
    assert patched.status_code == 200 and patched.json()["summary"] == "Ringkas" and not patched.json()["is_public"]

    module = call(client, "post", f"/mentor/courses/{slug}/modules", {"title": "Dasar"}, user=m)
    assert module.status_code == 201
    module_id = module.json()["id"]
    base = f"/mentor/courses/{slug}"
    text = call(
        client,
        "post",
        f"{base}/modules/{module_id}/lessons",
        {"title": "Pengantar", "content": "<p>Halo</p>", "is_preview": True},
        user=m,
    )
    assert text.status_code == 201, text.content
    video = call(
        client,
        "post",
        f"{base}/modules/{module_id}/lessons",
        {"title": "Video", "kind": "video", "video_url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "drip_days": 3},
        user=m,
    )
    assert video.status_code == 201
    assert "youtube-nocookie.com" in video.json()["video_url"]
    first, second = text.json()["id"], video.json()["id"]
    updated = call(
        client,
        "put",
        f"{base}/lessons/{second}",
        {
            "title": "Video",
            "kind": "video",
            "video_url": "https://vimeo.com/76979871",
            "available_on": "2027-01-02",
            "prerequisite": first,
        },
        user=m,
    )
    assert updated.status_code == 200, updated.content
    assert updated.json()["prerequisite"] == first and updated.json()["available_on"][:9] == "2027-01-0"
    pdf = SimpleUploadedFile("materi.pdf", b"%PDF-1.4 materi", content_type="application/pdf")
    attached = client.post(
        PREFIX + f"{base}/lessons/{first}/attachments", {"file": pdf, "title": "Materi"}, headers=bearer(m)
    )
    assert attached.status_code == 201, attached.content
    attachment_id = attached.json()["attachments"][0]["id"]
    assert call(client, "delete", f"{base}/lessons/{first}/attachments/{attachment_id}", user=m).status_code == 200

    quiz = call(
        client,
        "post",
        f"{base}/modules/{module_id}/quizzes",
        {"title": "Kuis", "pass_percent": 60, "max_attempts": 3, "time_limit_minutes": 15, "shuffle": True},
        user=m,
    )
    assert quiz.status_code == 201
    quiz_id = quiz.json()["id"]
    for q in QUESTIONS:
        added = call(client, "post", f"{base}/quizzes/{quiz_id}/questions", q, user=m)
        assert added.status_code == 201, (q["kind"], added.content)
    got = call(client, "get", f"{base}/quizzes/{quiz_id}", user=m).json()
    assert [q["kind"] for q in got["questions"]] == [q["kind"] for q in QUESTIONS]
    assert got["time_limit_minutes"] == 15 and got["shuffle"] is True
    matching = got["questions"][6]
    assert [(c["text"], c["match_text"]) for c in matching["choices"]][0] == ("FOB", "Pelabuhan muat")
    edited = call(client, "put", f"{base}/quizzes/{quiz_id}", {"title": "Kuis Akhir", "pass_percent": 80}, user=m)
    assert edited.json()["title"] == "Kuis Akhir" and edited.json()["pass_percent"] == 80
    essay_id = got["questions"][7]["id"]
    assert call(client, "delete", f"{base}/quizzes/{quiz_id}/questions/{essay_id}", user=m).status_code == 200
    assert not Question.objects.filter(pk=essay_id).exists()

    task = call(
        client,
        "post",
        f"{base}/modules/{module_id}/assignments",
        {"title": "Riset HS Code", "instructions": "Cari HS Code kopi.", "max_points": 50},
        user=m,
    )
    assert task.status_code == 201
    task_id = task.json()["id"]
    put = call(client, "put", f"{base}/assignments/{task_id}", {"title": "Riset", "allow_file": False}, user=m)
    assert put.status_code == 200 and put.json()["allow_file"] is False

    # reorder lessons and modules with one endpoint; the order persists
    second_module = call(client, "post", f"{base}/modules", {"title": "Lanjutan"}, user=m).json()["id"]
    assert call(client, "put", f"{base}/order", {"kind": "lessons", "ids": [second, first]}, user=m).json() == {
        "ok": True
    }
    assert (
        call(client, "put", f"{base}/order", {"kind": "modules", "ids": [second_module, module_id]}, user=m).status_code
        == 200
    )
    course = Course.objects.get(slug=slug)
    assert list(Lesson.objects.filter(course=course).values_list("pk", flat=True)) == [second, first]
    assert list(Module.objects.filter(course=course).values_list("pk", flat=True)) == [second_module, module_id]
    assert ActivityLog.objects.filter(action=Action.CURRICULUM_REORDERED, target_id=str(course.pk)).count() == 2
    outline = call(client, "get", base, user=m).json()
    assert [mod["id"] for mod in outline["modules"]] == [second_module, module_id]
    assert [le["id"] for le in outline["modules"][1]["lessons"]] == [second, first]
    assert outline["modules"][1]["quizzes"][0]["title"] == "Kuis Akhir"
    assert outline["modules"][1]["assignments"][0]["title"] == "Riset"

    # deletes
    assert call(client, "delete", f"{base}/assignments/{task_id}", user=m).status_code == 200
    assert call(client, "delete", f"{base}/modules/{second_module}", user=m).status_code == 200

    submitted = call(client, "post", f"{base}/submit", user=m)
    assert submitted.status_code == 200 and submitted.json()["status"] == "pending"
    # pending: the mentor waits for the review (409 with the reason)
    locked = call(client, "patch", base, {"summary": "lagi"}, user=m)
    assert locked.status_code == 409 and "direview" in locked.json()["message"]
    assert call(client, "post", f"{base}/modules", {"title": "X"}, user=m).status_code == 409

    queue = call(client, "get", "/admin/courses/review", user=people.admin).json()
    assert [c["slug"] for c in queue["results"]] == [slug] and queue["counts"]["pending"] == 1
    approved = call(client, "post", f"/admin/courses/{slug}/approve", user=people.admin)
    assert approved.json()["status"] == "published"
    # published, private, archived: read-only for the mentor (PRODUCT.md: mentors edit their drafts), 409 with the
    # reason and nothing changed; the admin changes it, or moves it back to draft for the mentor
    for status in ("published", "private", "archived"):
        call(client, "post", f"/admin/courses/{slug}/status", {"status": status}, user=people.admin)
        refused = call(client, "patch", base, {"summary": "Diperbarui"}, user=m)
        assert refused.status_code == 409 and "hanya bisa diubah admin" in refused.json()["message"]
        assert "kursus berstatus Draf" in refused.json()["message"]
        refused = call(client, "put", f"{base}/order", {"kind": "lessons", "ids": [first, second]}, user=m)
        assert refused.status_code == 409 and "hanya bisa diubah admin" in refused.json()["message"]
        assert call(client, "post", f"{base}/modules", {"title": "X"}, user=m).status_code == 409
        assert call(client, "get", base, user=m).json()["editable"] is False
    assert Course.objects.get(slug=slug).summary != "Diperbarui"
    assert call(client, "patch", base, {"summary": "Oleh admin"}, user=people.admin).status_code == 200
    call(client, "post", f"/admin/courses/{slug}/status", {"status": "draft"}, user=people.admin)
    assert call(client, "patch", base, {"summary": "Diperbarui"}, user=m).status_code == 200
    assert call(client, "get", base, user=m).json()["editable"] is True


def test_status_change_tells_the_mentor_and_is_audited(people, client):
    course = build_course(people.admin, "Kursus Admin", mentor=people.mentor.pk, modules=1, lessons=1, quiz=False)
    services.course_instructors_set(actor=people.admin, course=course, user_ids=[people.co.pk])
    assert course.status == CourseStatus.PUBLISHED
    response = call(client, "post", f"/admin/courses/{course.slug}/status", {"status": "archived"}, user=people.admin)
    assert response.status_code == 200 and response.json()["status"] == "archived"
    for user in (people.mentor, people.co):
        note = Notification.objects.get(user=user, data__template=Notify.STATUS_CHANGED)
        assert "Diarsipkan" in note.title and "Terbit" in note.message
        assert Delivery.objects.filter(notification=note, channel="email").exists()
    assert not Notification.objects.filter(user=people.admin, data__template=Notify.STATUS_CHANGED).exists()
    log = ActivityLog.objects.get(action=Action.COURSE_STATUS, target_id=str(course.pk))
    assert log.data["before"] == "published" and log.data["after"] == "archived" and log.actor_id == people.admin.pk
    # the same status again: no audit row, nobody told
    call(client, "post", f"/admin/courses/{course.slug}/status", {"status": "archived"}, user=people.admin)
    assert ActivityLog.objects.filter(action=Action.COURSE_STATUS).count() == 1
    assert Notification.objects.filter(data__template=Notify.STATUS_CHANGED).count() == 2
    # page: the same service
    client.force_login(people.admin)
    client.post(reverse("learning:status", args=[course.slug]), {"status": "private"})
    assert Notification.objects.filter(user=people.mentor, data__template=Notify.STATUS_CHANGED).count() == 2
    assert ActivityLog.objects.filter(action=Action.COURSE_STATUS).count() == 2
    # wrong status and non-admins
    bad = call(client, "post", f"/admin/courses/{course.slug}/status", {"status": "pending"}, user=people.admin)
    assert bad.status_code == 400 and "status" in bad.json()["errors"]
    assert (
        call(
            client, "post", f"/admin/courses/{course.slug}/status", {"status": "draft"}, user=people.mentor
        ).status_code
        == 403
    )


def test_other_mentors_members_and_visitors_are_refused(people, client):
    course = _draft(people)
    lesson = course.lessons.first()
    base = f"/mentor/courses/{course.slug}"
    attempts = [
        ("get", base, None),
        ("patch", base, {"title": "Diambil"}),
        ("post", f"{base}/modules", {"title": "Modul asing"}),
        ("put", f"{base}/lessons/{lesson.pk}", {"title": "Ubah"}),
        ("delete", f"{base}/lessons/{lesson.pk}", None),
        ("put", f"{base}/order", {"kind": "lessons", "ids": [lesson.pk]}),
        ("get", f"{base}/students", None),
        ("post", f"{base}/submit", None),
    ]
    for method, path, data in attempts:
        assert call(client, method, path, data, user=people.other).status_code == 404, path
        assert call(client, method, path, data, user=people.member).status_code in (403, 404), path
        assert call(client, method, path, data).status_code == 401, path
    assert call(client, "post", "/mentor/courses", {"title": "Coba"}, user=people.member).status_code == 403
    assert call(client, "get", "/admin/courses/review", user=people.mentor).status_code == 403
    assert call(client, "get", "/admin/courses/review").status_code == 401
    lesson.refresh_from_db()
    assert lesson.title == "Pelajaran 1.1" and Course.objects.get(pk=course.pk).title == "Ekspor Kopi"
    # the admin reaches every course
    assert call(client, "get", base, user=people.admin).status_code == 200


def test_hostile_input_is_refused_with_a_reason(people, client):
    course = _draft(people)
    other = build_course(people.other, "Kursus Lain", modules=1, lessons=1, quiz=False)
    base = f"/mentor/courses/{course.slug}"
    m = people.mentor
    nul = call(client, "patch", base, {"title": "Judul\x00"}, user=m)
    assert nul.status_code == 400
    assert call(client, "post", "/mentor/courses", {"title": "   "}, user=m).status_code == 400
    assert call(client, "patch", base, {"level": "dewa"}, user=m).json()["errors"]["level"]
    assert call(client, "patch", base, {"price": -5}, user=m).status_code == 422
    assert call(client, "patch", base, {"price": 1000, "promo_price": 2000}, user=m).status_code == 400
    assert call(client, "patch", base, {"unknown": 1}, user=m).status_code == 422
    assert call(client, "patch", base, {"category": 999_999}, user=m).json()["errors"]["category"]
    foreign = other.lessons.first().pk
    mine = list(course.lessons.values_list("pk", flat=True))
    mixed = call(client, "put", f"{base}/order", {"kind": "lessons", "ids": [*mine, foreign]}, user=m)
    assert mixed.status_code == 400 and "kursus lain" in mixed.json()["message"]
    twice = call(client, "put", f"{base}/order", {"kind": "lessons", "ids": [mine[0], mine[0]]}, user=m)
    assert twice.status_code == 400
    assert call(client, "put", f"{base}/order", {"kind": "users", "ids": mine}, user=m).status_code == 422
    assert (
        call(client, "put", f"{base}/order", {"kind": "lessons", "ids": list(range(1, 600))}, user=m).status_code == 422
    )
    assert call(client, "put", f"{base}/lessons/{foreign}", {"title": "x"}, user=m).status_code == 404
    module = course.modules.first()
    bad_video = call(
        client,
        "post",
        f"{base}/modules/{module.pk}/lessons",
        {"title": "V", "kind": "video", "video_url": "https://evil.example.com/x"},
        user=m,
    )
    assert bad_video.status_code == 400 and "video_url" in bad_video.json()["errors"]
    own = mine[0]
    self_pre = call(client, "put", f"{base}/lessons/{own}", {"title": "x", "prerequisite": own}, user=m)
    assert self_pre.status_code == 400 and "prerequisite" in self_pre.json()["errors"]
    quiz = services.quiz_save(actor=m, module=module, data={"title": "K"})
    for payload in (
        {"kind": "ramalan", "text": "?"},
        {
            "kind": "single",
            "text": "Satu benar?",
            "choices": [{"text": "A", "is_correct": True}, {"text": "B", "is_correct": True}],
        },
        {"kind": "fill", "text": "Tanpa isian", "choices": [{"text": "x"}]},
        {"kind": "matching", "text": "J", "choices": [{"text": "A", "match_text": "1"}, {"text": "B"}]},
        {"kind": "short", "text": "nul\x00"},
    ):
        refused = call(client, "post", f"{base}/quizzes/{quiz.pk}/questions", payload, user=m)
        assert refused.status_code == 400, payload
    assert not Question.objects.filter(quiz=quiz).exists()
    big = SimpleUploadedFile("x.exe", b"MZ....", content_type="application/octet-stream")
    refused = client.post(PREFIX + f"{base}/lessons/{own}/attachments", {"file": big}, headers=bearer(m))
    assert refused.status_code == 400
    fake = SimpleUploadedFile("v.mp4", b"not a video", content_type="video/mp4")
    assert client.post(PREFIX + f"{base}/lessons/{own}/video", {"file": fake}, headers=bearer(m)).status_code == 400
    assert (
        call(
            client, "put", f"/mentor/courses/{course.slug}/instructors", {"instructors": [people.member.pk]}, user=m
        ).status_code
        == 400
    )


def test_co_instructors_edit_the_curriculum_and_see_students(people, client):
    course = _draft(people)
    base = f"/mentor/courses/{course.slug}"
    response = call(
        client, "put", f"{base}/instructors", {"instructors": [people.co.pk, people.mentor.pk]}, user=people.mentor
    )
    assert response.status_code == 200
    assert [i["name"] for i in response.json()["instructors"]] == ["Mentor Sari"]  # the responsible one not twice
    assert Notification.objects.filter(user=people.co, data__template=Notify.INSTRUCTOR_ADDED).exists()
    assert ActivityLog.objects.filter(action=Action.INSTRUCTORS_UPDATED, target_id=str(course.pk)).exists()
    co = people.co
    assert call(client, "get", base, user=co).json()["can_set_instructors"] is False
    module = course.modules.first()
    added = call(client, "post", f"{base}/modules/{module.pk}/lessons", {"title": "Dari Sari"}, user=co)
    assert added.status_code == 201
    assert call(client, "get", f"{base}/students", user=co).status_code == 200
    assert course.slug in [c["slug"] for c in call(client, "get", "/mentor/courses", user=co).json()["results"]]
    # co-instructors do not choose each other
    assert call(client, "put", f"{base}/instructors", {"instructors": []}, user=co).status_code == 403
    # the pages: editor field for the owner, the course page lists the co-instructor
    client.force_login(people.mentor)
    page = client.get(reverse("learning:edit", args=[course.slug])).content.decode()
    assert "data-instructor-field" in page
    client.post(
        reverse("learning:edit", args=[course.slug]) + "?tab=info",
        {"title": course.title, "instructors_field": "1", "instructors": [str(people.other.pk)]},
    )
    assert services.instructor_ids(Course.objects.get(pk=course.pk)) == {people.other.pk}
    client.force_login(people.co)
    assert client.get(reverse("learning:edit", args=[course.slug])).status_code == 404  # removed again
    services.course_instructors_set(actor=people.admin, course=course, user_ids=[people.co.pk])
    services.course_set_status(actor=people.admin, course=course, status=CourseStatus.PUBLISHED)
    detail = client.get(reverse("learning:course_detail", args=[course.slug])).content.decode()
    assert "data-instructors" in detail and "Mentor Sari" in detail


def test_students_and_review_lists_run_fixed_queries(people, client, make_user):
    course = build_course(
        people.admin, "Kursus Ramai", mentor=people.mentor.pk, modules=1, lessons=2, quiz=False, role_access="public"
    )
    lesson = course.lessons.first()
    path = f"/mentor/courses/{course.slug}/students"

    def enrol(n):
        for i in range(n):
            user = make_user(full_name=f"Murid {i}", email=f"murid{i}-{Course.objects.count()}-{n}@example.com")
            services.enrollment_ensure(user=user, course=course, source="admin")
            services.lesson_open(user=user, lesson=lesson, now=timezone.now())

    def count(user, url):
        with CaptureQueriesContext(connection) as ctx:
            response = call(client, "get", url, user=user)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.json()

    enrol(2)
    few, body = count(people.mentor, path)
    assert body["count"] == 2 and body["results"][0]["last_lesson"]["id"] == lesson.pk
    assert body["results"][0]["last_activity_at"] and body["results"][0]["progress_percent"] >= 0
    enrol(4)
    many, body = count(people.mentor, path)
    assert body["count"] == 6 and many == few

    for i in range(2):
        c = build_course(people.mentor, f"Antre {i}", modules=1, lessons=1, quiz=False)
        services.course_submit(actor=people.mentor, course=c)
    few, body = count(people.admin, "/admin/courses/review?status=pending")
    assert body["count"] == 2
    for i in range(3):
        c = build_course(people.mentor, f"Antre lagi {i}", modules=1, lessons=1, quiz=False)
        services.course_submit(actor=people.mentor, course=c)
    many, body = count(people.admin, "/admin/courses/review?status=pending")
    assert body["count"] == 5 and many == few
    rejected = Course.objects.get(title="Antre 0")
    services.course_reject(actor=people.admin, course=rejected, note="Tambah kuis")
    body = call(client, "get", "/admin/courses/review?status=rejected", user=people.admin).json()
    assert [c["slug"] for c in body["results"]] == [rejected.slug] and body["results"][0]["review_note"]
    assert body["counts"] == {"pending": 4, "rejected": 1, "published": 1, "all": 6}
    assert call(client, "get", "/admin/courses/review?status=aneh", user=people.admin).status_code == 422


def test_review_page_filters_with_counts(people, client):
    pending = _draft(people, "Menunggu")
    services.course_submit(actor=people.mentor, course=pending)
    rejected = _draft(people, "Ditolak Dulu")
    services.course_submit(actor=people.mentor, course=rejected)
    services.course_reject(actor=people.admin, course=rejected, note="Perbaiki video")
    client.force_login(people.admin)
    url = reverse("learning:admin_review")
    page = client.get(url).content.decode()
    assert f'data-course="{pending.slug}"' in page and f'data-course="{rejected.slug}"' not in page
    assert 'data-count="pending">1<' in page and 'data-count="rejected">1<' in page
    page = client.get(url, {"status": "rejected"}).content.decode()
    assert f'data-course="{rejected.slug}"' in page and "Perbaiki video" in page
    page = client.get(url, {"status": "all"}).content.decode()
    assert f'data-course="{pending.slug}"' in page and f'data-course="{rejected.slug}"' in page
    assert client.get(url, {"status": "x\x00"}).status_code in (200, 400)
    client.force_login(people.mentor)
    assert client.get(url).status_code in (302, 403, 404)


def test_page_reorder_saves_lessons_without_reload(people, client):
    course = _draft(people)
    module = course.modules.first()
    ids = list(module.lessons.values_list("pk", flat=True))
    client.force_login(people.mentor)
    page = client.get(reverse("learning:edit", args=[course.slug]) + "?tab=materi").content.decode()
    assert f'data-lesson="{ids[0]}" draggable="true"' in page
    response = client.post(
        reverse("learning:reorder", args=[course.slug]),
        data={"kind": "lessons", "ids": list(reversed(ids))},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json() == {"ok": True}
    assert list(module.lessons.values_list("pk", flat=True)) == list(reversed(ids))
    client.force_login(people.other)
    assert (
        client.post(
            reverse("learning:reorder", args=[course.slug]),
            data={"kind": "lessons", "ids": ids},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_quiz_and_assignment_with_learner_work_are_kept(people, client):
    course = _draft(people)
    module = course.modules.first()
    quiz = services.quiz_save(actor=people.mentor, module=module, data={"title": "K", "pass_percent": 50})
    services.question_add(actor=people.mentor, quiz=quiz, kind="true_false", text="Benar?", choices=[("", True)])
    quiz.attempts.create(user=people.member, started_at=timezone.now())
    refused = call(client, "delete", f"/mentor/courses/{course.slug}/quizzes/{quiz.pk}", user=people.mentor)
    assert refused.status_code == 400 and "sudah dikerjakan" in refused.json()["message"]
    assert Choice.objects.filter(question__quiz=quiz).count() == 2


def test_mentor_list_marks_a_rejected_draft(people, client):
    course = _draft(people, "Perlu Perbaikan")
    services.course_submit(actor=people.mentor, course=course)
    services.course_reject(actor=people.admin, course=course, note="Video modul 2 buram")
    client.force_login(people.mentor)
    page = client.get(reverse("learning:manage")).content.decode()
    assert "data-rejected" in page and "Ditolak" in page
