"""Admin page /admin/settings/api-keys: list, create (secret shown once, stored hashed), revoke."""

import hashlib

import pytest
from django.urls import reverse

from sanggar.accounts.models import ApiKey
from sanggar.accounts.services import api_key_authenticate, api_key_create, api_key_revoke
from sanggar.audit.constants import Action
from sanggar.audit.models import ActivityLog
from sanggar.core.roles import Role

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/settings/api-keys"
OTHER_ROLES = [Role.MEMBER, Role.FOUNDER, Role.COFOUNDER, Role.SUPPORT, Role.MENTOR, Role.AFFILIATE, Role.SUPPLIER]


def test_urls():
    assert reverse("accounts:admin_api_keys") == LIST_URL
    assert reverse("accounts:admin_api_key_revoke", args=[7]) == "/admin/settings/api-keys/7/revoke"


def test_anonymous_is_sent_to_log_in(client, admin_user):
    key, _secret = api_key_create(name="Android", actor=admin_user)
    for url in (LIST_URL, f"{LIST_URL}/{key.pk}/revoke"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    assert client.post(LIST_URL, {"name": "Jahat"}).status_code == 302
    assert client.post(f"{LIST_URL}/{key.pk}/revoke").status_code == 302
    assert ApiKey.objects.count() == 1
    assert ApiKey.objects.get().revoked_at is None


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_get_403_and_change_nothing(client, make_user, admin_user, role):
    key, _secret = api_key_create(name="Android", actor=admin_user)
    client.force_login(make_user(role))

    assert client.get(LIST_URL).status_code == 403
    assert client.post(LIST_URL, {"name": "Jahat"}).status_code == 403
    assert client.get(f"{LIST_URL}/{key.pk}/revoke").status_code == 403
    assert client.post(f"{LIST_URL}/{key.pk}/revoke").status_code == 403
    assert list(ApiKey.objects.values_list("name", flat=True)) == ["Android"]
    assert ApiKey.objects.get().revoked_at is None


def test_list_shows_keys(admin_client, admin_user, make_user):
    android, _ = api_key_create(name="Aplikasi Android", actor=admin_user)
    ios, secret = api_key_create(name="Aplikasi iOS", actor=admin_user)
    api_key_revoke(key=android, actor=admin_user)
    api_key_authenticate(raw=secret)

    response = admin_client.get(LIST_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Aplikasi Android" in html
    assert "Aplikasi iOS" in html
    assert f"sgk_{android.prefix}…" in html
    assert f"sgk_{ios.prefix}…" in html
    assert "Dicabut" in html
    assert "Belum pernah" in html  # Android was never used
    assert admin_user.full_name in html
    assert f'href="/admin/settings/api-keys/{ios.pk}/revoke"' in html
    assert f'href="/admin/settings/api-keys/{android.pk}/revoke"' not in html
    assert secret not in html
    assert [k.pk for k in response.context["keys"]] == [ios.pk, android.pk]


def test_list_query_count_is_fixed(admin_client, admin_user, django_assert_max_num_queries):
    api_key_create(name="Satu", actor=admin_user)
    admin_client.get(LIST_URL)  # warm caches (branding, session)
    with django_assert_max_num_queries(12) as small:
        admin_client.get(LIST_URL)
    for n in range(30):
        api_key_create(name=f"Kunci {n}", actor=admin_user)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = admin_client.get(LIST_URL)
    assert len(response.context["keys"]) == 25


def test_create_shows_the_secret_once_and_stores_only_its_hash(admin_client, admin_user):
    response = admin_client.post(LIST_URL, {"name": "  Aplikasi Android  "})

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert "no-store" in response["Cache-Control"]
    secret = response.context["secret"]
    key = ApiKey.objects.get()
    assert key.name == "Aplikasi Android"
    assert key.created_by == admin_user
    assert secret.startswith(f"sgk_{key.prefix}_")
    assert secret in response.content.decode()
    assert key.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in (key.key_hash, key.prefix)
    assert api_key_authenticate(raw=secret) == key
    log = ActivityLog.objects.get(action=Action.API_KEY_CREATED)
    assert log.actor_id == admin_user.pk
    assert secret not in str(log.data) + log.target_label
    # Never again: the list does not show it.
    assert secret not in admin_client.get(LIST_URL).content.decode()


@pytest.mark.parametrize(
    ("name", "error"),
    [("", "Bidang ini tidak boleh kosong."), ("   ", "Bidang ini tidak boleh kosong."), ("x" * 101, None)],
)
def test_create_with_a_bad_name_shows_the_error_and_creates_nothing(admin_client, name, error):
    response = admin_client.post(LIST_URL, {"name": name})

    assert response.status_code == 200
    assert "secret" not in response.context
    assert response.context["form"].errors["name"]
    if error:
        assert response.context["form"].errors["name"] == [error]
    assert ApiKey.objects.count() == 0


def test_revoke_confirmation_then_revoke(admin_client, admin_user):
    key, secret = api_key_create(name="Android", actor=admin_user)

    confirm = admin_client.get(f"{LIST_URL}/{key.pk}/revoke")
    assert confirm.status_code == 200
    assert "Ya, Cabut Kunci" in confirm.content.decode()
    key.refresh_from_db()
    assert key.revoked_at is None

    response = admin_client.post(f"{LIST_URL}/{key.pk}/revoke")

    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert key.revoked_by == admin_user
    assert api_key_authenticate(raw=secret) is None
    assert ActivityLog.objects.filter(action=Action.API_KEY_REVOKED, target_id=str(key.pk)).count() == 1


def test_revoking_twice_changes_nothing(admin_client, admin_user):
    key, _secret = api_key_create(name="Android", actor=admin_user)
    admin_client.post(f"{LIST_URL}/{key.pk}/revoke")
    key.refresh_from_db()
    first = key.revoked_at

    response = admin_client.post(f"{LIST_URL}/{key.pk}/revoke", follow=True)

    key.refresh_from_db()
    assert key.revoked_at == first
    assert "API key ini sudah dicabut sebelumnya." in response.content.decode()
    assert ActivityLog.objects.filter(action=Action.API_KEY_REVOKED).count() == 1
    page = admin_client.get(f"{LIST_URL}/{key.pk}/revoke").content.decode()
    assert "Ya, Cabut Kunci" not in page
    assert "Kunci ini sudah dicabut pada" in page


def test_revoke_unknown_key_is_404(admin_client):
    assert admin_client.get(f"{LIST_URL}/999999/revoke").status_code == 404
    assert admin_client.post(f"{LIST_URL}/999999/revoke").status_code == 404
