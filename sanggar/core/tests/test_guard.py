"""The input guard: NUL and lone surrogates never reach PostgreSQL; JSON nesting is capped before parsing."""

import json

import pytest

from sanggar.api.testing import call
from sanggar.core.guard import json_depth_exceeded, json_loads_bounded

pytestmark = pytest.mark.django_db

ERROR_SHAPE = {"message", "errors"}


@pytest.mark.parametrize(
    "url",
    ["/api/v1/products?category=a%00b", "/api/v1/products/abc%00def", "/api/v1/plans?page=1&q%00=x"],
)
def test_api_refuses_nul_in_query_and_path_with_the_error_shape(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert set(response.json()) == ERROR_SHAPE
    assert "NUL" in response.json()["message"]


@pytest.mark.parametrize(
    "url", ["/s/abc%00def", "/produk?q=a%00b", "/admin/orders?q=a%00b", "/accounts/login/?next=%00"]
)
def test_pages_refuse_nul_with_a_page_message(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 400
    assert "karakter yang tidak diizinkan" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")


def test_json_body_with_nul_or_lone_surrogate_is_refused(client):
    for text in ("a\u0000b@x.id", "\ud800@x.id"):
        raw = json.dumps({"email": text, "password": "x"})  # JSON escapes: \\u0000, \\ud800
        response = call(client, "post", "/auth/token", raw=raw)
        assert response.status_code == 400, text
        assert response.json()["errors"] == {"body": [response.json()["message"]]}


def test_escaped_backslash_before_u0000_is_plain_text(client):
    raw = json.dumps({"email": "a\\u0000b@x.id", "password": "x"})
    assert call(client, "post", "/auth/token", raw=raw).status_code == 401


def test_form_fields_with_nul_are_refused(client):
    response = client.post("/accounts/login/", {"login": "a\x00b@x.id", "password": "x"})
    assert response.status_code == 400


def test_deep_json_is_refused_before_parsing(client, settings):
    settings.JSON_MAX_DEPTH = 32
    deep = "[" * 5000 + "]" * 5000
    response = call(client, "post", "/auth/token", raw=deep)
    assert response.status_code == 400
    assert "terlalu dalam" in response.json()["message"]
    assert call(client, "post", "/auth/token", raw="[" * 32 + "]" * 32).status_code == 422


def test_depth_counter_ignores_brackets_inside_strings():
    assert not json_depth_exceeded(b'{"a": "[[[[[[", "b": "\\"[[[["}', 2)
    assert json_depth_exceeded(b'{"a": [[1]]}', 2)
    with pytest.raises(ValueError):
        json_loads_bounded(b"[" * 100 + b"]" * 100, max_bytes=10_000, max_depth=10)
    with pytest.raises(ValueError):
        json_loads_bounded(b'"' + b"x" * 100 + b'"', max_bytes=50, max_depth=10)
    assert json_loads_bounded(b'{"a": [1]}', max_bytes=50, max_depth=10) == {"a": [1]}


def test_out_of_range_number_is_a_400_not_a_500(client):
    response = client.get("/api/v1/products?page=99999999999999999999999")
    assert response.status_code in (400, 422)
