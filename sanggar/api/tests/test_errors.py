"""One error shape for every failure; bad input is 400/422, never 500."""

import pytest

from sanggar.accounts.models import User
from sanggar.api.errors import validation_errors
from sanggar.api.testing import call

pytestmark = pytest.mark.django_db

MALFORMED = ['{"email": "a@b.test", ', "bukan json", "{'email': 1}", "\x00\x01"]


@pytest.mark.parametrize("raw", MALFORMED)
def test_malformed_json_is_400_with_message(client, raw):
    response = call(client, "post", "/auth/register", raw=raw)

    assert response.status_code == 400
    assert response.json() == {
        "message": "Isi permintaan bukan JSON yang valid.",
        "errors": {"body": ["Isi permintaan bukan JSON yang valid."]},
    }
    assert User.objects.count() == 0


@pytest.mark.parametrize("raw", ["[1, 2]", '"teks"', "42", "null"])
def test_json_that_is_not_an_object_is_422(client, raw):
    response = call(client, "post", "/auth/token", raw=raw)

    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "Data yang dikirim tidak valid. Periksa kembali isian yang ditandai."
    assert body["errors"]


def test_missing_body_is_422_per_field(client):
    response = call(client, "post", "/auth/token", raw="")

    assert response.status_code == 422
    assert response.json()["errors"] == {"body": ["Wajib diisi."]}


def test_wrong_types_are_422_per_field(client, member_user):
    response = call(
        client, "patch", "/me", {"full_name": ["a"], "bio": {"x": 1}, "notification_prefs": "semua"}, user=member_user
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "full_name": ["Harus berupa teks."],
        "bio": ["Harus berupa teks."],
        "notification_prefs": ["Harus berupa objek JSON."],
    }


def test_too_long_is_422_with_the_limit(client, member_user):
    response = call(client, "patch", "/me", {"city": "x" * 101}, user=member_user)

    assert response.status_code == 422
    assert response.json()["errors"] == {"city": ["Paling banyak 100 karakter."]}


def test_unknown_path_is_json_404(client):
    for method in ("get", "post", "delete"):
        response = call(client, method, "/tidak/ada")
        assert response.status_code == 404
        assert response.json() == {"message": "Data tidak ditemukan.", "errors": {}}


def test_wrong_method_is_json_405(client, member_user):
    response = call(client, "put", "/me", {"full_name": "X"}, user=member_user)

    assert response.status_code == 405
    assert response.json() == {"message": "Metode PUT tidak didukung di alamat ini.", "errors": {}}
    assert set(response["Allow"].split(", ")) == {"GET", "PATCH"}


def test_non_numeric_notification_id_is_json_404(client, member_user):
    response = call(client, "post", "/notifications/abc/read", user=member_user)

    assert response.status_code == 404
    assert response.json()["message"] == "Data tidak ditemukan."


def test_validation_errors_are_keyed_by_field_name():
    errors = validation_errors(
        [
            {"loc": ("body", "payload", "email"), "type": "missing"},
            {"loc": ("body", "payload", "email"), "type": "string_type"},
            {"loc": ("query", "page"), "type": "int_parsing"},
            {"loc": ("body", "payload", "prefs", "chat", "[key]"), "type": "enum", "ctx": {"expected": "'a' or 'b'"}},
            {"loc": ("body", "payload"), "type": "model_attributes_type"},
            {"loc": ("body", "payload", "name"), "type": "value_error", "ctx": {"error": "Nama tidak boleh kosong."}},
            {"loc": ("body", "payload", "x"), "type": "sesuatu_yang_baru"},
        ]
    )

    assert errors == {
        "email": ["Wajib diisi.", "Harus berupa teks."],
        "page": ["Harus berupa bilangan bulat."],
        "prefs.chat": ["Pilihan tidak valid. Pilihan yang tersedia: 'a' atau 'b'."],
        "body": ["Harus berupa objek JSON."],
        "name": ["Nama tidak boleh kosong."],
        "x": ["Nilai tidak valid."],
    }
