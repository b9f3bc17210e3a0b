"""Members' personal API keys (D-DIR-3): created and revoked on the profile page and through the API, stored hashed,
the secret shown once; usable as X-API-Key or Bearer on the directory's read endpoints as that member (their masked
contacts and quotas), never on writes or key management; the plan's API access (quota kind "api", closed for Free),
the per-member cap and the per-key rate limit; audited; hostile input refused with a reason."""

import pytest
from django.test import Client
from django.urls import reverse

from sanggar.api.testing import call
from sanggar.audit.models import ActivityLog
from sanggar.core.exceptions import NotAllowed, NotFound, ServiceError
from sanggar.directory import key_services
from sanggar.directory import services as shared
from sanggar.directory.constants import ACTION_API_KEY_CREATED, ACTION_API_KEY_REVOKED, KIND_API
from sanggar.directory.models import MemberApiKey, QuotaUse

from .conftest import join

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def premium(member, plans):
    join(member, plans["12m"])
    return member


def _get(client, path, secret, *, as_bearer=False, data=None):
    header = {"Authorization": f"Bearer {secret}"} if as_bearer else {"X-API-Key": secret}
    return client.get("/api/v1" + path, data or {}, headers=header)


def test_create_is_hashed_shown_once_capped_and_audited(premium, settings):
    settings.DIRECTORY_API_KEYS_PER_USER = 2
    key, secret = key_services.member_key_create(user=premium, name="Sistem ERP")
    assert secret.startswith(f"sgm_{key.prefix}_") and len(secret) > 40
    stored = MemberApiKey.objects.get()
    assert stored.key_hash != secret and secret not in str(stored.__dict__)
    assert key_services.member_key_authenticate(raw=secret) == key
    assert key_services.member_key_authenticate(raw=secret + "x") is None
    key_services.member_key_create(user=premium, name="Kedua")
    with pytest.raises(ServiceError) as caught:
        key_services.member_key_create(user=premium, name="Ketiga")
    assert caught.value.code == "too_many_keys" and MemberApiKey.objects.count() == 2
    key_services.member_key_revoke(actor=premium, key_id=key.pk)
    key_services.member_key_revoke(actor=premium, key_id=key.pk)  # twice changes nothing
    assert key_services.member_key_authenticate(raw=secret) is None
    key_services.member_key_create(user=premium, name="Pengganti")  # a revoked key frees a place
    assert ActivityLog.objects.filter(action=ACTION_API_KEY_CREATED).count() == 3
    assert ActivityLog.objects.filter(action=ACTION_API_KEY_REVOKED).count() == 1


def test_free_members_have_no_api_access(member):
    with pytest.raises(NotAllowed) as caught:
        key_services.member_key_create(user=member, name="Coba")
    assert caught.value.code == "quota_locked" and not MemberApiKey.objects.exists()


@pytest.mark.parametrize("name", ["", "   ", "a" * 101, "nul\x00", None, 5, ["x"]])
def test_hostile_names_are_refused(premium, name):
    with pytest.raises(ServiceError):
        key_services.member_key_create(user=premium, name=name)
    assert not MemberApiKey.objects.exists()


def test_key_reads_the_directory_as_the_member_with_their_quota(premium, make_buyer, client, settings):
    settings.API_REQUIRE_KEY = True  # a personal key stands in for the client-app key
    buyer = make_buyer()
    _key, secret = key_services.member_key_create(user=premium, name="ERP")
    listing = _get(client, "/buyers", secret)
    assert listing.status_code == 200, listing.content
    assert buyer.email not in listing.content.decode()  # masked until opened
    assert _get(client, "/forwarders", secret, as_bearer=True).status_code == 200
    assert _get(client, "/members/directory", secret).status_code == 200
    assert _get(client, f"/buyers/{buyer.pk}", secret).json()["contact"] is None
    opened = client.post(f"/api/v1/buyers/{buyer.pk}/view", headers={"X-API-Key": secret})
    assert opened.status_code == 200 and opened.json()["contact"]["email"] == buyer.email
    assert QuotaUse.objects.filter(user=premium, kind="buyer", object_id=buyer.pk).count() == 1  # the member's quota
    quota = _get(client, "/me/directory-quota", secret).json()
    assert {q["kind"]: q["used"] for q in quota}["buyer"] == 1
    assert QuotaUse.objects.filter(user=premium, kind=KIND_API).count() == 1  # one day of API access, once


