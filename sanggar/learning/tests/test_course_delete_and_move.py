"""Deleting a course (a confirmation page and `DELETE /api/v1/mentor/courses/{slug}`): admins delete a course
nothing holds, otherwise archive it; a mentor deletes their own draft without students; plans, products and coupons
that include the course's resource are named and keep it. Moving a lesson into another module (the editor's drag
and the authoring API). Mentors edit drafts only: published / private / pending / archived are read-only."""

import json

import pytest
from django.urls import reverse

from sanggar.access.models import Resource
from sanggar.api.testing import call
from sanggar.audit.models import ActivityLog
from sanggar.catalog.services.resources import resource_placeholder_create
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.learning import services
from sanggar.learning.constants import Action, CourseStatus, Notify
from sanggar.learning.models import Course, Lesson, Module
from sanggar.notifications.models import Notification
from sanggar.orders.tests.shop import Shop

from .world import build_course

pytestmark = pytest.mark.django_db


def _lessons(module):
    return list(Lesson.objects.filter(module=module).order_by("position").values_list("title", flat=True))


# --- deleting ------------------------------------------------------------------------------------------------------


def test_admin_deletes_a_course_nothing_holds_through_the_confirmation_page(people, client):
    course = build_course(people.admin, "Kursus Kosong", modules=1, lessons=2)
    resource_id = course.resource_id
    client.force_login(people.admin)
    edit = client.get(reverse("learning:edit", args=[course.slug]) + "?tab=status")
    assert reverse("learning:delete", args=[course.slug]) in edit.content.decode()
    page = client.get(reverse("learning:delete", args=[course.slug]))
    assert page.status_code == 200 and 'id="confirm-delete"' in page.content.decode()
    assert Course.objects.filter(pk=course.pk).exists()  # a GET deletes nothing
    response = client.post(reverse("learning:delete", args=[course.slug]))
    assert response.status_code == 302 and response["Location"] == reverse("learning:manage")
    assert not Course.objects.filter(pk=course.pk).exists()
    assert not Resource.objects.filter(pk=resource_id).exists()
    log = ActivityLog.objects.get(action=Action.COURSE_DELETED, target_id=str(course.pk))
    assert log.actor_id == people.admin.pk and log.data["slug"] == course.slug


def test_a_course_with_students_is_archived_instead(people, client):
    course = build_course(people.admin, "Kursus Ramai", modules=1, lessons=1)
    services.enrollment_ensure(user=people.member, course=course)
    reason = services.course_delete_refusal(actor=people.admin, course=course)
    assert "1 murid" in reason and "Arsipkan" in reason
    client.force_login(people.admin)
    page = client.get(reverse("learning:delete", args=[course.slug])).content.decode()
    assert "1 murid terdaftar" in page and 'id="archive-instead"' in page and 'id="confirm-delete"' not in page
    response = client.post(reverse("learning:delete", args=[course.slug]))
    assert response.status_code == 409 and Course.objects.filter(pk=course.pk).exists()
    refused = call(client, "delete", f"/mentor/courses/{course.slug}", user=people.admin)
    assert refused.status_code == 409 and "murid terdaftar" in refused.json()["message"]
    assert not ActivityLog.objects.filter(action=Action.COURSE_DELETED).exists()
    # the offered archive button is the status form
    client.post(reverse("learning:status", args=[course.slug]), {"action": "status", "status": "archived"})
    assert Course.objects.get(pk=course.pk).status == CourseStatus.ARCHIVED


def test_plans_products_and_coupons_including_the_course_are_named_and_keep_it(people, client):
    shop = Shop(people.admin)
    placeholder = resource_placeholder_create(actor=people.admin, kind="course", title="Dasar Ekspor")
    plan = shop.plan("Paket Emas", rank=2, resources=[placeholder], slug="emas")
    course = services.course_adopt(actor=people.admin, resource_id=placeholder.pk, data={})
    assert course.resource_id == placeholder.pk
    product = shop.product("Bundel Ekspor")
    product.included_resources.add(placeholder)
    refused = call(client, "delete", f"/mentor/courses/{course.slug}", user=people.admin)
    message = refused.json()["message"]
    assert refused.status_code == 409
    assert "paket membership: Paket Emas" in message and "produk: Bundel Ekspor" in message
    assert Course.objects.filter(pk=course.pk).exists()
    assert placeholder.key == Resource.objects.get(pk=placeholder.pk).key
    assert plan.included_resources.filter(pk=placeholder.pk).exists()


