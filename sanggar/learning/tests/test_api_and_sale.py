"""The courses API (contract paths of issue 12) and a course sold as its own order line."""

import pytest
from django.urls import reverse

from sanggar.access.constants import DenyReason
from sanggar.api.testing import call
from sanggar.learning import services
from sanggar.learning.models import Enrollment
from sanggar.orders.constants import OrderStatus
from sanggar.orders.services import order_mark_paid, order_refund

from .world import World, build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PAYMENT_PROVIDERS = ["manual"]
    return World(make_user, admin_user)


def test_course_list_with_access_per_caller(world, client, django_assert_max_num_queries):
    for n in range(6):
        build_course(world.admin, f"Kursus Tambahan {n}", modules=1, lessons=1, quiz=False)
    with django_assert_max_num_queries(6):
        body = call(client, "get", "/courses").json()
    assert body["count"] == 7
    row = next(r for r in body["results"] if r["slug"] == world.course.slug)
    assert row["access"]["reason"] == DenyReason.LOGIN_REQUIRED
    with django_assert_max_num_queries(14):
        body = call(client, "get", "/courses", user=world.member).json()
    row = next(r for r in body["results"] if r["slug"] == world.course.slug)
    assert row["access"]["allowed"] is True and {"slug", "title", "level", "price"} <= set(row)
    body = call(client, "get", "/courses", user=world.free).json()
    row = next(r for r in body["results"] if r["slug"] == world.course.slug)
    assert row["access"]["message"] == "Kelas ini hanya untuk Member Premium. Silakan upgrade membership."
    assert call(client, "get", "/courses", {"page": "0"}).status_code == 422
    assert call(client, "get", "/courses", {"q": "x" * 500}).status_code == 422


def test_course_detail_and_locked_lesson(world, client):
    body = call(client, "get", f"/courses/{world.course.slug}", user=world.free).json()
    lessons = [lesson for m in body["modules"] for lesson in m["lessons"]]
    assert {"id", "title", "kind", "is_preview", "locked"} <= set(lessons[0])
    locked = next(lesson for lesson in lessons if lesson["locked"])
    response = call(client, "get", f"/courses/{world.course.slug}/lessons/{locked['id']}", user=world.free)
    assert response.status_code == 403
    assert response.json()["message"] == "Kelas ini hanya untuk Member Premium. Silakan upgrade membership."
    assert "Isi pelajaran" not in response.content.decode()
    preview = next(lesson for lesson in lessons if lesson["is_preview"])
    assert call(client, "get", f"/courses/{world.course.slug}/lessons/{preview['id']}").status_code == 200
    ok = call(client, "get", f"/courses/{world.course.slug}/lessons/{locked['id']}", user=world.member)
    assert ok.status_code == 200 and ok.json()["content"].startswith("<p>Isi pelajaran")
    assert call(client, "get", "/courses/tidak-ada").status_code == 404


