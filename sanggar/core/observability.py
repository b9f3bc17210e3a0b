"""Request ids across web and Celery, structured (JSON) logs, Prometheus request metrics and optional Sentry.

- Every request gets an id: the proxy's `X-Request-ID` when it is a sane token, a new one otherwise. It is sent back
  in the answer's `X-Request-ID`, written in every log line of the request (`request_id`), and carried into every
  Celery task queued while it runs (a message header), so a task's log lines name the request that caused them.
- `LOG_FORMAT=json` (the production default) writes one JSON object a line through python-json-logger.
- Request count and latency per view go to prometheus_client (multi-process aware when PROMETHEUS_MULTIPROC_DIR is
  set, as it must be with several uvicorn or Celery processes on one machine); `/metrics` serves them.
- `SENTRY_DSN` switches sentry-sdk on (Django and Celery integrations), with the request id as a tag.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid

from prometheus_client import Counter, Histogram

REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("sanggar_request_id", default="")

HTTP_REQUESTS = Counter(
    "sanggar_http_requests_total", "HTTP requests answered, by view and status class", ["method", "view", "status"]
)
HTTP_LATENCY = Histogram(
    "sanggar_http_request_seconds",
    "Time to answer an HTTP request, by view",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
TASKS = Counter("sanggar_celery_tasks_total", "Celery tasks run, by task and outcome", ["task", "outcome"])


def request_id_get() -> str:
    return _request_id.get()


def request_id_set(value: str):
    return _request_id.set(value)


def request_id_reset(token) -> None:
    _request_id.reset(token)


def request_id_from_header(raw: str | None) -> str:
    """The proxy's id when it is a plain token of 8-64 characters; a new random id otherwise (never trust a
    header to be harmless in a log line)."""
    if raw and _VALID_ID.match(raw):
        return raw
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (empty outside a request or a task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = _request_id.get()
        return True


def _view_label(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return (match.view_name or match._func_path or "unknown")[:80]


class RequestIdMiddleware:
    """Outermost: the request id for the whole request, and the request metrics."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from_header(request.META.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        token = _request_id.set(request_id)
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = request_id
            return response
        finally:
            view = _view_label(request)
            method = request.method if len(request.method or "") <= 10 else "OTHER"
            HTTP_REQUESTS.labels(method, view, f"{status // 100}xx").inc()
            HTTP_LATENCY.labels(view).observe(time.perf_counter() - started)
            _request_id.reset(token)


# --- Celery ----------------------------------------------------------------------------------------------------------


def celery_connect(app) -> None:
    """Carries the request id from the web process into tasks and counts task outcomes (config/celery.py)."""
    from celery import signals

    @signals.before_task_publish.connect(weak=False)
    def _publish(headers=None, **_kwargs):
        current = _request_id.get()
        if headers is not None and current and "sanggar_request_id" not in headers:
            headers["sanggar_request_id"] = current

    @signals.task_prerun.connect(weak=False)
    def _prerun(task_id=None, task=None, **_kwargs):
        carried = getattr(task.request, "sanggar_request_id", None) if task is not None else None
        task.request.sanggar_request_token = _request_id.set(carried or f"task-{task_id}")

    @signals.task_postrun.connect(weak=False)
    def _postrun(task=None, state=None, **_kwargs):
        if task is None:
            return
        TASKS.labels(task.name[:80], (state or "unknown").lower()).inc()
        token = getattr(task.request, "sanggar_request_token", None)
        if token is not None:
            try:
                _request_id.reset(token)
            except ValueError:  # set in another context (eager tasks inside a request)
                _request_id.set("")


# --- Sentry ----------------------------------------------------------------------------------------------------------


def sentry_init(dsn: str, *, environment: str, release: str, traces_sample_rate: float) -> bool:
    """Error reporting through sentry-sdk when a DSN is configured. Personal data stays out (send_default_pii off)."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    def _tag_request_id(event, _hint):
        current = _request_id.get()
        if current:
            event.setdefault("tags", {})["request_id"] = current
        return event

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,
        before_send=_tag_request_id,
    )
    return True
