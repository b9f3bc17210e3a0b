"""Celery tasks of banners: sending an announced banner to its audience."""

from celery import shared_task

from .services import banner_announce_send


@shared_task
def banner_announce_task(banner_id: int) -> int:
    return banner_announce_send(banner_id=banner_id)
