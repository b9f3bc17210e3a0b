"""What a tier opens: an empty course list means every published course, also those published later; a changed
course list is applied to the participants already paid (`tier_regrant`, from the admin page and the API)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sanggar.access.models import Grant
from sanggar.api.testing import call
from sanggar.learning import services as learning
from sanggar.learning.models import Enrollment as CourseEnrollment
from sanggar.learning.policy import course_check_allowed
from sanggar.learning.tests.world import build_course
from sanggar.trainings import services
from sanggar.trainings.models import Participant

from .world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings):
    settings.PAYMENT_PROVIDERS = ["manual"]
    return World(make_user, admin_user)


def _course(world, title, **data):
    return build_course(
        world.admin, title, modules=1, lessons=1, quiz=False, role_access="member", sale_price=1, **data
    )


def test_empty_course_list_opens_every_published_course_also_later_ones(world, make_user):
    first = _course(world, "Public Speaking")
    draft = _course(world, "Desain Slide", status="draft")
    services.participant_add(actor=world.admin, user=world.member, tier=world.platinum)  # no course list
    assert course_check_allowed(user=world.member, course=first)
    assert not course_check_allowed(user=world.member, course=draft)
    later = _course(world, "Storytelling")  # published after the payment
    assert course_check_allowed(user=world.member, course=later)
    assert CourseEnrollment.objects.filter(user=world.member, course=later).exists()
    learning.course_set_status(actor=world.admin, course=draft, status="published")
    assert course_check_allowed(user=world.member, course=draft)
    # a participant of a tier with a course list does not get the new ones
    other = make_user(email="budi@example.com")
    services.tier_update(actor=world.admin, tier=world.basic, data={"course_ids": [first.pk]})
    services.participant_add(actor=world.admin, user=other, tier=world.basic)
    newest = _course(world, "Negosiasi")
    assert course_check_allowed(user=other, course=first)
    assert not course_check_allowed(user=other, course=newest)
    # the workspace lists every published course for the all-course tier
    assert [c.title for c in services.tier_courses(world.platinum)] == [
        "Desain Slide", "Negosiasi", "Public Speaking", "Storytelling",
    ]  # fmt: skip


def test_changing_a_tiers_courses_regrants_paid_participants(world, make_user):
    a, b = _course(world, "Kursus A"), _course(world, "Kursus B")
    services.tier_update(actor=world.admin, tier=world.basic, data={"course_ids": [a.pk]})
    paid = [make_user(email=f"p{n}@example.com") for n in range(3)]
    for user in paid:
        services.participant_add(actor=world.admin, user=user, tier=world.basic)
    pending = services.register(user=world.member, batch_slug=world.batch.slug, tier_slug=world.basic.slug)
    services.tier_update(actor=world.admin, tier=world.basic, data={"course_ids": [b.pk]})
    for user in paid:
        assert course_check_allowed(user=user, course=b)
        assert not course_check_allowed(user=user, course=a)  # removed from the tier: revoked, progress kept
        assert CourseEnrollment.objects.filter(user=user, course=a).exists()
    assert not course_check_allowed(user=world.member, course=b)  # not paid yet
    assert Participant.objects.get(pk=pending.pk).status == "pending"
    # running it again changes nothing
    assert services.tier_regrant(tier=world.basic) == 0


def test_regrant_keeps_the_access_end_and_skips_ended_access(world, make_user):
    a = _course(world, "Kursus A")
    services.tier_update(actor=world.admin, tier=world.basic, data={"access_days": 30, "course_ids": [a.pk]})
    fresh, old = make_user(email="fresh@example.com"), make_user(email="old@example.com")
    services.participant_add(actor=world.admin, user=fresh, tier=world.basic)
    services.participant_add(actor=world.admin, user=old, tier=world.basic, now=timezone.now() - timedelta(days=40))
    b = _course(world, "Kursus B")
    services.tier_update(actor=world.admin, tier=world.basic, data={"course_ids": [a.pk, b.pk]})
    grant = Grant.objects.get(user=fresh, resource=b.resource)
    paid_at = Participant.objects.get(user=fresh).paid_at
    assert grant.ends_at == paid_at + timedelta(days=30)
    assert not Grant.objects.filter(user=old, resource=b.resource).exists()


def test_regrant_from_the_admin_page_and_api(world, client, make_user):
    a = _course(world, "Kursus A")
    services.tier_update(actor=world.admin, tier=world.basic, data={"course_ids": [a.pk]})
    user = make_user(email="p@example.com")
    services.participant_add(actor=world.admin, user=user, tier=world.basic)
    b = _course(world, "Kursus B")
    world.basic.courses.add(b)  # changed outside the service: the button brings access in line
    assert not course_check_allowed(user=user, course=b)
    client.force_login(world.admin)
    url = reverse("trainings:admin_batch", args=[world.batch.slug])
    page = client.post(url, {"action": "tier_regrant", "tier": world.basic.pk}, follow=True)
    assert "Akses peserta diselaraskan (1 perubahan)." in page.content.decode()
    assert course_check_allowed(user=user, course=b)
    client.logout()
    body = call(client, "patch", f"/admin/trainings/tiers/{world.basic.pk}", {"course_ids": []}, user=world.admin)
    assert body.status_code == 200 and body.json()["course_ids"] == []
    assert course_check_allowed(user=user, course=a) and course_check_allowed(user=user, course=b)
    again = call(client, "post", f"/admin/trainings/tiers/{world.basic.pk}/regrant", user=world.admin)
    assert again.status_code == 200 and again.json() == {"changed": 0}
    refused = call(client, "post", f"/admin/trainings/tiers/{world.basic.pk}/regrant", user=user)
    assert refused.status_code == 403


def test_admin_batch_editing_api(world, client, django_assert_max_num_queries):
    made = call(
        client, "post", "/admin/trainings/batches",
        {"name": "Batch 6 Bandung", "starts_on": "2027-03-01", "ends_on": "2027-03-03", "capacity": 40,
         "status": "draft", "rundown": "09.00 Pembukaan"},
        user=world.admin,
    )  # fmt: skip
    assert made.status_code == 201, made.content
    batch = made.json()
    assert batch["slug"] == "batch-6-bandung" and batch["rundown"] == "09.00 Pembukaan" and batch["tiers"] == []
    tier = call(
        client, "post", f"/admin/trainings/batches/{batch['id']}/tiers",
        {"name": "Platinum", "price": 4_500_000, "benefits": "Sertifikat", "access_days": 365}, user=world.admin,
    )  # fmt: skip
    assert tier.status_code == 201 and tier.json()["slug"] == "platinum" and tier.json()["course_ids"] == []
    dup = call(client, "post", f"/admin/trainings/batches/{batch['id']}/tiers", {"name": "Platinum", "price": 1},
               user=world.admin)  # fmt: skip
    assert dup.status_code == 400 and "Slug tier sudah dipakai" in dup.json()["message"]
    changed = call(client, "patch", f"/admin/trainings/batches/{batch['id']}", {"status": "open", "capacity": 50},
                   user=world.admin)  # fmt: skip
    assert changed.status_code == 200
    assert changed.json()["status"] == "open" and changed.json()["capacity"] == 50
    assert changed.json()["tiers"][0]["name"] == "Platinum"
    bad = call(client, "patch", f"/admin/trainings/batches/{batch['id']}", {"ends_on": "2020-01-01"}, user=world.admin)
    assert bad.status_code == 400
    assert call(client, "patch", f"/admin/trainings/batches/{batch['id']}", {"name": "a\x00"},
                user=world.admin).status_code == 400  # fmt: skip
    with django_assert_max_num_queries(8):
        listing = call(client, "get", "/admin/trainings/batches", user=world.admin).json()
    assert listing["count"] == 2 and {b["slug"] for b in listing["results"]} == {"batch-6-bandung", world.batch.slug}
    assert call(client, "get", "/admin/trainings/batches", user=world.member).status_code == 403
    assert call(client, "post", "/admin/trainings/batches", {"name": "x"}, user=world.member).status_code == 403
