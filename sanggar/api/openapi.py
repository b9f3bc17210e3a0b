"""The OpenAPI document as the checked-in contract: `sanggar/api/openapi.json` must equal the generated one.

`manage.py api_schema` rewrites the file after a deliberate API change; `manage.py api_schema --check` (and the
test suite) fails when the API changed without it, so every contract change shows up in review."""

import json
from pathlib import Path

from ninja import NinjaAPI

SNAPSHOT = Path(__file__).with_name("openapi.json")


def openapi_document() -> dict:
    """The document as published with the default settings (API key optional), independent of the environment."""
    from .api import api, document_api_key
    from .contract import document_operations

    schema = document_operations(document_api_key(NinjaAPI.get_openapi_schema(api), required=False))
    return json.loads(json.dumps(schema, default=str))


def openapi_text() -> str:
    return json.dumps(openapi_document(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
