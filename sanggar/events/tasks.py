from celery import shared_task

from .services import reminders_send_due


@shared_task
def events_reminders_task() -> int:
    return reminders_send_due()
