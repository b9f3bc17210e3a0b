"""The group access matrix: group type (public / private / hidden) × membership state (none, pending, member,
banned, expired via plan) × role (member, group moderator, group admin, site admin) × surface (group page, feed,
post, files, moderation; pages and API). Hidden groups are 404 to anyone who is not in them; a public group's posts
are readable by every signed-in user who is not banned; files are for members only; a membership that came with a
plan locks when the plan expires (the row and its role stay)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.catalog.models import PlanPrice
from sanggar.community import services
from sanggar.community.models import Group, GroupMember
from sanggar.core.roles import Role
from sanggar.memberships.services import membership_activate
from sanggar.memberships.services.sweeps import memberships_expire_sweep
from sanggar.orders.tests.shop import Shop

TYPES = ("public", "private", "hidden")
STATES = ("none", "pending", "member", "banned", "expired")
ROLES = ("member", "moderator", "admin", "site_admin")


def _setup(make_user, admin, kind: str, state: str, role: str):
    group = services.group_create(actor=admin, data={"name": f"Grup {kind}", "visibility": kind})
    post = services.post_create(user=admin, group=group, body="Rahasia dapur ekspor")
    item = services.group_file_upload(
        user=admin, group=group, upload=SimpleUploadedFile("panduan.pdf", b"%PDF-1.4 isi"), title="Panduan HS"
    )
    user = make_user(*([Role.ADMIN] if role == "site_admin" else []), full_name="Penguji", email="uji@example.com")
    group_role = role if role in ("moderator", "admin") else "member"
    if state == "expired":
        # a 12-month plan bought 13 months ago: it included the group, and it has run out (the sweep expired it)
        plan = Shop(admin).plan("Gold", rank=2, resources=[group.resource], slug="gold")
        bought = timezone.now() - timedelta(days=400)
        membership_activate(user=user, plan_price=PlanPrice.objects.get(plan=plan), amount_paid=1, now=bought)
        GroupMember.objects.update_or_create(
            group=group, user=user, defaults={"source": "membership", "status": "active", "role": group_role}
        )
        memberships_expire_sweep()
    elif state != "none":
        status = {"pending": "pending", "member": "active", "banned": "banned"}[state]
        source = "request" if state == "pending" else "admin"
        GroupMember.objects.create(group=group, user=user, role=group_role, status=status, source=source)
    return Group.objects.get(pk=group.pk), post, item, user


def _expected(kind: str, state: str, role: str) -> dict:
    admin = role == "site_admin"
    member = admin or state == "member"
    readable = member or (kind == "public" and state != "banned")
    hidden_out = kind == "hidden" and not member
    denied = 404 if hidden_out else 403
    return {
        "page": 404 if hidden_out else 200,
        "readable": readable,
        "posts_api": 200 if readable else denied,
        "post_page": 200 if readable else 404,
        "post_api": 200 if readable else denied,
        "files": 200 if member else denied,
        "member": member,
        "moderate": 200 if admin or (member and role in ("moderator", "admin")) else denied,
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("kind", TYPES)
def test_group_access_matrix(kind, state, role, make_user, admin_user, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.COMMUNITY_POST_RATE_LIMIT = settings.COMMUNITY_POST_IP_RATE_LIMIT = "1000/3600"
    group, post, item, user = _setup(make_user, admin_user, kind, state, role)
    want = _expected(kind, state, role)
    if state == "expired":  # expiry locks the group; nothing is deleted, the role stays
        row = GroupMember.objects.get(group=group, user=user)
        assert row.role == (role if role in ("moderator", "admin") else "member") and row.status == "active"
    client.force_login(user)
    slug = group.slug

    # group page and API detail
    page = client.get(f"/komunitas/grup/{slug}")
    assert page.status_code == want["page"]
    detail = call(client, "get", f"/groups/{slug}", user=user)
    assert detail.status_code == want["page"]
    if want["page"] == 200:
        assert detail.json()["is_member"] is want["member"]
        # feed: the post shows on the group page only to those who may read it
        assert ("Rahasia dapur ekspor" in page.content.decode()) is want["readable"]
    assert call(client, "get", f"/groups/{slug}/posts", user=user).status_code == want["posts_api"]

    # post permalink
    assert client.get(f"/komunitas/post/{post.pk}").status_code == want["post_page"]
    assert call(client, "get", f"/posts/{post.pk}", user=user).status_code == want["post_api"]

    # files: the tab lists them for members only, the signed link opens for members only, the API likewise
    if want["page"] == 200:
        tab = client.get(f"/komunitas/grup/{slug}?tab=berkas").content.decode()
        assert ("Panduan HS" in tab) is want["member"]
    token = services.group_file_token(user, item)
    download = client.get(f"/komunitas/berkas/unduh/{token}")
    assert download.status_code == want["files"]
    assert call(client, "get", f"/groups/{slug}/files", user=user).status_code == want["files"]

    # the group's moderation queue: its moderators and admins (and site admins)
    assert client.get(f"/komunitas/grup/{slug}/moderasi").status_code == want["moderate"]

    # the global feed never carries a post of a group the member cannot read (hidden and private stay inside)
    feed = call(client, "get", "/feed", user=user).json()
    ids = [p["id"] for p in feed.get("results", [])]
    if not want["readable"]:
        assert post.pk not in ids
