"""The group admin role and the per-group permissions matrix: every role × permission under the defaults and when
the owner switches each one, the settings page and API (owner / admins only), and each permission enforced where it
is used (services, pages, API, the group chat's registry that the chat websocket asks)."""

import io

import pytest
from PIL import Image

from sanggar.api.testing import call
from sanggar.chat.registry import group_member
from sanggar.community import policy, services
from sanggar.community.constants import MATRIX_ROLES, GroupPermission
from sanggar.community.models import Group, GroupMember, Post
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.roles import Role
from sanggar.events import services as events

pytestmark = pytest.mark.django_db

ROLES = ("owner", "admin", "moderator", "member")
DEFAULTS = {
    "post": {"owner", "admin", "moderator", "member"},
    "comment": {"owner", "admin", "moderator", "member"},
    "upload": {"owner", "admin", "moderator", "member"},
    "event": {"owner", "admin"},
    "chat": {"owner", "admin", "moderator", "member"},
    "invite": {"owner", "admin", "moderator"},  # a private group: members do not invite
    "moderate": {"owner", "admin", "moderator"},
    "challenge": {"owner", "admin", "moderator"},
}


class Crew:
    def __init__(self, make_user, admin, *, visibility="private"):
        self.site_admin = admin
        self.owner = make_user(Role.MENTOR, full_name="Bu Sari Pemilik")
        self.group = services.group_create(
            actor=admin, data={"name": "Eksportir Kopi", "visibility": visibility}, owner=self.owner
        )
        self.users = {"owner": self.owner}
        for role in ("admin", "moderator", "member"):
            user = make_user(Role.MENTOR, full_name=f"Anggota {role}")  # mentors may post (premium rule)
            services.member_add(actor=admin, group=self.group, user=user, role=role)
            self.users[role] = user
        self.outsider = make_user(Role.MENTOR, full_name="Orang Luar")

    def refresh(self):
        self.group = Group.objects.select_related("resource").get(pk=self.group.pk)
        return self.group


