"""What higher apps may listen to in learning (they sit above it in the stack and register here from their
AppConfig.ready): a lesson completed and a course completed. Community awards points through its ledger with these.

A listener is called once per first completion (never again for the same user and lesson or course), after the
learning write, inside a savepoint: a failing listener is logged and never undoes the learner's progress."""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from sanggar.core.registry import Registry, Slot

logger = logging.getLogger(__name__)

# name → callable(*, user, lesson) / callable(*, user, course)
lesson_completed_listeners: Registry[Callable] = Registry("Lesson-completed listener")
course_completed_listeners: Registry[Callable] = Registry("Course-completed listener")
# name → callable(*, course): a course became published (created published, approved, or set to published)
course_published_listeners: Registry[Callable] = Registry("Course-published listener")
# name → callable(*, user_id): a member wrote a comment in a course discussion (lesson, module or the course's own)
comment_posted_listeners: Registry[Callable] = Registry("Course-comment listener")


@dataclass(frozen=True)
class StudyGroups:
    """What the community app tells learning about its groups, so a course can name a private study group without
    learning importing community (which sits above it). A course keeps the group's `access.Resource` (kind
    `group`) among what comes with it (`Resource.bundled`), so a purchase or a plan that opens the course opens the
    group too; `join` then gives the learner their member row.

    - `choices(*, user) -> list[(resource_id, name)]`: the groups this author may name (admins: every active group;
      a mentor: the groups they own or moderate);
    - `describe(*, resource_ids) -> {resource_id: (name, url)}`: for the course page and the API;
    - `join(*, user, resource_id) -> None`: the learner joins the group when the policy lets them in."""

    choices: Callable
    describe: Callable
    join: Callable


_study_groups: list[StudyGroups] = []


def study_groups_register(provider: StudyGroups) -> None:
    _study_groups[:] = [provider]


def study_groups() -> StudyGroups | None:
    """The registered provider, None when the community app is not installed (the field is then hidden)."""
    return _study_groups[0] if _study_groups else None


def study_group_join(*, user, resource_id: int) -> None:
    """The learner joins the course's study group (in a savepoint: a failure is logged, never undoes the
    enrolment or the purchase)."""
    provider = study_groups()
    if provider is None:
        return
    try:
        with transaction.atomic():
            provider.join(user=user, resource_id=resource_id)
    except Exception:
        logger.exception("study group join failed for user %s, resource %s", getattr(user, "pk", None), resource_id)


def lesson_completed_register(name: str, listener: Callable) -> None:
    lesson_completed_listeners.register(name, listener)


def course_completed_register(name: str, listener: Callable) -> None:
    course_completed_listeners.register(name, listener)


def course_published_register(name: str, listener: Callable) -> None:
    """Trainings opens a newly published course to the participants of tiers that include every course."""
    course_published_listeners.register(name, listener)


def comment_posted_register(name: str, listener: Callable) -> None:
    """Community awards its class-discussion count badges ("Diskusi Aktif") live with this."""
    comment_posted_listeners.register(name, listener)


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


def comment_posted(*, user_id: int) -> None:
    _call(comment_posted_listeners, user_id=user_id)


# key → (key, label, url name, admin only): extra tabs on a course's editor (/mentor/kursus/<slug>) after learning's
# own; the url name takes the course's id. Reminders adds "Pengingat" (admins only: a mentor never sees it).
edit_tabs_registry: Registry[tuple] = Registry("Course edit tab")


def edit_tab_register(key: str, label, url_name: str, *, admin_only: bool = True) -> None:
    edit_tabs_registry.register(key, (key, label, url_name, admin_only))


def edit_tabs(*, is_admin: bool) -> tuple:
    """The tabs higher apps added to a course's editor that this author sees: (key, label, url name)."""
    return tuple((key, label, url) for key, label, url, admin_only in edit_tabs_registry if is_admin or not admin_only)


@dataclass(frozen=True)
class FollowUpStepView:
    """One step of a course's WhatsApp follow-up sequence as the course's page and API show it."""

    pk: int
    delay_days: int
    message: str


# The course's WhatsApp follow-ups are a sequence of the reminder engine (issue 14: one engine). Reminders sits
# above learning and registers (read, write) here: `read(course) -> [FollowUpStepView]` (in sending order) and
# `write(*, actor, course, steps: [catalog FollowUpInput]) -> ([FollowUpStepView], changed: bool)`, which checks
# the rows (ServiceError keyed `steps.<index>.<field>`) and saves them as the course's follow-up sequence.
# learning keeps who may do it (admins) and the audit.
_FOLLOW_UPS: Slot[tuple[Callable, Callable]] = Slot("a course's follow-up sequence (add sanggar.reminders)")


def follow_ups_register(*, read: Callable, write: Callable) -> None:
    _FOLLOW_UPS.register((read, write))


def follow_ups_read(course) -> list[FollowUpStepView]:
    return _FOLLOW_UPS()[0](course)


def follow_ups_write(*, actor, course, steps) -> tuple[list[FollowUpStepView], bool]:
    return _FOLLOW_UPS()[1](actor=actor, course=course, steps=steps)
