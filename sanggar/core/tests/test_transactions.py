"""Service transactions: nested services join the outer service's transaction without a savepoint each; a caller
that catches keeps its own savepoint, where a failed joined call rolls back to."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from sanggar.accounts.models import User
from sanggar.core.transactions import in_service_scope, service_atomic

pytestmark = pytest.mark.django_db


@service_atomic
def _inner(*, email: str, fail: bool = False) -> User:
    user = User.objects.create(email=email)
    if fail:
        raise ValueError("gagal")
    return user


@service_atomic
def _outer(*, emails: list[str]) -> list[User]:
    assert in_service_scope()
    return [_inner(email=email) for email in emails]


def _savepoints(captured) -> int:
    return sum(1 for q in captured.captured_queries if q["sql"].startswith("SAVEPOINT"))


def test_nested_services_open_one_savepoint_not_one_each():
    with CaptureQueriesContext(connection) as captured:
        _outer(emails=["a@contoh.test", "b@contoh.test", "c@contoh.test"])
    # The test's own transaction makes the outer call a savepoint; the three inner calls join it.
    assert _savepoints(captured) == 1
    assert User.objects.filter(email__in=["a@contoh.test", "b@contoh.test", "c@contoh.test"]).count() == 3
    assert not in_service_scope()


def test_a_failed_joined_call_rolls_back_the_whole_service():
    @service_atomic
    def outer():
        _inner(email="a@contoh.test")
        _inner(email="b@contoh.test", fail=True)

    with pytest.raises(ValueError):
        outer()
    assert not User.objects.filter(email__in=["a@contoh.test", "b@contoh.test"]).exists()


def test_a_caller_that_recovers_keeps_its_own_savepoint():
    @service_atomic
    def outer():
        first = _inner(email="a@contoh.test")
        try:
            with transaction.atomic():
                _inner(email="b@contoh.test", fail=True)
        except ValueError:
            pass
        return first

    outer()
    assert list(User.objects.filter(email__in=["a@contoh.test", "b@contoh.test"]).values_list("email", flat=True)) == [
        "a@contoh.test"
    ]


def test_outside_any_service_a_call_is_its_own_transaction():
    with pytest.raises(ValueError):
        _inner(email="a@contoh.test", fail=True)
    # The failed call rolled back to its own savepoint: the test's transaction is still usable.
    assert not User.objects.filter(email="a@contoh.test").exists()
