from celery import shared_task

from .services import broadcasts


@shared_task
def booster_sweep_task() -> int:
    """Every minute: start scheduled broadcasts, resume unfinished ones. Automation steps are sent by the reminder
    engine's own minute sweep (`reminders_send_due_task`, realm "booster")."""
    return broadcasts.broadcasts_due()


@shared_task
def broadcast_send_task(broadcast_id: int) -> int:
    return broadcasts.broadcast_send_all(broadcast_id=broadcast_id)
