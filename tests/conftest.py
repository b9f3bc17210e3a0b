"""Fixtures of the cross-app API tests: Django's WSGI application on the test database connection, and a small
catalog so that list and detail answers have something to show."""

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from sanggar.catalog import services as catalog_services
from sanggar.orders.tests.test_checkout import build_catalog, checkout_settings


@pytest.fixture
def wsgi_app(db):
    """As Django's test client does: the request_finished signal would otherwise close the connection that holds the
    test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def shop_catalog(settings, tmp_path, admin_user):
    """Silver, Gold (with a group and the ebook), Platinum, products with and without a quota, coupon HEMAT10."""
    checkout_settings(settings, tmp_path)
    catalog = build_catalog(admin_user)
    group = catalog_services.resource_placeholder_create(actor=admin_user, kind="group", title="Grup Eksportir")
    catalog_services.plan_content_set(
        plan=catalog.gold, actor=admin_user, resource_ids=[group.pk], product_ids=[catalog.ebook.pk]
    )
    return catalog
