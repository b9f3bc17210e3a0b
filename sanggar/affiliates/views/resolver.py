"""The short-link resolver: `/s/<slug>` on the main domain, and every path on a short-link domain (through
`ShortLinkHostMiddleware`). A known, active link redirects (302) to its target with the affiliate's code and a
signed click id (the landing page then does not count the click twice); anything else gets a friendly 404."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sanggar.core.request_context import client_ip

from .. import selectors
from ..services import click_record, click_token, target_path


def _not_found(request, host: str = ""):
    return render(
        request, "affiliates/resolver_404.html", {"site_url": settings.SITE_URL, "short_host": host}, status=404
    )


def _redirect(request, link, *, absolute: bool):
    path = target_path(link.target_kind, link.target_slug)
    if path is None:
        return None
    click = click_record(
        code=link.affiliate.code,
        landing_path=path,
        referrer=request.META.get("HTTP_REFERER", ""),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        ip=client_ip(request),
        short_link=link,
    )
    params = {"ref": link.affiliate.code}
    if click is not None:
        params["rk"] = click_token(click.pk)
    location = (settings.SITE_URL if absolute else "") + path + "?" + urlencode(params)
    response = HttpResponseRedirect(location)
    response["Cache-Control"] = "no-store"
    return response


def resolve_on_host(request, host: str):
    """A request on a short-link domain (called by the middleware, before host validation)."""
    if request.method not in ("GET", "HEAD"):
        return _not_found(request, host)
    slug = request.path.strip("/")
    if not slug:
        return HttpResponseRedirect(settings.SITE_URL + "/")
    link = selectors.short_link_resolve(domain=host, slug=slug) if "/" not in slug else None
    response = _redirect(request, link, absolute=True) if link is not None else None
    return response or _not_found(request, host)


@require_GET
def short_link(request, slug):
    """`/s/<slug>` on the main domain (the landing page sets the referral cookie)."""
    link = selectors.short_link_resolve(domain=None, slug=slug)
    response = _redirect(request, link, absolute=False) if link is not None else None
    if response is None:
        return _not_found(request)
    return response
