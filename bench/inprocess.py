"""Helpers of the in-process measurements (fan-out, sweeps, broadcast): a query counter and a transaction that is
rolled back afterwards, so a measurement leaves the bench database as it found it."""

from contextlib import contextmanager

from django.db import connection, transaction


class QueryCounter:
    """`with counter.counting(): …` adds the SQL statements run inside to `counter.count`."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    @contextmanager
    def counting(self):
        with connection.execute_wrapper(self):
            yield self


class _Rollback(Exception):
    pass


@contextmanager
def rolled_back():
    """One transaction around the block, rolled back at its end (on_commit callbacks never run)."""
    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass
