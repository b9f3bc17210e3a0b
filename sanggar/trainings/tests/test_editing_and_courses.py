"""Batch and tier editing through the services and the admin page; tier → course links: paying for the tier opens
its courses (access grants and enrolments of sanggar/learning), a refund closes them."""

from datetime import date

import pytest

from sanggar.api.testing import call
from sanggar.core.exceptions import ServiceError
from sanggar.learning.models import Enrollment as CourseEnrollment
from sanggar.learning.policy import course_check_allowed
from sanggar.learning.tests.world import build_course
from sanggar.orders.checkout import checkout_place
from sanggar.orders.services import ItemRequest, order_mark_paid, order_refund
from sanggar.trainings import services
from sanggar.trainings.constants import BatchStatus, ParticipantStatus

from .world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings):
    settings.PAYMENT_PROVIDERS = ["manual"]
    return World(make_user, admin_user, capacity=2)


def test_batch_and_tier_updates_are_validated(world, make_user):
    batch = services.batch_update(
        actor=world.admin,
        batch=world.batch,
        data={"name": "Batch 5 (Jakarta)", "status": BatchStatus.PUBLISHED, "rundown": "09.00 Pembukaan"},
    )
    assert batch.name == "Batch 5 (Jakarta)" and batch.status == BatchStatus.PUBLISHED
    with pytest.raises(ServiceError, match="Tanggal selesai"):
        services.batch_update(actor=world.admin, batch=batch, data={"ends_on": date(2026, 1, 1)})
    with pytest.raises(ServiceError, match="Status batch"):
        services.batch_update(actor=world.admin, batch=batch, data={"status": "hapus"})
    with pytest.raises(ServiceError, match="tidak diizinkan"):
        services.batch_update(actor=world.admin, batch=batch, data={"name": "a\x00b"})
    services.participant_add(actor=world.admin, user=world.member, tier=world.basic)
    services.participant_add(actor=world.admin, user=make_user(email="budi@example.com"), tier=world.basic)
    with pytest.raises(ServiceError, match="di bawah jumlah peserta yang sudah membayar \\(2\\)"):
        services.batch_update(actor=world.admin, batch=batch, data={"capacity": 1})
    tier = services.tier_update(actor=world.admin, tier=world.basic, data={"price": 1_750_000, "access_days": "30"})
    assert tier.price == 1_750_000 and tier.access_days == 30
    with pytest.raises(ServiceError):
        services.tier_update(actor=world.admin, tier=tier, data={"price": -5})
    with pytest.raises(ServiceError, match="tidak ditemukan atau belum terbit"):
        services.tier_update(actor=world.admin, tier=tier, data={"course_ids": [999999]})
    with pytest.raises(ServiceError):
        services.tier_update(actor=world.admin, tier=tier, data={"course_ids": ["x"]})


def test_paid_tier_opens_its_courses_and_refund_closes_them(world, make_user):
    course = build_course(world.admin, "Public Speaking untuk Trainer", role_access="member", sale_price=250_000)
    other = build_course(world.admin, "Desain Slide", role_access="member", sale_price=150_000)
    services.tier_update(actor=world.admin, tier=world.platinum, data={"course_ids": [course.pk]})
    assert not course_check_allowed(user=world.member, course=course)
    participant = services.register(user=world.member, batch_slug=world.batch.slug, tier_slug="platinum")
    order = checkout_place(
        buyer=world.member, items=[ItemRequest(kind="training", slug=str(participant.pk))], provider="manual"
    ).order
    order_mark_paid(order=order, actor=world.admin)
    assert course_check_allowed(user=world.member, course=course)
    assert not course_check_allowed(user=world.member, course=other)
    assert CourseEnrollment.objects.filter(user=world.member, course=course).exists()
    order_refund(order=order, actor=world.admin, reason="Batal ikut")
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.CANCELLED
    assert not course_check_allowed(user=world.member, course=course)
    # an admin-added participant gets the courses too
    guest = make_user(full_name="Budi Santoso", email="budi@example.com")
    services.participant_add(actor=world.admin, user=guest, tier=world.platinum)
    assert course_check_allowed(user=guest, course=course)


def test_admin_page_edits_batch_tier_and_courses_and_workspace_lists_them(world, client):
    course = build_course(world.admin, "Public Speaking untuk Trainer", role_access="member", sale_price=250_000)
    client.force_login(world.admin)
    url = f"/admin/trainings/{world.batch.slug}"
    page = client.get(url).content.decode()
    assert "Ubah batch" in page and "Public Speaking untuk Trainer" in page
    client.post(
        url,
        {
            "action": "batch",
            "name": "Batch 5 Bandung",
            "starts_on": "2027-01-10",
            "ends_on": "2027-01-12",
            "capacity": "40",
            "location": "Bandung",
            "status": "published",
            "trainer": "Coach Rina",
            "rundown": "09.00 Registrasi",
        },
    )
    world.batch.refresh_from_db()
    assert world.batch.location == "Bandung" and world.batch.capacity == 40
    r = client.post(
        url, {"action": "batch", "name": "x", "starts_on": "2027-01-10", "ends_on": "2020-01-01"}, follow=True
    )
    assert "Tanggal selesai" in r.content.decode()
    client.post(
        url,
        {
            "action": "tier_edit",
            "tier": world.platinum.pk,
            "name": "Platinum Plus",
            "price": "5000000",
            "benefits": "Semua kursus",
            "courses": [str(course.pk)],
        },
    )
    world.platinum.refresh_from_db()
    assert world.platinum.name == "Platinum Plus" and list(world.platinum.courses.all()) == [course]
    assert client.post(url, {"action": "tier_edit", "tier": "abc", "name": "x", "price": "1"}).status_code == 404
    assert client.post(url, {"action": "tier_edit", "tier": "1\x00", "name": "x", "price": "1"}).status_code == 400
    services.participant_add(actor=world.admin, user=world.member, tier=world.platinum)
    client.force_login(world.member)
    work = client.get(f"/training/{world.batch.slug}").content.decode()
    assert "Kursus Anda" in work and "Public Speaking untuk Trainer" in work
    assert client.get(url).status_code in (302, 403)


def test_admin_tier_update_api(world, client):
    course = build_course(world.admin, "Public Speaking untuk Trainer", role_access="member", sale_price=250_000)
    path = f"/admin/trainings/tiers/{world.basic.pk}"
    assert call(client, "patch", path, {"price": 1}, user=world.member).status_code == 403
    r = call(client, "patch", path, {"price": 2_000_000, "course_ids": [course.pk]}, user=world.admin)
    assert r.status_code == 200, r.content
    assert (
        r.json()["price"] == 2_000_000 and r.json()["course_ids"] == [course.pk] and r.json()["name"] == "Trainer Only"
    )
    assert call(client, "patch", path, {"course_ids": [999999]}, user=world.admin).status_code == 400
    assert call(client, "patch", path, {"price": "mahal"}, user=world.admin).status_code == 422
    assert call(client, "patch", path, {"name": "a\x00b"}, user=world.admin).status_code == 400
    assert call(client, "patch", "/admin/trainings/tiers/999999", {"price": 1}, user=world.admin).status_code == 404
