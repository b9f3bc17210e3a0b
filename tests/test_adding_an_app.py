"""The "Adding an app" guide's example (`tests/example_app/`) is picked up without editing any file outside it.

The test installs the app the way a deployment would (INSTALLED_APPS, here through `override_settings`, which makes
Django run every app's `ready()` again with it present) and checks each registration: menu item, page, API route,
resource kind (with the check it adds to the policy), sellable kind, audit action and notification kind (its template
row and its message). Afterwards its entries are taken out of the registries again so other tests see the house as it
is."""

import sys

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import clear_url_caches
from ninja.testing import TestClient

from sanggar.access import kinds as access_kinds
from sanggar.access.policy import access_check
from sanggar.access.services import resource_ensure
from sanggar.api.discovery import app_routers
from sanggar.audit import registry as audit_registry
from sanggar.audit.services import activity_record
from sanggar.core.menu import items_for_role, menu_for, menu_item_remove
from sanggar.core.roles import Role
from sanggar.notifications import registry as notification_registry
from sanggar.notifications.models import MessageTemplate
from sanggar.notifications.services import message_templates_sync, notify
from sanggar.orders import sellables
from sanggar.orders.services import ItemRequest, order_price

pytestmark = pytest.mark.django_db

EXAMPLE = "tests.example_app"


def _forget_example_modules():
    """So a later install imports (and registers) them again, as a fresh start-up would."""
    for name in [name for name in sys.modules if name.startswith(EXAMPLE)]:
        del sys.modules[name]


@pytest.fixture
def example_app():
    _forget_example_modules()
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, EXAMPLE]):
        clear_url_caches()
        with override_settings(ROOT_URLCONF="tests.example_app.site_urls"):
            yield
    clear_url_caches()
    menu_item_remove("example_tickets:list")
    access_kinds.resource_kind_unregister("example_room")
    sellables._KINDS.unregister("exticket")
    audit_registry._ACTIONS.pop("example.ticket_checked_in", None)
    notification_registry._KINDS.pop("example.ticket_ready", None)
    _forget_example_modules()


def test_not_there_before_it_is_installed():
    assert "example_tickets:list" not in {item.url_name for item in items_for_role(Role.ADMIN)}
    assert access_kinds.resource_kind("example_room") is None
    assert sellables.sellable_kind("exticket") is None
    assert not notification_registry.kind_exists("example.ticket_ready")


def test_menu_item_and_page(example_app, admin_client):
    assert "example_tickets:list" in {item.url_name for item in items_for_role(Role.ADMIN)}
    tools = next(section for section in menu_for(Role.ADMIN, "/tiket-contoh") if section.title == "Alat")
    assert [item.label for item in tools.items if item.active] == ["Tiket Acara"]
    response = admin_client.get("/tiket-contoh")
    assert (response.status_code, response.content) == (200, b"Tiket Acara")


def test_api_route(example_app):
    routers = app_routers()
    from tests.example_app.api import router

    assert router in routers
    response = TestClient(router).get("/example-tickets")
    assert response.json() == [{"code": "VIP", "price": 150_000}]


def test_resource_kind_and_its_policy_check(example_app, member_user):
    entry = access_kinds.resource_kind("example_room")
    assert (entry.label, entry.unlock) == ("Ruang Acara", "Beli tiket acaranya")
    assert ("example_room", "Ruang Acara") in access_kinds.resource_kind_choices()
    closed = resource_ensure(kind="example_room", key="closed-hall", title="Aula")
    decision = access_check(user=member_user, resource=closed)
    assert (decision.allowed, decision.message) == (False, "Ruang acara ini ditutup.")
    open_room = resource_ensure(kind="example_room", key="hall", title="Aula 2")
    assert (
        access_check(user=member_user, resource=open_room).reason != closed
        and not access_check(user=member_user, resource=open_room).allowed
    )  # no grant yet: the usual rules decide


def test_sellable_kind(example_app):
    kind = sellables.sellable_kind("exticket")
    order = [k.kind for k in sellables.sellable_kinds()]
    assert order.index("exticket") > max(order.index("plan"), order.index("product"))  # after plan and product
    assert sellables.commission_rule_for(type("Item", (), {"kind": "exticket"})()) == ("percent", 10)
    quote = order_price(buyer=None, items=[ItemRequest("exticket", "vip")], strict=False)
    assert (quote.total, quote.lines[0].title, kind.label) == (150_000, "Tiket VIP", "Tiket Acara")


def test_audit_action(example_app, admin_user):
    assert audit_registry.action_label("example.ticket_checked_in") == "Tiket dipindai di pintu masuk"
    row = activity_record(action="example.ticket_checked_in", actor=admin_user, target=admin_user)
    assert row.action == "example.ticket_checked_in"


def test_notification_kind(example_app, member_user, django_capture_on_commit_callbacks):
    kind = notification_registry.kind_get("example.ticket_ready")
    assert (kind.label, kind.group) == ("Tiket siap", "event")
    assert message_templates_sync() == 1  # its editable template row, with no migration
    assert MessageTemplate.objects.get(key="example.ticket_ready").inapp_title == "Tiket {code} Anda siap"
    with django_capture_on_commit_callbacks(execute=False):
        notification = notify(user=member_user, kind="example.ticket_ready", context={"code": "VIP"})
    assert (notification.kind, notification.title) == ("event", "Tiket VIP Anda siap")
