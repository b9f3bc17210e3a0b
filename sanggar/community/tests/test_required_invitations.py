"""The required groups (PR #3) command and report, and group invitations (service, pages, API)."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.catalog.models import PlanPrice
from sanggar.community import services
from sanggar.community.constants import InvitationStatus, MemberSource, MemberStatus
from sanggar.community.models import Group, GroupInvitation, GroupMember
from sanggar.community.required import required_groups_report, required_groups_setup
from sanggar.core.exceptions import NotAllowed, NotFound, ServiceError
from sanggar.memberships.services import membership_activate, memberships_expire_sweep
from sanggar.notifications.models import Notification

from .world import World


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return World(make_user, admin_user)


def _lifetime_member(world, make_user):
    plan = world.shop.plan("Lifetime", rank=3, prices=(("lifetime", 2_999_000),), slug="lifetime")
    user = make_user(full_name="Rara Lifetime", email="rara@example.com")
    membership_activate(user=user, plan_price=PlanPrice.objects.get(plan=plan), amount_paid=2_999_000)
    return user


# --- required groups ------------------------------------------------------------------------------------------------


def test_required_groups_setup_is_idempotent_and_puts_members_in_the_right_groups(world, make_user):
    lifetime = _lifetime_member(world, make_user)
    before = required_groups_report()
    assert all(not r.ok for r in before)  # no group yet: everyone missing
    reports = {r.slug: r for r in required_groups_setup()}
    support, website = reports["support-ekspor-yuk"], reports["website-ekspor"]
    assert support.created and support.ok and support.expected == 2 and support.present == 2
    assert website.created and website.ok and website.expected == 1
    assert services.is_member(world.premium, Group.objects.get(slug="support-ekspor-yuk"))
    assert not services.is_member(world.premium, Group.objects.get(slug="website-ekspor"))  # 12 months, not lifetime
    assert services.is_member(lifetime, Group.objects.get(slug="website-ekspor"))
    assert not services.is_member(world.free, Group.objects.get(slug="support-ekspor-yuk"))
    rows = GroupMember.objects.count()
    again = {r.slug: r for r in required_groups_setup()}
    assert not again["support-ekspor-yuk"].created and again["support-ekspor-yuk"].rows_added == 0
    assert GroupMember.objects.count() == rows and Group.objects.filter(slug="support-ekspor-yuk").count() == 1


def test_required_group_locks_on_expiry_and_report_names_a_banned_member(world, make_user):
    required_groups_setup()
    support = Group.objects.get(slug="support-ekspor-yuk")
    services.member_ban(actor=world.admin, group=support, user=world.premium)
    report = {r.slug: r for r in required_groups_report()}["support-ekspor-yuk"]
    assert not report.ok and report.missing[0][1] == "dinda@example.com" and "diblokir" in report.missing[0][2]
    services.member_unban(actor=world.admin, member=GroupMember.objects.get(group=support, user=world.premium))
    required_groups_setup()
    assert services.is_member(world.premium, support)
    later = world.membership.ends_at + timezone.timedelta(days=1)
    memberships_expire_sweep(now=later)
    assert not services.is_member(world.premium, support)  # locked; the row stays for renewal
    assert GroupMember.objects.filter(group=support, user=world.premium).exists()


def test_required_groups_command_reports_and_check_mode_fails_when_missing(world):
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("community_required_groups", "--check", stdout=out)
    assert "BELUM MASUK" in out.getvalue()
    out = io.StringIO()
    call_command("community_required_groups", stdout=out)
    assert "Support Ekspor Yuk" in out.getvalue() and "Semua member aktif ada di grup wajib" in out.getvalue()
    out = io.StringIO()
    call_command("community_required_groups", "--check", stdout=out)  # no SystemExit: everything is in place
    assert "sudah masuk: 1" in out.getvalue()


# --- invitations ----------------------------------------------------------------------------------------------------


def test_invitation_accept_makes_member_and_notifies_both(world):
    inv = services.invitation_create(actor=world.admin, group=world.hidden, invitee=world.outsider)
    assert Notification.objects.filter(user=world.outsider, data__template="community_invitation").exists()
    assert services.invitation_create(actor=world.admin, group=world.hidden, invitee=world.outsider).pk == inv.pk
    services.invitation_respond(user=world.outsider, invitation=inv, accept=True)
    assert services.is_member(world.outsider, world.hidden)
    row = GroupMember.objects.get(group=world.hidden, user=world.outsider)
    assert row.source == MemberSource.INVITATION and row.status == MemberStatus.ACTIVE
    assert Notification.objects.filter(user=world.admin, data__template="community_invitation_accepted").exists()
    with pytest.raises(ServiceError):
        services.invitation_respond(user=world.outsider, invitation=inv, accept=False)


def test_invitation_rules(world):
    with pytest.raises(NotFound):  # an outsider does not even learn a hidden group exists
        services.invitation_create(actor=world.outsider, group=world.hidden, invitee=world.free)
    with pytest.raises(NotAllowed):  # a plain member may not invite into a private group
        services.invitation_create(actor=world.free, group=world.private, invitee=world.outsider)
    inv = services.invitation_create(actor=world.premium, group=world.public, invitee=world.free)
    with pytest.raises(NotFound):
        services.invitation_respond(user=world.outsider, invitation=inv, accept=True)
    services.invitation_respond(user=world.free, invitation=inv, accept=False)
    assert GroupInvitation.objects.get(pk=inv.pk).status == InvitationStatus.DECLINED
    assert not services.is_member(world.free, world.public)
    with pytest.raises(ServiceError):  # already a member
        services.invitation_create(actor=world.admin, group=world.public, invitee=world.premium)
    services.member_ban(actor=world.admin, group=world.private, user=world.outsider)
    with pytest.raises(ServiceError):
        services.invitation_create(actor=world.admin, group=world.private, invitee=world.outsider)


def test_invitation_pages(world, client):
    username = services.profile_ensure(world.outsider).username
    client.force_login(world.admin)
    r = client.post(f"/komunitas/grup/{world.private.slug}/undang", {"username": "@" + username})
    assert r.status_code == 302
    r = client.post(f"/komunitas/grup/{world.private.slug}/undang", {"username": "tidak_ada"}, follow=True)
    assert "tidak ditemukan" in r.content.decode()
    assert client.post(f"/komunitas/grup/{world.private.slug}/undang", {"username": "a\x00"}).status_code == 400
    client.force_login(world.outsider)
    page = client.get("/komunitas/undangan")
    assert page.status_code == 200 and "Ekspor Jepang" in page.content.decode()
    inv = GroupInvitation.objects.get(invitee=world.outsider)
    r = client.post(f"/komunitas/undangan/{inv.pk}/terima")
    assert r.status_code == 302 and services.is_member(world.outsider, world.private)
    client.force_login(world.free)
    assert client.post(f"/komunitas/undangan/{inv.pk}/terima").status_code == 404


def test_invitation_api(world, client):
    username = services.profile_ensure(world.free).username
    r = call(client, "post", f"/groups/{world.private.slug}/invitations", {"user": username}, user=world.admin)
    assert r.status_code == 200 and r.json()["status"] == "pending"
    r = call(client, "post", f"/groups/{world.private.slug}/invitations", {"user": "x" * 31}, user=world.admin)
    assert r.status_code == 422
    mine = call(client, "get", "/me/invitations", user=world.free).json()
    assert mine["count"] == 1 and mine["results"][0]["group"] == world.private.slug
    inv_id = mine["results"][0]["id"]
    assert call(client, "post", f"/invitations/{inv_id}/accept", user=world.outsider).status_code == 404
    r = call(client, "post", f"/invitations/{inv_id}/accept", user=world.free)
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    assert services.is_member(world.free, world.private)


# --- admin: gamification ---


def test_admin_gamification_badges_awards_and_points_through_the_ledger(world, client):
    from sanggar.audit.models import ActivityLog
    from sanggar.community.models import Badge, PointEntry, UserBadge

    username = services.profile_ensure(world.free).username
    client.force_login(world.premium)
    assert client.get("/admin/gamifikasi").status_code == 403
    client.force_login(world.admin)
    assert client.get("/admin/gamifikasi?tab=poin").status_code == 200
    r = client.post(
        "/admin/gamifikasi", {"action": "badge", "name": "Eksportir Perdana", "description": "Ekspor pertama"}
    )
    assert r.status_code == 302
    badge = Badge.objects.get(slug="eksportir-perdana")
    assert badge.points_required is None
    client.post("/admin/gamifikasi", {"action": "award", "member": "@" + username, "badge_id": badge.pk})
    assert UserBadge.objects.filter(user=world.free, badge=badge).exists()
    client.post("/admin/gamifikasi", {"action": "revoke", "member": "riko@example.com", "badge_id": badge.pk})
    assert not UserBadge.objects.filter(user=world.free, badge=badge).exists()
    client.post("/admin/gamifikasi", {"action": "points", "member": username, "points": "-7", "note": "Spam tautan"})
    client.post(
        "/admin/gamifikasi", {"action": "points", "member": username, "points": "15", "note": "Juara tantangan"}
    )
    assert sorted(PointEntry.objects.filter(user=world.free, action="admin").values_list("points", flat=True)) == [
        -7,
        15,
    ]
    assert services.points_total(world.free.pk) >= 8
    r = client.post(
        "/admin/gamifikasi", {"action": "points", "member": username, "points": "abc", "note": "x"}, follow=True
    )
    assert "Poin harus bilangan bulat" in r.content.decode()
    r = client.post("/admin/gamifikasi", {"action": "badge", "name": "X", "points_required": "-3"}, follow=True)
    assert "Poin otomatis harus" in r.content.decode()
    actions = set(ActivityLog.objects.values_list("action", flat=True))
    assert {"community.badge_saved", "community.badge_awarded", "community.badge_revoked"} <= actions
    assert "community.points_adjusted" in actions
