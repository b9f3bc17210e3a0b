"""The supplier database's feature resource `database-supplier` (checklist §1.1 "Gating"): open to every member by
default (the quota decides); switched to "hanya paket yang menyertakan fitur ini", members without it get the
locked card on the member-facing pages and 403 with the reason from GET /suppliers*, while a supplier's own
onboarding / dashboard pages, a Premium supplier's public page and admins are untouched."""

import pytest

from sanggar.access.models import Resource
from sanggar.access.tests.factories import make_plan
from sanggar.api.testing import call
from sanggar.directory import services as directory
from sanggar.directory.constants import FEATURE_SUPPLIER
from sanggar.directory.tests.conftest import join

pytestmark = pytest.mark.django_db


def _supplier_only(admin_user):
    directory.feature_gate_set(actor=admin_user, key=FEATURE_SUPPLIER, plans_only=True)


def test_locked_without_the_resource_open_with_it(client, make_supplier, make_user, admin_user):
    owner, supplier = make_supplier()
    _premium_owner, premium = make_supplier(premium_days=30, name="PT Premium Uji")
    member = make_user(full_name="Member Tanpa Paket")
    _supplier_only(admin_user)
    client.force_login(member)
    for path in ("/direktori/supplier", "/direktori/supplier/favorit", f"/supplier/{supplier.slug}"):
        page = client.get(path)
        assert page.status_code == 403, path
        assert 'data-locked="no_access"' in page.content.decode(), path
    for path in (f"/supplier/{supplier.slug}/kontak", f"/supplier/{supplier.slug}/simpan"):
        assert client.post(path).status_code == 403, path
    assert client.get(f"/supplier/{premium.slug}").status_code == 200  # a Premium supplier's public page
    slug = supplier.slug
    for method, path in (("get", "/suppliers"), ("get", f"/suppliers/{slug}"), ("get", "/me/supplier-favourites"),
                         ("post", f"/suppliers/{slug}/contact-view")):  # fmt: skip
        response = call(client, method, path, user=member)
        assert response.status_code == 403, path
        assert response.json()["errors"]["reason"] == ["no_access"], path
        assert "Akses Database Supplier" in response.json()["message"], path
    # the supplier's own pages stay open
    client.force_login(owner)
    assert client.get("/supplier/dasbor").status_code == 200
    assert client.get(f"/supplier/{supplier.slug}").status_code == 200
    assert call(client, "get", "/me/supplier", user=owner).status_code == 200
    # a plan including the resource opens it; admins always
    join(member, make_plan("gold", rank=2, resources=Resource.objects.filter(key=FEATURE_SUPPLIER)))
    client.force_login(member)
    assert client.get("/direktori/supplier").status_code == 200
    assert call(client, "get", "/suppliers", user=member).status_code == 200
    assert call(client, "get", f"/suppliers/{supplier.slug}", user=member).status_code == 200
    client.force_login(admin_user)
    assert client.get("/direktori/supplier").status_code == 200


def test_open_to_every_member_by_default(client, make_supplier, make_user):
    _owner, supplier = make_supplier()
    member = make_user(full_name="Member Free")
    client.force_login(member)
    assert client.get("/direktori/supplier").status_code == 200
    assert client.get(f"/supplier/{supplier.slug}").status_code == 200
    assert call(client, "get", "/suppliers", user=member).status_code == 200
