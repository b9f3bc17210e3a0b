"""API auth flows: register, token, refresh, and when a token stops working."""

import time
from datetime import timedelta
from unittest import mock

import jwt
import pytest
from django.core.cache import cache
from django.test import override_settings

from sanggar.accounts.models import User
from sanggar.accounts.services import user_deactivate
from sanggar.api.testing import call
from sanggar.api.tokens import token_pair_issue
from sanggar.audit.constants import Action
from sanggar.audit.models import ActivityLog
from sanggar.core.roles import Role

pytestmark = pytest.mark.django_db

REGISTER = {
    "full_name": "Siti Aminah",
    "email": "siti@contoh.test",
    "whatsapp": "0812-3456-7890",
    "password": "kopi-susu-gula-aren",
}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _token(client, email, password):
    return call(client, "post", "/auth/token", {"email": email, "password": password})


# --- register -----------------------------------------------------------------------------------------


def test_register_creates_member_and_returns_tokens(client):
    response = call(client, "post", "/auth/register", REGISTER)

    assert response.status_code == 201
    body = response.json()
    user = User.objects.get(email="siti@contoh.test")
    assert user.full_name == "Siti Aminah"
    assert user.whatsapp == "+6281234567890"
    assert user.check_password("kopi-susu-gula-aren")
    assert body["user"]["id"] == user.pk
    assert body["user"]["email"] == "siti@contoh.test"
    assert body["user"]["roles"] == ["member"]
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 15 * 60
    me = call(client, "get", "/me", headers={"Authorization": f"Bearer {body['access']}"})
    assert me.status_code == 200
    assert me.json()["email"] == "siti@contoh.test"
    assert ActivityLog.objects.filter(action=Action.USER_REGISTERED, target_id=str(user.pk)).count() == 1


def test_register_field_errors_are_400_per_field_and_create_nothing(client):
    response = call(
        client,
        "post",
        "/auth/register",
        {"full_name": "", "email": "baru@contoh.test", "whatsapp": "12345", "password": "123"},
    )

    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "Pendaftaran belum bisa diproses."
    assert set(body["errors"]) == {"full_name", "whatsapp", "password"}
    assert body["errors"]["full_name"] == ["Nama lengkap wajib diisi."]
    assert body["errors"]["whatsapp"] == [
        "Nomor WhatsApp tidak valid. Gunakan nomor seluler Indonesia, contoh 081234567890."
    ]
    assert len(body["errors"]["password"]) >= 1
    assert not User.objects.filter(email="baru@contoh.test").exists()


