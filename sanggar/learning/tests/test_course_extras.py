"""A course's bonus products and private study group: chosen in the editor (page and API), shown on the course page
and in the API, given with the course by a purchase (revoked by its refund) and by a plan (re-synced when the
course's extras change), and the learner joins the study group's community."""

import pytest
from django.urls import reverse
from django.utils import timezone

from sanggar.access.models import Grant
from sanggar.access.policy import access_check, product_access_check
from sanggar.api.testing import call
from sanggar.community import services as community
from sanggar.community.constants import MemberSource, MemberStatus
from sanggar.community.models import GroupMember
from sanggar.learning import services
from sanggar.orders.services import ItemRequest, order_refund

from .world import World, build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PAYMENT_PROVIDERS = ["manual"]
    w = World(make_user, admin_user)
    w.ebook = w.shop.product("Ebook Panduan HS Code", price=99_000, status="draft")
    w.template = w.shop.product("Template Proforma Invoice", price=49_000)
    w.group = community.group_create(
        actor=admin_user, data={"name": "Grup Belajar Ekspor Rempah", "visibility": "hidden"}
    )
    w.paid = build_course(
        admin_user, "Ekspor Rempah", modules=1, lessons=2, quiz=False, role_access="public", price=300_000
    )
    return w


def _extras(world, course, products, group=None):
    return services.course_extras_set(
        actor=world.admin,
        course=course,
        bonus_products=[p.pk for p in products],
        study_group=group.resource_id if group else "",
    )


def test_editor_page_sets_extras_and_the_course_page_and_api_show_them(world, client):
    client.force_login(world.admin)
    url = reverse("learning:edit", args=[world.paid.slug]) + "?tab=akses"
    page = client.get(url).content.decode()
    assert 'id="extras-form"' in page and "Grup Belajar Ekspor Rempah" in page and "Ebook Panduan HS Code" in page
    response = client.post(
        url,
        {
            "section": "extras",
            "bonus_products": [world.ebook.pk, world.template.pk],
            "study_group": world.group.resource_id,
        },
    )
    assert response.status_code == 302
    assert set(world.paid.resource.bundled.values_list("pk", flat=True)) == {
        world.ebook.resource_id,
        world.template.resource_id,
        world.group.resource_id,
    }
    # An unknown product or group is refused with a message, nothing changes.
    bad = client.post(url, {"section": "extras", "bonus_products": ["999999"], "study_group": "abc"})
    assert bad.status_code == 400 and "Periksa kembali bonus dan grup belajar" in bad.content.decode()
    assert world.paid.resource.bundled.count() == 3
    client.logout()
    detail = client.get(reverse("learning:course_detail", args=[world.paid.slug])).content.decode()
    assert 'id="bonus-products"' in detail and "Template Proforma Invoice" in detail
    assert 'id="study-group"' in detail and "Grup Belajar Ekspor Rempah" in detail
    body = call(client, "get", f"/courses/{world.paid.slug}").json()
    assert [p["title"] for p in body["bonus_products"]] == ["Ebook Panduan HS Code", "Template Proforma Invoice"]
    assert body["study_group"]["name"] == "Grup Belajar Ekspor Rempah"
    assert body["study_group"]["url"].endswith(reverse("community:group", args=[world.group.slug]))


def test_purchase_grants_bonus_and_group_and_refund_revokes_them(world):
    _extras(world, world.paid, [world.ebook], world.group)
    buyer = world.free
    assert not product_access_check(user=buyer, product=world.ebook).allowed
    order = world.shop.buy_paid(buyer, ItemRequest("course", world.paid.slug))
    assert services.course_decision(user=buyer, course=world.paid).allowed
    assert product_access_check(user=buyer, product=world.ebook).allowed  # a draft product held by grant
    assert access_check(user=buyer, resource=world.group.resource).allowed
    row = GroupMember.objects.get(group=world.group, user=buyer)
    assert (row.status, row.source) == (MemberStatus.ACTIVE, MemberSource.MEMBERSHIP)
    assert Grant.objects.filter(user=buyer, source_ref=f"order:{order.invoice_number}").count() == 3
    order_refund(order=order, actor=world.admin, reason="Permintaan pembeli")
    assert not services.course_decision(user=buyer, course=world.paid).allowed
    assert not product_access_check(user=buyer, product=world.ebook).allowed
    assert not access_check(user=buyer, resource=world.group.resource).allowed  # the group locks, the row stays
    assert GroupMember.objects.filter(group=world.group, user=buyer).exists()


