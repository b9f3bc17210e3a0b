"""Auth classes, role checks, the request context and unexpected errors (through the probe API in tests/urls.py)."""

import pytest

from sanggar.api.testing import bearer
from sanggar.core.roles import Role

pytestmark = [pytest.mark.django_db, pytest.mark.urls("sanggar.api.tests.urls")]


def test_admin_endpoint_allows_admins(client, admin_user):
    response = client.get("/probe/admin-only", headers=bearer(admin_user))

    assert response.status_code == 200
    assert response.json() == {"email": admin_user.email}


@pytest.mark.parametrize("roles", [(), (Role.FOUNDER, Role.MENTOR, Role.SUPPORT)])
def test_admin_endpoint_refuses_other_roles_with_403(client, make_user, roles):
    user = make_user(*roles)

    response = client.get("/probe/admin-only", headers=bearer(user))

    assert response.status_code == 403
    assert response.json() == {"message": "Anda tidak memiliki akses ke fitur ini.", "errors": {}}


def test_admin_endpoint_refuses_anonymous_with_401(client):
    response = client.get("/probe/admin-only")

    assert response.status_code == 401


def test_admin_role_revoked_takes_effect_at_once(client, make_user, admin_user):
    from sanggar.accounts.services import role_revoke

    other_admin = make_user(Role.ADMIN)
    headers = bearer(other_admin)
    assert client.get("/probe/admin-only", headers=headers).status_code == 200

    role_revoke(user=other_admin, role=Role.ADMIN, actor=admin_user)

    assert client.get("/probe/admin-only", headers=headers).status_code == 403


def test_unexpected_error_is_a_json_500(client, caplog):
    client.raise_request_exception = False

    response = client.get("/probe/boom")

    assert response.status_code == 500
    assert response.json() == {"message": "Terjadi kesalahan pada server. Silakan coba lagi.", "errors": {}}
    assert "kaboom" not in response.content.decode()
    assert any("Unhandled API error" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("header", ["Bearer", "Token abc", "Bearer ", "Basic dXNlcjpwYXNz", "a b c", "Bearer a b"])
def test_malformed_authorization_header_is_401_without_an_error_log(client, caplog, header):
    with caplog.at_level("INFO"):
        response = client.get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert set(response.json()) == {"message", "errors"}
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")], caplog.text
