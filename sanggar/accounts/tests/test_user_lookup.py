"""The signed-in user's read (`User.objects.get(pk=…)`, called by Django's ModelBackend on every signed-in request):
a statement compiled once per process that answers exactly as the queryset's own `get`."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanggar.accounts import models
from sanggar.accounts.models import User
from sanggar.core.roles import Role

pytestmark = pytest.mark.django_db


def test_get_by_key_is_the_prepared_statement_and_the_same_row(make_user):
    user = make_user(email="siti@contoh.test", full_name="Siti Aminah")
    with CaptureQueriesContext(connection) as queries:
        found = User.objects.get(pk=user.pk)
    assert len(queries) == 1
    compiled = models._USER_BY_PK._compiled[("default", connection.vendor)]
    assert queries[0]["sql"] == compiled.sql % tuple(str(user.pk) for _ in compiled.params)  # the compiled SQL
    expected = User.objects.filter(pk=user.pk).get()
    assert found == expected and type(found) is User
    for field in User._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
    assert found._state.adding is False and found._state.db == "default"


def test_a_missing_key_raises_the_models_does_not_exist(make_user):
    user = make_user()
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=user.pk + 1000)


def test_other_lookups_keep_the_querysets_get(make_user):
    user = make_user(email="budi@contoh.test")
    assert User.objects.get(pk=str(user.pk)) == user  # a key as text: the queryset's own conversion
    assert User.objects.get(email="budi@contoh.test") == user
    assert User.objects.get(pk=user.pk, is_active=True) == user
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=user.pk, is_active=False)


def test_a_signed_in_page_reads_its_user_through_the_prepared_statement(client, make_user):
    admin = make_user(Role.ADMIN)
    client.force_login(admin)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/sales")
    assert response.status_code == 200 and response.wsgi_request.user == admin
    compiled = models._USER_BY_PK._compiled[("default", connection.vendor)]
    user_reads = [q for q in queries if 'FROM "accounts_user"' in q["sql"] and "WHERE" in q["sql"]]
    assert len(user_reads) == 1
    assert user_reads[0]["sql"].split(" WHERE ")[0] == compiled.sql.split(" WHERE ")[0]


def test_a_deactivated_users_session_opens_nothing(client, make_user):
    admin = make_user(Role.ADMIN)
    client.force_login(admin)
    User.objects.filter(pk=admin.pk).update(is_active=False)
    response = client.get("/admin/sales")
    assert response.status_code == 302 and "/login" in response["Location"]
