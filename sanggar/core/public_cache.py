"""Whole-response cache of the public pages (front door, sales, checkout, product list) and the public catalogue API
for visitors, invalidated by a generation number.

Why: a visitor's page is the same for every visitor; rendering it (shell, menu, branding, plans, form) took most of
each request. A visitor now gets the stored bytes with their own CSRF token and CSP nonce put in.

Invalidation: the key holds the *generation*, a row (`CacheGeneration`) read with one query per request, so every
process sees a change at once whatever the cache backend (per-process LocMemCache included). The apps that own what
these pages show bump it: every save, delete or many-to-many change of the models they register
(`invalidate_on`), and their services for writes that send no signal (`queryset.update`, `bulk_create`: stock, plan
badges, features). The bump is written when the transaction commits; until then this process stops using its
entries too (a local counter in the key), so the writer's own next request never sees its old page.

Time: an entry lives at most `PUBLIC_PAGE_CACHE_SECONDS`, and never past the moment a price changes by itself (a promo
ending): the view's `timeout` callable says how long its content stays true. The front door's count of active members
is no reason to render it again on every sale: it may be that many seconds old.

Only a visitor is served from the cache: a GET without a query string, not signed in, without a session, flash
messages, a coupon or a referral cookie (their pages are personal: the remembered coupon, the affiliate's referral),
not an HTMX request. Everyone else gets the page rendered for them, as before.
"""

import itertools
import logging
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers

logger = logging.getLogger(__name__)

PUBLIC_GENERATION = "public"
CSRF_PLACEHOLDER = "@@sanggar-csrf-token@@"
NONCE_PLACEHOLDER = "@@sanggar-csp-nonce@@"
RENDER_FLAG = "_public_cache_render"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"  # as django-ninja answers
# Cookies that make a visitor's page personal (the coupon and referral cookies are named by the apps that own them,
# see `personal_cookie_register`); Django's own are named from settings.
_PERSONAL_COOKIES: set[str] = set()
_local = itertools.count(1)
_local_generation = 0


def personal_cookie_register(name: str) -> None:
    """A cookie that changes what a page shows its holder: requests carrying it are never served from the cache."""
    _PERSONAL_COOKIES.add(name)


# --- the generation --------------------------------------------------------------------------------------------


def generation(name: str = PUBLIC_GENERATION) -> str:
    """The current generation of `name` (one query), with this process's local counter."""
    from .models import CacheGeneration

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {CacheGeneration._meta.db_table} WHERE name = %s", [name])  # noqa: S608
        row = cursor.fetchone()
    return f"{row[0] if row else 0}.{_local_generation}"


def _generation_write(name: str) -> None:
    from .models import CacheGeneration

    try:
        if not CacheGeneration.objects.filter(name=name).update(value=F("value") + 1):
            CacheGeneration.objects.get_or_create(name=name, defaults={"value": 1})
    except DatabaseError:  # the pages stay cached until their timeout; the change itself is saved
        logger.exception("public page cache: the generation could not be bumped")


def _public_write() -> None:
    _generation_write(PUBLIC_GENERATION)


def generation_bump() -> None:
    """What the public pages show has changed (or will when the current transaction commits): one write per
    transaction however many rows changed."""
    global _local_generation
    _local_generation = next(_local)
    pending = connection.run_on_commit if connection.in_atomic_block else ()
    if not any(callback is _public_write for _sids, callback, _robust in pending):
        transaction.on_commit(_public_write)


def _bump_receiver(sender, **kwargs):
    generation_bump()


