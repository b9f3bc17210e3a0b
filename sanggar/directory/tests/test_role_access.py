"""The buyer database's role-access setting (spec L1718, checklist §1.2): admins choose which roles may open it; a
user none of whose roles is chosen gets a locked page (403) and 403 from every member endpoint and service, and
nothing is charged, liked or reported; the setting is admin-only, audited and refuses hostile input."""

import pytest

from sanggar.api.testing import call
from sanggar.audit.models import ActivityLog
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.roles import Role
from sanggar.directory import buyer_services
from sanggar.directory import services as shared
from sanggar.directory.constants import ACTION_ROLE_ACCESS_SAVED, KIND_BUYER
from sanggar.directory.models import DirectoryLike, DirectoryReport, QuotaUse

pytestmark = pytest.mark.django_db


def test_default_every_role_and_restricting_to_mentors(client, make_buyer, member, mentor, admin_user):
    buyer = make_buyer()
    assert shared.role_access_roles(kind=KIND_BUYER) == list(shared.ALL_ROLES)
    client.force_login(member)
    assert client.get("/direktori/buyer").status_code == 200
    assert shared.role_access_set(actor=admin_user, kind=KIND_BUYER, roles=["mentor", "support"]) == [
        "support",
        "mentor",
    ]
    assert ActivityLog.objects.filter(action=ACTION_ROLE_ACCESS_SAVED, actor=admin_user).count() == 1
    for path in ("/direktori/buyer", f"/direktori/buyer/{buyer.pk}", "/direktori/buyer/favorit",
                 f"/direktori/buyer/{buyer.pk}/laporkan"):  # fmt: skip
        page = client.get(path)
        assert page.status_code == 403, path
        assert "hanya dibuka untuk peran: Support, Mentor" in page.content.decode(), path
    assert client.post(f"/direktori/buyer/{buyer.pk}", {"action": "open"}).status_code == 403
    for method, path, body in (("get", "/buyers", None), ("get", f"/buyers/{buyer.pk}", None),
                               ("get", "/buyers/favorites", None), ("get", "/me/buyer-quota", None),
                               ("post", f"/buyers/{buyer.pk}/view", None),
                               ("post", f"/buyers/{buyer.pk}/like", {"liked": True}),
                               ("post", f"/buyers/{buyer.pk}/report", {"reason": "fake"})):  # fmt: skip
        response = call(client, method, path, body, user=member)
        assert response.status_code == 403, path
        assert "Database Buyer" in response.json()["message"] or "Buyer" in response.json()["message"], path
    with pytest.raises(NotAllowed):
        buyer_services.buyer_open(user=member, buyer=buyer)
    assert not QuotaUse.objects.exists() and not DirectoryLike.objects.exists()
    assert not DirectoryReport.objects.exists()
    # a mentor and an admin still open it
    client.force_login(mentor)
    assert client.get("/direktori/buyer").status_code == 200
    assert call(client, "get", "/buyers", user=admin_user).status_code == 200


def test_admin_page_and_api_set_it_others_are_refused(client, member, admin_user, mentor):
    client.force_login(mentor)
    assert client.post("/admin/direktori/kuota", {"action": "roles", "roles": ["mentor"]}).status_code == 403
    assert call(client, "put", "/admin/buyer-access", {"roles": ["mentor"]}, user=mentor).status_code == 403
    assert call(client, "get", "/admin/buyer-access", user=member).status_code == 403
    assert shared.role_access_roles(kind=KIND_BUYER) == list(shared.ALL_ROLES)
    client.force_login(admin_user)
    page = client.get("/admin/direktori/kuota").content.decode()
    assert 'id="buyer-roles"' in page and 'value="mentor"' in page
    assert client.post("/admin/direktori/kuota", {"action": "roles", "roles": ["mentor", "admin"]}).status_code == 302
    assert shared.role_access_roles(kind=KIND_BUYER) == ["admin", "mentor"]
    assert 'value="member"' in client.get("/admin/direktori/kuota").content.decode()
    response = call(client, "put", "/admin/buyer-access", {"roles": ["member", "supplier"]}, user=admin_user)
    assert response.status_code == 200 and response.json()["roles"] == ["supplier", "member"]
    assert call(client, "get", "/admin/buyer-access", user=admin_user).json()["roles"] == ["supplier", "member"]
    for payload in ({"roles": []}, {"roles": ["root"]}, {"roles": ["member\x00"]}, {"roles": "member"},
                    {"roles": ["x"] * 50}):  # fmt: skip
        bad = call(client, "put", "/admin/buyer-access", payload, user=admin_user)
        assert bad.status_code in (400, 422), payload
    with pytest.raises(ServiceError, match="minimal satu"):
        shared.role_access_set(actor=admin_user, kind=KIND_BUYER, roles=[])
    with pytest.raises(NotAllowed):
        shared.role_access_set(actor=member, kind=KIND_BUYER, roles=["member"])
    assert shared.role_access_roles(kind=KIND_BUYER) == ["supplier", "member"]


def test_a_role_the_user_holds_opens_it(make_user, admin_user, make_buyer):
    buyer = make_buyer()
    shared.role_access_set(actor=admin_user, kind=KIND_BUYER, roles=[Role.AFFILIATE])
    affiliate = make_user(Role.AFFILIATE)
    plain = make_user()
    assert shared.role_access_allowed(user=affiliate, kind=KIND_BUYER)
    assert not shared.role_access_allowed(user=plain, kind=KIND_BUYER)
    assert shared.role_access_allowed(user=admin_user, kind=KIND_BUYER)
    with pytest.raises(NotAllowed):
        buyer_services.buyer_like(user=plain, buyer=buyer, liked=True)
