"""The current request's client address, user agent and base address, for audit rows written deep inside services.

Set by RequestContextMiddleware (pages) and the API's auth layer; empty in tasks and commands."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    ip: str | None = None
    user_agent: str = ""
    # scheme://host of the request (see core.site): links built deep inside services point where the person is.
    base_url: str = ""


_EMPTY = RequestInfo()
_current: ContextVar[RequestInfo] = ContextVar("sanggar_request_info", default=_EMPTY)


def client_ip(request) -> str | None:
    """The client's address. X-Forwarded-For is read only as far as settings.TRUSTED_PROXY_COUNT proxies
    vouch for it: with N trusted proxies, the N-th address from the right is the client."""
    from django.conf import settings

    trusted = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if trusted > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= trusted:
            return hops[-trusted] or None
    return request.META.get("REMOTE_ADDR") or None


def info_from_request(request) -> RequestInfo:
    try:
        base_url = f"{request.scheme}://{request.get_host()}"
    except Exception:  # a Host this site does not serve: links fall back to SITE_URL
        base_url = ""
    return RequestInfo(
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "").replace("\x00", "")[:300],
        base_url=base_url,
    )


def set_current(info: RequestInfo):
    return _current.set(info)


def reset(token) -> None:
    _current.reset(token)


def current() -> RequestInfo:
    return _current.get()
