"""GET and PATCH /api/v1/me."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sanggar.accounts.models import User
from sanggar.api.testing import call
from sanggar.core.roles import Role
from sanggar.notifications.constants import Channel
from sanggar.notifications.registry import group_keys

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_me_returns_the_user(client, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = make_user(
        Role.MENTOR,
        Role.AFFILIATE,
        email="rina@contoh.test",
        full_name="Rina Wijaya",
        whatsapp="+6281299990000",
        province="Jawa Barat",
        city="Bandung",
        bio="Eksportir kopi.",
        notification_prefs={"chat": {"email": False}, "course": {"whatsapp": True}},
    )
    user.avatar = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    user.save()

    response = call(client, "get", "/me", user=user)

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == user.pk
    assert body["email"] == "rina@contoh.test"
    assert body["full_name"] == "Rina Wijaya"
    assert body["whatsapp"] == "+6281299990000"
    assert body["province"] == "Jawa Barat"
    assert body["city"] == "Bandung"
    assert body["bio"] == "Eksportir kopi."
    assert body["roles"] == ["mentor", "affiliate", "member"]
    assert body["avatar_url"] == f"http://testserver{user.avatar.url}"
    assert body["date_joined"].startswith(user.date_joined.isoformat()[:19])
    prefs = body["notification_prefs"]
    assert set(prefs) == set(group_keys())
    assert all(set(channels) == set(Channel.values) for channels in prefs.values())
    assert prefs["chat"] == {"email": False, "whatsapp": False, "push": True}
    assert prefs["course"] == {"email": True, "whatsapp": True, "push": True}
    assert prefs["transaction"] == {"email": True, "whatsapp": True, "push": True}


def test_me_without_avatar_has_null_avatar_url(client, member_user):
    response = call(client, "get", "/me", user=member_user)

    assert response.json()["avatar_url"] is None
    assert response.json()["roles"] == ["member"]


def test_me_needs_a_token(client):
    response = call(client, "get", "/me")

    assert response.status_code == 401
    assert response.json() == {
        "message": "Autentikasi diperlukan. Sertakan token akses yang valid (Authorization: Bearer <token>).",
        "errors": {},
    }


def test_me_ignores_the_browser_session(client, member_user):
    client.force_login(member_user)

    assert call(client, "get", "/me").status_code == 401


def test_patch_me_changes_only_the_fields_sent(client, make_user):
    user = make_user(full_name="Lama", city="Bogor", bio="Bio lama", whatsapp="+6281200001111")

    response = call(
        client,
        "patch",
        "/me",
        {
            "full_name": "Nama Baru",
            "whatsapp": "0813 1111 2222",
            "province": "DI Yogyakarta",
            "notification_prefs": {"chat": {"email": False, "push": False}},
        },
        user=user,
    )

    assert response.status_code == 200
    body = response.json()
    user.refresh_from_db()
    assert (user.full_name, user.whatsapp, user.province, user.city, user.bio) == (
        "Nama Baru",
        "+6281311112222",
        "DI Yogyakarta",
        "Bogor",
        "Bio lama",
    )
    assert user.notification_prefs == {"chat": {"email": False, "push": False}}
    assert body["full_name"] == "Nama Baru"
    assert body["whatsapp"] == "+6281311112222"
    assert body["notification_prefs"]["chat"] == {"email": False, "whatsapp": False, "push": False}


def test_patch_me_null_clears_an_optional_field(client, make_user):
    user = make_user(city="Bogor")

    response = call(client, "patch", "/me", {"city": None}, user=user)

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.city == ""


def test_patch_me_invalid_whatsapp_is_400_and_changes_nothing(client, make_user):
    user = make_user(full_name="Tetap", whatsapp="+6281200001111")

    response = call(
        client,
        "patch",
        "/me",
        {"full_name": "Berubah", "whatsapp": "021-555-1234", "notification_prefs": {"chat": {"email": False}}},
        user=user,
    )

    assert response.status_code == 400
    assert response.json() == {
        "message": "Periksa kembali data profil.",
        "errors": {"whatsapp": ["Nomor WhatsApp tidak valid. Gunakan nomor seluler Indonesia, contoh 081234567890."]},
    }
    user.refresh_from_db()
    assert user.full_name == "Tetap"
    assert user.whatsapp == "+6281200001111"
    assert user.notification_prefs == {}


def test_patch_me_unknown_province_is_400(client, member_user):
    response = call(client, "patch", "/me", {"province": "Atlantis"}, user=member_user)

    assert response.status_code == 400
    assert response.json()["errors"] == {"province": ["Pilih provinsi dari daftar."]}


def test_patch_me_unknown_notification_kind_or_channel_is_422_and_changes_nothing(client, make_user):
    user = make_user(full_name="Tetap")

    response = call(
        client,
        "patch",
        "/me",
        {"full_name": "Berubah", "notification_prefs": {"gosip": {"email": True}, "chat": {"merpati": True}}},
        user=user,
    )

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"notification_prefs.gosip", "notification_prefs.chat.merpati"}
    assert errors["notification_prefs.chat.merpati"] == [
        "Pilihan tidak valid. Pilihan yang tersedia: 'email', 'whatsapp' atau 'push'."
    ]
    user.refresh_from_db()
    assert user.full_name == "Tetap"
    assert user.notification_prefs == {}


def test_patch_me_refuses_fields_it_does_not_own(client, make_user):
    user = make_user(email="tetap@contoh.test")

    response = call(client, "patch", "/me", {"email": "lain@contoh.test", "roles": ["admin"]}, user=user)

    assert response.status_code == 422
    assert response.json()["errors"] == {"email": ["Field ini tidak dikenal."], "roles": ["Field ini tidak dikenal."]}
    user.refresh_from_db()
    assert user.email == "tetap@contoh.test"
    assert user.role_set == {"member"}


def test_patch_me_needs_a_token_and_changes_nothing(client, make_user):
    user = make_user(full_name="Tetap")

    response = call(client, "patch", "/me", {"full_name": "Berubah"})

    assert response.status_code == 401
    assert User.objects.get(pk=user.pk).full_name == "Tetap"


def test_patch_me_with_idempotency_key_runs_once(client, make_user):
    user = make_user(full_name="Awal")
    headers = {"Idempotency-Key": "8c1f3c1e-patch-me"}

    first = call(client, "patch", "/me", {"full_name": "Sekali"}, user=user, headers=headers)
    # Changed in between by someone else: a replay must not write again.
    User.objects.filter(pk=user.pk).update(full_name="Diubah Admin")
    retry = call(client, "patch", "/me", {"full_name": "Sekali"}, user=user, headers=headers)

    assert first.status_code == retry.status_code == 200
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert User.objects.get(pk=user.pk).full_name == "Diubah Admin"