def test_register_duplicate_email_is_400_on_email(client, make_user):
    make_user(email="siti@contoh.test")

    response = call(client, "post", "/auth/register", {**REGISTER, "email": "SITI@contoh.test"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"email": ["Email ini sudah terdaftar. Silakan masuk."]}
    assert User.objects.filter(email__iexact="siti@contoh.test").count() == 1


def test_register_missing_and_mistyped_fields_are_422_by_field(client):
    response = call(client, "post", "/auth/register", {"full_name": 42, "email": "bukan-email", "password": "x" * 10})

    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "Data yang dikirim tidak valid. Periksa kembali isian yang ditandai."
    assert body["errors"] == {
        "full_name": ["Harus berupa teks."],
        "email": ["Alamat email tidak valid."],
        "whatsapp": ["Wajib diisi."],
    }
    assert User.objects.count() == 0


# --- token --------------------------------------------------------------------------------------------


def test_token_with_right_credentials(client, make_user, password):
    user = make_user(email="budi@contoh.test")

    response = _token(client, "Budi@Contoh.test", password)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access", "refresh", "token_type", "expires_in"}
    claims = jwt.decode(body["access"], options={"verify_signature": False})
    assert claims["sub"] == str(user.pk)
    assert claims["type"] == "access"
    assert claims["fp"] == user.token_fingerprint()
    assert claims["exp"] - claims["iat"] == 15 * 60
    refresh = jwt.decode(body["refresh"], options={"verify_signature": False})
    assert refresh["type"] == "refresh"
    assert refresh["exp"] - refresh["iat"] == 30 * 24 * 3600
    assert refresh["jti"] != claims["jti"]
    log = ActivityLog.objects.get(action=Action.LOGIN)
    assert log.actor_id == user.pk
    assert log.data == {"via": "api"}
    assert log.ip == "127.0.0.1"


@pytest.mark.parametrize("email", ["budi@contoh.test", "tidak-ada@contoh.test"])
def test_token_wrong_credentials_is_401_and_logged(client, make_user, email):
    make_user(email="budi@contoh.test")

    response = _token(client, email, "salah-sandi-nya")

    assert response.status_code == 401
    assert response.json() == {"message": "Email atau kata sandi salah.", "errors": {}}
    log = ActivityLog.objects.get(action=Action.LOGIN_FAILED)
    assert log.actor_id is None
    assert log.data["email"] == email
    assert log.data["via"] == "api"
    assert log.ip == "127.0.0.1"
    assert not ActivityLog.objects.filter(action=Action.LOGIN).exists()


def test_token_refused_for_inactive_user(client, make_user, admin_user, password):
    user = make_user(email="budi@contoh.test")
    user_deactivate(user=user, actor=admin_user)

    response = _token(client, "budi@contoh.test", password)

    assert response.status_code == 401
    assert response.json()["message"] == "Akun ini sudah dinonaktifkan. Hubungi admin."
    assert not ActivityLog.objects.filter(action=Action.LOGIN).exists()


@override_settings(LOGIN_FAILURES_BEFORE_DELAY=3, LOGIN_DELAY_BASE_SECONDS=30, LOGIN_DELAY_MAX_SECONDS=900)
def test_token_throttled_per_account_and_address_with_a_growing_delay(client, make_user, password):
    """Issue 7: failures for an email slow down that address only; the member signs in from their own address."""
    make_user(email="budi@contoh.test")
    for _ in range(3):
        assert _token(client, "budi@contoh.test", "salah").status_code == 401

    # The stranger's address now waits, even with the right password…
    response = _token(client, "budi@contoh.test", password)
    assert response.status_code == 429
    assert "akun ini dari alamat Anda" in response.json()["message"]
    assert 25 <= int(response["Retry-After"]) <= 31
    # … while the member, from another address, is not locked out.
    mine = client.post(
        "/api/v1/auth/token",
        data={"email": "budi@contoh.test", "password": password},
        content_type="application/json",
        REMOTE_ADDR="10.0.0.9",
    )
    assert mine.status_code == 200
    assert ActivityLog.objects.filter(action=Action.LOGIN_FAILED).count() == 3
    # The delay grows: after it ends, the next failure costs twice as long.
    with mock.patch("time.time", return_value=time.time() + 31):
        assert _token(client, "budi@contoh.test", "salah").status_code == 401
        again = _token(client, "budi@contoh.test", password)
    assert again.status_code == 429
    assert 55 <= int(again["Retry-After"]) <= 61


@override_settings(API_TOKEN_RATE_LIMIT="3/300")
def test_token_rate_limited_per_ip_across_emails(client, make_user, password):
    make_user(email="budi@contoh.test")
    for n in range(3):
        assert _token(client, f"orang{n}@contoh.test", "salah").status_code == 401

    assert _token(client, "budi@contoh.test", password).status_code == 429
    other_ip = client.post(
        "/api/v1/auth/token",
        data={"email": "budi@contoh.test", "password": password},
        content_type="application/json",
        REMOTE_ADDR="10.0.0.9",
    )
    assert other_ip.status_code == 200


@override_settings(API_TOKEN_RATE_LIMIT="3/300")
def test_token_rate_limit_window_ends(client, make_user, password):
    make_user(email="budi@contoh.test")
    for _ in range(3):
        _token(client, "budi@contoh.test", "salah")
    assert _token(client, "budi@contoh.test", password).status_code == 429

    later = time.time() + 301
    with mock.patch("time.time", return_value=later):
        assert _token(client, "budi@contoh.test", password).status_code == 200


# --- refresh ------------------------------------------------------------------------------------------


def test_refresh_returns_new_pair_and_spends_the_old_refresh_token(client, member_user):
    pair = token_pair_issue(user=member_user)

    response = call(client, "post", "/auth/refresh", {"refresh": pair.refresh})

    assert response.status_code == 200
    body = response.json()
    assert body["access"] != pair.access
    assert body["refresh"] != pair.refresh
    assert call(client, "get", "/me", headers={"Authorization": f"Bearer {body['access']}"}).status_code == 200
    again = call(client, "post", "/auth/refresh", {"refresh": pair.refresh})
    assert again.status_code == 401
    assert again.json()["message"] == "Refresh token ini sudah dipakai. Silakan masuk kembali."
    assert call(client, "post", "/auth/refresh", {"refresh": body["refresh"]}).status_code == 200


def test_refresh_retry_with_idempotency_key_gets_the_same_pair(client, member_user):
    pair = token_pair_issue(user=member_user)
    headers = {"Idempotency-Key": "refresh-1"}

    first = call(client, "post", "/auth/refresh", {"refresh": pair.refresh}, headers=headers)
    retry = call(client, "post", "/auth/refresh", {"refresh": pair.refresh}, headers=headers)

    assert first.status_code == retry.status_code == 200
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"


def test_refresh_refuses_an_access_token(client, member_user):
    pair = token_pair_issue(user=member_user)

    response = call(client, "post", "/auth/refresh", {"refresh": pair.access})

    assert response.status_code == 401
    assert response.json()["message"] == "Jenis token salah."


def test_access_token_cannot_be_a_refresh_token_either_way(client, member_user):
    pair = token_pair_issue(user=member_user)

    response = call(client, "get", "/me", headers={"Authorization": f"Bearer {pair.refresh}"})

    assert response.status_code == 401
    assert response.json()["message"] == "Jenis token salah."


# --- when tokens stop working -------------------------------------------------------------------------


def test_expired_access_token_is_401(client, member_user):
    with override_settings(JWT_ACCESS_TTL=timedelta(seconds=-1)):
        pair = token_pair_issue(user=member_user)

    response = call(client, "get", "/me", headers={"Authorization": f"Bearer {pair.access}"})

    assert response.status_code == 401
    assert response.json()["message"] == "Token sudah kedaluwarsa. Perbarui token atau masuk kembali."
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert call(client, "post", "/auth/refresh", {"refresh": pair.refresh}).status_code == 200


def test_expired_refresh_token_is_401(client, member_user):
    with override_settings(JWT_REFRESH_TTL=timedelta(seconds=-1)):
        pair = token_pair_issue(user=member_user)

    response = call(client, "post", "/auth/refresh", {"refresh": pair.refresh})

    assert response.status_code == 401
    assert response.json()["message"] == "Token sudah kedaluwarsa. Perbarui token atau masuk kembali."


def test_tokens_issued_before_a_password_change_are_rejected(client, member_user):
    pair = token_pair_issue(user=member_user)
    member_user.set_password("sandi-yang-baru-sekali")
    member_user.save()

    me = call(client, "get", "/me", headers={"Authorization": f"Bearer {pair.access}"})
    refresh = call(client, "post", "/auth/refresh", {"refresh": pair.refresh})

    assert me.status_code == 401
    assert me.json()["message"] == "Sesi sudah berakhir karena kata sandi diubah. Silakan masuk kembali."
    assert refresh.status_code == 401


def test_deactivated_users_tokens_stop_working_at_once(client, make_user, admin_user):
    user = make_user()
    pair = token_pair_issue(user=user)
    assert call(client, "get", "/me", headers={"Authorization": f"Bearer {pair.access}"}).status_code == 200

    user_deactivate(user=user, actor=admin_user)

    me = call(client, "get", "/me", headers={"Authorization": f"Bearer {pair.access}"})
    assert me.status_code == 401
    assert me.json()["message"] == "Akun ini sudah dinonaktifkan."
    assert call(client, "post", "/auth/refresh", {"refresh": pair.refresh}).status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        "",
        "Bearer",
        "Bearer bukan.token.jwt",
        "Basic dXNlcjpwYXNz",
    ],
)
def test_missing_or_garbled_token_is_401(client, header):
    headers = {"Authorization": header} if header else {}

    response = call(client, "get", "/me", headers=headers)

    assert response.status_code == 401
    assert response.json()["message"] in {
        "Autentikasi diperlukan. Sertakan token akses yang valid (Authorization: Bearer <token>).",
        "Token tidak valid.",
    }


