"""Referral tracking and the short-link host.

- `ShortLinkHostMiddleware` (first in MIDDLEWARE): a request whose Host is an active short-link domain is answered
  by the short-link resolver before anything reads `request.get_host()`, so those domains need not be listed in
  ALLOWED_HOSTS (the response never uses the Host header: redirects go to SITE_URL). Every other request passes on.
- `ReferralMiddleware` (after AuthenticationMiddleware): a GET with `?ref=CODE` records a click and sets the signed
  referral cookie for the attribution window; a signed-in user with a valid referral cookie is bound to that
  affiliate (`referral_bind`) once per cookie value.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.utils import timezone

from sanggar.core.request_context import client_ip

from .constants import LANDING_DROP_PARAMS, AttributionModel, ReferralSource
from .services import (
    REF_COOKIE,
    click_record,
    click_token_valid,
    code_clean,
    referral_bind,
    referral_cookie_parse,
    referral_cookie_value,
    short_link_hosts,
)
from .services.common import attribution_settings_current, attribution_window

SKIP_PREFIXES = ("/api/", "/static/", "/media/", "/webhooks/", "/django-admin/", "/healthz", "/readyz", "/metrics")
SESSION_BOUND_KEY = "affiliates_ref_bound"


def request_host(request) -> str:
    """The request's host name (lower case, no port), read without ALLOWED_HOSTS validation."""
    try:
        raw = request._get_raw_host()
    except Exception:
        return ""
    domain, _port = split_domain_port(raw)
    return (domain or "").lower()


def platform_host(host: str) -> bool:
    """The platform's own hosts (ALLOWED_HOSTS, or SITE_URL's host when ALLOWED_HOSTS is a wildcard) never serve
    short links, so ordinary requests cost no lookup."""
    allowed = settings.ALLOWED_HOSTS
    if "*" in allowed:
        site_host, _port = split_domain_port(settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0])
        return host == site_host
    return validate_host(host, allowed)


class ShortLinkHostMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        host = request_host(request)
        if host and not platform_host(host) and host in short_link_hosts():
            from .views.resolver import resolve_on_host

            return resolve_on_host(request, host)
        return self.get_response(request)


def landing_path(request) -> str:
    """The page a click landed on: its path and query without the referral and click-id parameters."""
    params = sorted((k, v) for k, v in request.GET.items() if k not in LANDING_DROP_PARAMS)
    return request.path + ("?" + urlencode(params) if params else "")


class ReferralMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        new_cookie = None
        if request.method == "GET" and "ref" in request.GET and not request.path.startswith(SKIP_PREFIXES):
            new_cookie = self._record_click(request)
        response = self.get_response(request)
        cookie_value = new_cookie or request.COOKIES.get(REF_COOKIE)
        if new_cookie:
            response.set_cookie(
                REF_COOKIE,
                new_cookie,
                max_age=int(attribution_window().total_seconds()),
                samesite="Lax",
                secure=request.is_secure(),
                httponly=True,
            )
        user = getattr(request, "user", None)
        if cookie_value and user is not None and user.is_authenticated and hasattr(request, "session"):
            self._bind(request, user, cookie_value)
        return response

    def _record_click(self, request) -> str | None:
        code = code_clean(request.GET.get("ref"))
        if not code:
            return None
        now = timezone.now()
        existing = referral_cookie_parse(request.COOKIES.get(REF_COOKIE), now=now)
        # First-click attribution keeps the first affiliate's cookie while it is inside its window.
        if (
            existing is not None
            and existing.code != code
            and attribution_settings_current().attribution_model == AttributionModel.FIRST_CLICK
        ):
            return None
        source = ReferralSource.LINK
        if click_token_valid(request.GET.get("rk")):
            # The short-link resolver already recorded this click (it redirected here with a signed click id).
            source = ReferralSource.SHORT_LINK
            from .services.common import profile_active_by_code

            if profile_active_by_code(code) is None:
                return None
        else:
            click = click_record(
                code=code,
                landing_path=landing_path(request),
                referrer=request.META.get("HTTP_REFERER", ""),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
                ip=client_ip(request),
            )
            if click is None:
                return None
        if existing is not None and existing.code == code and existing.source == source:
            clicked_at = (
                existing.clicked_at
                if attribution_settings_current().attribution_model == AttributionModel.FIRST_CLICK
                else now
            )
        else:
            clicked_at = now
        return referral_cookie_value(code=code, clicked_at=clicked_at, source=source)

    def _bind(self, request, user, cookie_value: str) -> None:
        if request.session.get(SESSION_BOUND_KEY) == cookie_value:
            return
        parsed = referral_cookie_parse(cookie_value)
        if parsed is not None:
            referral_bind(user=user, code=parsed.code, clicked_at=parsed.clicked_at, source=parsed.source)
        request.session[SESSION_BOUND_KEY] = cookie_value
