"""Short-link target kinds whose pages live in higher apps (courses, bio pages, opt-in forms): each owner registers a
check saying whether a slug is a target an affiliate may promote. A kind with no check registered is not available
yet. Model-free, so higher apps import it at module level and register from their AppConfig.ready."""

from collections.abc import Callable

_TARGET_CHECKS: dict[str, Callable[[str], bool]] = {}


def short_link_target_register(kind: str, exists: Callable[[str], bool]) -> None:
    """Called by the app that owns `kind`'s pages (e.g. learning for "course") from its AppConfig.ready."""
    _TARGET_CHECKS[kind] = exists


def short_link_target_check(kind: str) -> Callable[[str], bool] | None:
    return _TARGET_CHECKS.get(kind)
