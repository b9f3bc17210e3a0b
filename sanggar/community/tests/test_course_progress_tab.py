"""A course group's "Progres Kursus" tab: the group's admins and moderators and the course's mentor see every
member's progress in the course; a member sees only their own; groups without a course have no such tab."""

import pytest
from django.utils import timezone

from sanggar.community import proposals, services
from sanggar.community.tests.world import World
from sanggar.learning.models import Enrollment
from sanggar.learning.services import course_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = World(make_user, admin_user)
    w.course = course_create(actor=w.mentor, data={"title": "Ekspor Kopi ke Jepang"})
    w.group = proposals.mentor_group_create(actor=w.mentor, course=w.course, data={"name": "Kelas Kopi"})
    for user in (w.premium, w.free):
        services.member_add(actor=admin_user, group=w.group, user=user)
    now = timezone.now()
    Enrollment.objects.create(user=w.premium, course=w.course, source="admin", created_at=now, progress_percent=40)
    Enrollment.objects.create(
        user=w.free, course=w.course, source="admin", created_at=now, progress_percent=100, completed_at=now
    )
    return w


def section(client, slug) -> str:
    html = client.get(f"/komunitas/grup/{slug}?tab=progres").content.decode()
    start = html.find('id="course-progress"')
    return html[start : html.find("</section>", start)] if start >= 0 else ""


def test_mentor_and_group_staff_see_every_member(world, client, django_assert_max_num_queries):
    client.force_login(world.mentor)
    body = section(client, world.group.slug)
    assert "Dinda Premium" in body and "40%" in body and "Riko Gratis" in body and "Selesai" in body
    client.get(f"/komunitas/grup/{world.group.slug}?tab=progres")
    with django_assert_max_num_queries(40):
        client.get(f"/komunitas/grup/{world.group.slug}?tab=progres")
    client.force_login(world.admin)
    assert "Riko Gratis" in section(client, world.group.slug)
    row = services.member_row(world.premium, world.group)
    services.member_set_role(actor=world.admin, member=row, role="moderator")
    client.force_login(world.premium)
    assert "Riko Gratis" in section(client, world.group.slug)


def test_member_sees_only_own_progress(world, client):
    client.force_login(world.premium)
    body = section(client, world.group.slug)
    assert "Dinda Premium" in body and "40%" in body
    assert "Riko Gratis" not in body


def test_no_tab_without_a_course_and_outsiders_kept_out(world, client):
    client.force_login(world.premium)
    assert 'id="tab-progress"' not in client.get(f"/komunitas/grup/{world.public.slug}").content.decode()
    assert 'id="tab-progress"' in client.get(f"/komunitas/grup/{world.group.slug}").content.decode()
    client.force_login(world.outsider)
    response = client.get(f"/komunitas/grup/{world.group.slug}?tab=progres")
    assert response.status_code in (200, 403, 404)
    assert "Dinda Premium" not in response.content.decode()
