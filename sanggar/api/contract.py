"""What the published OpenAPI document adds to ninja's: short, stable operation ids and every error answer.

- Operation ids come from the path and the method, not from Python module paths, so generated clients read well
  (`orders_create`, `orders_list`, `orders_detail`, `orders_pay`, `plans_detail`, `me_update`,
  `admin_payouts_approve`) and stay the same when code moves between modules or routers are discovered
  differently. An operation may still set its own `operation_id=` on the route.
- Every operation documents the error answers the platform can give it, in the one error shape: 400 (refused
  input, e.g. characters the database refuses), 401 (a bad API key, or no/invalid token), 404 when the path names
  something, 409 and 422 for writes that take an Idempotency-Key, 422 when it takes parameters or a body, and 429
  where it is rate-limited (declared on the route).
"""

import re

from django.core.exceptions import ImproperlyConfigured

PREFIX = "/api/v1/"
ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
ERROR_DESCRIPTIONS = {
    "400": "Data ditolak (mis. karakter yang tidak diizinkan, aturan bisnis)",
    "401": "Belum masuk, token tidak valid, atau API key tidak valid",
    "403": "Tidak berhak",
    "404": "Tidak ditemukan",
    "409": "Permintaan dengan Idempotency-Key yang sama masih diproses",
    "422": "Format data salah",
    "429": "Terlalu banyak permintaan",
}
_METHOD_DEFAULT = {"patch": "update", "put": "replace", "delete": "delete"}
_NINJA_DEFAULT_ID = re.compile(r"^sanggar_")


def _words(path: str) -> list[str]:
    parts = [p for p in path.removeprefix(PREFIX).strip("/").split("/") if p]
    return [p.replace("-", "_") for p in parts if not p.startswith("{")]


def operation_id_for(path: str, method: str, all_paths: dict) -> str:
    """`orders_create`, `orders_list`, `orders_detail`, `orders_pay`, `auth_token`, `me`, `me_update` …"""
    words = _words(path)
    base = "_".join(words)
    ends_with_parameter = path.rstrip("/").endswith("}")
    is_collection = any(other.startswith(path.rstrip("/") + "/{") for other in all_paths)
    if method in _METHOD_DEFAULT:
        return f"{base}_{_METHOD_DEFAULT[method]}"
    if method == "get":
        if ends_with_parameter:
            return f"{base}_detail"
        return f"{base}_list" if is_collection or "post" in all_paths.get(path, {}) else base
    if method == "post" and not ends_with_parameter and (is_collection or "get" in all_paths.get(path, {})):
        return f"{base}_create"
    if method == "post" and words and words[-1].endswith("s") and words[-1] not in ("auth",):
        return f"{base}_create"
    return base


def _error_response(status: str) -> dict:
    return {"description": ERROR_DESCRIPTIONS[status], "content": {"application/json": {"schema": ERROR_REF}}}


def document_operations(schema: dict) -> dict:
    """Sets the short operation ids and documents every error answer (see the module docstring)."""
    paths = schema.get("paths", {})
    seen: dict[str, str] = {}
    for path, methods in paths.items():
        for method, operation in methods.items():
            if _NINJA_DEFAULT_ID.match(operation.get("operationId", "")):
                operation["operationId"] = operation_id_for(path, method, paths)
            op_id = operation["operationId"]
            if op_id in seen:
                raise ImproperlyConfigured(
                    f"Two API operations get the id {op_id!r}: {seen[op_id]} and {method} {path}"
                )
            seen[op_id] = f"{method} {path}"
            responses = operation.setdefault("responses", {})
            statuses = {"400", "401"}
            names = {p.get("name") for p in operation.get("parameters", [])}
            if "{" in path:
                statuses.add("404")
            if operation.get("parameters") or operation.get("requestBody"):
                statuses.add("422")
            if "Idempotency-Key" in names:
                statuses |= {"409", "422"}
            for status in sorted(statuses):
                responses.setdefault(status, _error_response(status))
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault(
        "ErrorOut",
        {
            "title": "ErrorOut",
            "type": "object",
            "properties": {
                "message": {"title": "Message", "type": "string"},
                "errors": {
                    "title": "Errors",
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
            "required": ["message", "errors"],
        },
    )
    return schema
