"""Celery tasks: the fan-out of an announcement to a group's members, in the background and in bulk."""

from celery import shared_task

from .fanout import announcement_fanout


@shared_task
def announcement_fanout_task(post_id: int) -> int:
    return announcement_fanout(post_id=post_id)
