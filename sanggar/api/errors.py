"""The API's one error shape, `{"message": "...", "errors": {"field": ["..."]}}`, produced in one place.

`install_error_handlers(api)` registers a handler for every exception an endpoint can end with: domain errors
(`ServiceError` and its 403 / 404 subclasses), input validation (422, errors keyed by field name), authentication
(401), permission (403), throttling (429), ninja's `HttpError`, `Http404`, and anything unexpected (a JSON 500 that
is logged and reported like any other server error).
"""

import logging

from django.core.exceptions import PermissionDenied
from django.core.signals import got_request_exception
from django.db import DataError
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled, ValidationError

from sanggar.core.exceptions import RateLimited, ServiceError
from sanggar.core.guard import error_body, refused_value_message

logger = logging.getLogger("sanggar.api")

# ninja's own English messages, replaced by ours.
_NINJA_UNAUTHORIZED = "Unauthorized"
_NINJA_FORBIDDEN = "Forbidden"
_NINJA_BAD_BODY = "Cannot parse request body"
# Parameter sources ninja puts first in an error location.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}
# The name every endpoint gives its body schema argument; dropped from field names.
BODY_ARG = "payload"
BODY_KEY = "body"


def error_response(
    message: str, *, status: int, errors: dict | None = None, headers: dict | None = None
) -> HttpResponse:
    response = JsonResponse(error_body(message, errors), status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def unauthorized(message: str = "") -> HttpResponse:
    return error_response(
        message or default_unauthorized_message(), status=401, headers={"WWW-Authenticate": 'Bearer realm="api"'}
    )


def default_unauthorized_message() -> str:
    return _("Autentikasi diperlukan. Sertakan token akses yang valid (Authorization: Bearer <token>).")


def _field_name(loc) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in _SOURCES:
        source = parts.pop(0)
        if source == "body" and parts and parts[0] == BODY_ARG:
            parts.pop(0)
    # An invalid dictionary key: pydantic appends "[key]" to the key itself.
    parts = [p for p in parts if p != "[key]"]
    return ".".join(parts) or BODY_KEY


def _validation_message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    messages = {
        "missing": _("Wajib diisi."),
        "string_type": _("Harus berupa teks."),
        "int_type": _("Harus berupa bilangan bulat."),
        "int_parsing": _("Harus berupa bilangan bulat."),
        "int_from_float": _("Harus berupa bilangan bulat."),
        "float_type": _("Harus berupa angka."),
        "float_parsing": _("Harus berupa angka."),
        "bool_type": _("Harus bernilai true atau false."),
        "bool_parsing": _("Harus bernilai true atau false."),
        "dict_type": _("Harus berupa objek JSON."),
        "model_type": _("Harus berupa objek JSON."),
        "model_attributes_type": _("Harus berupa objek JSON."),
        "list_type": _("Harus berupa daftar."),
        "json_invalid": _("JSON tidak valid."),
        "extra_forbidden": _("Field ini tidak dikenal."),
        "datetime_parsing": _("Format tanggal dan waktu tidak valid."),
        "date_parsing": _("Format tanggal tidak valid (YYYY-MM-DD)."),
    }
    if kind in messages:
        return messages[kind]
    if kind == "string_too_long":
        return _("Paling banyak %(n)s karakter.") % {"n": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("Minimal %(n)s karakter.") % {"n": ctx.get("min_length")}
    if kind == "greater_than_equal":
        return _("Harus lebih besar dari atau sama dengan %(n)s.") % {"n": ctx.get("ge")}
    if kind == "greater_than":
        return _("Harus lebih besar dari %(n)s.") % {"n": ctx.get("gt")}
    if kind == "less_than_equal":
        return _("Harus lebih kecil dari atau sama dengan %(n)s.") % {"n": ctx.get("le")}
    if kind in ("enum", "literal_error"):
        return _("Pilihan tidak valid. Pilihan yang tersedia: %(expected)s.") % {
            "expected": str(ctx.get("expected", "")).replace(" or ", " atau ")
        }
    if kind in ("value_error", "assertion_error") and ctx.get("error"):
        return str(ctx["error"])
    return _("Nilai tidak valid.")


def validation_errors(errors: list[dict]) -> dict[str, list[str]]:
    """ninja's error list → `{field: [message, …]}`, field names dotted for nested values."""
    result: dict[str, list[str]] = {}
    for error in errors:
        field = _field_name(error.get("loc", ()))
        message = _validation_message(error)
        if message not in result.setdefault(field, []):
            result[field].append(message)
    return result


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ServiceError)
    def service_error(request, exc: ServiceError):
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
        return error_response(exc.message, status=exc.status_code, errors=exc.errors, headers=headers)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        return error_response(
            _("Data yang dikirim tidak valid. Periksa kembali isian yang ditandai."),
            status=422,
            errors=validation_errors(exc.errors),
        )

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, exc: AuthenticationError):
        return unauthorized("" if exc.message == _NINJA_UNAUTHORIZED else exc.message)

    @api.exception_handler(AuthorizationError)
    def authorization_error(request, exc: AuthorizationError):
        message = _("Anda tidak memiliki akses ke fitur ini.") if exc.message == _NINJA_FORBIDDEN else exc.message
        return error_response(message, status=403)

    @api.exception_handler(PermissionDenied)
    def permission_denied(request, exc: PermissionDenied):
        return error_response(_("Anda tidak memiliki akses ke fitur ini."), status=403)

    @api.exception_handler(Throttled)
    def throttled(request, exc: Throttled):
        headers = {"Retry-After": str(int(exc.wait))} if exc.wait else None
        return error_response(_("Terlalu banyak permintaan. Coba lagi nanti."), status=429, headers=headers)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if exc.status_code == 400 and exc.message.startswith(_NINJA_BAD_BODY):
            message = _("Isi permintaan bukan JSON yang valid.")
            return error_response(message, status=400, errors={BODY_KEY: [message]})
        return error_response(exc.message, status=exc.status_code)

    @api.exception_handler(Http404)
    def not_found(request, exc: Http404):
        return error_response(_("Data tidak ditemukan."), status=404)

    @api.exception_handler(DataError)
    def data_error(request, exc: DataError):
        # A value the database cannot hold (a number out of range, text it refuses) is the caller's mistake.
        logger.warning("Refused value on %s %s: %s", request.method, request.path, exc.__class__.__name__)
        return error_response(refused_value_message(), status=400)

    @api.exception_handler(Exception)
    def unexpected(request, exc: Exception):
        logger.exception("Unhandled API error on %s %s", request.method, request.path)
        # Reported like any other server error (error e-mails, error trackers; the test client re-raises it).
        got_request_exception.send(sender=None, request=request)
        return error_response(_("Terjadi kesalahan pada server. Silakan coba lagi."), status=500)
