"""The directories' feature resources (checklist §1.1 "Gating"): migration 0009 creates database-buyer,
database-supplier, database-forwarder, member-directory and generator-dokumen-ekspor and adds the new ones to every
plan that had database-buyer; the one access policy answers for them. By default every member opens the directories
and the quota table decides the depth (PRODUCT.md: free 5 buyer details, 3 documents); switched to "hanya paket yang
menyertakan fitur ini", a member without the resource gets the locked card (pages) or 403 with the reason (API),
admins always pass, and members whose plan includes it still meet their quotas."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from sanggar.access.models import Resource
from sanggar.access.tests.factories import make_plan
from sanggar.api.testing import call
from sanggar.audit.models import ActivityLog
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.directory import services as shared
from sanggar.directory.constants import (
    ACTION_FEATURE_GATE_SAVED,
    FEATURE_BUYER,
    FEATURES,
    KIND_BUYER,
)
from sanggar.directory.models import QuotaUse

from .conftest import join

pytestmark = pytest.mark.django_db

migration = importlib.import_module("sanggar.directory.migrations.0009_feature_gates")

PAGES = {
    "database-buyer": ["/direktori/buyer", "/direktori/buyer/favorit", "/direktori/buyer/{buyer}",
                       "/direktori/buyer/{buyer}/laporkan"],
    "database-forwarder": ["/direktori/forwarder", "/direktori/forwarder/bandingkan", "/direktori/forwarder/1",
                           "/direktori/forwarder/1/laporkan"],
    "member-directory": ["/direktori/member"],
    "generator-dokumen-ekspor": ["/dokumen-ekspor", "/dokumen-ekspor/baru", "/dokumen-ekspor/1",
                                 "/dokumen-ekspor/1/pdf"],
}  # fmt: skip
APIS = {
    "database-buyer": [("get", "/buyers", None), ("get", "/buyers/favorites", None), ("get", "/buyers/{buyer}", None),
                       ("get", "/me/buyer-quota", None), ("post", "/buyers/{buyer}/view", None),
                       ("post", "/buyers/{buyer}/like", {"liked": True})],
    "database-forwarder": [("get", "/forwarders", None), ("get", "/forwarders/rates", None),
                           ("get", "/forwarders/1", None), ("post", "/forwarders/1/view", None)],
    "member-directory": [("get", "/members/directory", None)],
    "generator-dokumen-ekspor": [("get", "/export-documents", None), ("get", "/export-documents/1", None),
                                 ("get", "/export-documents/1/pdf", None)],
}  # fmt: skip


def _plans_only(admin_user, keys=FEATURES):
    for key in keys:
        shared.feature_gate_set(actor=admin_user, key=key, plans_only=True)


def _resources(*keys):
    return list(Resource.objects.filter(kind="feature", key__in=keys))


def test_migration_creates_the_five_resources_and_extends_plans_with_the_buyer_database():
    assert set(Resource.objects.filter(kind="feature", key__in=FEATURES).values_list("key", flat=True)) == set(FEATURES)
    assert Resource.objects.get(kind="feature", key="database-supplier").title == "Akses Database Supplier"
    buyer = Resource.objects.get(kind="feature", key="database-buyer")
    with_buyer = make_plan("gold", rank=2, resources=[buyer])
    without = make_plan("silver", rank=1)
    migration.feature_resources_add(apps, None)
    migration.feature_resources_add(apps, None)  # idempotent
    assert Resource.objects.filter(kind="feature", key__in=FEATURES).count() == 5
    assert set(with_buyer.included_resources.values_list("key", flat=True)) == {
        "database-buyer", "database-supplier", "database-forwarder", "member-directory",
    }  # fmt: skip
    assert not without.included_resources.exists()


def test_open_to_every_member_by_default_quota_decides(client, make_buyer, member):
    """No plan at all: the directories open, the free quota (5 buyer details) applies."""
    buyer = make_buyer()
    client.force_login(member)
    for key, paths in PAGES.items():
        assert client.get(paths[0]).status_code == 200, key
    assert shared.feature_decision(user=member, key=FEATURE_BUYER).allowed
    response = call(client, "post", f"/buyers/{buyer.pk}/view", user=member)
    assert response.status_code == 200
    assert QuotaUse.objects.filter(user=member, kind=KIND_BUYER).count() == 1


def test_plans_only_locks_every_page_and_endpoint_for_a_member_without_the_resource(
    client, make_buyer, member, admin_user
):
    buyer = make_buyer()
    upgrade = make_plan("dua-belas-bulan", rank=2, title="12 Bulan", resources=_resources(*FEATURES))
    _plans_only(admin_user)
    client.force_login(member)
    for paths in PAGES.values():
        for path in paths:
            page = client.get(path.format(buyer=buyer.pk))
            body = page.content.decode()
            assert page.status_code == 403, path
            assert 'data-locked="premium_required"' in body, path
            assert "hanya untuk Member Premium" in body, path
            assert reverse("orders:checkout_all") in body, path  # the policy's link: no membership yet
    assert client.post(f"/direktori/buyer/{buyer.pk}", {"action": "open"}).status_code == 403
    for endpoints in APIS.values():
        for method, path, data in endpoints:
            response = call(client, method, path.format(buyer=buyer.pk), data, user=member)
            assert response.status_code == 403, path
            assert response.json()["errors"]["reason"] == ["premium_required"], path
            assert "hanya untuk Member Premium" in response.json()["message"], path
    assert not QuotaUse.objects.exists()
    with pytest.raises(NotAllowed) as exc:
        shared.feature_require(user=member, key=FEATURE_BUYER)
    assert exc.value.decision.action_url == reverse("orders:checkout_all")
    assert upgrade.slug
    # admins always pass
    client.force_login(admin_user)
    for paths in PAGES.values():
        assert client.get(paths[0]).status_code == 200, paths[0]
    assert call(client, "get", "/buyers", user=admin_user).status_code == 200


def test_plans_only_with_the_resource_works_and_the_quota_still_applies(client, make_buyer, member, admin_user):
    first, second = make_buyer(), make_buyer()
    plan = make_plan("dua-belas-bulan", rank=2, title="12 Bulan", resources=_resources(*FEATURES))
    join(member, plan)
    _plans_only(admin_user)
    shared.quota_set(actor=admin_user, kind=KIND_BUYER, plan=plan, monthly_limit=1)
    client.force_login(member)
    for paths in PAGES.values():
        assert client.get(paths[0]).status_code == 200, paths[0]
    for method, path in (("get", "/buyers"), ("get", "/forwarders"), ("get", "/members/directory"),
                         ("get", "/export-documents"), ("get", "/me/buyer-quota")):  # fmt: skip
        assert call(client, method, path, user=member).status_code == 200, path
    assert call(client, "post", f"/buyers/{first.pk}/view", user=member).status_code == 200
    response = call(client, "post", f"/buyers/{second.pk}/view", user=member)
    assert response.status_code == 403
    assert response.json()["errors"]["reason"] == ["quota_exhausted"]


def test_a_plan_with_only_the_buyer_database_keeps_the_others_locked(client, member, admin_user):
    plan = make_plan("gold", rank=1, resources=_resources(FEATURE_BUYER))
    higher = make_plan("platinum", rank=2, resources=_resources(*FEATURES))
    join(member, plan)
    _plans_only(admin_user)
    client.force_login(member)
    assert client.get("/direktori/buyer").status_code == 200
    page = client.get("/direktori/forwarder")
    assert page.status_code == 403
    assert f"/checkout/{higher.slug}" in page.content.decode()  # upgrade to the plan that includes it
    assert call(client, "get", "/forwarders", user=member).status_code == 403


def test_a_switched_off_resource_closes_the_directory_even_when_open_to_all(client, member):
    Resource.objects.filter(kind="feature", key="database-forwarder").update(is_active=False)
    client.force_login(member)
    page = client.get("/direktori/forwarder")
    assert page.status_code == 403 and 'data-locked="inactive"' in page.content.decode()
    response = call(client, "get", "/forwarders", user=member)
    assert response.status_code == 403 and response.json()["errors"]["reason"] == ["inactive"]


def test_admin_sets_the_gates_on_the_page_and_api_others_refused(client, member, admin_user, mentor):
    client.force_login(mentor)
    assert client.post("/admin/direktori/kuota", {"action": "features", "plans_only": [FEATURE_BUYER]}).status_code in (
        302,
        403,
    )
    assert not shared.feature_plans_only(key=FEATURE_BUYER)
    assert call(client, "get", "/admin/directory-features", user=member).status_code == 403
    response = call(client, "put", f"/admin/directory-features/{FEATURE_BUYER}", {"plans_only": True}, user=mentor)
    assert response.status_code == 403
    client.force_login(admin_user)
    page = client.get("/admin/direktori/kuota").content.decode()
    assert 'id="feature-gates"' in page and "hanya paket yang menyertakan fitur ini" in page
    client.post("/admin/direktori/kuota", {"action": "features", "plans_only": [FEATURE_BUYER]})
    assert shared.feature_gates() == {key: key == FEATURE_BUYER for key in FEATURES}
    assert ActivityLog.objects.filter(action=ACTION_FEATURE_GATE_SAVED, actor=admin_user).count() == 1
    response = call(client, "put", "/admin/directory-features/member-directory", {"plans_only": True}, user=admin_user)
    assert response.status_code == 200
    assert {row["key"]: row["plans_only"] for row in response.json()}["member-directory"] is True
    assert call(client, "get", "/admin/directory-features", user=admin_user).status_code == 200
    response = call(client, "put", "/admin/directory-features/bukan-fitur", {"plans_only": True}, user=admin_user)
    assert response.status_code == 400
    with pytest.raises(ServiceError):
        shared.feature_gate_set(actor=admin_user, key="<script>", plans_only=True)
