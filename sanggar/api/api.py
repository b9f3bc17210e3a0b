"""The one NinjaAPI object at /api/v1/. Each app contributes its router from its own api.py.

Every operation runs through `api_key_guard` (X-API-Key, request context), errors come from `errors.py`, and the
OpenAPI document at /api/v1/openapi.json is the contract the mobile apps are built against (docs at /api/v1/docs).
"""

from functools import wraps

from django.conf import settings
from django.http import Http404, HttpResponseNotAllowed
from django.urls import URLPattern
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router, Swagger

from .auth import API_KEY_HEADER, api_key_guard
from .contract import document_operations
from .discovery import app_routers
from .errors import error_response, install_error_handlers

API_KEY_SCHEME = "ApiKey"

DESCRIPTION = f"""REST API untuk aplikasi mobile Sanggar.

- **Token**: `POST /api/v1/auth/token` memberi token akses dan refresh. Kirim token akses di header
  `Authorization: Bearer <token>`; perbarui dengan `POST /api/v1/auth/refresh` (refresh token hanya bisa
  dipakai sekali).
- **API key**: aplikasi klien mengirim `{API_KEY_HEADER}`. Bila dikirim, kunci harus aktif; bila server mewajibkan,
  setiap permintaan tanpa kunci ditolak (401).
- **Idempotency-Key**: endpoint tulis menerima header `Idempotency-Key`; permintaan ulang dengan kunci dan isi yang sama
  mendapat respons yang sama tanpa dijalankan dua kali.
- **Error**: selalu `{{"message": "...", "errors": {{"field": ["..."]}}}}` — 400 data ditolak, 401 belum masuk,
  403 tidak berhak, 404 tidak ditemukan, 409 masih diproses, 422 format data salah, 429 terlalu banyak percobaan.
"""


def document_api_key(schema: dict, *, required: bool) -> dict:
    """Adds the client API key to an OpenAPI document: on every operation, required or as an alternative."""
    components = schema.setdefault("components", {})
    components.setdefault("securitySchemes", {})[API_KEY_SCHEME] = {
        "type": "apiKey",
        "in": "header",
        "name": API_KEY_HEADER,
    }
    for methods in schema.get("paths", {}).values():
        for operation in methods.values():
            # A list of alternatives: any one requirement object satisfied is enough; {} means "nothing".
            requirements = operation.get("security") or [{}]
            with_key = [{**requirement, API_KEY_SCHEME: []} for requirement in requirements]
            operation["security"] = with_key if required else requirements + with_key
    return schema


def _json_not_allowed(view):
    """ninja answers a wrong method with a plain-text 405; ours uses the one error shape."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            return error_response(
                _("Metode %(method)s tidak didukung di alamat ini.") % {"method": request.method},
                status=405,
                headers={"Allow": response["Allow"]},
            )
        return response

    return wrapped


class SanggarAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = document_api_key(super().get_openapi_schema(*args, **kwargs), required=settings.API_REQUIRE_KEY)
        return document_operations(schema)

    def _get_urls(self):
        patterns = super()._get_urls()
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_not_allowed(pattern.callback)
        return patterns


api = SanggarAPI(
    title="Sanggar API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    # Swagger UI from ninja's own static files ("ninja" in INSTALLED_APPS); no online validator badge, which would
    # load an image from validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
)
install_error_handlers(api)
api.add_decorator(api_key_guard, mode="view")

# Each installed app's `api.py` is mounted by discovery (no app is named here): its `router`, or the routers it
# lists in `API_ROUTERS`, ordered by its `API_ORDER` (the OpenAPI document's order of paths).
for _router in app_routers():
    api.add_router("", _router)

# Last: any other path under /api/v1/ answers with the JSON error shape instead of an HTML page.
fallback_router = Router()


@fallback_router.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:path}", include_in_schema=False, url_name="api_fallback"
)
def not_found(request, path: str):
    raise Http404(path)


api.add_router("", fallback_router)
