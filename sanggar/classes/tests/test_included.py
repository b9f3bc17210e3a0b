"""Programs inside membership plans and products: the program is an access resource ("live_class"); a plan or a
product that includes it gives its periods without an order, still through the waiting list and the admin's approval
into a section."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sanggar.access.models import Resource
from sanggar.access.services import grant_create
from sanggar.access.tests.factories import make_plan
from sanggar.api.testing import call
from sanggar.classes import selectors, services
from sanggar.classes.constants import RESOURCE_KIND, EnrollmentStatus
from sanggar.core.exceptions import ServiceError
from sanggar.memberships.models import UserMembership
from sanggar.orders.models import Order

from .world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings):
    settings.PAYMENT_PROVIDERS = ["manual"]
    return World(make_user, admin_user)


def _resource(world):
    return Resource.objects.get(kind=RESOURCE_KIND, key=world.template.slug)


def _join(user, plan, *, days=30):
    now = timezone.now()
    return UserMembership.objects.create(
        user=user, plan=plan, duration="1m", status="active", starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=days),
    )  # fmt: skip


def test_a_program_is_an_access_resource_offered_in_plan_editing(world, admin_client):
    resource = _resource(world)
    assert resource.title == "Semi-Private Grammar" and resource.is_active
    assert resource.get_kind_display() == "Kelas Live"
    plan = make_plan("gold")
    page = admin_client.get(reverse("catalog:admin_plan_content", args=[plan.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'name="resource_ids" value="{resource.pk}"' in html
    assert "Kelas Live</legend>" in html and "<span>Semi-Private Grammar</span>" in html
    admin_client.post(reverse("catalog:admin_plan_content", args=[plan.pk]), {"resource_ids": [str(resource.pk)]})
    assert list(plan.included_resources.all()) == [resource]


def test_member_of_a_plan_including_the_program_is_activated_at_approval_without_an_order(world):
    plan = make_plan("gold", resources=[_resource(world)])
    membership = _join(world.student, plan)
    entry = services.register(user=world.student, template=world.template)
    entry = services.approve(actor=world.admin, entry=entry, section=world.section)
    assert entry.status == EnrollmentStatus.ACTIVE
    assert entry.included_by == f"membership:{membership.pk}"
    assert entry.meetings_quota == 8 and entry.order_invoice == ""
    assert entry.period_end - entry.period_start == timedelta(days=30)
    assert not Order.objects.exists()
    world.section.refresh_from_db()
    assert world.section.seats_taken == 1  # the seat is still counted


def test_a_member_of_another_plan_pays(world):
    make_plan("gold", resources=[_resource(world)])
    _join(world.student, make_plan("silver", rank=1))
    entry = services.register(user=world.student, template=world.template)
    entry = services.approve(actor=world.admin, entry=entry, section=world.section)
    assert entry.status == EnrollmentStatus.APPROVED and entry.pay_before is not None
    with pytest.raises(ServiceError):
        services.activate_included(user=world.student, entry=entry)


def test_a_product_bought_that_includes_the_program_counts_and_a_revoked_grant_does_not(world):
    grant = grant_create(
        user=world.student, resource=_resource(world), source="purchase", source_ref="order:INV1",
        starts_at=timezone.now() - timedelta(hours=1),
    )  # fmt: skip
    assert selectors.included_programs(world.student) == {world.template.slug: "order:INV1"}
    grant.revoked_at = timezone.now()
    grant.save()
    assert selectors.included_programs(world.student) == {}


def test_membership_started_after_approval_activates_from_the_card(world, client):
    entry = services.register(user=world.student, template=world.template)
    entry = services.approve(actor=world.admin, entry=entry, section=world.section)
    assert entry.status == EnrollmentStatus.APPROVED
    _join(world.student, make_plan("gold", resources=[_resource(world)]))
    client.force_login(world.student)
    page = client.get(reverse("classes:mine")).content.decode()
    assert "Aktifkan Kelas" in page
    client.post(reverse("classes:pay", args=[entry.pk]), {"included": "1"})
    entry.refresh_from_db()
    assert entry.status == EnrollmentStatus.ACTIVE and entry.included_by.startswith("membership:")


def test_renewal_while_included_starts_at_the_current_end_without_paying(world):
    _join(world.student, make_plan("gold", resources=[_resource(world)]), days=90)
    entry = services.approve(
        actor=world.admin, entry=services.register(user=world.student, template=world.template), section=world.section
    )
    renewal = services.renew(user=world.student, entry=entry)
    assert renewal.status == EnrollmentStatus.ACTIVE
    assert renewal.period_start == entry.period_end and renewal.section_id == world.section.pk
    world.section.refresh_from_db()
    assert world.section.seats_taken == 1


def test_api_reports_included_and_activates(world, client):
    entry = services.approve(
        actor=world.admin, entry=services.register(user=world.student, template=world.template), section=world.section
    )
    refused = call(client, "post", f"/me/classes/{entry.pk}/activate", user=world.student)
    assert refused.status_code == 400
    _join(world.student, make_plan("gold", resources=[_resource(world)]))
    mine = call(client, "get", "/me/classes", user=world.student).json()["results"][0]
    assert mine["included"] is True and mine["included_by"] == ""
    done = call(client, "post", f"/me/classes/{entry.pk}/activate", user=world.student)
    assert done.status_code == 200 and done.json()["status"] == "active"
