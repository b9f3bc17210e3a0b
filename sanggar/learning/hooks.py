"""What higher apps may listen to in learning (they sit above it in the stack and register here from their
AppConfig.ready): a lesson completed and a course completed. Community awards points through its ledger with these.

A listener is called once per first completion (never again for the same user and lesson or course), after the
learning write, inside a savepoint: a failing listener is logged and never undoes the learner's progress."""

import logging
from collections.abc import Callable

from django.db import transaction

from sanggar.core.registry import Registry

logger = logging.getLogger(__name__)

# name → callable(*, user, lesson) / callable(*, user, course)
lesson_completed_listeners: Registry[Callable] = Registry("Lesson-completed listener")
course_completed_listeners: Registry[Callable] = Registry("Course-completed listener")
# name → callable(*, course): a course became published (created published, approved, or set to published)
course_published_listeners: Registry[Callable] = Registry("Course-published listener")


def lesson_completed_register(name: str, listener: Callable) -> None:
    lesson_completed_listeners.register(name, listener)


def course_completed_register(name: str, listener: Callable) -> None:
    course_completed_listeners.register(name, listener)


def course_published_register(name: str, listener: Callable) -> None:
    """Trainings opens a newly published course to the participants of tiers that include every course."""
    course_published_listeners.register(name, listener)


def _call(registry: Registry, **kwargs) -> None:
    for name in registry.names():
        listener = registry.get(name)
        try:
            with transaction.atomic():
                listener(**kwargs)
        except Exception:  # a listener's fault must not undo the learner's progress
            logger.exception("learning listener %s failed", name)


def lesson_completed(*, user, lesson) -> None:
    _call(lesson_completed_listeners, user=user, lesson=lesson)


def course_completed(*, user, course) -> None:
    _call(course_completed_listeners, user=user, course=course)


def course_published(*, course) -> None:
    _call(course_published_listeners, course=course)