def test_mentor_deletes_only_their_own_draft_without_students(people, client):
    course = build_course(people.mentor, "Draf Mentor", modules=1, lessons=1, quiz=False)
    services.course_instructors_set(actor=people.mentor, course=course, user_ids=[people.co.pk])
    path = f"/mentor/courses/{course.slug}"
    assert call(client, "delete", path, user=people.other).status_code == 404
    assert call(client, "delete", path, user=people.co).status_code == 403
    services.course_submit(actor=people.mentor, course=course)
    pending = call(client, "delete", path, user=people.mentor)
    assert pending.status_code == 409 and "hanya bisa menghapus kursus berstatus Draf" in pending.json()["message"]
    services.course_reject(actor=people.admin, course=course, note="Perbaiki judul")
    services.enrollment_ensure(user=people.member, course=course)
    with pytest.raises(ServiceError, match="murid terdaftar"):
        services.course_delete(actor=people.mentor, course=course)
    course.enrollments.all().delete()
    deleted = call(client, "delete", path, user=people.mentor)  # no Idempotency-Key: a DELETE is idempotent
    assert deleted.status_code == 200 and deleted.json() == {"ok": True}
    assert not Course.objects.filter(pk=course.pk).exists()
    assert call(client, "delete", path, user=people.mentor).status_code == 404


def test_admin_deleting_a_mentors_course_tells_the_mentor(people, client):
    course = build_course(people.mentor, "Draf Ditinggal", modules=1, lessons=1, quiz=False)
    services.course_instructors_set(actor=people.mentor, course=course, user_ids=[people.co.pk])
    assert call(client, "delete", f"/mentor/courses/{course.slug}", user=people.admin).status_code == 200
    for user in (people.mentor, people.co):
        note = Notification.objects.get(user=user, data__template=Notify.DELETED)
        assert "Draf Ditinggal" in note.title and note.link == reverse("learning:manage")
    assert not Notification.objects.filter(user=people.admin, data__template=Notify.DELETED).exists()


def test_mentor_delete_page_refuses_a_published_course(people, client):
    course = build_course(people.admin, "Terbit", mentor=people.mentor.pk, modules=1, lessons=1)
    client.force_login(people.mentor)
    page = client.get(reverse("learning:delete", args=[course.slug])).content.decode()
    assert "Minta admin mengarsipkannya" in page and 'id="archive-instead"' not in page
    assert client.post(reverse("learning:delete", args=[course.slug])).status_code == 409
    assert Course.objects.filter(pk=course.pk).exists()
    with pytest.raises(NotAllowed):
        services.course_delete(actor=people.other, course=course)


# --- moving a lesson -------------------------------------------------------------------------------------------------


def test_lesson_moves_into_another_module_through_the_editor_endpoint(people, client):
    course = build_course(people.mentor, "Pindah", modules=2, lessons=3, quiz=False)
    first, second = course.modules.order_by("position")
    lesson = Lesson.objects.get(module=first, title="Pelajaran 1.2")
    client.force_login(people.mentor)
    url = reverse("learning:lesson_move", args=[course.slug])
    body = {"lesson": lesson.pk, "module": second.pk, "position": 2}
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 200 and response.json() == {"ok": True}
    assert _lessons(first) == ["Pelajaran 1.1", "Pelajaran 1.3"]
    assert _lessons(second) == ["Pelajaran 2.1", "Pelajaran 1.2", "Pelajaran 2.2", "Pelajaran 2.3"]
    assert list(Lesson.objects.filter(module=first).order_by("position").values_list("position", flat=True)) == [1, 2]
    log = ActivityLog.objects.get(action=Action.LESSON_MOVED, target_id=str(course.pk))
    assert log.data == {"lesson": lesson.pk, "from_module": first.pk, "to_module": second.pk, "position": 2}
    # past the end: last
    client.post(url, json.dumps({**body, "position": 99}), content_type="application/json")
    assert _lessons(second)[-1] == "Pelajaran 1.2"
    # another course's module, someone else's course, hostile input
    other = build_course(people.other, "Lain", modules=1, lessons=1, quiz=False)
    foreign = other.modules.get()
    refused = client.post(url, json.dumps({**body, "module": foreign.pk}), content_type="application/json")
    assert refused.status_code == 404 and "bukan bagian dari kursus ini" in refused.json()["message"]
    for bad in ({"lesson": "x", "module": second.pk}, [], {"lesson": lesson.pk, "module": second.pk, "position": 0}):
        assert client.post(url, json.dumps(bad), content_type="application/json").status_code == 400
    assert client.post(url, b"{nope", content_type="application/json").status_code == 400
    client.force_login(people.other)
    assert client.post(url, json.dumps(body), content_type="application/json").status_code == 404
    assert Lesson.objects.get(pk=lesson.pk).module_id == second.pk
    with pytest.raises(ServiceError, match="bukan bagian dari kursus ini"):
        services.lesson_move(actor=people.mentor, lesson=lesson, module=foreign, position=1)


