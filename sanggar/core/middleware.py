import logging
import secrets

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.utils.cache import patch_cache_control
from django.views import defaults

from . import request_context
from .csp import csp_extra_sources

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


class SecurityHeadersMiddleware:
    """Content-Security-Policy (self-hosted assets only; inline <script>/<style> elements need
    `nonce="{{ request.csp_nonce }}"`), Permissions-Policy, and `Cache-Control: no-store` on every answer to a
    signed-in user and every API answer, so no shared cache or back button shows one person's page to another.

    Alpine.js evaluates its attribute expressions with `new Function`, hence 'unsafe-eval' in script-src: the
    templates use full expressions (methods, arrow functions) that Alpine's CSP build cannot evaluate. Inline
    scripts still need the nonce, so an injected <script> does not run. Style attributes are allowed
    (style-src-attr); <style> elements need the nonce."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if settings.CSP_ENABLED and "Content-Security-Policy" not in response:
            # The server-error page is rendered without a request (no nonce): its own <style> may apply.
            response["Content-Security-Policy"] = content_security_policy(
                request.csp_nonce, inline_styles=response.status_code >= 500, extra=csp_extra_sources(request)
            )
        if settings.PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        if "no-store" not in response.get("Cache-Control", "") and (
            request.path_info.startswith("/api/") or _signed_in(request)
        ):
            patch_cache_control(response, private=True, no_store=True)
        return response


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)  # the lazy session user (pages) or JWTAuth's user (API)
    return bool(user is not None and user.is_authenticated)


def content_security_policy(nonce: str, *, inline_styles: bool = False, extra: dict | None = None) -> str:
    """The policy; `extra` adds sources per directive (`sanggar.core.csp`: registered by higher apps)."""
    extra = extra or {}

    def more(directive: str) -> str:
        sources = extra.get(directive) or []
        return (" " + " ".join(sources)) if sources else ""

    media = settings.MEDIA_URL
    media_origin = ""
    if media.startswith(("http://", "https://")):
        scheme, rest = media.split("://", 1)
        media_origin = f" {scheme}://{rest.split('/', 1)[0]}"
    directives = [
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}' 'unsafe-eval'{more('script-src')}",
        "style-src 'self' 'unsafe-inline'" if inline_styles else f"style-src 'self' 'nonce-{nonce}'",
        "style-src-attr 'unsafe-inline'",
        f"img-src 'self' data: blob:{media_origin}{more('img-src')}",
        "font-src 'self' data:",
        f"connect-src 'self'{more('connect-src')}",
        f"media-src 'self'{media_origin}",
        "object-src 'none'",
        "base-uri 'self'",
        f"frame-src 'self'{more('frame-src')}" if extra.get("frame-src") else "",
        "frame-ancestors 'none'",
    ]
    return "; ".join(d for d in directives if d)
