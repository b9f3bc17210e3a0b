"""Celery tasks: thin wrappers around the services."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def chat_group_notify_task(message_id: int, participant_ids: list[int]) -> int:
    return services.group_message_notify(message_id=message_id, participant_ids=participant_ids)