def test_lesson_move_over_the_api(people, client):
    course = build_course(people.mentor, "Pindah API", modules=2, lessons=1, quiz=False)
    first, second = course.modules.order_by("position")
    lesson = first.lessons.get()
    path = f"/mentor/courses/{course.slug}/lessons/{lesson.pk}/move"
    moved = call(client, "post", path, {"module_id": second.pk, "position": 1}, user=people.mentor)
    assert moved.status_code == 200 and moved.json()["module_id"] == second.pk and moved.json()["position"] == 1
    assert _lessons(second) == ["Pelajaran 1.1", "Pelajaran 2.1"] and _lessons(first) == []
    other = build_course(people.other, "Lain", modules=1, lessons=1, quiz=False)
    foreign = other.modules.get()
    assert call(client, "post", path, {"module_id": foreign.pk, "position": 1}, user=people.mentor).status_code == 404
    assert call(client, "post", path, {"module_id": second.pk, "position": 0}, user=people.mentor).status_code == 422
    assert call(client, "post", path, {"module_id": first.pk, "position": 1}, user=people.other).status_code == 404
    services.course_submit(actor=people.mentor, course=course)
    services.course_approve(actor=people.admin, course=course)
    refused = call(client, "post", path, {"module_id": first.pk, "position": 1}, user=people.mentor)
    assert refused.status_code == 409 and "hanya bisa diubah admin" in refused.json()["message"]
    assert Lesson.objects.get(pk=lesson.pk).module_id == second.pk
    assert call(client, "post", path, {"module_id": first.pk, "position": 1}, user=people.admin).status_code == 200


# --- mentors edit drafts only ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["published", "private", "archived"])
def test_mentor_sees_a_read_only_editor_outside_draft(people, client, status):
    course = build_course(people.admin, "Kursus Admin", mentor=people.mentor.pk, modules=1, lessons=1)
    services.course_set_status(actor=people.admin, course=course, status=status)
    module = course.modules.get()
    lesson = module.lessons.get()
    client.force_login(people.mentor)
    for tab in ("info", "materi", "akses", "harga"):
        page = client.get(reverse("learning:edit", args=[course.slug]) + f"?tab={tab}").content.decode()
        assert "data-locked" in page and "Mentor hanya mengubah kursus berstatus Draf" in page
        assert "disabled data-read-only" in page
    materi = client.get(reverse("learning:edit", args=[course.slug]) + "?tab=materi").content.decode()
    assert "Tambah Modul" not in materi and 'draggable="true"' not in materi and "data-move-url" in materi
    lesson_page = client.get(reverse("learning:lesson_edit", args=[course.slug, module.pk, lesson.pk]))
    assert lesson_page.status_code == 200 and "disabled data-read-only" in lesson_page.content.decode()
    new = client.get(reverse("learning:lesson_new", args=[course.slug, module.pk]))
    assert new.status_code == 302
    posted = client.post(
        reverse("learning:edit", args=[course.slug]) + "?tab=info", {"title": "Diubah Mentor", "level": "pemula"}
    )
    assert posted.status_code == 400 and Course.objects.get(pk=course.pk).title == "Kursus Admin"
    assert Module.objects.filter(course=course).count() == 1
    # the admin edits the same course
    client.force_login(people.admin)
    page = client.get(reverse("learning:edit", args=[course.slug]) + "?tab=materi").content.decode()
    assert "data-locked" not in page and "Tambah Modul" in page


def test_mentor_edits_a_rejected_course_back_in_draft(people, client):
    course = build_course(people.mentor, "Draf", modules=1, lessons=1, quiz=False)
    services.course_submit(actor=people.mentor, course=course)
    client.force_login(people.mentor)
    page = client.get(reverse("learning:edit", args=[course.slug])).content.decode()
    assert "direview admin" in page and "disabled data-read-only" in page
    services.course_reject(actor=people.admin, course=course, note="Tambah materi")
    page = client.get(reverse("learning:edit", args=[course.slug])).content.decode()
    assert "data-locked" not in page and "data-read-only" not in page
    services.course_update(actor=people.mentor, course=course, data={"summary": "Diperbaiki"})
    assert Course.objects.get(pk=course.pk).summary == "Diperbaiki"