def test_progress_resume_quiz_certificate_over_the_api(world, client):
    detail = call(client, "get", f"/courses/{world.course.slug}", user=world.member).json()
    lessons = [lesson for m in detail["modules"] for lesson in m["lessons"]]
    slug = world.course.slug
    for lesson in lessons:
        r = call(client, "post", f"/courses/{slug}/lessons/{lesson['id']}/complete", user=world.member)
        assert r.status_code == 200
    again = call(client, "post", f"/courses/{slug}/lessons/{lessons[0]['id']}/complete", user=world.member)
    assert again.json()["progress_percent"] == 80
    r = call(client, "post", f"/courses/{slug}/lessons/{lessons[2]['id']}/position", {"seconds": 42}, user=world.member)
    assert r.status_code == 200
    assert (
        call(
            client, "post", f"/courses/{slug}/lessons/{lessons[2]['id']}/position", {"seconds": -1}, user=world.member
        ).status_code
        == 422
    )
    mine = call(client, "get", "/me/courses", user=world.member).json()["results"][0]
    assert mine["resume"] == {"lesson_id": lessons[2]["id"], "lesson_title": lessons[2]["title"], "seconds": 42}
    quiz_id = detail["modules"][-1]["quizzes"][0]["id"]
    attempt = call(client, "post", f"/quizzes/{quiz_id}/attempts", user=world.member)
    assert attempt.status_code == 201
    questions = attempt.json()["questions"]
    assert all("is_correct" not in c for q in questions for c in q["choices"])
    quiz = world.course.quizzes.get()
    right = {q.pk: [c.pk for c in q.choices.all() if c.is_correct] for q in quiz.questions.all()}
    answers = [{"question": q["id"], "choices": right[q["id"]]} for q in questions]
    bad = call(
        client,
        "post",
        f"/quiz-attempts/{attempt.json()['id']}/submit",
        {"answers": [{"question": 1, "choices": ["x"]}]},
        user=world.member,
    )
    assert bad.status_code in (400, 422)
    result = call(
        client, "post", f"/quiz-attempts/{attempt.json()['id']}/submit", {"answers": answers}, user=world.member
    )
    assert result.status_code == 200 and result.json()["passed"] is True
    certs = call(client, "get", "/me/certificates", user=world.member).json()
    assert certs["count"] == 1
    code = certs["results"][0]["code"]
    public = call(client, "get", f"/certificates/{code}").json()
    assert public["verify_url"].endswith(f"/sertifikat/{code}") and public["learner_name"] == "Member Premium"
    assert call(client, "get", "/certificates/XYZ").status_code == 404


def test_discussion_and_review_over_the_api(world, client):
    lesson = world.course.lessons.first()
    base = f"/courses/{world.course.slug}/lessons/{lesson.pk}/comments"
    q = call(client, "post", base, {"body": "Bagaimana cara cari buyer?"}, user=world.member)
    assert q.status_code == 201
    r = call(client, "post", base, {"body": "Mulai dari direktori.", "parent": q.json()["id"]}, user=world.mentor)
    assert r.status_code == 201
    listed = call(client, "get", base, user=world.member).json()
    assert listed["results"][0]["replies"][0]["is_mentor"] is True
    assert call(client, "get", base, user=world.free).status_code == 403
    assert call(client, "post", base, {"body": "x" * 4000}, user=world.member).status_code == 400
    assert call(client, "post", base, {"body": 5}, user=world.member).status_code == 422
    review = call(
        client, "post", f"/courses/{world.course.slug}/reviews", {"rating": 5, "body": "Mantap"}, user=world.member
    )
    assert review.status_code == 200
    assert (
        call(client, "post", f"/courses/{world.course.slug}/reviews", {"rating": 9}, user=world.member).status_code
        == 422
    )


def test_assignment_and_grading_over_the_api(world, client):
    module = world.course.modules.first()
    # the course is published: the admin adds the assignment (mentors edit drafts only), the mentor grades
    assignment = services.assignment_save(actor=world.admin, module=module, data={"title": "Riset", "max_points": 100})
    r = call(client, "post", f"/assignments/{assignment.pk}/submissions", {"text": "Jawaban saya"}, user=world.member)
    assert r.status_code == 201
    assert (
        call(client, "post", f"/assignments/{assignment.pk}/submissions", {"text": "x"}, user=world.free).status_code
        == 403
    )
    queue = call(client, "get", "/mentor/submissions", user=world.mentor).json()
    assert queue["count"] == 1
    sub_id = queue["results"][0]["id"]
    assert (
        call(client, "post", f"/mentor/submissions/{sub_id}/grade", {"points": 80}, user=world.member).status_code
        == 403
    )
    graded = call(
        client, "post", f"/mentor/submissions/{sub_id}/grade", {"points": 80, "feedback": "Baik"}, user=world.mentor
    )
    assert graded.status_code == 200 and graded.json()["status"] == "graded"


def test_mentor_submit_admin_reject_over_the_api(world, client):
    course = build_course(world.mentor, "Kursus Mentor", modules=1, lessons=1, quiz=False)
    assert (
        call(client, "post", f"/mentor/courses/{course.slug}/submit", user=world.mentor).json()["status"] == "pending"
    )
    assert (
        call(client, "post", f"/admin/courses/{course.slug}/reject", {"note": "x"}, user=world.mentor).status_code
        == 403
    )
    rejected = call(
        client, "post", f"/admin/courses/{course.slug}/reject", {"note": "Perbaiki judul"}, user=world.admin
    )
    assert rejected.json()["status"] == "draft" and rejected.json()["review_note"] == "Perbaiki judul"
    listed = call(client, "get", "/mentor/courses", user=world.mentor).json()
    assert {c["slug"] for c in listed["results"]} >= {course.slug, world.course.slug}


