from datetime import datetime

from django.db import models

from sanggar.core import request_context

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
    return ActivityLog.objects.create(
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