def test_plan_members_get_the_extras_when_added_and_lose_them_when_removed(world, django_capture_on_commit_callbacks):
    member = world.member  # their Gold plan includes world.course
    with django_capture_on_commit_callbacks(execute=True):
        _extras(world, world.course, [world.template], world.group)
    assert product_access_check(user=member, product=world.template).allowed
    assert access_check(user=member, resource=world.group.resource).allowed
    assert not GroupMember.objects.filter(group=world.group, user=member).exists()
    lesson = world.course.lessons.order_by("pk").first()
    services.lesson_open(user=member, lesson=lesson, now=timezone.now())  # the enrolment joins the group
    assert GroupMember.objects.get(group=world.group, user=member).status == MemberStatus.ACTIVE
    # Someone not on the plan gets nothing.
    assert not product_access_check(user=world.free, product=world.template).allowed
    with django_capture_on_commit_callbacks(execute=True):
        assert _extras(world, world.course, [], None) is True
    assert not product_access_check(user=member, product=world.template).allowed
    assert not access_check(user=member, resource=world.group.resource).allowed
    assert _extras(world, world.course, [], None) is False  # nothing changed, nothing recorded


def test_mentor_picks_only_their_products_and_groups_through_the_api(world, client, make_user):
    mentor = world.mentor  # responsible for world.course, which goes back to draft for them to edit
    services.course_set_status(actor=world.admin, course=world.course, status="draft")
    own = world.shop.product("Checklist Ekspor Mentor Budi", price=25_000, creator_id=mentor.pk)
    choices = call(client, "get", f"/mentor/courses/{world.course.slug}/extras", user=mentor).json()
    assert [c["title"] for c in choices["bonus_product_choices"]] == ["Checklist Ekspor Mentor Budi"]
    assert choices["study_group_choices"] == []  # they moderate no group
    refused = call(
        client,
        "put",
        f"/mentor/courses/{world.course.slug}/extras",
        {"bonus_products": [world.ebook.pk], "study_group": world.group.resource_id},
        user=mentor,
    )
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"bonus_products", "study_group"}
    community.member_add(actor=world.admin, group=world.group, user=mentor, role="moderator")
    saved = call(
        client,
        "put",
        f"/mentor/courses/{world.course.slug}/extras",
        {"bonus_products": [own.pk], "study_group": world.group.resource_id},
        user=mentor,
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["bonus_products"] == [{"id": own.pk, "title": "Checklist Ekspor Mentor Budi"}]
    assert saved.json()["study_group"]["id"] == world.group.resource_id
    stranger = make_user(full_name="Bukan Mentor")
    assert call(client, "get", f"/mentor/courses/{world.course.slug}/extras", user=stranger).status_code == 403
    wrong = call(client, "put", f"/mentor/courses/{world.course.slug}/extras", {"bonus_products": "x"}, user=mentor)
    assert wrong.status_code == 422


def test_a_learner_not_yet_in_the_study_group_joins_it_from_the_course_page(
    world, client, django_capture_on_commit_callbacks
):
    """A plan member who may open the course but never enrolled (or enrolled before the group was named) is not a
    member of the private group yet: the course page offers "Buka Grup Belajar", which joins them and opens the
    group, instead of a link that answers 404. Someone without the course gets the course's message instead."""
    with django_capture_on_commit_callbacks(execute=True):
        _extras(world, world.course, [], world.group)
    url = reverse("learning:study_group_open", args=[world.course.slug])
    client.force_login(world.member)
    page = client.get(reverse("learning:course_detail", args=[world.course.slug])).content.decode()
    assert url in page and "Buka Grup Belajar" in page
    assert not GroupMember.objects.filter(group=world.group, user=world.member).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("community:group", args=[world.group.slug])
    assert GroupMember.objects.get(group=world.group, user=world.member).status == MemberStatus.ACTIVE
    assert client.get(response["Location"]).status_code == 200

    client.force_login(world.free)  # not on the plan: no button, and the endpoint refuses
    assert url not in client.get(reverse("learning:course_detail", args=[world.course.slug])).content.decode()
    refused = client.post(url)
    assert refused["Location"] == reverse("learning:course_detail", args=[world.course.slug])
    assert not GroupMember.objects.filter(group=world.group, user=world.free).exists()
    assert client.get(url).status_code == 405
