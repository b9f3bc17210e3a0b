"""Adopting a placeholder course resource (a plan's `dasar-ekspor` made before courses existed) by picking it on
the course editor's create page or through the API: the course keeps the resource (same key), so the plan's
members and the grants already given open it at once."""

import pytest
from django.urls import reverse
from django.utils import timezone

from sanggar.access.constants import GrantSource
from sanggar.access.models import Resource
from sanggar.access.services import grants_give
from sanggar.api.testing import call
from sanggar.catalog.models import PlanPrice
from sanggar.catalog.services.resources import resource_placeholder_create
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.roles import Role
from sanggar.learning import services
from sanggar.learning.models import Course
from sanggar.memberships.services import membership_activate
from sanggar.orders.tests.shop import Shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    shop = Shop(admin_user)
    placeholder = resource_placeholder_create(actor=admin_user, kind="course", title="Dasar Ekspor")
    plan = shop.plan("Gold", rank=2, resources=[placeholder], slug="gold")
    member = make_user(full_name="Member Gold", email="gold@example.com")
    membership_activate(
        user=member, plan_price=PlanPrice.objects.get(plan=plan), amount_paid=1_200_000, now=timezone.now()
    )
    granted = make_user(full_name="Pemegang Akses", email="akses@example.com")
    grants_give(
        user=granted, resources=[placeholder], source=GrantSource.ADMIN, source_ref="manual:1", starts_at=timezone.now()
    )
    return {
        "admin": admin_user,
        "placeholder": placeholder,
        "member": member,
        "granted": granted,
        "free": make_user(full_name="Gratis", email="free@example.com"),
        "mentor": make_user(Role.MENTOR, full_name="Mentor", email="m@example.com"),
    }


def _lesson(course, admin):
    module = services.module_save(actor=admin, course=course, title="Modul 1")
    return services.lesson_save(actor=admin, module=module, data={"title": "Pelajaran 1", "content": "<p>Isi</p>"})


def test_adopting_keeps_the_key_and_existing_access(world, client):
    placeholder = world["placeholder"]
    assert list(services.course_placeholders()) == [placeholder]
    course = services.course_adopt(
        actor=world["admin"], resource_id=placeholder.pk, data={"title": "Dasar-Dasar Ekspor untuk Pemula"}
    )
    assert course.resource_id == placeholder.pk
    assert Resource.objects.get(pk=placeholder.pk).key == "dasar-ekspor"
    assert course.slug == "dasar-dasar-ekspor-untuk-pemula"  # the slug follows the title, the key stays
    assert list(services.course_placeholders()) == []
    lesson = _lesson(course, world["admin"])
    for who in ("member", "granted"):
        assert services.course_decision(user=world[who], course=course).allowed, who
        client.force_login(world[who])
        page = client.get(reverse("learning:lesson", args=[course.slug, lesson.pk]))
        assert page.status_code == 200 and "Isi" in page.content.decode()
    assert not services.course_decision(user=world["free"], course=course).allowed
    # a second adoption of the same resource is refused
    with pytest.raises(ServiceError):
        services.course_adopt(actor=world["admin"], resource_id=placeholder.pk, data={})
    assert Course.objects.count() == 1


def test_only_admins_adopt_and_bad_ids(world):
    with pytest.raises(NotAllowed):
        services.course_adopt(actor=world["mentor"], resource_id=world["placeholder"].pk, data={})
    for bad in ("", "abc", "-1", "99999999999999999999", None, 0):
        with pytest.raises(ServiceError):
            services.course_adopt(actor=world["admin"], resource_id=bad, data={})
    product_resource = Resource.objects.create(kind="group", key="grup-x", title="Grup X")
    with pytest.raises(ServiceError):  # not a course resource
        services.course_adopt(actor=world["admin"], resource_id=product_resource.pk, data={})
    assert not Course.objects.exists()
    course = services.course_adopt(actor=world["admin"], resource_id=world["placeholder"].pk, data={})
    assert course.title == "Dasar Ekspor"  # the placeholder's name by default


def test_create_page_picker(world, client):
    url = reverse("learning:create")
    client.force_login(world["admin"])
    page = client.get(url).content.decode()
    assert 'id="placeholder-picker"' in page and f'<option value="{world["placeholder"].pk}"' in page
    bad = client.post(url, {"title": "X", "placeholder": "123456789", "role_access": "member", "level": "pemula"})
    assert bad.status_code == 400 and "Pilih kelas placeholder yang tersedia" in bad.content.decode()
    response = client.post(
        url,
        {
            "title": "Dasar Ekspor",
            "placeholder": str(world["placeholder"].pk),
            "role_access": "member",
            "level": "pemula",
        },
    )
    assert response.status_code == 302
    assert Course.objects.get().resource_id == world["placeholder"].pk
    # mentors never see the picker, and a posted placeholder is refused for them
    client.force_login(world["mentor"])
    assert 'id="placeholder-picker"' not in client.get(url).content.decode()


def test_mentor_cannot_adopt_through_the_form(world, client):
    client.force_login(world["mentor"])
    url = reverse("learning:create")
    response = client.post(
        url, {"title": "Curi", "placeholder": str(world["placeholder"].pk), "role_access": "member", "level": "pemula"}
    )
    assert response.status_code in (400, 403)
    assert not Course.objects.exists()


def test_api(world, client):
    listing = call(client, "get", "/admin/course-placeholders", user=world["admin"]).json()
    assert listing["results"] == [{"id": world["placeholder"].pk, "key": "dasar-ekspor", "title": "Dasar Ekspor"}]
    assert call(client, "get", "/admin/course-placeholders", user=world["mentor"]).status_code == 403
    path = f"/admin/course-placeholders/{world['placeholder'].pk}/adopt"
    assert call(client, "post", path, {"title": "X"}, user=world["mentor"]).status_code == 403
    assert call(client, "post", path, {"title": "X", "role_access": "<b>"}, user=world["admin"]).status_code == 400
    assert call(client, "post", "/admin/course-placeholders/0/adopt", {}, user=world["admin"]).status_code == 400
    done = call(client, "post", path, {}, user=world["admin"])
    assert done.status_code == 201
    assert done.json()["resource_key"] == "dasar-ekspor" and done.json()["status"] == "published"
    slug = done.json()["slug"]
    got = call(client, "get", f"/courses/{slug}", user=world["member"]).json()
    assert got["access"]["allowed"] is True


def test_membership_saya_links_an_included_course_to_its_page(world, client):
    """A placeholder has no page of its own: "Membership Saya" names it; once adopted, it links the course page."""
    client.force_login(world["member"])
    page = client.get(reverse("memberships:mine")).content.decode()
    assert 'data-included="Dasar Ekspor"' in page and "data-included-link" not in page
    course = services.course_adopt(actor=world["admin"], resource_id=world["placeholder"].pk, data={})
    page = client.get(reverse("memberships:mine")).content.decode()
    assert f'href="{reverse("learning:course_detail", args=[course.slug])}" data-included-link' in page
