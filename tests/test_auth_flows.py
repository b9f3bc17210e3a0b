"""Registration, login, logout and password reset through allauth's pages, with our fields and rules."""

import pytest
from django.core import mail

from sanggar.accounts.models import User
from sanggar.audit.constants import Action
from sanggar.audit.models import ActivityLog
from sanggar.core.roles import Role

SIGNUP = {
    "full_name": "Siti Rahma",
    "email": "Siti@Contoh.test",
    "whatsapp": "0812-3456-7890",
    "password1": "kopi-susu-2025",
    "password2": "kopi-susu-2025",
}


@pytest.mark.django_db
def test_signup_creates_a_member_with_normalised_whatsapp(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="siti@contoh.test")
    assert user.full_name == "Siti Rahma"
    assert user.whatsapp == "+6281234567890"
    assert user.role_set == {Role.MEMBER}
    assert ActivityLog.objects.filter(action=Action.USER_REGISTERED, target_id=str(user.pk)).count() == 1
    # The verification email is sent to the address given.
    assert any("siti@contoh.test" in m.to[0].lower() for m in mail.outbox)


@pytest.mark.django_db
def test_signup_with_an_invalid_whatsapp_shows_a_message_and_creates_nothing(client):
    response = client.post("/accounts/signup/", {**SIGNUP, "whatsapp": "12345"})
    assert response.status_code == 200
    assert "Nomor WhatsApp tidak valid" in response.content.decode()
    assert not User.objects.filter(email="siti@contoh.test").exists()


@pytest.mark.django_db
def test_signup_page_is_indonesian_and_asks_for_name_and_whatsapp(client):
    page = client.get("/accounts/signup/").content.decode()
    assert 'name="full_name"' in page
    assert 'name="whatsapp"' in page
    assert 'lang="id"' in page
    assert "Nama lengkap" in page


@pytest.mark.django_db
def test_login_and_failed_login_are_logged(client, make_user, password):
    user = make_user(email="budi@contoh.test")
    bad = client.post("/accounts/login/", {"login": "budi@contoh.test", "password": "salah-sekali"})
    assert bad.status_code == 200
    assert ActivityLog.objects.filter(action=Action.LOGIN_FAILED, target_label="budi@contoh.test").count() == 1
    good = client.post("/accounts/login/", {"login": "budi@contoh.test", "password": password})
    assert good.status_code == 302
    assert good["Location"] == "/dashboard/"
    row = ActivityLog.objects.get(action=Action.LOGIN, actor=user)
    assert row.ip == "127.0.0.1"


@pytest.mark.django_db
def test_login_is_rate_limited(client, make_user, password):
    make_user(email="rina@contoh.test")
    for i in range(5):
        client.post("/accounts/login/", {"login": "rina@contoh.test", "password": f"salah-{i}"})
    # After five failures for this email, even the right password is refused for a while.
    response = client.post("/accounts/login/", {"login": "rina@contoh.test", "password": password})
    assert response.status_code == 200
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_deactivated_user_cannot_log_in_and_loses_their_session(client, make_user, admin_user, password):
    from sanggar.accounts.services import user_deactivate

    user = make_user(email="nonaktif@contoh.test")
    client.force_login(user)
    assert client.get("/dashboard/").status_code == 200
    user_deactivate(user=user, actor=admin_user, reason="Pelanggaran aturan")
    assert client.get("/dashboard/").status_code == 302  # the session no longer authenticates
    client.logout()
    response = client.post("/accounts/login/", {"login": "nonaktif@contoh.test", "password": password})
    assert "_auth_user_id" not in client.session
    assert client.get("/dashboard/").status_code == 302
    assert response.status_code in (200, 302)


@pytest.mark.django_db
def test_password_reset_sends_the_reset_template(client, make_user, django_capture_on_commit_callbacks):
    make_user(email="lupa@contoh.test", full_name="Lupa Sandi")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "lupa@contoh.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lupa@contoh.test"]
    assert "/accounts/password/reset/key/" in message.body
    assert "Lupa Sandi" in message.body


@pytest.mark.django_db
def test_logout_needs_post_and_ends_the_session(client, member_user):
    client.force_login(member_user)
    client.post("/accounts/logout/")
    assert client.get("/dashboard/").status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/google/login/", "/accounts/google/login/callback/?code=x&state=y"])
def test_google_routes_are_404_when_google_is_not_configured(client, settings, url):
    settings.SOCIALACCOUNT_PROVIDERS = {"google": {"SCOPE": ["email"]}}
    assert client.get(url).status_code == 404
    assert client.post(url.split("?")[0]).status_code == 404


@pytest.mark.django_db
def test_google_login_works_when_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"google": {"APPS": [{"client_id": "abc", "secret": "s", "key": ""}]}}
    response = client.post("/accounts/google/login/")
    assert response.status_code == 302
    assert response["Location"].startswith("https://accounts.google.com/")
