from celery import shared_task

from .services import broadcasts, sequences


@shared_task
def booster_sweep_task() -> int:
    """Every minute: start scheduled broadcasts, resume unfinished ones, send due automation steps."""
    return broadcasts.broadcasts_due() + sequences.sequences_send_due()


@shared_task
def broadcast_send_task(broadcast_id: int) -> int:
    return broadcasts.broadcast_send_all(broadcast_id=broadcast_id)
