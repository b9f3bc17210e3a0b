"""Course-level and module-level discussion threads (the lesson discussion's machinery): who may read and write,
the notifications of a reply (the question's author, every other participant and the mentor, with the toast title
"Ada komentar baru di kelasmu!"), pages, API, denial and hostile input."""

import pytest
from django.urls import reverse
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.catalog.models import PlanPrice
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.learning import discussion, services
from sanggar.learning.constants import THREAD_TOAST, Notify
from sanggar.learning.models import Comment
from sanggar.memberships.services import membership_activate
from sanggar.notifications.models import Notification

from .world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LEARNING_COMMENT_RATE_LIMIT = "100/60"
    w = World(make_user, admin_user)
    w.module = w.course.modules.order_by("position", "pk").first()
    w.other = make_user(full_name="Sari Peserta", email="sari@example.com")
    membership_activate(
        user=w.other, plan_price=PlanPrice.objects.get(plan=w.plan), amount_paid=1_200_000, now=timezone.now()
    )
    return w


def _templates(user):
    return list(Notification.objects.filter(user=user).values_list("data__template", flat=True))


def test_reply_tells_author_participants_and_mentor(world):
    question = discussion.thread_comment_post(
        user=world.member, course=world.course, module=world.module, body="Apa itu FOB?"
    )
    assert question.module_id == world.module.pk and question.lesson_id is None
    assert _templates(world.mentor) == [Notify.COMMENT]  # a question tells the mentor
    discussion.thread_comment_post(
        user=world.other, course=world.course, module=world.module, parent=question, body="Free On Board"
    )
    assert Notify.REPLY in _templates(world.member)  # the question's author
    toast = Notification.objects.get(user=world.mentor, data__template=Notify.THREAD)
    assert toast.title == THREAD_TOAST == "Ada komentar baru di kelasmu!"
    # a third writer: the earlier replier (a participant) hears of it too, the writer never
    discussion.thread_comment_post(
        user=world.mentor, course=world.course, module=world.module, parent=question, body="Betul, Sari."
    )
    assert Notification.objects.filter(user=world.other, data__template=Notify.THREAD).count() == 1
    assert Notification.objects.filter(user=world.mentor, data__template=Notify.THREAD).count() == 1
    assert Notification.objects.filter(user=world.member, data__template=Notify.REPLY).count() == 2


def test_lesson_replies_tell_participants_too(world):
    lesson = world.course.lessons.order_by("pk").first()
    question = services.comment_post(user=world.member, lesson=lesson, body="Pertanyaan")
    services.comment_post(user=world.other, lesson=lesson, parent=question, body="Ikut bertanya")
    services.comment_post(user=world.member, lesson=lesson, parent=question, body="Terima kasih")
    assert Notification.objects.filter(user=world.other, data__template=Notify.THREAD).count() == 1
    assert Notification.objects.get(user=world.other, data__template=Notify.THREAD).title == THREAD_TOAST


def test_course_thread_and_denials(world):
    c = discussion.thread_comment_post(user=world.member, course=world.course, body="Halo semua")
    assert c.module_id is None and c.lesson_id is None
    with pytest.raises(NotAllowed):
        discussion.thread_comment_post(user=world.free, course=world.course, body="Boleh ikut?")
    with pytest.raises(ServiceError):
        discussion.thread_comment_post(user=world.member, course=world.course, body="   ")
    # a reply must stay in its thread: a course-thread question is not a module thread's parent
    with pytest.raises(ServiceError):
        discussion.thread_comment_post(
            user=world.member, course=world.course, module=world.module, parent=c, body="salah utas"
        )
    assert Comment.objects.count() == 1


def test_pages(world, client):
    client.force_login(world.member)
    url = reverse("learning:module_discussion", args=[world.course.slug, world.module.pk])
    response = client.post(url, {"body": "<script>alert(1)</script> Apa itu HS?"})
    assert response.status_code == 302
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "&lt;script&gt;" in html and "<script>alert(1)" not in html
    assert "Diskusi modul" in html
    question = Comment.objects.get()
    response = client.post(url, {"body": "balasan", "parent": "99999999999999999999"})
    assert response.status_code == 302 and Comment.objects.count() == 1  # unknown parent refused, no 500
    client.post(url, {"body": "balasan", "parent": str(question.pk)})
    assert Comment.objects.filter(parent=question).count() == 1
    course_url = reverse("learning:course_discussion", args=[world.course.slug])
    assert client.get(course_url).status_code == 200
    assert "Apa itu HS?" not in client.get(course_url).content.decode()  # threads are separate
    # the lesson page links to both threads
    lesson = world.course.lessons.order_by("pk").first()
    html = client.get(reverse("learning:lesson", args=[world.course.slug, lesson.pk])).content.decode()
    assert url in html and course_url in html
    # a member without access sees the locked page, writes nothing
    client.force_login(world.free)
    assert "Kelas ini hanya untuk Member Premium" in client.get(course_url).content.decode()
    client.post(course_url, {"body": "spam"})
    assert Comment.objects.count() == 2
    client.logout()
    assert client.get(course_url).status_code == 302  # sign in first
    other_module = reverse("learning:module_discussion", args=[world.course.slug, 987654])
    client.force_login(world.member)
    assert client.get(other_module).status_code == 404


def test_moderator_hides_a_thread_comment(world, client):
    c = discussion.thread_comment_post(user=world.member, course=world.course, body="Iklan")
    client.force_login(world.mentor)
    response = client.post(reverse("learning:comment_hide", args=[world.course.slug, c.pk]), {"reason": "spam"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("learning:course_discussion", args=[world.course.slug]))
    c.refresh_from_db()
    assert c.is_hidden
    assert list(discussion.thread_comments(course=world.course)) == []


def test_api(world, client, django_assert_max_num_queries):
    base = f"/courses/{world.course.slug}/modules/{world.module.pk}/comments"
    created = call(client, "post", base, {"body": "Pertanyaan API"}, user=world.member)
    assert created.status_code == 201
    parent = created.json()["id"]
    reply = call(client, "post", base, {"body": "Balasan", "parent": parent}, user=world.other)
    assert reply.status_code == 201
    for n in range(3):
        call(client, "post", f"/courses/{world.course.slug}/comments", {"body": f"Umum {n}"}, user=world.member)
    listing = call(client, "get", base, user=world.member).json()
    assert listing["count"] == 1 and listing["results"][0]["replies"][0]["body"] == "Balasan"
    with django_assert_max_num_queries(16):
        course_list = call(client, "get", f"/courses/{world.course.slug}/comments", user=world.member)
    assert course_list.json()["count"] == 3
    denied = call(client, "post", f"/courses/{world.course.slug}/comments", {"body": "x"}, user=world.free)
    assert denied.status_code == 403
    assert denied.json()["message"] == "Kelas ini hanya untuk Member Premium. Silakan upgrade membership."
    assert call(client, "get", f"/courses/{world.course.slug}/comments", user=world.free).status_code == 403
    bad = call(client, "post", base, {"body": "x", "parent": 10**15}, user=world.member)
    assert bad.status_code == 404
    empty = call(client, "post", base, {"body": ""}, user=world.member)
    assert empty.status_code in (400, 422)
    wrong = call(client, "post", f"/courses/{world.course.slug}/modules/0/comments", {"body": "x"}, user=world.member)
    assert wrong.status_code == 404
    assert call(client, "get", f"/courses/{world.course.slug}/comments").status_code == 401
