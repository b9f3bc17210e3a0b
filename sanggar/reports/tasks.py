"""Celery beat runs these (config/settings.py CELERY_BEAT_SCHEDULE): Monday and the 1st at 07:00 WIB. Running one
twice for the same period sends nothing twice (reports.services.report_send)."""

from celery import shared_task

from .services import monthly_report_send, weekly_summary_send


@shared_task
def weekly_summary_task() -> int:
    return weekly_summary_send()


@shared_task
def monthly_report_task() -> int:
    return monthly_report_send()
