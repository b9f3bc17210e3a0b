"""The address the platform really runs on, for every absolute link it hands out.

`SITE_URL` when it is configured. Without it (`make run`, DEBUG), the host of the request being served, so links work on
whatever port or name the person opened; outside a request (tasks, commands) the default `SITE_URL`, which follows the
`PORT` that `make run` was started with."""

from django.conf import settings

from . import request_context


def base_url_from_request(request) -> str:
    """scheme://host[:port] of a request, or "" when its Host header is not one this site serves."""
    try:
        return f"{request.scheme}://{request.get_host()}"
    except Exception:  # DisallowedHost and friends: fall back to the configured address
        return ""


def site_url(request=None) -> str:
    """The base address (no trailing slash) for absolute links."""
    if settings.SITE_URL_FROM_REQUEST:
        base = base_url_from_request(request) if request is not None else request_context.current().base_url
        if base:
            return base
    return settings.SITE_URL


def absolute(path: str, request=None) -> str:
    """A site-relative path (`/dashboard/`) as an absolute link; absolute links stay as they are."""
    if path.startswith("/") and not path.startswith("//"):
        return site_url(request) + path
    return path
