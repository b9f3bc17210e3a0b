import logging

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.views import defaults

from . import request_context

logger = logging.getLogger("django.request")


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_context.set_current(request_context.info_from_request(request))
        try:
            return self.get_response(request)
        finally:
            request_context.reset(token)


class OwnErrorPagesMiddleware:
    """The product's own Indonesian 404 and 500 pages also when DEBUG is on (`make run`), instead of Django's English
    debug pages that list every URL pattern. `DEBUG_ERROR_PAGES=true` brings Django's pages back for a developer;
    the traceback of a 500 is logged either way."""

    def __init__(self, get_response):
        self.get_response = get_response

    def _active(self) -> bool:
        return settings.DEBUG and not settings.DEBUG_ERROR_PAGES

    def __call__(self, request):
        response = self.get_response(request)
        # An address no URL pattern matches: the resolver's 404 never reaches process_exception.
        if (
            self._active()
            and response.status_code == 404
            and getattr(request, "resolver_match", None) is None
            and response.get("Content-Type", "").startswith("text/html")
        ):
            return defaults.page_not_found(request, Http404())
        return response

    def process_exception(self, request, exception):
        if not self._active():
            return None
        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        if isinstance(exception, PermissionDenied | BadRequest | SuspiciousOperation):
            return None  # Django answers these with the product's 403/400 pages already
        logger.error("Internal Server Error: %s", request.path, exc_info=exception)
        return defaults.server_error(request)
