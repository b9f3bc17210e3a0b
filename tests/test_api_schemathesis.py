"""Schemathesis against the published OpenAPI document, inside the test suite (PostgreSQL in CI): a bounded number
of generated requests per operation, anonymously and with an admin's token. Any 5xx, an undocumented status, a
wrong content type or an answer that does not match its schema fails the build."""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sanggar.api.tokens import token_pair_issue

pytestmark = pytest.mark.django_db
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# A few examples per operation and caller keep the whole run to a minute or two on a CI machine.
BOUNDED = settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30
    return operations


def _fuzz(operations, headers: dict) -> None:
    for operation in operations:

        @BOUNDED
        @given(case=operation.as_strategy())
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        run()


def test_api_conforms_anonymously(wsgi_app, shop_catalog):
    _fuzz(_operations(wsgi_app), headers={})


def test_api_conforms_for_an_admin(wsgi_app, shop_catalog, admin_user):
    token = token_pair_issue(user=admin_user).access
    _fuzz(_operations(wsgi_app), headers={"Authorization": f"Bearer {token}"})
