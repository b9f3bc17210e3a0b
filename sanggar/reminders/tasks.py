from celery import shared_task

from . import services


@shared_task
def reminders_send_due_task() -> int:
    sent = services.reminders_send_due()
    services.reminders_conversions_sweep()
    return sent


@shared_task
def broadcast_send_task(broadcast_id: int) -> int:
    return services.broadcast_send_all(broadcast_id=broadcast_id)


@shared_task
def broadcasts_start_due_task() -> int:
    return services.broadcasts_start_due()