def test_course_sold_as_order_line_grants_and_refund_revokes(world, client):
    paid = build_course(
        world.admin,
        "Ekspor Rempah",
        modules=1,
        lessons=2,
        quiz=False,
        role_access="public",
        price=300_000,
        promo_price=250_000,
        affiliate_enabled=True,
        affiliate_commission_percent=20,
        mentor_share_percent=30,
    )
    response = call(
        client,
        "post",
        "/orders",
        {"items": [{"kind": "course", "slug": paid.slug}], "provider": "manual"},
        user=world.free,
    )
    assert response.status_code == 201, response.content
    from sanggar.orders.models import Order

    order = Order.objects.get(invoice_number=response.json()["invoice_number"])
    item = order.items.get()
    assert (item.kind, item.ref, item.amount) == ("course", str(paid.pk), 250_000)
    assert not services.course_decision(user=world.free, course=paid).allowed
    order_mark_paid(order=order, actor=world.admin)
    assert services.course_decision(user=world.free, course=paid).allowed
    assert Enrollment.objects.get(user=world.free, course=paid).source == "purchase"
    client.force_login(world.free)  # the paid invoice opens the course
    page = client.get(reverse("orders:invoice", args=[order.invoice_number])).content.decode()
    assert f'href="{reverse("learning:resume", args=[paid.slug])}" data-open-link' in page
    client.logout()
    again = call(
        client,
        "post",
        "/orders",
        {"items": [{"kind": "course", "slug": paid.slug}], "provider": "manual"},
        user=world.free,
    )
    assert again.status_code == 400  # already has access
    order.refresh_from_db()
    order_refund(order=order, actor=world.admin, reason="Permintaan pembeli")
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert not services.course_decision(user=world.free, course=paid).allowed
    assert Enrollment.objects.filter(user=world.free, course=paid).exists()  # progress kept


