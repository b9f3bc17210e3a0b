"""The current request's client address and user agent, for audit rows written deep inside services.

Set by RequestContextMiddleware (pages) and the API's auth layer; empty in tasks and commands."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    ip: str | None = None
    user_agent: str = ""


_EMPTY = RequestInfo()
_current: ContextVar[RequestInfo] = ContextVar("sanggar_request_info", default=_EMPTY)


def client_ip(request) -> str | None:
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def info_from_request(request) -> RequestInfo:
    return RequestInfo(ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:300])


def set_current(info: RequestInfo):
    return _current.set(info)


def reset(token) -> None:
    _current.reset(token)


def current() -> RequestInfo:
    return _current.get()
