"""One transaction per business operation, without a savepoint per service call.

`@transaction.atomic` on a service opens a savepoint whenever it runs inside another transaction: two extra round
trips (SAVEPOINT, RELEASE) per nested call, eight on the paid-webhook path. A savepoint is only useful to a caller
that catches the service's error and carries on; a service calling another service lets the error travel up and
the whole transaction roll back.

`@service_atomic` makes that explicit: the outermost service call opens the transaction (a real one, or a
savepoint when a caller outside the services, a view or a test, already holds a transaction) and marks it as a
service scope; a service called inside that scope joins it with no savepoint of its own. An error inside a joined
call marks the scope for rollback (Django's `atomic(savepoint=False)`), so nothing half-done can commit. A caller
inside a scope that wants to recover from a service's error keeps its own `with transaction.atomic():` around the
call: that savepoint is where the joined call rolls back to (fulfilment does this for an activation that fails)."""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.db import connection, transaction

# The depth of `connection.savepoint_ids` when the current service scope opened (None: no scope).
_scope: ContextVar[int | None] = ContextVar("sanggar_service_scope", default=None)


def in_service_scope() -> bool:
    return _scope.get() is not None and connection.in_atomic_block


@contextmanager
def service_scope():
    """The transaction of one business operation: joined when already inside one, else opened here."""
    if in_service_scope():
        with transaction.atomic(savepoint=False):
            yield
        return
    with transaction.atomic():
        token = _scope.set(len(connection.savepoint_ids))
        try:
            yield
        finally:
            _scope.reset(token)


def service_atomic(func):
    """Decorator form of `service_scope()` for a service function."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        with service_scope():
            return func(*args, **kwargs)

    return wrapper
