"""Web login throttling: per account and address, growing delay, no lockout of the member, owner notified, reset
always possible and clears the delay."""

import pytest

from sanggar.accounts.adapters import AccountAdapter
from sanggar.accounts.login_throttle import delay_after
from sanggar.notifications.models import Notification

pytestmark = pytest.mark.django_db

STRANGER = "203.0.113.66"
MEMBER = "198.51.100.10"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.LOGIN_FAILURES_BEFORE_DELAY = 5
    settings.LOGIN_DELAY_BASE_SECONDS = 30
    settings.LOGIN_DELAY_MAX_SECONDS = 900
    settings.LOGIN_FAILURE_NOTIFY_AFTER = 10


def _login(client, email, password, ip):
    return client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=ip)


def test_delay_grows_and_is_capped():
    assert [delay_after(n) for n in (1, 4, 5, 6, 7, 20)] == [0, 0, 30, 60, 120, 900]


def test_a_stranger_cannot_lock_a_member_or_an_admin_out(client, make_user, password):
    admin = make_user("admin", email="admin@contoh.test")
    for _ in range(12):
        _login(client, admin.email, "salah-terus", STRANGER)
    refused = _login(client, admin.email, password, STRANGER)
    assert refused.status_code == 200
    assert "Terlalu banyak percobaan masuk" in refused.content.decode()
    assert "_auth_user_id" not in client.session

    assert _login(client, admin.email, password, MEMBER).status_code == 302  # the owner, elsewhere
    assert int(client.session["_auth_user_id"]) == admin.pk


def test_the_owner_is_told_of_repeated_failures_once(client, make_user):
    member = make_user(email="sari@contoh.test")
    for n in range(12):
        _login(client, member.email, "salah", f"203.0.113.{n}")
    notes = Notification.objects.filter(user=member)
    assert notes.count() == 1
    assert "gagal" in notes.get().title


def test_password_reset_is_always_possible_and_clears_the_delay(client, rf, make_user, password):
    member = make_user(email="sari@contoh.test")
    for _ in range(8):
        _login(client, member.email, "salah", STRANGER)
    assert "Terlalu banyak" in _login(client, member.email, password, STRANGER).content.decode()
    for _ in range(5):  # nobody can block the reset by asking for it repeatedly
        response = client.post("/accounts/password/reset/", {"email": member.email}, REMOTE_ADDR=STRANGER)
        assert response.status_code == 302
    # allauth calls this after a successful reset: every address starts again.
    request = rf.post("/accounts/password/reset/key/done/", REMOTE_ADDR=STRANGER)
    AccountAdapter(request)._delete_login_attempts_cached_email(request, email=member.email)
    assert _login(client, member.email, password, STRANGER).status_code == 302