def invalidate_on(*models) -> None:
    """Every save, delete and many-to-many change of `models` bumps the public generation."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for model in models:
        post_save.connect(_bump_receiver, sender=model, dispatch_uid=f"public_cache_save_{model._meta.label}")
        post_delete.connect(_bump_receiver, sender=model, dispatch_uid=f"public_cache_delete_{model._meta.label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_bump_receiver, sender=through, dispatch_uid=f"public_cache_m2m_{through._meta.label}")


# --- who is served from the cache ------------------------------------------------------------------------------


def cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD") or request.META.get("QUERY_STRING"):
        return False
    if request.headers.get("HX-Request"):
        return False
    personal = {settings.SESSION_COOKIE_NAME, "messages", *_PERSONAL_COOKIES}
    if any(name in request.COOKIES for name in personal):
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _key(request, view_key: str, gen: str) -> str:
    return f"public-page:{gen}:{view_key}:{request.scheme}:{request.get_host()}:{request.path}"


def _timeout(timeout: Callable[[], int | None] | None) -> int:
    limit = settings.PUBLIC_PAGE_CACHE_SECONDS
    until_change = timeout() if timeout else None
    return max(0, min(limit, until_change)) if until_change is not None else limit


def _personalise(content: bytes, request) -> bytes:
    if CSRF_PLACEHOLDER.encode() in content:
        content = content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    nonce = getattr(request, "csp_nonce", None)
    if nonce and NONCE_PLACEHOLDER.encode() in content:
        content = content.replace(NONCE_PLACEHOLDER.encode(), nonce.encode())
    return content


def _answer(request, stored: tuple[int, str, bytes]) -> HttpResponse:
    status, content_type, content = stored
    response = HttpResponse(_personalise(content, request), status=status, content_type=content_type)
    patch_vary_headers(response, ("Cookie",))  # as the rendered page (the session and CSRF cookies decide)
    return response


def public_page(view_key: str, *, timeout: Callable[[], int | None] | None = None):
    """Serves a visitor's GET of the decorated view from the cache (see the module's docstring). `timeout()` returns
    the seconds the view's content stays true by itself (None: no limit of its own)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if settings.PUBLIC_PAGE_CACHE_SECONDS <= 0 or not cacheable_request(request):
                return view(request, *args, **kwargs)
            gen = generation()  # read before the content: a change committed after this read bumps it
            key = _key(request, view_key, gen)
            stored = cache.get(key)
            if stored is not None:
                return _answer(request, stored)
            # How long the content stays true, asked before it is read: a promo ending during the render must not
            # leave the page it showed cached past its end.
            seconds = _timeout(timeout)
            nonce = getattr(request, "csp_nonce", None)
            setattr(request, RENDER_FLAG, True)
            request.csp_nonce = NONCE_PLACEHOLDER
            try:
                response = view(request, *args, **kwargs)
            finally:
                setattr(request, RENDER_FLAG, False)
                request.csp_nonce = nonce
            if response.status_code != 200 or response.streaming or response.cookies or response.has_header("Location"):
                return response
            if hasattr(response, "render") and callable(response.render):
                response.render()
            stored = (response.status_code, response["Content-Type"], response.content)
            if seconds:
                cache.set(key, stored, seconds)
            return _answer(request, stored)

        return wrapped

    return decorator


def csrf_placeholder(request) -> dict:
    """Context processor: while a page is rendered for the cache, `{% csrf_token %}` writes a placeholder that
    `public_page` swaps for each visitor's own token (a token is never shared between visitors)."""
    if getattr(request, RENDER_FLAG, False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


def cached_json(request, view_key: str, build: Callable[[], bytes], *, timeout=None) -> HttpResponse:
    """JSON bytes of a public API answer that is the same for everyone, built once per generation and host.
    `view_key` names the answer with its (validated) parameters, e.g. `plans:page=1`."""
    if settings.PUBLIC_PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return HttpResponse(build(), content_type=JSON_CONTENT_TYPE)
    gen = generation()
    key = f"public-api:{gen}:{view_key}:{request.scheme}:{request.get_host()}"
    content = cache.get(key)
    if content is None:
        seconds = _timeout(timeout)  # before the content is read (see `public_page`)
        content = build()
        if seconds:
            cache.set(key, content, seconds)
    return HttpResponse(content, content_type=JSON_CONTENT_TYPE)
