"""One input guard for text PostgreSQL refuses: the NUL character and lone UTF-16 surrogates.

`InputGuardMiddleware` looks at the path, the query string, form fields (names and values, uploaded file names) and
JSON bodies before any view runs, and refuses a request that carries such a character: the API (paths under
/api/) answers 400 in the one error shape, pages show a short Indonesian message (400). It also caps how deeply
a JSON body may nest (settings.JSON_MAX_DEPTH), so no parser recurses until it fails. Nothing reaches the database
that it would refuse, so no 500 and no response cut off in the middle (a CSV export streams rows from a query).
"""

import json
import re

from django.conf import settings
from django.db import DataError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
# NUL, and surrogates that UTF-8 cannot encode (Python keeps them when it decodes "\ud800" from JSON).
_REFUSED = re.compile("[\x00\ud800-\udfff]")
# The same characters written as JSON escapes: "\u0000", "\ud83d" on its own … An escaped backslash before "u"
# ("\\u0000") is text, not an escape, hence the even run of backslashes.
_REFUSED_ESCAPE = re.compile(rb"(?<!\\)(?:\\\\)*\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")
_JSON_TYPES = ("application/json", "application/merge-patch+json", "text/json")


class InputRefused(Exception):
    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.message = message
        self.field = field


def has_refused_characters(value: str) -> bool:
    return bool(_REFUSED.search(value))


def clean_text(value: str) -> str:
    """`value` without the characters PostgreSQL refuses (for text the platform stores as is, e.g. user agents)."""
    return _REFUSED.sub("", value)


def json_depth_exceeded(body: bytes, max_depth: int) -> bool:
    """True when the JSON text nests arrays/objects deeper than `max_depth` (brackets inside strings ignored).
    Runs on the raw bytes, so it is safe to call before parsing."""
    depth = 0
    in_string = False
    escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > max_depth:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


def _message() -> str:
    return _("Permintaan berisi karakter yang tidak diizinkan (mis. karakter NUL). Periksa kembali isian Anda.")


def _check_pairs(items, source: str) -> None:
    for key, values in items:
        if has_refused_characters(key):
            raise InputRefused(_message(), source)
        for value in values:
            if isinstance(value, str) and has_refused_characters(value):
                raise InputRefused(_message(), key)


def check_request(request) -> None:
    """Raises InputRefused when any part of the request carries a character PostgreSQL refuses, or when its JSON
    body nests too deeply."""
    if has_refused_characters(request.path_info):
        raise InputRefused(_message(), "path")
    _check_pairs(request.GET.lists(), "query")
    content_type = (request.content_type or "").lower()
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        if request.path_info.startswith(API_PREFIX):
            # The API reads `request.body` itself; reading it first keeps it readable after the form is parsed.
            request.body  # noqa: B018
        _check_pairs(request.POST.lists(), "form")
        for name, upload in request.FILES.items():
            if has_refused_characters(upload.name or ""):
                raise InputRefused(_message(), name)
    elif content_type in _JSON_TYPES or content_type.endswith("+json"):
        body = request.body
        # A raw NUL byte makes the body invalid JSON (the parser answers it); an escaped one would parse.
        if _REFUSED_ESCAPE.search(body):
            raise InputRefused(_message(), "body")
        if json_depth_exceeded(body, settings.JSON_MAX_DEPTH):
            raise InputRefused(
                _("Struktur JSON terlalu dalam (paling banyak %(n)s tingkat).") % {"n": settings.JSON_MAX_DEPTH},
                "body",
            )


def error_body(message: str, errors: dict | None = None) -> dict:
    """The API's one error shape, `{"message": ..., "errors": {"field": [...]}}` (sanggar.api.errors uses it)."""
    return {"message": str(message), "errors": {str(k): [str(m) for m in v] for k, v in (errors or {}).items()}}


def refused_response(request, exc: InputRefused):
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse(
            error_body(exc.message, {exc.field: [exc.message]}),
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    return render(request, "400.html", {"message": exc.message}, status=400)


def refused_value_message() -> str:
    return _("Nilai yang dikirim tidak dapat diproses (terlalu besar atau berisi karakter yang tidak diizinkan).")


class InputGuardMiddleware:
    """Refuses hostile input before any view (see the module docstring). Place it right after SecurityMiddleware:
    it needs no session or user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            check_request(request)
        except InputRefused as exc:
            return refused_response(request, exc)
        except (UnicodeDecodeError, ValueError):
            return refused_response(
                request, InputRefused(_("Permintaan tidak dapat dibaca. Periksa kembali isian Anda."), "body")
            )
        return self.get_response(request)

    def process_exception(self, request, exception):
        # The last guard for pages: a value the database cannot hold is the visitor's mistake, not a server error.
        if isinstance(exception, DataError):
            return refused_response(request, InputRefused(refused_value_message(), "query"))
        return None


def json_loads_bounded(body: bytes | str, *, max_bytes: int, max_depth: int):
    """`json.loads` for bodies from outside (webhooks): refuses a body over `max_bytes` or nesting deeper than
    `max_depth` with ValueError before the parser sees it."""
    raw = body.encode() if isinstance(body, str) else body
    if len(raw) > max_bytes:
        raise ValueError("body too large")
    if json_depth_exceeded(raw, max_depth):
        raise ValueError("JSON nested too deeply")
    return json.loads(raw)
