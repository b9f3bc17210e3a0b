"""X-API-Key: optional but checked when sent; required on every operation when API_REQUIRE_KEY is on."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.accounts.models import ApiKey
from sanggar.accounts.services import api_key_create, api_key_revoke
from sanggar.api.testing import call

pytestmark = pytest.mark.django_db

MISSING = "API key wajib disertakan di header X-API-Key."
INVALID = "API key tidak valid atau sudah dicabut."


@pytest.fixture
def api_key(admin_user):
    return api_key_create(name="Aplikasi Android", actor=admin_user)


def test_without_requirement_no_key_is_fine(client, settings):
    settings.API_REQUIRE_KEY = False

    assert call(client, "get", "/branding").status_code == 200


def test_without_requirement_a_sent_key_must_still_be_valid(client, settings):
    settings.API_REQUIRE_KEY = False

    response = call(client, "get", "/branding", headers={"X-API-Key": "sgk_salah_kunci"})

    assert response.status_code == 401
    assert response.json() == {"message": INVALID, "errors": {}}
    assert response["WWW-Authenticate"] == 'ApiKey header="X-API-Key"'


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/branding", None),
        ("post", "/auth/token", {"email": "a@contoh.test", "password": "x"}),
        ("post", "/auth/register", {}),
        ("get", "/me", None),
        ("get", "/notifications", None),
        ("post", "/notifications/read-all", None),
    ],
)
def test_required_key_missing_is_401_everywhere(client, settings, member_user, method, path, data):
    settings.API_REQUIRE_KEY = True

    response = call(client, method, path, data, user=member_user)

    assert response.status_code == 401
    assert response.json() == {"message": MISSING, "errors": {}}


def test_required_key_valid_passes_and_records_last_use(client, settings, api_key, member_user):
    settings.API_REQUIRE_KEY = True
    key, secret = api_key
    assert key.last_used_at is None

    branding = call(client, "get", "/branding", headers={"X-API-Key": secret})
    me = call(client, "get", "/me", user=member_user, headers={"X-API-Key": secret})

    assert branding.status_code == 200
    assert me.status_code == 200
    key.refresh_from_db()
    assert key.last_used_at is not None
    assert timezone.now() - key.last_used_at < timedelta(seconds=30)


def test_last_use_is_written_at_most_once_a_minute(client, api_key, django_assert_num_queries):
    key, secret = api_key
    call(client, "get", "/branding", headers={"X-API-Key": secret})
    key.refresh_from_db()
    first_use = key.last_used_at

    with django_assert_num_queries(1):  # the key lookup only; branding is cached
        call(client, "get", "/branding", headers={"X-API-Key": secret})

    key.refresh_from_db()
    assert key.last_used_at == first_use


def test_revoked_key_is_401(client, settings, api_key, admin_user):
    settings.API_REQUIRE_KEY = True
    key, secret = api_key
    assert call(client, "get", "/branding", headers={"X-API-Key": secret}).status_code == 200

    api_key_revoke(key=key, actor=admin_user)

    response = call(client, "get", "/branding", headers={"X-API-Key": secret})
    assert response.status_code == 401
    assert response.json()["message"] == INVALID


def test_key_with_a_changed_character_is_401(client, api_key):
    _key, secret = api_key
    tampered = secret[:-1] + ("A" if secret[-1] != "A" else "B")

    assert call(client, "get", "/branding", headers={"X-API-Key": tampered}).status_code == 401


def test_refused_key_changes_nothing(client, settings, make_user):
    settings.API_REQUIRE_KEY = True
    user = make_user(full_name="Tetap")

    response = call(client, "patch", "/me", {"full_name": "Berubah"}, user=user)

    assert response.status_code == 401
    user.refresh_from_db()
    assert user.full_name == "Tetap"


def test_docs_and_openapi_stay_readable_without_a_key(client, settings):
    settings.API_REQUIRE_KEY = True

    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200


def test_only_the_hash_is_stored(api_key):
    key, secret = api_key

    stored = ApiKey.objects.get(pk=key.pk)
    assert secret.startswith(f"sgk_{stored.prefix}_")
    assert secret not in (stored.key_hash, stored.prefix, stored.name)
    assert len(stored.key_hash) == 64
