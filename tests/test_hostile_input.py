"""Hostile input to every URL pattern and every API operation, discovered (the URL resolver, the OpenAPI document),
not listed by hand: NUL characters, overlong text, deeply nested JSON and wrongly typed values, anonymously and as an
admin. The platform answers with 4xx (or a normal page), never a 5xx."""

import json
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.http import urlencode

from sanggar.api.openapi import openapi_document
from sanggar.api.tokens import token_pair_issue

pytestmark = pytest.mark.django_db

NUL = "a\x00b"
JSON = "application/json"
LONG = "x" * 5000
DEEP = "[" * 3000 + "]" * 3000
NESTED_OBJECT = '{"a": ' * 200 + "1" + "}" * 200
# URL patterns whose requests are not the platform's own code (static files, Django's own admin site's catch-all).
SKIP = re.compile(r"^(static/|media/)")


def _route(pattern) -> str:
    return str(pattern.pattern)


def _walk(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + _route(pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def _concrete(route: str, value: str) -> str | None:
    """A request path for a route, every parameter replaced by `value` (ints by 1). None for regex-only routes."""
    route = route.lstrip("^").rstrip("$").replace("\\Z", "")
    if "(?P<" in route or "\\" in route or "(" in route:
        return None

    def fill(match):
        converter = match.group(1) or "str"
        return "1" if converter == "int" else value

    return "/" + re.sub(r"<(?:(\w+):)?\w+>", fill, route)


def _page_urls() -> list[str]:
    urls = set()
    for route in _walk(get_resolver().url_patterns):
        if route.startswith("api/v1/") or SKIP.match(route):
            continue  # the API is covered operation by operation below
        for value in ("abc%00def", LONG[:300], "1"):
            url = _concrete(route, value)
            if url is not None:
                urls.add(url)
    return sorted(urls)


def _assert_no_5xx(responses):
    broken = [(method, url[:120], status) for method, url, status in responses if status >= 500]
    assert not broken, broken


def _hit_pages(client, urls):
    client.raise_request_exception = False
    answers = []
    for url in urls:
        for method, kwargs in (
            ("get", {"data": {"q": NUL, "page": "abc", "status": LONG}}),
            ("post", {"data": {"q": NUL, "title": LONG, "amount": "abc", "email": NUL}}),
            ("post", {"data": DEEP, "content_type": "application/json"}),
            (
                "post",
                {"data": json.dumps({"items": "x", "amount": [1], "email": NUL}), "content_type": "application/json"},
            ),
        ):
            response = getattr(client, method)(url, **kwargs)
            answers.append((method, url, response.status_code))
    return answers


@pytest.fixture(scope="module")
def page_urls():
    return _page_urls()


def test_every_page_url_survives_hostile_input_anonymously(client, page_urls, shop_catalog):
    assert len(page_urls) > 50
    _assert_no_5xx(_hit_pages(client, page_urls))


def test_every_page_url_survives_hostile_input_as_an_admin(client, page_urls, admin_user, shop_catalog):
    client.force_login(admin_user)
    answers = []
    for url in page_urls:
        client.force_login(admin_user)  # a logout URL on the list must not turn the rest into anonymous requests
        answers += _hit_pages(client, [url])
    _assert_no_5xx(answers)


def _wrong(schema: dict):
    """A value of the wrong type for a JSON schema property."""
    kind = schema.get("type")
    return {"string": [[NUL]], "integer": "banyak", "number": {"x": 1}, "boolean": "mungkin", "array": NUL}.get(
        kind, 10**30
    )


def _api_requests(document: dict):
    components = document["components"]["schemas"]
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            parameters = operation.get("parameters", [])
            for value in ("abc%00def", LONG[:400], "99999999999999999999999"):
                url = re.sub(r"\{[^}]+\}", value, path)
                query = {p["name"]: NUL for p in parameters if p["in"] == "query"}
                overlong = {p["name"]: LONG for p in parameters if p["in"] == "query"}
                typed = {p["name"]: "[]" for p in parameters if p["in"] == "query"}
                yield method, url, {"query": query}
                yield method, url, {"query": overlong}
                yield method, url, {"query": typed}
            if method in ("post", "patch", "put"):
                ref = (
                    operation.get("requestBody", {})
                    .get("content", {})
                    .get("application/json", {})
                    .get("schema", {})
                    .get("$ref", "")
                )
                properties = components.get(ref.rsplit("/", 1)[-1], {}).get("properties", {})
                url = re.sub(r"\{[^}]+\}", "1", path)
                yield method, url, {"raw": DEEP}
                yield method, url, {"raw": NESTED_OBJECT}
                yield method, url, {"raw": json.dumps({name: _wrong(prop) for name, prop in properties.items()})}
                yield method, url, {"raw": json.dumps(dict.fromkeys(properties, NUL))}
                yield method, url, {"raw": json.dumps(dict.fromkeys(properties, LONG))}


def _hit_api(client, headers: dict):
    client.raise_request_exception = False
    answers = []
    for method, url, request in _api_requests(openapi_document()):
        send = getattr(client, method)
        if "raw" in request:
            response = send(url, data=request["raw"], content_type="application/json", headers=headers)
        elif method == "get":
            response = send(url, request["query"], headers=headers)
        else:
            response = send(url + "?" + urlencode(request["query"]), headers=headers)
        answers.append((method, url, response.status_code))
        if 400 <= response.status_code < 500:
            assert set(response.json()) == {"message", "errors"}, (method, url, response.content[:300])
    return answers


def test_every_api_operation_survives_hostile_input_anonymously(client, shop_catalog):
    _assert_no_5xx(_hit_api(client, {}))


def test_every_api_operation_survives_hostile_input_as_an_admin(client, admin_user, shop_catalog):
    token = token_pair_issue(user=admin_user).access
    _assert_no_5xx(_hit_api(client, {"Authorization": f"Bearer {token}"}))
