"""Celery tasks of documents: thin wrappers around the fan-outs in announce.py (beat runs the weekly reminder)."""

from celery import shared_task

from .announce import document_announce, documents_remind_sweep, suspicious_notify


@shared_task
def document_announce_task(document_id: int) -> int:
    return document_announce(document_id=document_id)


@shared_task
def documents_remind_task() -> int:
    return documents_remind_sweep()


@shared_task
def suspicious_notify_task(user_id: int, count: int) -> int:
    return suspicious_notify(user_id=user_id, count=count)


def document_announce_schedule(*, document_id: int) -> None:
    document_announce_task.delay(document_id)


def suspicious_notify_schedule(*, user_id: int, count: int) -> None:
    suspicious_notify_task.delay(user_id, count)
