"""Mentors create private groups for their own courses directly and propose public groups an admin approves or
rejects (note, notification, audit); pages per role and the API; denials change nothing."""

import pytest

from sanggar.api.testing import call
from sanggar.audit.models import ActivityLog
from sanggar.community import proposals, services, stats
from sanggar.community.models import Group, GroupMember, GroupProposal
from sanggar.community.tests.world import World
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.roles import Role
from sanggar.learning.services import course_create
from sanggar.notifications.models import Notification


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = World(make_user, admin_user)
    w.course = course_create(actor=w.mentor, data={"title": "Ekspor Kopi ke Jepang"})
    w.other_mentor = make_user(Role.MENTOR, full_name="Mentor Lain", email="lain@example.com")
    w.other_course = course_create(actor=w.other_mentor, data={"title": "Ekspor Rempah"})
    return w


def test_mentor_creates_private_group_for_own_course(world):
    group = proposals.mentor_group_create(actor=world.mentor, course=world.course, data={"name": "Kelas Kopi"})
    assert group.visibility == "private" and group.course == world.course and group.owner == world.mentor
    assert GroupMember.objects.get(group=group, user=world.mentor).role == "owner"
    assert world.course.resource.bundled.filter(pk=group.resource_id).exists()  # the course's study group
    assert ActivityLog.objects.filter(action="community.mentor_group").count() == 1


def test_mentor_cannot_use_someone_elses_course_or_be_a_member(world):
    with pytest.raises(NotAllowed):
        proposals.mentor_group_create(actor=world.mentor, course=world.other_course, data={"name": "Curian"})
    with pytest.raises(NotAllowed):
        proposals.mentor_group_create(actor=world.free, course=world.course, data={"name": "Bukan mentor"})
    with pytest.raises(ServiceError):
        proposals.course_for(world.mentor, world.other_course.pk)
    assert not Group.objects.filter(name__in=["Curian", "Bukan mentor"]).exists()


def test_public_proposal_approved_creates_group_owned_by_mentor(world):
    proposal = proposals.proposal_create(
        actor=world.mentor, data={"name": "Eksportir Muda", "description": "Diskusi terbuka", "reason": "ramai"}
    )
    assert proposal.status == "pending" and not Group.objects.filter(slug="eksportir-muda").exists()
    assert Notification.objects.filter(user=world.admin, data__template="community_proposal_filed").exists()
    with pytest.raises(NotAllowed):
        proposals.proposal_decide(actor=world.mentor, proposal=proposal, approve=True)
    done = proposals.proposal_decide(actor=world.admin, proposal=proposal, approve=True, note="Silakan")
    assert done.status == "approved" and done.group.visibility == "public" and done.group.owner == world.mentor
    assert Notification.objects.filter(user=world.mentor, data__template="community_proposal_approved").exists()
    assert ActivityLog.objects.filter(action="community.proposal_approved").count() == 1
    with pytest.raises(ServiceError):  # decided once
        proposals.proposal_decide(actor=world.admin, proposal=proposal, approve=False, note="x")


def test_rejection_needs_a_note_and_tells_the_mentor(world):
    proposal = proposals.proposal_create(actor=world.mentor, data={"name": "Grup Ditolak"})
    with pytest.raises(ServiceError):
        proposals.proposal_decide(actor=world.admin, proposal=proposal, approve=False, note="")
    proposals.proposal_decide(actor=world.admin, proposal=proposal, approve=False, note="Sudah ada grup serupa")
    proposal.refresh_from_db()
    assert proposal.status == "rejected" and proposal.note == "Sudah ada grup serupa" and proposal.group is None
    assert Notification.objects.filter(user=world.mentor, data__template="community_proposal_rejected").exists()
    assert ActivityLog.objects.filter(action="community.proposal_rejected").count() == 1


def test_members_cannot_propose_and_open_proposals_are_capped(world):
    with pytest.raises(NotAllowed):
        proposals.proposal_create(actor=world.premium, data={"name": "Grup Saya"})
    for i in range(proposals.PROPOSALS_PENDING_MAX):
        proposals.proposal_create(actor=world.mentor, data={"name": f"Usulan {i}"})
    with pytest.raises(ServiceError):
        proposals.proposal_create(actor=world.mentor, data={"name": "Kebanyakan"})


