"""The live-classes API (contract paths of issue 15)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.classes import services
from sanggar.classes.constants import EnrollmentStatus
from sanggar.classes.models import Enrollment
from sanggar.orders.models import Order
from sanggar.orders.services import order_mark_paid

from .world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings):
    settings.PAYMENT_PROVIDERS = ["manual"]
    return World(make_user, admin_user, max_students=10)


def test_programs_with_fill_paginated_and_bounded(world, client, django_assert_max_num_queries):
    for n in range(25):
        t = services.template_create(actor=world.admin, data={"name": f"Program {n}", "subject": "Umum", "price": 1000})
        services.section_create(actor=world.admin, template=t)
        services.section_create(actor=world.admin, template=t)
    with django_assert_max_num_queries(4):
        body = call(client, "get", "/classes/programs").json()
    assert body["count"] == 26 and body["next_page"] == 2 and len(body["results"]) == 20
    body = call(client, "get", "/classes/programs", {"page": "2"}).json()
    row = next(r for r in body["results"] if r["slug"] == world.template.slug)
    assert row["price"] == 500_000 and row["meetings_per_period"] == 8
    assert row["sections"][0] == {
        "id": world.section.pk,
        "label": "A",
        "tutor": "Dr. Ahmad",
        "status": "active",
        "students": 0,
        "capacity": 10,
        "fill": "0/10 siswa",
    }
    assert call(client, "get", "/classes/programs", {"page": "0"}).status_code == 422
    assert call(client, "get", "/classes/programs", {"page": "x"}).status_code == 422


def test_register_approve_pay_attendance_over_the_api(world, client, make_user):
    path = f"/classes/programs/{world.template.slug}/register"
    assert call(client, "post", path).status_code == 401
    r = call(client, "post", path, user=world.student)
    assert r.status_code == 201 and r.json()["status"] == "waiting"
    again = call(client, "post", path, user=world.student)
    assert again.status_code == 400 and "sudah terdaftar" in again.json()["message"]
    assert call(client, "post", "/classes/programs/tidak-ada/register", user=world.student).status_code == 404
    entry_id = r.json()["id"]

    assert call(client, "get", "/admin/classes/waiting-list", user=world.student).status_code == 403
    waiting = call(client, "get", "/admin/classes/waiting-list", user=world.admin).json()
    assert waiting["count"] == 1 and waiting["results"][0]["student"] == "Siti Rahma"
    bad = call(client, "post", f"/admin/classes/waiting-list/{entry_id}/approve", {"section": 999999}, user=world.admin)
    assert bad.status_code == 400
    junk = call(client, "post", f"/admin/classes/waiting-list/{entry_id}/approve", {"section": "x"}, user=world.admin)
    assert junk.status_code == 422
    ok = call(
        client,
        "post",
        f"/admin/classes/waiting-list/{entry_id}/approve",
        {"section": world.section.pk},
        user=world.admin,
    )
    assert ok.status_code == 200 and ok.json()["section"] == "A"

    mine = call(client, "get", "/me/classes", user=world.student).json()["results"][0]
    assert mine["status"] == "approved" and mine["pay_before"] is not None and mine["section"] == "A"
    other = make_user(full_name="Orang Lain", email="lain@example.com")
    assert call(client, "post", f"/me/classes/{entry_id}/pay", {"provider": "manual"}, user=other).status_code == 404
    paid = call(client, "post", f"/me/classes/{entry_id}/pay", {"provider": "manual"}, user=world.student)
    assert paid.status_code == 201, paid.content
    assert paid.json()["total"] >= 500_000
    order_mark_paid(order=Order.objects.get(invoice_number=paid.json()["invoice_number"]), actor=world.admin)

    meeting = services.meeting_schedule(
        actor=world.admin,
        section=world.section,
        starts_at=timezone.now() - timedelta(minutes=10),
        minutes=60,
        url="https://meet.google.com/abc",
    )
    today = call(client, "get", "/tutor/meetings", user=world.tutor).json()
    assert today[0]["students"] == [{"enrollment": entry_id, "name": "Siti Rahma", "attendance": None}]
    assert call(client, "get", "/tutor/meetings", {"date": "kemarin"}, user=world.tutor).status_code == 422
    assert call(client, "get", "/tutor/meetings", user=world.student).status_code == 403
    mark = {"marks": [{"enrollment": entry_id, "status": "present"}]}
    for _ in range(2):  # idempotent
        r = call(client, "post", f"/tutor/meetings/{meeting.pk}/attendance", mark, user=world.tutor)
        assert r.status_code == 200 and r.json()["marked"][0]["label"] == "Hadir"
    bad_mark = {"marks": [{"enrollment": entry_id, "status": "tidur"}]}
    assert (
        call(client, "post", f"/tutor/meetings/{meeting.pk}/attendance", bad_mark, user=world.tutor).status_code == 422
    )
    card = call(client, "get", "/me/classes", user=world.student).json()["results"][0]
    assert card["status"] == "active" and card["meetings_used"] == 1 and card["meetings_left"] == 7
    assert card["next_meetings"][0]["join_url"] == "https://meet.google.com/abc"
    renew = call(client, "post", f"/me/classes/{entry_id}/renew", user=world.student)
    assert renew.status_code == 201 and renew.json()["section"] == "A"


def test_reject_and_hostile_input(world, client):
    entry = services.register(user=world.student, template=world.template)
    path = f"/admin/classes/waiting-list/{entry.pk}/reject"
    assert call(client, "post", path, {"reason": "a\x00b"}, user=world.admin).status_code == 400
    assert call(client, "post", path, {"reason": "x" * 301}, user=world.admin).status_code == 422
    assert call(client, "post", path, raw="{bukan json", user=world.admin).status_code in (400, 422)
    assert call(client, "post", path, {"reason": ["daftar"]}, user=world.admin).status_code == 422
    r = call(client, "post", path, {"reason": "Kuota penuh"}, user=world.admin)
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    assert Enrollment.objects.get(pk=entry.pk).status == EnrollmentStatus.REJECTED
    assert call(client, "post", "/classes/programs/" + "a" * 5000 + "/register", user=world.student).status_code == 404


def test_my_classes_and_waiting_list_are_bounded(world, client, make_user, django_assert_max_num_queries):
    for n in range(25):
        t = services.template_create(actor=world.admin, data={"name": f"Program {n}", "subject": "Umum", "price": 1000})
        s = services.section_create(actor=world.admin, template=t)
        e = services.register(user=world.student, template=t) if n < 4 else None
        if e:
            services.approve(actor=world.admin, entry=e, section=s)
        services.register(user=world.new_student(make_user), template=t)
    with django_assert_max_num_queries(8):
        assert call(client, "get", "/me/classes", user=world.student).json()["count"] == 4
    with django_assert_max_num_queries(8):
        body = call(client, "get", "/admin/classes/waiting-list", user=world.admin).json()
    assert body["count"] == 25 and len(body["results"]) == 20
