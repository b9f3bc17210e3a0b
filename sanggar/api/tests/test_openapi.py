"""The OpenAPI document is generated, complete, and equal to the checked-in contract; the docs page is local only."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import CommandError, call_command

from sanggar.api.openapi import SNAPSHOT, openapi_text

pytestmark = pytest.mark.django_db

# The money path's contract: these endpoints must stay exactly as they are (other apps add theirs beside them).
EXPECTED = {
    "/api/v1/auth/register": {"post"},
    "/api/v1/auth/token": {"post"},
    "/api/v1/auth/refresh": {"post"},
    "/api/v1/me": {"get", "patch"},
    "/api/v1/me/access": {"get"},
    "/api/v1/me/membership": {"get"},
    "/api/v1/me/wallets": {"get"},
    "/api/v1/me/payouts": {"post"},
    "/api/v1/me/mentor-sales": {"get"},
    "/api/v1/notifications": {"get"},
    "/api/v1/notifications/read-all": {"post"},
    "/api/v1/notifications/{notification_id}/read": {"post"},
    "/api/v1/branding": {"get"},
    "/api/v1/plans": {"get"},
    "/api/v1/plans/{slug}": {"get"},
    "/api/v1/products": {"get"},
    "/api/v1/products/{slug}": {"get"},
    "/api/v1/orders": {"get", "post"},
    "/api/v1/orders/{invoice_number}": {"get"},
    "/api/v1/orders/{invoice_number}/pay": {"post"},
    "/api/v1/orders/{invoice_number}/proof": {"post"},
    "/api/v1/affiliate/links": {"get"},
    "/api/v1/affiliate/stats": {"get"},
    "/api/v1/affiliate/short-links": {"post"},
    "/api/v1/affiliate/short-links/check": {"get"},
    "/api/v1/admin/orders/{invoice_number}/mark-paid": {"post"},
    "/api/v1/admin/short-link-domains": {"post"},
    "/api/v1/admin/finance/summary": {"get"},
    "/api/v1/admin/payouts/{payout_id}/approve": {"post"},
    "/api/v1/admin/payouts/{payout_id}/reject": {"post"},
    "/api/v1/admin/memberships": {"get"},
    "/api/v1/admin/users/{user_id}/membership": {"post"},
    "/api/v1/admin/analytics/summary": {"get"},
    "/api/v1/chat/conversations": {"get", "post"},
    "/api/v1/chat/conversations/{conversation_id}/messages": {"get", "post"},
    "/api/v1/chat/conversations/{conversation_id}/read": {"post"},
    "/api/v1/chat/conversations/{conversation_id}/settings": {"post"},
    "/api/v1/chat/conversations/{conversation_id}/block": {"post"},
    "/api/v1/chat/conversations/{conversation_id}/report": {"post"},
    "/api/v1/chat/presence": {"get"},
    "/api/v1/documents": {"get"},
    "/api/v1/documents/{document_id}": {"get"},
    "/api/v1/documents/{document_id}/download": {"get"},
    "/api/v1/me/document-downloads": {"get"},
    "/api/v1/admin/documents/downloads": {"get"},
    "/api/v1/admin/documents/downloads/{log_id}/verify": {"post"},
    "/api/v1/tickets": {"get", "post"},
    "/api/v1/tickets/{ticket_id}": {"get"},
    "/api/v1/tickets/{ticket_id}/replies": {"post"},
    "/api/v1/support/tickets": {"get"},
    "/api/v1/support/tickets/{ticket_id}": {"get", "post"},
    "/api/v1/support/tickets/{ticket_id}/claim": {"post"},
    "/api/v1/support/tickets/{ticket_id}/replies": {"post"},
}
# Every write endpoint takes an Idempotency-Key, except these, which a retry cannot double.
NOT_IDEMPOTENT_BY_KEY = {
    ("/api/v1/auth/token", "post"),  # a retried login is harmless
    ("/api/v1/courses/{slug}/lessons/{lesson_id}/position", "post"),  # sets the last position: a replay sets it again
}


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_document_lists_every_endpoint(document):
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Sanggar API"
    listed = {path: set(methods) for path, methods in document["paths"].items()}
    for path, methods in EXPECTED.items():
        assert listed.get(path) == methods, path
    assert all(path.startswith("/api/v1/") for path in listed), sorted(listed)


def test_user_endpoints_need_a_bearer_token_and_public_ones_do_not(document):
    paths = document["paths"]
    assert document["components"]["securitySchemes"]["JWTAuth"] == {"type": "http", "scheme": "bearer"}
    for path, method in [("/api/v1/me", "get"), ("/api/v1/me", "patch"), ("/api/v1/notifications", "get")]:
        assert {"JWTAuth": []} in paths[path][method]["security"]
    for path, method in [("/api/v1/branding", "get"), ("/api/v1/auth/token", "post")]:
        assert {} in paths[path][method]["security"]


def test_api_key_documented_as_optional_or_required(client, settings):
    settings.API_REQUIRE_KEY = False
    optional = client.get("/api/v1/openapi.json").json()
    settings.API_REQUIRE_KEY = True
    required = client.get("/api/v1/openapi.json").json()

    assert optional["components"]["securitySchemes"]["ApiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
    }
    assert optional["paths"]["/api/v1/branding"]["get"]["security"] == [{}, {"ApiKey": []}]
    assert required["paths"]["/api/v1/branding"]["get"]["security"] == [{"ApiKey": []}]
    assert required["paths"]["/api/v1/me"]["get"]["security"] == [{"JWTAuth": [], "ApiKey": []}]


def test_write_endpoints_document_the_idempotency_key(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            names = [p["name"] for p in operation.get("parameters", [])]
            # DELETE is idempotent by HTTP's own rules: a replay finds nothing left to delete
            write = method in {"post", "put", "patch"} and (path, method) not in NOT_IDEMPOTENT_BY_KEY
            assert ("Idempotency-Key" in names) == write, (path, method)


def test_errors_are_documented_with_the_one_shape(document):
    error = document["components"]["schemas"]["ErrorOut"]
    assert set(error["properties"]) == {"message", "errors"}
    me_patch = document["paths"]["/api/v1/me"]["patch"]["responses"]
    for status in ("400", "401", "422"):
        assert me_patch[status]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}


def test_checked_in_contract_is_up_to_date():
    assert SNAPSHOT.read_text(encoding="utf-8") == openapi_text(), (
        "The API changed: run `manage.py api_schema` and review the diff of sanggar/api/openapi.json."
    )
    call_command("api_schema", "--check")


def test_check_command_fails_when_the_contract_is_stale(tmp_path, monkeypatch):
    stale = tmp_path / "openapi.json"
    stale.write_text("{}\n", encoding="utf-8")
    monkeypatch.setattr("sanggar.api.management.commands.api_schema.SNAPSHOT", stale)

    with pytest.raises(CommandError):
        call_command("api_schema", "--check")
    call_command("api_schema")
    call_command("api_schema", "--check")
    assert stale.read_text(encoding="utf-8") == openapi_text()


def test_docs_page_loads_nothing_from_another_host(client, settings):
    assert "ninja" in settings.INSTALLED_APPS  # without it ninja's docs page falls back to a CDN
    response = client.get("/api/v1/docs")
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)

    assert response.status_code == 200
    assert urls, html
    assert all(url.startswith("/static/ninja/") for url in urls), urls
    for url in urls:
        assert finders.find(url.removeprefix("/static/")), url
    assert '"validatorUrl": null' in html
    assert '"url": "/api/v1/openapi.json"' in html
    assert "cdn" not in html.lower()


def test_operation_ids_are_short_stable_and_unique(document):
    ids = {
        (path, method): operation["operationId"]
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }
    assert len(set(ids.values())) == len(ids)
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", op_id) and len(op_id) <= 40 for op_id in ids.values()), ids
    assert ids[("/api/v1/orders", "post")] == "orders_create"
    assert ids[("/api/v1/orders", "get")] == "orders_list"
    assert ids[("/api/v1/orders/{invoice_number}", "get")] == "orders_detail"
    assert ids[("/api/v1/orders/{invoice_number}/pay", "post")] == "orders_pay"
    assert ids[("/api/v1/plans/{slug}", "get")] == "plans_detail"
    assert ids[("/api/v1/me", "patch")] == "me_update"
    assert ids[("/api/v1/auth/token", "post")] == "auth_token"
    assert ids[("/api/v1/admin/payouts/{payout_id}/approve", "post")] == "admin_payouts_approve"
    assert all(
        len(operation.get("tags", [])) == 1 for methods in document["paths"].values() for operation in methods.values()
    )


def test_every_operation_documents_its_error_answers(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            expected = {"400", "401"} | ({"404"} if "{" in path else set())
            if operation.get("parameters") or operation.get("requestBody"):
                expected.add("422")
            if any(p["name"] == "Idempotency-Key" for p in operation.get("parameters", [])):
                expected |= {"409", "422"}
            assert expected <= set(responses), (method, path, sorted(responses))
            for status in expected:
                schema = responses[status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}
    assert "429" in document["paths"]["/api/v1/orders"]["post"]["responses"]


def test_each_schema_name_means_one_shape():
    """Two schema classes with one name would share one component: an answer would not match its document."""
    from sanggar.api.api import api

    names: dict[str, set] = {}

    def visit(annotation):
        if hasattr(annotation, "model_fields") and annotation.__name__ != "NinjaResponseSchema":  # ninja's wrapper
            known = names.setdefault(annotation.__name__, set())
            if annotation in known:
                return
            known.add(annotation)
        if hasattr(annotation, "model_fields"):
            for field in annotation.model_fields.values():
                visit(field.annotation)
        for argument in getattr(annotation, "__args__", ()):
            visit(argument)

    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.response_models.values():
                    visit(model)
    assert names
    assert all(len(classes) == 1 for classes in names.values()), {k: v for k, v in names.items() if len(v) > 1}