def test_course_checkout_page(world, client):
    paid = build_course(
        world.admin, "Ekspor Kopi", modules=1, lessons=1, quiz=False, role_access="public", price=150_000
    )
    page = client.get(reverse("learning:checkout", args=[paid.slug]))
    assert page.status_code == 200 and "Rp" in page.content.decode()
    client.force_login(world.free)
    response = client.post(
        reverse("learning:checkout", args=[paid.slug]),
        {"item": f"course:{paid.slug}", "provider": "manual", "coupon": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "/invoice/" in response.url
    detail = client.get(reverse("learning:course_detail", args=[paid.slug]))
    assert detail.status_code == 200
    free_course = world.course
    response = client.get(reverse("learning:checkout", args=[free_course.slug]))
    assert "tidak dijual terpisah" in response.content.decode()


def test_course_line_takes_coupons_and_pays_the_affiliate_commission(world):
    from sanggar.affiliates.models import Commission
    from sanggar.affiliates.services import affiliate_profile_ensure
    from sanggar.orders.services import ItemRequest, order_create

    paid = build_course(
        world.admin,
        "Ekspor Furnitur",
        modules=1,
        lessons=1,
        quiz=False,
        role_access="public",
        price=1_000_000,
        affiliate_enabled=True,
        affiliate_commission_percent=20,
        mentor_share_percent=30,
    )
    world.shop.coupon("HEMAT10", value=10)
    affiliate_profile_ensure(user=world.affiliate)
    order = order_create(
        buyer=world.free,
        items=[ItemRequest("course", paid.slug)],
        coupon_code="HEMAT10",
        provider="manual",
        affiliate=world.affiliate,
    )
    item = order.items.get()
    assert (item.coupon_discount, item.amount) == (100_000, 900_000)
    order_mark_paid(order=order, actor=world.admin)
    commission = Commission.objects.get(order=order)
    assert commission.amount == 180_000  # 20% of what the line paid


def test_affiliate_short_links_target_only_courses_they_may_promote(world):
    from sanggar.affiliates.services import affiliate_profile_ensure
    from sanggar.affiliates.services.short_links import short_link_create, target_path
    from sanggar.core.exceptions import ServiceError
    from sanggar.learning.constants import CourseStatus

    profile = affiliate_profile_ensure(user=world.affiliate)
    course = build_course(world.admin, "Ekspor Kopi", modules=1, lessons=1, quiz=False, affiliate_enabled=True)
    services.course_set_status(actor=world.admin, course=course, status=CourseStatus.PUBLISHED)

    link = short_link_create(
        affiliate=profile, domain=None, slug="kopi-dinda", target_kind="course", target_slug="ekspor-kopi"
    )
    assert target_path(link.target_kind, link.target_slug) == reverse("learning:course_detail", args=["ekspor-kopi"])

    services.course_set_status(actor=world.admin, course=course, status=CourseStatus.DRAFT)
    with pytest.raises(ServiceError) as refused:
        short_link_create(
            affiliate=profile, domain=None, slug="kopi-lagi", target_kind="course", target_slug="ekspor-kopi"
        )
    assert refused.value.errors["target"] == ["Tujuan link tidak ditemukan atau belum dipublikasikan."]


def test_module_rating_over_the_api(world, client):
    module = world.course.modules.first()
    url = f"/courses/{world.course.slug}/modules/{module.pk}/rating"
    assert call(client, "post", url, {"rating": 5}, user=world.free).status_code == 403
    services.lesson_open(user=world.member, lesson=module.lessons.first())
    answer = call(client, "post", url, {"rating": 4, "body": "Bagus"}, user=world.member)
    assert answer.status_code == 200, answer.content
    assert answer.json() == {
        "module_id": module.pk, "rating": 4, "body": "Bagus", "rating_average": 4.0, "rating_count": 1
    }  # fmt: skip
    assert call(client, "post", url, {"rating": 6}, user=world.member).status_code == 422
    missing = f"/courses/{world.course.slug}/modules/999999/rating"
    assert call(client, "post", missing, {"rating": 5}, user=world.member).status_code == 404
    detail = call(client, "get", f"/courses/{world.course.slug}", user=world.member).json()
    row = next(m for m in detail["modules"] if m["id"] == module.pk)
    assert (row["rating_average"], row["rating_count"], row["my_rating"]) == (4.0, 1, 4)
    anonymous = call(client, "get", f"/courses/{world.course.slug}").json()
    assert next(m for m in anonymous["modules"] if m["id"] == module.pk)["my_rating"] is None


def test_course_sales_appear_in_the_mentors_own_sales_with_their_share(world, client):
    """Penjualan Saya (page and API) lists the sales of the courses a mentor is responsible for, with the share the
    split posted; another mentor's course is not theirs."""
    from sanggar.orders.services import ItemRequest, order_create

    mine = build_course(
        world.admin, "Ekspor Teh", modules=1, lessons=1, quiz=False, role_access="public", price=400_000,
        mentor=world.mentor.pk, mentor_share_percent=25,
    )  # fmt: skip
    theirs = build_course(
        world.admin, "Ekspor Kakao", modules=1, lessons=1, quiz=False, role_access="public", price=100_000
    )
    for course in (mine, theirs):
        order = order_create(buyer=world.free, items=[ItemRequest("course", course.slug)], provider="manual")
        order_mark_paid(order=order, actor=world.admin)
    client.force_login(world.mentor)
    page = client.get("/penjualan-saya")
    assert page.status_code == 200
    orders = list(page.context["orders"])
    assert [o.mine_amount for o in orders] == [400_000]
    assert orders[0].share == 100_000  # 25% of what the line kept (no affiliate, no commission)
    assert "Ekspor Teh" in page.content.decode() and "Ekspor Kakao" not in page.content.decode()
    listed = call(client, "get", "/me/mentor-sales", user=world.mentor)
    assert listed.status_code == 200, listed.content
    assert [row["share"] for row in listed.json()["results"]] == [100_000]