def test_key_is_refused_on_writes_key_management_and_when_revoked(premium, make_buyer, client):
    buyer = make_buyer()
    key, secret = key_services.member_key_create(user=premium, name="ERP")
    for method, path, data in (
        ("post", f"/buyers/{buyer.pk}/like", {"liked": True}),
        ("post", "/export-documents", {"kind": "packing_list", "items": []}),
        ("get", "/me/api-keys", None),
        ("post", "/me/api-keys", {"name": "dari kunci"}),
        ("get", "/export-documents", None),
    ):
        for header in ({"X-API-Key": secret}, {"Authorization": f"Bearer {secret}"}):
            answer = call(client, method, path, data, headers=header)
            assert answer.status_code == 401, (method, path, header, answer.content)
    assert MemberApiKey.objects.count() == 1
    key_services.member_key_revoke(actor=premium, key_id=key.pk)
    refused = _get(client, "/buyers", secret)
    assert refused.status_code == 401 and "dicabut" in refused.json()["message"]
    assert _get(client, "/buyers", "sgm_bukan_kunci").status_code == 401
    assert _get(client, "/buyers", "sgm_" + "x" * 5000).status_code == 401


def test_rate_limit_and_a_plan_without_api_access(premium, plans, admin_user, client, settings):
    settings.DIRECTORY_API_KEY_RATE_LIMIT = "2/3600"
    _key, secret = key_services.member_key_create(user=premium, name="ERP")
    assert _get(client, "/forwarders", secret).status_code == 200
    assert _get(client, "/forwarders", secret).status_code == 200
    limited = _get(client, "/forwarders", secret)
    assert limited.status_code == 429 and limited.json()["message"]
    settings.DIRECTORY_API_KEY_RATE_LIMIT = "100/3600"
    _key2, other = key_services.member_key_create(user=premium, name="Kedua")
    shared.quota_set(actor=admin_user, kind=KIND_API, plan=plans["12m"], monthly_limit=0)
    closed = _get(client, "/forwarders", other)
    assert closed.status_code == 403 and closed.json()["errors"]["reason"] == ["quota_locked"]


def test_key_management_api(premium, make_user, client):
    created = call(client, "post", "/me/api-keys", {"name": "Sistem ERP"}, user=premium)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["secret"].startswith("sgm_") and body["is_active"]
    listing = call(client, "get", "/me/api-keys", user=premium).json()
    assert listing["max_active"] == 3 and listing["access"]["limit"] is None
    assert [k["name"] for k in listing["keys"]] == ["Sistem ERP"] and "secret" not in listing["keys"][0]
    stranger = make_user(full_name="Orang Lain")
    assert call(client, "post", f"/me/api-keys/{body['id']}/revoke", user=stranger).status_code == 404
    assert MemberApiKey.objects.get().is_active
    revoked = call(client, "post", f"/me/api-keys/{body['id']}/revoke", user=premium)
    assert revoked.status_code == 200 and revoked.json()["is_active"] is False
    free = call(client, "post", "/me/api-keys", {"name": "x"}, user=stranger)
    assert free.status_code == 403 and free.json()["errors"]["reason"] == ["quota_locked"]
    for payload in ({"name": ""}, {"name": "a" * 101}, {"name": ["x"]}, {}, {"name": {"a": {"b": 1}}}):
        assert call(client, "post", "/me/api-keys", payload, user=premium).status_code == 422, payload
    nul = call(client, "post", "/me/api-keys", {"name": "a\u0000"}, user=premium)
    assert nul.status_code == 400 and nul.json()["message"]
    assert call(client, "post", "/me/api-keys/abc/revoke", user=premium).status_code == 422


def test_profile_page_creates_shows_once_and_revokes(premium, make_user):
    web = _client(premium)
    url = reverse("directory:my_profile")
    page = web.get(url).content.decode()
    assert "Kunci API Pribadi" in page and 'id="api-key-form"' in page
    created = web.post(url, {"action": "key_create", "name": "Sistem ERP"})
    key = MemberApiKey.objects.get()
    html = created.content.decode()
    assert created.status_code == 200 and 'id="new-key-secret"' in html and f"sgm_{key.prefix}_" in html
    assert created["Cache-Control"] == "no-store"
    again = web.get(url).content.decode()
    assert 'id="new-key-secret"' not in again and "Sistem ERP" in again  # shown once
    refused = web.post(url, {"action": "key_create", "name": "nul\x00"})
    assert refused.status_code in (200, 400) and MemberApiKey.objects.count() == 1
    empty = web.post(url, {"action": "key_create", "name": ""}).content.decode()
    assert "Wajib diisi." in empty
    stranger = make_user(full_name="Orang Lain")
    _client(stranger).post(url, {"action": "key_revoke", "key": key.pk})
    assert MemberApiKey.objects.get().is_active  # not theirs
    free_page = _client(stranger).get(url).content.decode()
    assert "Paket Anda belum termasuk akses API." in free_page and 'id="api-key-form"' not in free_page
    assert web.post(url, {"action": "key_revoke", "key": "abc"}).status_code == 302
    web.post(url, {"action": "key_revoke", "key": key.pk})
    assert MemberApiKey.objects.get().is_active is False
    with pytest.raises(NotFound):
        key_services.member_key_revoke(actor=stranger, key_id=key.pk)
