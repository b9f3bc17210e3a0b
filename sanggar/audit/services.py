from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, models

from sanggar.core import request_context
from sanggar.core.prepared import insert, insert_many

from .models import ActivityLog
from .registry import is_registered


def activity_record(
    *,
    action: str,
    actor=None,
    target: models.Model | None = None,
    target_label: str = "",
    data: dict | None = None,
    ip: str | None = None,
    user_agent: str | None = None,
    at: datetime | None = None,
) -> ActivityLog:
    """Appends the one row of an event to the activity log, on the object it concerns (`target`). Call it inside the
    transaction of the change it records. `action` must be registered (`sanggar.audit.registry`); `at` places the
    row at another time than now (demo data and tests that backdate an order)."""
    if not is_registered(action):
        raise ValueError(f"Unregistered audit action {action!r}: register it in the owning app's audit.py")
    info = request_context.current()
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    extra = {"created_at": at} if at is not None else {}
    row = ActivityLog(
        actor=actor,
        actor_label=(actor.email if actor else ""),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=(target_label or (str(target) if target is not None else ""))[:255],
        ip=ip if ip is not None else info.ip,
        user_agent=(user_agent if user_agent is not None else info.user_agent)[:300],
        data=data or {},
        **extra,
    )
    batch = _batch.get()
    if batch is not None and batch.savepoints == _savepoints() and connection.in_atomic_block:
        batch.rows.append(row)  # written with the others when the batch ends
        return row
    insert(row)  # the INSERT compiled once per process
    return row


@dataclass
class _Batch:
    savepoints: tuple  # the savepoints open when the batch began: rows recorded at another depth are not held
    rows: list = field(default_factory=list)


_batch: ContextVar[_Batch | None] = ContextVar("sanggar_audit_batch", default=None)


def _savepoints() -> tuple:
    """The savepoints open now (a block joined without one, `atomic(savepoint=False)`, is no rollback point)."""
    return tuple(sid for sid in connection.savepoint_ids if sid is not None)


@contextmanager
def activity_batch():
    """The rows of one operation written in ONE insert: inside the block, `activity_record` holds each row and the
    block's end (inside the caller's transaction, before its commit) writes them all, in the order recorded. When
    the block raises nothing is written (the caller's transaction rolls back with it). A row recorded inside a
    savepoint opened within the block is written at once instead, so a rollback to that savepoint takes it along,
    as without a batch. A batch inside a batch at the same depth joins it. Use inside a transaction."""
    outer = _batch.get()
    savepoints = _savepoints()
    if outer is not None and outer.savepoints == savepoints:
        yield
        return
    batch = _Batch(savepoints)
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
    if batch.rows:  # (not reached when the block raised)
        insert_many(batch.rows)  # one INSERT, compiled once per process
