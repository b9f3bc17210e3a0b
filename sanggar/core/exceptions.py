"""Domain errors raised by services. Pages show `message`; the API answers 400 with
`{"message": ..., "errors": {...}}` (see sanggar/api/errors.py)."""


class ServiceError(Exception):
    status_code = 400

    def __init__(self, message: str, *, errors: dict | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = str(message)
        self.errors = errors or {}
        self.code = code


class NotAllowed(ServiceError):
    status_code = 403

    def __init__(self, message: str, **kwargs):
        kwargs.setdefault("code", "forbidden")
        super().__init__(message, **kwargs)


class RateLimited(ServiceError):
    """Too many attempts: the API answers 429 with a Retry-After header; pages show the message."""

    status_code = 429

    def __init__(self, message: str, *, retry_after: int, **kwargs):
        kwargs.setdefault("code", "rate_limited")
        super().__init__(message, **kwargs)
        self.retry_after = max(1, int(retry_after))


class NotFound(ServiceError):
    status_code = 404

    def __init__(self, message: str, **kwargs):
        kwargs.setdefault("code", "not_found")
        super().__init__(message, **kwargs)
