"""Idempotency-Key: a retried write runs once and gets the same response back."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from sanggar.accounts.models import User
from sanggar.accounts.services import api_key_create
from sanggar.api.idempotency import IDEMPOTENCY_TTL, STALE_AFTER, _request_hash, idempotency_purge
from sanggar.api.models import IdempotencyRecord
from sanggar.api.tasks import idempotency_purge_task
from sanggar.api.testing import bearer
from sanggar.audit.constants import Action
from sanggar.audit.models import ActivityLog

pytestmark = [pytest.mark.django_db, pytest.mark.urls("sanggar.api.tests.urls")]

KEY = "3f0c2a9e-5b7d-4c1e-9a8f-0d6b2e4c7a11"


def _post(client, user, data, key=KEY, path="/probe/counter", **extra_headers):
    headers = {**bearer(user), **extra_headers}
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(path, data=json.dumps(data), content_type="application/json", headers=headers)


def _runs():
    return ActivityLog.objects.filter(action=Action.SETTINGS_CHANGED).count()


def test_without_the_header_every_request_runs(client, member_user):
    _post(client, member_user, {"n": 1}, key=None)
    _post(client, member_user, {"n": 1}, key=None)

    assert _runs() == 2
    assert IdempotencyRecord.objects.count() == 0


def test_same_key_same_body_replays_the_stored_response(client, member_user):
    first = _post(client, member_user, {"n": 1, "nama": "Ayu"})
    retry = _post(client, member_user, {"nama": "Ayu", "n": 1})  # same JSON, other key order

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json() == {"received": {"n": 1, "nama": "Ayu"}}
    assert "Idempotent-Replayed" not in first
    assert retry["Idempotent-Replayed"] == "true"
    assert _runs() == 1
    record = IdempotencyRecord.objects.get()
    assert (record.user_id, record.api_key_id, record.key) == (member_user.pk, None, KEY)
    assert (record.method, record.path, record.status_code) == ("POST", "/probe/counter", 201)


def test_same_key_different_body_is_422_and_does_not_run(client, member_user):
    _post(client, member_user, {"n": 1})

    response = _post(client, member_user, {"n": 2})

    assert response.status_code == 422
    assert response.json() == {
        "message": "Idempotency-Key ini sudah dipakai untuk permintaan yang berbeda.",
        "errors": {"Idempotency-Key": ["Idempotency-Key ini sudah dipakai untuk permintaan yang berbeda."]},
    }
    assert _runs() == 1


def test_same_key_on_another_endpoint_is_422(client, member_user):
    _post(client, member_user, {"n": 1})

    response = _post(client, member_user, {"n": 1}, path="/probe/fails")

    assert response.status_code == 422
    assert _runs() == 1


def test_keys_are_per_user(client, member_user, make_user):
    other = make_user()

    _post(client, member_user, {"n": 1})
    response = _post(client, other, {"n": 1})

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert _runs() == 2


def test_a_failed_request_is_not_stored_and_may_be_retried(client, member_user):
    client.raise_request_exception = False

    assert _post(client, member_user, {"n": 1}, path="/probe/fails").status_code == 500
    assert IdempotencyRecord.objects.count() == 0
    assert _post(client, member_user, {"n": 1}, path="/probe/fails").status_code == 500
    assert _runs() == 2


def test_a_refused_request_can_be_corrected_with_the_same_key(client, make_user):
    user = make_user(full_name="Awal")
    headers = {**bearer(user), "Idempotency-Key": KEY}

    bad = client.patch(
        "/api/v1/me", data=json.dumps({"whatsapp": "123"}), content_type="application/json", headers=headers
    )
    good = client.patch(
        "/api/v1/me", data=json.dumps({"whatsapp": "081234567890"}), content_type="application/json", headers=headers
    )

    assert bad.status_code == 400
    assert good.status_code == 200
    assert User.objects.get(pk=user.pk).whatsapp == "+6281234567890"


def _record_for(user, data, *, status_code=None, age=timedelta(0)):
    request = RequestFactory().post("/probe/counter", data=json.dumps(data), content_type="application/json")
    record = IdempotencyRecord.objects.create(
        user=user,
        key=KEY,
        method="POST",
        path="/probe/counter",
        request_hash=_request_hash(request),
        status_code=status_code,
        response_body='{"received": "lama"}' if status_code else "",
    )
    IdempotencyRecord.objects.filter(pk=record.pk).update(created_at=timezone.now() - age)
    return record


def test_while_the_first_request_runs_a_retry_gets_409(client, member_user):
    _record_for(member_user, {"n": 1})

    response = _post(client, member_user, {"n": 1})

    assert response.status_code == 409
    assert (
        response.json()["message"] == "Permintaan dengan Idempotency-Key ini masih diproses. Coba lagi sebentar lagi."
    )
    assert _runs() == 0


def test_an_abandoned_request_is_taken_over(client, member_user):
    _record_for(member_user, {"n": 1}, age=STALE_AFTER + timedelta(seconds=5))

    response = _post(client, member_user, {"n": 1})

    assert response.status_code == 201
    assert _runs() == 1
    assert IdempotencyRecord.objects.get().status_code == 201


def test_a_stored_response_is_replayed_until_it_expires(client, member_user):
    _record_for(member_user, {"n": 1}, status_code=201, age=IDEMPOTENCY_TTL - timedelta(minutes=5))
    assert _post(client, member_user, {"n": 1}).json() == {"received": "lama"}
    IdempotencyRecord.objects.update(created_at=timezone.now() - IDEMPOTENCY_TTL - timedelta(minutes=1))

    response = _post(client, member_user, {"n": 1})

    assert response.json() == {"received": {"n": 1}}
    assert _runs() == 1


@pytest.mark.parametrize("key", ["", "   ", "x" * 256, "kunci-ñ", "baris\nbaru"])
def test_invalid_key_is_400(client, member_user, key):
    response = _post(client, member_user, {"n": 1}, key=key)

    assert response.status_code == 400
    assert response.json()["errors"] == {"Idempotency-Key": ["Idempotency-Key harus berisi 1–255 karakter ASCII."]}
    assert _runs() == 0


def test_anonymous_register_replays_for_the_same_request_only(client):
    body = {
        "full_name": "Dewi",
        "email": "dewi@contoh.test",
        "whatsapp": "081234567890",
        "password": "teh-manis-dingin",
    }
    headers = {"Idempotency-Key": KEY}

    first = client.post(
        "/api/v1/auth/register", data=json.dumps(body), content_type="application/json", headers=headers
    )
    retry = client.post(
        "/api/v1/auth/register", data=json.dumps(body), content_type="application/json", headers=headers
    )
    other = client.post(
        "/api/v1/auth/register",
        data=json.dumps({**body, "email": "lain@contoh.test"}),
        content_type="application/json",
        headers=headers,
    )

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert other.status_code == 422
    assert User.objects.count() == 1
    record = IdempotencyRecord.objects.get()
    assert (record.user_id, record.api_key_id) == (None, None)
    assert "teh-manis-dingin" not in record.request_hash


def test_keys_sent_with_an_api_key_are_scoped_to_it(client, admin_user):
    _key_a, secret_a = api_key_create(name="Android", actor=admin_user)
    key_b, secret_b = api_key_create(name="iOS", actor=admin_user)
    body = {
        "full_name": "Dewi",
        "email": "dewi@contoh.test",
        "whatsapp": "081234567890",
        "password": "teh-manis-dingin",
    }

    client.post(
        "/api/v1/auth/register",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": KEY, "X-API-Key": secret_a},
    )
    response = client.post(
        "/api/v1/auth/register",
        data=json.dumps({**body, "email": "lain@contoh.test"}),
        content_type="application/json",
        headers={"Idempotency-Key": KEY, "X-API-Key": secret_b},
    )

    assert response.status_code == 201
    assert IdempotencyRecord.objects.filter(api_key=key_b, user=None).count() == 1


def test_purge_deletes_only_expired_records(member_user, make_user):
    old = _record_for(member_user, {"n": 1}, status_code=201, age=IDEMPOTENCY_TTL + timedelta(minutes=1))
    IdempotencyRecord.objects.create(
        user=make_user(), key=KEY, method="POST", path="/x", request_hash="h", status_code=201
    )

    assert idempotency_purge() == 1
    assert idempotency_purge() == 0
    assert not IdempotencyRecord.objects.filter(pk=old.pk).exists()
    assert IdempotencyRecord.objects.count() == 1


def test_purge_runs_from_the_command_and_the_task(member_user, capsys):
    _record_for(member_user, {"n": 1}, status_code=201, age=IDEMPOTENCY_TTL + timedelta(minutes=1))

    call_command("api_idempotency_purge")

    assert capsys.readouterr().out == "Deleted 1 expired idempotency record(s).\n"
    _record_for(member_user, {"n": 1}, status_code=201, age=IDEMPOTENCY_TTL + timedelta(minutes=1))
    assert idempotency_purge_task.delay().get() == 1
    assert IdempotencyRecord.objects.count() == 0


def test_anonymous_keys_are_scoped_to_the_client_address(client):
    """An unrelated client reusing key "1" on /auth/refresh is neither refused nor answered with another's reply."""
    headers = {"Idempotency-Key": "1"}
    first = client.post(
        "/api/v1/auth/refresh",
        data=json.dumps({"refresh": "token-a"}),
        content_type="application/json",
        headers=headers,
        REMOTE_ADDR="203.0.113.1",
    )
    assert first.status_code == 401  # failed: not stored
    body = {"full_name": "Dewi", "email": "dewi@contoh.test", "whatsapp": "081234567890", "password": "teh-manis-1"}
    mine = client.post(
        "/api/v1/auth/register",
        data=json.dumps(body),
        content_type="application/json",
        headers=headers,
        REMOTE_ADDR="203.0.113.1",
    )
    theirs = client.post(
        "/api/v1/auth/register",
        data=json.dumps({**body, "email": "lain@contoh.test"}),
        content_type="application/json",
        headers=headers,
        REMOTE_ADDR="198.51.100.7",
    )
    assert mine.status_code == theirs.status_code == 201
    assert theirs.json() != mine.json()
    assert set(IdempotencyRecord.objects.values_list("client_address", flat=True)) == {"203.0.113.1", "198.51.100.7"}
