"""`Idempotency-Key` support for write endpoints: mobile networks retry, and a retried write must not happen twice.

Put `@idempotent` under the route decorator:

    @router.post("/orders", auth=jwt_auth, response={201: OrderOut})
    @idempotent
    def order_create(request, payload: OrderIn): ...

Without the header nothing changes. With it, the first request runs and its successful (2xx) response is stored
for `IDEMPOTENCY_TTL`; a retry with the same key and the same request (method, path and body) gets the stored
response back (header `Idempotent-Replayed: true`) without running again; the same key with a different request is
refused with 422; a retry while the first is still running gets 409. Keys are scoped to the caller: the signed-in
user, else the client address (with the client app's API key when sent). Failed requests are not stored, so the
client may retry them.
"""

import hashlib
import hmac
import json
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.http.request import RawPostDataException
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.decorators import decorate_view

from sanggar.core.exceptions import ServiceError
from sanggar.core.request_context import client_ip

from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
IDEMPOTENCY_TTL = timedelta(hours=24)
# A request still "in progress" after this long is taken to have died; a retry may run again.
STALE_AFTER = timedelta(minutes=2)

OPENAPI_PARAMETER = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH},
    "description": "Kunci unik per operasi (mis. UUID). Permintaan ulang dengan kunci yang sama mendapat respons "
    "yang sama tanpa dijalankan dua kali.",
}


class IdempotencyError(ServiceError):
    status_code = 422

    def __init__(self, message: str, *, status_code: int = 422):
        super().__init__(message, errors={HEADER: [message]}, code="idempotency")
        self.status_code = status_code


def _clean_key(raw: str) -> str:
    key = raw.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise IdempotencyError(
            _("Idempotency-Key harus berisi 1–%(n)s karakter ASCII.") % {"n": MAX_KEY_LENGTH}, status_code=400
        )
    return key


def _multipart_digest(request) -> bytes:
    """A multipart body Django has already parsed: its fields and each file's name and content, in a stable order."""
    digest = hashlib.sha256()
    for name in sorted(request.POST):
        for value in request.POST.getlist(name):
            digest.update(f"{name}={value}\n".encode())
    for name in sorted(request.FILES):
        for upload in request.FILES.getlist(name):
            digest.update(f"{name}:{upload.name}:{upload.size}\n".encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.hexdigest().encode()


def _request_hash(request) -> str:
    try:
        body = request.body or b""
    except RawPostDataException:  # multipart (a file upload), already read by the form parser
        body = _multipart_digest(request)
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, UnicodeDecodeError):
        canonical = body
    message = request.method.encode() + b"\n" + request.get_full_path().encode() + b"\n" + canonical
    # Keyed, so a stored hash of a body that held a password cannot be guessed offline.
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _scope(request) -> dict:
    """Whose key this is: the signed-in user, else the anonymous caller's address (and client app key)."""
    user = getattr(request, "auth", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return {"user": user, "api_key": None, "client_address": ""}
    return {
        "user": None,
        "api_key": getattr(request, "api_key", None),
        "client_address": (client_ip(request) or "")[:45],
    }


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(
        record.response_body, status=record.status_code, content_type="application/json; charset=utf-8"
    )
    response[REPLAY_HEADER] = "true"
    return response


def _claim(request, key: str) -> tuple[IdempotencyRecord | None, HttpResponse | None]:
    """Either a new in-progress record for this request, or the stored response to replay."""
    scope = _scope(request)
    request_hash = _request_hash(request)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    **scope,
                    key=key,
                    method=request.method,
                    path=request.get_full_path()[:500],
                    request_hash=request_hash,
                )
            return record, None
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(**scope, key=key).first()
        if existing is None:
            continue  # deleted in between: try to claim again
        now = timezone.now()
        expired = existing.created_at < now - IDEMPOTENCY_TTL
        abandoned = not existing.is_complete and existing.created_at < now - STALE_AFTER
        if expired or abandoned:
            IdempotencyRecord.objects.filter(pk=existing.pk, created_at=existing.created_at).delete()
            continue
        if not hmac.compare_digest(existing.request_hash, request_hash):
            raise IdempotencyError(_("Idempotency-Key ini sudah dipakai untuk permintaan yang berbeda."))
        if not existing.is_complete:
            raise IdempotencyError(
                _("Permintaan dengan Idempotency-Key ini masih diproses. Coba lagi sebentar lagi."), status_code=409
            )
        return None, _replay(existing)
    raise IdempotencyError(_("Idempotency-Key sedang dipakai permintaan lain. Coba lagi."), status_code=409)


def _finish(run):
    """Wraps the operation's `run`: stores a successful response, forgets a failed one."""

    def wrapped(request, *args, **kwargs):
        try:
            response = run(request, *args, **kwargs)
        except BaseException:
            record = getattr(request, "_idempotency_record", None)
            if record is not None:
                IdempotencyRecord.objects.filter(pk=record.pk).delete()
            raise
        record = getattr(request, "_idempotency_record", None)
        if record is not None:
            stored = IdempotencyRecord.objects.filter(pk=record.pk)
            if 200 <= response.status_code < 300 and not response.streaming:
                stored.update(status_code=response.status_code, response_body=response.content.decode())
            else:
                stored.delete()
        return response

    return wrapped


def _document(operation) -> None:
    extra = dict(operation.openapi_extra or {})
    extra["parameters"] = [*extra.get("parameters", []), OPENAPI_PARAMETER]
    operation.openapi_extra = extra


def idempotent(view_func):
    """Decorator for a write endpoint's function (below the route decorator)."""

    # `updated=()`: the wrapper gets its own attributes (ninja's operation callbacks), not view_func's.
    @wraps(view_func, updated=())
    def view(request, *args, **kwargs):
        raw = request.headers.get(HEADER)
        if raw is None:
            return view_func(request, *args, **kwargs)
        record, replay = _claim(request, _clean_key(raw))
        if replay is not None:
            return replay
        request._idempotency_record = record
        return view_func(request, *args, **kwargs)

    decorate_view(_finish)(view)
    view._ninja_contribute_to_operation.append(_document)
    return view


def idempotency_purge(*, now=None) -> int:
    """Deletes records past `IDEMPOTENCY_TTL`. A sweep: safe to run twice or concurrently. Returns how many."""
    cutoff = (now or timezone.now()) - IDEMPOTENCY_TTL
    deleted, _rows = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