def test_pages_per_role(world, client):
    client.force_login(world.premium)
    assert client.get("/komunitas/grup-baru").status_code == 403
    assert client.get("/admin/grup/usulan").status_code == 403
    client.force_login(world.mentor)
    assert client.get("/komunitas/grup-baru").status_code == 200
    r = client.post("/komunitas/grup-baru", {"kind": "course", "course": world.course.pk, "name": "Kopi Privat"})
    assert r.status_code == 302 and Group.objects.get(name="Kopi Privat").visibility == "private"
    r = client.post("/komunitas/grup-baru", {"kind": "course", "course": world.other_course.pk, "name": "Bukan"})
    assert r.status_code == 200 and "Pilih salah satu kursus Anda" in r.content.decode()
    client.post("/komunitas/grup-baru", {"kind": "public", "name": "Publik Baru", "reason": "perlu"})
    proposal = GroupProposal.objects.get(name="Publik Baru")
    assert "Publik Baru" in client.get("/komunitas/usulan-grup").content.decode()
    assert client.post(f"/admin/grup/usulan/{proposal.pk}", {"decision": "approve"}).status_code == 403
    client.force_login(world.admin)
    page = client.get("/admin/grup/usulan").content.decode()
    assert "Publik Baru" in page
    r = client.post(f"/admin/grup/usulan/{proposal.pk}", {"decision": "reject", "note": ""})
    proposal.refresh_from_db()
    assert proposal.status == "pending"  # a rejection without a note changed nothing
    client.post(f"/admin/grup/usulan/{proposal.pk}", {"decision": "approve"})
    proposal.refresh_from_db()
    assert proposal.status == "approved"


def test_api(world, client):
    r = call(client, "post", "/mentor/groups", {"course": world.course.pk, "name": "Kopi API"}, user=world.mentor)
    assert r.status_code == 201 and r.json()["visibility"] == "private"
    r = call(client, "post", "/mentor/groups", {"course": world.other_course.pk, "name": "X"}, user=world.mentor)
    assert r.status_code == 400
    assert call(client, "post", "/mentor/groups", {"course": 1, "name": "X"}, user=world.premium).status_code == 400
    r = call(client, "post", "/group-proposals", {"name": "Publik API"}, user=world.mentor)
    assert r.status_code == 201 and r.json()["status"] == "pending"
    pid = r.json()["id"]
    assert call(client, "post", "/group-proposals", {"name": "Y"}, user=world.premium).status_code == 403
    assert call(client, "get", "/group-proposals", user=world.mentor).json()["count"] == 1
    assert call(client, "get", "/group-proposals", user=world.premium).json()["count"] == 0
    assert call(client, "post", f"/group-proposals/{pid}/approve", {}, user=world.mentor).status_code == 403
    assert call(client, "post", f"/group-proposals/{pid}/reject", {"note": ""}, user=world.admin).status_code == 400
    r = call(client, "post", f"/group-proposals/{pid}/approve", {"note": "ok"}, user=world.admin)
    assert r.status_code == 200 and r.json()["group"] == "publik-api"
    assert call(client, "post", f"/group-proposals/{pid}/approve", {}, user=world.admin).status_code == 409
    assert call(client, "post", "/group-proposals/999999/approve", {}, user=world.admin).status_code == 404
    hostile = call(client, "post", "/group-proposals", {"name": "a\x00b"}, user=world.mentor)
    assert hostile.status_code == 400


def test_group_stats_for_staff_only(world, client, django_assert_max_num_queries):
    post = services.post_create(user=world.premium, group=world.public, body="Halo grup")
    figures = stats.group_stats(world.public)
    assert figures["posts"] == 1 and figures["members"] >= 2 and figures["active_members"] == 1
    assert post.pk
    client.force_login(world.premium)
    assert client.get(f"/komunitas/grup/{world.public.slug}/statistik").status_code == 403
    assert call(client, "get", f"/groups/{world.public.slug}/stats", user=world.premium).status_code == 403
    assert call(client, "get", f"/groups/{world.hidden.slug}/stats", user=world.outsider).status_code == 404
    client.force_login(world.admin)
    with django_assert_max_num_queries(20):
        page = client.get(f"/komunitas/grup/{world.public.slug}/statistik")
    assert page.status_code == 200 and 'id="group-stats"' in page.content.decode()
    body = call(client, "get", f"/groups/{world.public.slug}/stats", user=world.admin).json()
    assert body["posts"] == 1 and body["days"] == 7