def test_token_signed_with_another_key_is_401(client, member_user):
    forged = jwt.encode(
        {"sub": str(member_user.pk), "type": "access", "iat": 1, "exp": 9999999999, "jti": "x", "fp": "y"},
        "kunci-penandatangan-lain-yang-cukup-panjang-32b",
        algorithm="HS256",
    )

    response = call(client, "get", "/me", headers={"Authorization": f"Bearer {forged}"})

    assert response.status_code == 401
    assert response.json()["message"] == "Token tidak valid."


def test_admin_role_is_read_fresh_on_every_request(client, make_user):
    user = make_user(Role.AFFILIATE)
    pair = token_pair_issue(user=user)

    response = call(client, "get", "/me", headers={"Authorization": f"Bearer {pair.access}"})

    assert response.json()["roles"] == ["affiliate", "member"]


def test_register_is_rate_limited_per_ip(client, settings):
    settings.API_REGISTER_RATE_LIMIT = "2/3600"
    for n in range(2):
        response = call(client, "post", "/auth/register", {**REGISTER, "email": f"akun{n}@contoh.test"})
        assert response.status_code == 201
    response = call(client, "post", "/auth/register", {**REGISTER, "email": "akun3@contoh.test"})
    assert response.status_code == 429
    assert "Terlalu banyak pendaftaran" in response.json()["message"]
    assert not User.objects.filter(email="akun3@contoh.test").exists()