def test_module_and_lesson_deletion_asks_for_confirmation_on_a_page(people, client):
    course = build_course(people.mentor, "Konfirmasi", modules=2, lessons=2, quiz=False)
    first, second = course.modules.order_by("position")
    lesson = first.lessons.order_by("position").first()
    client.force_login(people.mentor)
    materi = client.get(reverse("learning:edit", args=[course.slug]) + "?tab=materi").content.decode()
    assert reverse("learning:module_delete", args=[course.slug, first.pk]) in materi
    assert 'name="action" value="delete"' not in materi  # no one-click deletion in the editor
    page = client.get(reverse("learning:module_delete", args=[course.slug, first.pk])).content.decode()
    assert "2 pelajaran, 0 kuis dan 0 tugas" in page and 'id="confirm-delete"' in page
    assert Module.objects.filter(pk=first.pk).exists()
    edit_page = client.get(reverse("learning:lesson_edit", args=[course.slug, first.pk, lesson.pk])).content.decode()
    assert reverse("learning:lesson_delete", args=[course.slug, first.pk, lesson.pk]) in edit_page
    page = client.get(reverse("learning:lesson_delete", args=[course.slug, first.pk, lesson.pk])).content.decode()
    assert lesson.title in page and reverse("learning:lesson_edit", args=[course.slug, first.pk, lesson.pk]) in page
    client.post(reverse("learning:lesson_edit", args=[course.slug, first.pk, lesson.pk]), {"action": "delete"})
    assert not Lesson.objects.filter(pk=lesson.pk).exists()
    client.post(reverse("learning:module_edit", args=[course.slug, second.pk]), {"action": "delete"})
    assert not Module.objects.filter(pk=second.pk).exists()
    # someone else's course, another course's module: 404
    client.force_login(people.other)
    assert client.get(reverse("learning:module_delete", args=[course.slug, first.pk])).status_code == 404
    other = build_course(people.other, "Lain", modules=1, lessons=1, quiz=False)
    assert client.get(reverse("learning:module_delete", args=[other.slug, first.pk])).status_code == 404


def test_question_and_attachment_deletion_ask_for_confirmation_on_a_page(people, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sanggar.learning.models import LessonAttachment, Question

    course = build_course(people.mentor, "Konfirmasi Soal", modules=1, lessons=1, quiz=True)
    module = course.modules.get()
    lesson = module.lessons.get()
    quiz = module.quizzes.get()
    question = quiz.questions.first()
    upload = SimpleUploadedFile("daftar.txt", b"Daftar dokumen ekspor\n", content_type="text/plain")
    attachment = services.attachment_add(actor=people.mentor, lesson=lesson, title="Daftar Dokumen", upload=upload)
    client.force_login(people.mentor)
    quiz_url = reverse("learning:quiz_edit", args=[course.slug, module.pk, quiz.pk])
    lesson_url = reverse("learning:lesson_edit", args=[course.slug, module.pk, lesson.pk])
    question_url = reverse("learning:question_delete", args=[course.slug, module.pk, quiz.pk, question.pk])
    attachment_url = reverse("learning:attachment_delete", args=[course.slug, module.pk, lesson.pk, attachment.pk])
    quiz_page = client.get(quiz_url).content.decode()
    assert question_url in quiz_page and 'value="delete_question"' not in quiz_page  # no one-click deletion
    lesson_page = client.get(lesson_url).content.decode()
    assert attachment_url in lesson_page and 'value="detach"' not in lesson_page
    page = client.get(question_url).content.decode()
    assert question.text in page and 'value="delete_question"' in page and f'value="{question.pk}"' in page
    assert Question.objects.filter(pk=question.pk).exists()  # opening the page deletes nothing
    client.post(quiz_url, {"action": "delete_question", "question_id": question.pk})
    assert not Question.objects.filter(pk=question.pk).exists()
    page = client.get(attachment_url).content.decode()
    assert "Daftar Dokumen" in page and 'value="detach"' in page
    client.post(lesson_url, {"action": "detach", "attachment_id": attachment.pk})
    assert not LessonAttachment.objects.filter(pk=attachment.pk).exists()
    # someone else's course: 404
    client.force_login(people.other)
    assert client.get(attachment_url).status_code == 404
