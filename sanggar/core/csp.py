"""Extra Content-Security-Policy sources that higher apps ask for (e.g. the tracking pixels' hosts, only when pixels
are configured). A registered function gets the request and returns {directive: [sources]}; the security headers
middleware adds them to the policy."""

from collections.abc import Callable

_SOURCES: list[Callable] = []


def csp_sources_register(func: Callable) -> Callable:
    if func not in _SOURCES:
        _SOURCES.append(func)
    return func


def csp_extra_sources(request) -> dict[str, list[str]]:
    extra: dict[str, list[str]] = {}
    for func in _SOURCES:
        for directive, sources in (func(request) or {}).items():
            bucket = extra.setdefault(directive, [])
            bucket.extend(s for s in sources if s not in bucket)
    return extra