def test_an_access_token_used_again_is_still_checked_for_its_end_the_account_and_the_password(client, member_user):
    """A verified access token is not verified again on every request (its signature), but its end, the account and
    the password still are, every time."""
    from sanggar.api import tokens

    pair = token_pair_issue(user=member_user)
    headers = {"Authorization": f"Bearer {pair.access}"}
    assert call(client, "get", "/me", headers=headers).status_code == 200
    with mock.patch.object(tokens.jwt, "decode", side_effect=AssertionError("verified again")):
        assert call(client, "get", "/me", headers=headers).status_code == 200  # the verified claims, kept
    claims = jwt.decode(pair.access, options={"verify_signature": False})
    with mock.patch.object(tokens.time, "time", return_value=claims["exp"]):
        expired = call(client, "get", "/me", headers=headers)
    assert expired.status_code == 401
    assert expired.json()["message"] == "Token sudah kedaluwarsa. Perbarui token atau masuk kembali."
    pair = token_pair_issue(user=member_user)
    headers = {"Authorization": f"Bearer {pair.access}"}
    assert call(client, "get", "/me", headers=headers).status_code == 200
    member_user.set_password("sandi-yang-baru-sekali")
    member_user.save()
    assert call(client, "get", "/me", headers=headers).status_code == 401  # the password changed: ended at once
    forged = pair.access[:-4] + ("AAAA" if not pair.access.endswith("AAAA") else "BBBB")
    assert call(client, "get", "/me", headers={"Authorization": f"Bearer {forged}"}).status_code == 401
