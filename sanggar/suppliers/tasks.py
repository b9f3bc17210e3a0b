from celery import shared_task

from . import services


@shared_task
def suppliers_reminders_task():
    """Hourly sweep: upgrade reminders 7 / 14 / 30 days after approval, Premium ending in 7 days, tomorrow, ended."""
    return services.reminders_sweep()
