"""The session engine: Django's database sessions with the read compiled once per process."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanggar.core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _saved(**data) -> str:
    store = SessionStore()
    store.update(data)
    store.save()
    return store.session_key


def test_a_saved_session_is_read_back_in_one_statement_each_time():
    first, second = _saved(user="satu"), _saved(user="dua")
    for _round in range(2):  # compiled on the first read, reused after
        with CaptureQueriesContext(connection) as captured:
            assert SessionStore(first)["user"] == "satu"
        assert len(captured.captured_queries) == 1
        assert SessionStore(second)["user"] == "dua"


def test_an_expired_unknown_or_empty_key_reads_as_a_new_empty_session():
    expired = _saved(user="lama")
    Session.objects.filter(session_key=expired).update(expire_date=timezone.now() - timedelta(seconds=1))
    for key in (expired, "x" * 32, None):
        store = SessionStore(key)
        assert store.load() == {}
        assert store.session_key is None


def test_a_signed_in_page_keeps_its_session(admin_client):
    assert admin_client.get("/admin/sales").status_code == 200
    assert admin_client.get("/admin/sales").status_code == 200