@pytest.fixture
def crew(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.COMMUNITY_POST_RATE_LIMIT = settings.COMMUNITY_POST_IP_RATE_LIMIT = "1000/3600"
    return Crew(make_user, admin_user)


def test_every_role_and_permission_default_then_switched(crew):
    """Each of the 4 roles × 7 permissions: the default, given to all, taken from all (the owner keeps it), given
    to that role only; outsiders never, site admins always."""
    for permission in GroupPermission.values:
        group = crew.refresh()
        for role in ROLES:
            assert policy.group_allows(crew.users[role], group, permission) is (role in DEFAULTS[permission]), (
                role,
                permission,
            )
        services.group_permissions_update(actor=crew.owner, group=group, permissions={permission: list(MATRIX_ROLES)})
        group = crew.refresh()
        assert all(policy.group_allows(crew.users[r], group, permission) for r in ROLES), permission
        services.group_permissions_update(actor=crew.owner, group=group, permissions={permission: []})
        group = crew.refresh()
        assert {r for r in ROLES if policy.group_allows(crew.users[r], group, permission)} == {"owner"}
        for role in MATRIX_ROLES:
            services.group_permissions_update(actor=crew.owner, group=group, permissions={permission: [role]})
            group = crew.refresh()
            assert {r for r in ROLES if policy.group_allows(crew.users[r], group, permission)} == {"owner", role}
            assert set(policy.allowed_permissions(crew.users[role], group)) >= {permission}
        assert policy.group_allows(crew.outsider, group, permission) is False
        assert policy.group_allows(crew.site_admin, group, permission) is True


def test_a_lost_membership_loses_every_permission(crew):
    member = crew.users["moderator"]
    services.member_ban(actor=crew.owner, group=crew.group, user=member)
    assert policy.allowed_permissions(member, crew.refresh()) == []
    crew.group.status = "archived"
    crew.group.save()
    assert policy.allowed_permissions(crew.owner, crew.refresh()) == []


def test_who_edits_the_matrix_and_roles(crew):
    for role in ("moderator", "member"):
        with pytest.raises(NotAllowed):
            services.group_permissions_update(actor=crew.users[role], group=crew.group, permissions={"post": []})
    services.group_permissions_update(actor=crew.users["admin"], group=crew.group, permissions={"event": ["admin"]})
    for bad in ({"terbang": ["member"]}, {"post": ["owner"]}, {"post": "member"}, {"post": [1]}, ["post"]):
        with pytest.raises(ServiceError):
            services.group_permissions_update(actor=crew.owner, group=crew.group, permissions=bad)
    # a moderator may not make an admin nor touch one; the owner and admins may
    row = GroupMember.objects.get(group=crew.group, user=crew.users["member"])
    with pytest.raises(NotAllowed):
        services.member_set_role(actor=crew.users["moderator"], member=row, role="admin")
    admin_row = GroupMember.objects.get(group=crew.group, user=crew.users["admin"])
    with pytest.raises(NotAllowed):
        services.member_ban(actor=crew.users["moderator"], group=crew.group, user=crew.users["admin"])
    services.member_set_role(actor=crew.users["admin"], member=row, role="admin")
    services.member_set_role(actor=crew.owner, member=admin_row, role="moderator")
    assert GroupMember.objects.get(pk=row.pk).role == "admin"
    assert GroupMember.objects.get(pk=admin_row.pk).role == "moderator"


def test_members_can_post_switch_and_matrix_stay_one_rule(crew, admin_user):
    services.group_permissions_update(actor=crew.owner, group=crew.group, permissions={"post": ["admin"]})
    group = crew.refresh()
    assert group.members_can_post is False
    services.group_update(
        actor=admin_user,
        group=group,
        data={"name": group.name, "visibility": group.visibility, "members_can_post": True},
    )
    assert "member" in policy.permissions_of(crew.refresh())["post"]


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "foto.png"
    return buffer


def test_post_comment_upload_enforced_in_services_pages_and_api(crew, client):
    member = crew.users["member"]
    post = services.post_create(user=crew.owner, group=crew.group, body="Harga kopi Gayo minggu ini")
    services.group_permissions_update(
        actor=crew.owner, group=crew.group, permissions={"post": ["admin"], "comment": ["admin"], "upload": []}
    )
    group = crew.refresh()
    post = Post.objects.select_related("group__resource").get(pk=post.pk)
    with pytest.raises(NotAllowed, match="membuat postingan"):
        services.post_create(user=member, group=group, body="Boleh?")
    with pytest.raises(NotAllowed, match="berkomentar"):
        services.comment_create(user=member, post=post, body="Komentar")
    with pytest.raises(NotAllowed, match="mengunggah"):
        services.post_create(user=crew.users["admin"], group=group, body="Foto", image=_png())
    services.post_create(user=crew.users["admin"], group=group, body="Tanpa foto boleh")

    response = call(client, "post", f"/groups/{group.slug}/posts", {"body": "Lewat API"}, user=member)
    assert response.status_code == 403 and "postingan" in response.json()["message"]
    response = call(client, "post", f"/posts/{post.pk}/comments", {"body": "Lewat API"}, user=member)
    assert response.status_code == 403
    detail = call(client, "get", f"/groups/{group.slug}", user=member).json()
    assert detail["role"] == "member" and detail["can_post"] is False
    assert set(detail["my_permissions"]) == {"chat"}
    client.force_login(member)
    page = client.post(f"/komunitas/grup/{group.slug}/posting", {"body": "Lewat halaman"}, follow=True)
    assert "tidak diizinkan membuat postingan" in page.content.decode()
    html = client.get(f"/komunitas/grup/{group.slug}").content.decode()
    assert 'name="body_html"' not in html and 'id="group-settings"' not in html


def test_event_permission_lets_group_staff_create_group_events(crew):
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.now() + timedelta(days=3)
    data = {"title": "Kopdar eksportir kopi", "starts_at": start, "ends_at": start + timedelta(hours=2)}
    event = events.event_create(actor=crew.users["admin"], data=data, group=crew.group)
    assert event.group_id == crew.group.pk
    with pytest.raises(NotAllowed):
        events.event_create(actor=crew.users["member"], data={**data, "slug": "kopdar-2"}, group=crew.group)
    with pytest.raises(NotAllowed):
        events.event_create(actor=crew.users["admin"], data={**data, "slug": "kopdar-3"})  # not a group event
    services.group_permissions_update(actor=crew.owner, group=crew.group, permissions={"event": ["member"]})
    events.event_create(actor=crew.users["member"], data={**data, "slug": "kopdar-4"}, group=crew.refresh())


def test_chat_permission_is_what_the_chat_registry_and_socket_ask(crew):
    services.group_chat_set(actor=crew.users["moderator"], group=crew.group, enabled=True)
    key = services.group_chat_key(crew.group)
    member = crew.users["member"]
    assert group_member(member, key) is True
    services.group_chat_open(user=member, group=crew.group)
    services.group_permissions_update(actor=crew.owner, group=crew.group, permissions={"chat": ["admin", "moderator"]})
    assert group_member(member, key) is False
    assert group_member(crew.users["moderator"], key) is True
    with pytest.raises(NotAllowed, match="obrolan grup"):
        services.group_chat_open(user=member, group=crew.refresh())


def test_invite_and_moderate_follow_the_matrix(crew):
    member, moderator = crew.users["member"], crew.users["moderator"]
    with pytest.raises(NotAllowed):
        services.invitation_create(actor=member, group=crew.group, invitee=crew.outsider)
    services.group_permissions_update(
        actor=crew.owner, group=crew.group, permissions={"invite": ["member"], "moderate": ["admin", "member"]}
    )
    group = crew.refresh()
    services.invitation_create(actor=member, group=group, invitee=crew.outsider)
    post = services.post_create(user=crew.users["admin"], group=group, body="Diskusi")
    with pytest.raises(NotAllowed):
        services.post_pin(actor=moderator, post=post, pinned=True)
    services.post_pin(actor=member, post=post, pinned=True)
    from sanggar.community import selectors

    assert group.pk in selectors.moderated_group_ids(member)
    assert group.pk not in selectors.moderated_group_ids(moderator)


def test_settings_page_and_api(crew, client):
    url = f"/komunitas/grup/{crew.group.slug}/pengaturan"
    for role, code in (("owner", 200), ("admin", 200), ("moderator", 403), ("member", 403)):
        client.force_login(crew.users[role])
        assert client.get(url).status_code == code
    client.force_login(crew.outsider)
    assert client.get(url).status_code == 403  # a private group: known, not managed
    client.force_login(crew.users["admin"])
    page = client.get(url).content.decode()
    assert 'name="perm_moderate" value="moderator"' in page
    response = client.post(url, {"perm_post": ["admin", "moderator"], "perm_comment": ["member"]}, follow=True)
    assert "Hak akses grup disimpan" in response.content.decode()
    matrix = policy.permissions_of(crew.refresh())
    assert matrix["post"] == ["admin", "moderator"] and matrix["comment"] == ["member"] and matrix["chat"] == []
    response = client.post(url, {"perm_post": ["raja"]}, follow=True)
    assert "Peran tidak dikenal" in response.content.decode()

    path = f"/groups/{crew.group.slug}/permissions"
    assert call(client, "get", path, user=crew.users["member"]).json()["permissions"]["post"] == ["admin", "moderator"]
    assert call(client, "get", path, user=crew.outsider).status_code == 403
    assert (
        call(client, "put", path, {"permissions": {"post": ["member"]}}, user=crew.users["moderator"]).status_code
        == 403
    )
    response = call(client, "put", path, {"permissions": {"post": ["member"], "chat": ["admin"]}}, user=crew.owner)
    assert response.status_code == 200 and response.json()["permissions"]["chat"] == ["admin"]
    assert call(client, "put", path, {"permissions": {"terbang": []}}, user=crew.owner).status_code == 400
    assert call(client, "put", path, {"permissions": {"post": "x"}}, user=crew.owner).status_code in (400, 422)
    assert call(client, "put", path, raw='{"permissions": {"post": ["\\u0000"]}}', user=crew.owner).status_code == 400
    hidden = services.group_create(actor=crew.site_admin, data={"name": "Rahasia", "visibility": "hidden"})
    assert call(client, "get", f"/groups/{hidden.slug}/permissions", user=crew.outsider).status_code == 404
    client.force_login(crew.outsider)
    assert client.get(f"/komunitas/grup/{hidden.slug}/pengaturan").status_code == 404


def test_members_tab_lists_owner_and_admins_first(crew, client, django_assert_max_num_queries):
    client.force_login(crew.users["member"])
    with django_assert_max_num_queries(40):
        html = client.get(f"/komunitas/grup/{crew.group.slug}?tab=anggota").content.decode()
    table = html[html.index("<tbody>") :]
    order = [table.index(crew.users[r].full_name) for r in ROLES]
    assert order == sorted(order)
    assert "Admin grup" in html


def test_feed_group_picker_group_page_and_api_agree_on_who_may_post(crew, make_user, admin_user, client):
    """One rule (`policy.may_post`) behind the feed's "post to a group" picker (web, and `can_post` in GET /groups
    for the app), the group page's composer and the API's group detail: the matrix's post permission, and premium
    unless the member moderates the group."""
    free_moderator = make_user(full_name="Moderator Gratis")
    free_member = make_user(full_name="Anggota Gratis")
    services.member_add(actor=admin_user, group=crew.group, user=free_moderator, role="moderator")
    services.member_add(actor=admin_user, group=crew.group, user=free_member, role="member")
    open_group = services.group_create(actor=admin_user, data={"name": "Kopi Terbuka", "visibility": "public"})
    services.group_join(user=crew.users["member"], group=open_group)
    services.group_permissions_update(actor=crew.owner, group=crew.group, permissions={"post": ["admin", "moderator"]})
    group = crew.refresh()

    def picker(user):
        client.force_login(user)
        web = {g.slug for g in client.get("/komunitas").context["postable_groups"]}
        api = {g["slug"] for g in call(client, "get", "/groups", user=user).json()["results"] if g["can_post"]}
        assert web == api  # the app's composer picks its group from GET /groups
        return web

    def composer(user):
        client.force_login(user)
        page = client.get(f"/komunitas/grup/{group.slug}").context["can_post"]
        api = call(client, "get", f"/groups/{group.slug}", user=user).json()["can_post"]
        assert page == api
        return page

    # a premium member whose role the matrix no longer lets post: not offered here, still offered the open group
    assert picker(crew.users["member"]) == {open_group.slug} and composer(crew.users["member"]) is False
    assert group.slug in picker(crew.users["admin"]) and composer(crew.users["admin"]) is True
    assert picker(crew.owner) == {group.slug} and composer(crew.owner) is True
    # not premium: a moderator still posts, a plain member does not
    assert picker(free_moderator) == {group.slug} and composer(free_moderator) is True
    assert picker(free_member) == set() and composer(free_member) is False
    assert group.slug in picker(admin_user) and composer(admin_user) is True


def test_group_list_api_queries_do_not_grow_with_the_member_s_groups(crew, admin_user, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    member = crew.users["member"]
    call(client, "get", "/groups", user=member)
    with CaptureQueriesContext(connection) as one:
        call(client, "get", "/groups", user=member)
    for n in range(5):
        group = services.group_create(actor=admin_user, data={"name": f"Kopi Daerah {n}", "visibility": "public"})
        services.group_join(user=member, group=group)
    with CaptureQueriesContext(connection) as six:
        rows = call(client, "get", "/groups", user=member).json()["results"]
    assert len(six.captured_queries) == len(one.captured_queries)
    assert sum(1 for r in rows if r["is_member"] and r["can_post"]) == 6
