"""A chat message's preview never shows in the admins' delivery log (issue 14): the chat kinds are registered
private, and the log's list, detail page and the Django admin show a placeholder instead of the text."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sanggar.api.testing import call
from sanggar.audit.models import ActivityLog
from sanggar.chat import services
from sanggar.chat.constants import NOTIFY_GROUP_MESSAGE, NOTIFY_MESSAGE
from sanggar.core.roles import Role
from sanggar.notifications.constants import PRIVATE_PLACEHOLDER
from sanggar.notifications.models import Delivery
from sanggar.notifications.registry import kind_is_private, private_kind_keys

pytestmark = pytest.mark.django_db

SECRET = "Nomor rekening pribadi saya 1234567890, jangan disebar"


def test_chat_kinds_are_registered_private():
    assert kind_is_private(NOTIFY_MESSAGE) and kind_is_private(NOTIFY_GROUP_MESSAGE)
    assert {NOTIFY_MESSAGE, NOTIFY_GROUP_MESSAGE} <= set(private_kind_keys())
    assert not kind_is_private("orders.payment_succeeded") and not kind_is_private("") and not kind_is_private("x")


@pytest.fixture
def chat_deliveries(mentor, student, django_capture_on_commit_callbacks):
    conversation, _created = services.conversation_open(user=mentor, other=student)
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(user=mentor, conversation_id=conversation.pk, body=SECRET)
    rows = list(Delivery.objects.filter(template_key=NOTIFY_MESSAGE))
    assert rows, "the offline student is told by email / push"
    assert any(SECRET[:40] in r.body for r in rows)  # what is sent still carries the preview
    # a provider echoing the text back is hidden too; its other answers stay
    Delivery.objects.filter(pk=rows[0].pk).update(response={"id": "abc-1", "echo": {"text": SECRET[:60]}})
    return rows


def test_delivery_log_list_and_detail_hide_the_message(admin_client, chat_deliveries):
    listing = admin_client.get("/admin/notifications/deliveries").content.decode()
    assert SECRET[:20] not in listing
    assert str(PRIVATE_PLACEHOLDER) in listing
    for delivery in chat_deliveries:
        page = admin_client.get(f"/admin/notifications/deliveries/{delivery.pk}").content.decode()
        assert SECRET[:20] not in page
        assert str(PRIVATE_PLACEHOLDER) in page
        assert 'id="delivery-private"' in page
    page = admin_client.get(f"/admin/notifications/deliveries/{chat_deliveries[0].pk}").content.decode()
    assert "abc-1" in page  # the provider's own fields are still shown


def test_other_kinds_still_show_their_text(admin_client, admin_user):
    delivery = Delivery.objects.create(
        channel="email", recipient="a@contoh.test", subject="Pembayaran berhasil", body="Invoice INV1 lunas",
        template_key="orders.payment_succeeded", status="logged", response={"echo": "Invoice INV1 lunas"},
    )  # fmt: skip
    page = admin_client.get(f"/admin/notifications/deliveries/{delivery.pk}").content.decode()
    assert "Invoice INV1 lunas" in page and str(PRIVATE_PLACEHOLDER) not in page


@pytest.mark.parametrize("roles", [(Role.ADMIN,), (Role.ADMIN, Role.MENTOR), (Role.ADMIN, Role.AFFILIATE)])
def test_every_admin_sees_the_placeholder(make_user, chat_deliveries, roles):
    client = Client()
    client.force_login(make_user(*roles))
    delivery = chat_deliveries[0]
    page = client.get(f"/admin/notifications/deliveries/{delivery.pk}").content.decode()
    assert SECRET[:20] not in page and str(PRIVATE_PLACEHOLDER) in page


def test_django_admin_hides_the_message_from_superusers(make_user, chat_deliveries):
    superuser = make_user(Role.ADMIN, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(superuser)
    delivery = chat_deliveries[0]
    response = client.get(f"/django-admin/notifications/delivery/{delivery.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert SECRET[:20] not in page and str(PRIVATE_PLACEHOLDER) in page
    notification = delivery.notification
    response = client.get(f"/django-admin/notifications/notification/{notification.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert SECRET[:20] not in page and str(PRIVATE_PLACEHOLDER) in page


def test_reading_the_log_writes_no_conversation_access(admin_client, chat_deliveries):
    """Nothing private is read, so there is nothing to audit: the log is not a way into a conversation."""
    before = ActivityLog.objects.count()
    admin_client.get(f"/admin/notifications/deliveries/{chat_deliveries[0].pk}")
    assert ActivityLog.objects.count() == before


# --- the admins' delivery log API --------------------------------------------------------------------------------


def test_api_list_and_detail_hide_the_message(client, admin_user, chat_deliveries):
    body = call(client, "get", "/admin/notifications/deliveries", user=admin_user).json()
    rows = [r for r in body["results"] if r["template_key"] == NOTIFY_MESSAGE]
    assert rows and all(r["private"] for r in rows)
    assert SECRET[:20] not in json.dumps(body)
    assert all(r["body"] == str(PRIVATE_PLACEHOLDER) for r in rows)
    for delivery in chat_deliveries:
        detail = call(client, "get", f"/admin/notifications/deliveries/{delivery.pk}", user=admin_user).json()
        assert SECRET[:20] not in json.dumps(detail)
        assert detail["private"] is True and detail["body"] == str(PRIVATE_PLACEHOLDER)
    detail = call(client, "get", f"/admin/notifications/deliveries/{chat_deliveries[0].pk}", user=admin_user).json()
    assert detail["response"]["id"] == "abc-1"


def test_api_shows_other_kinds_filters_and_refuses_non_admins(client, admin_user, make_user):
    delivery = Delivery.objects.create(
        channel="whatsapp", recipient="+6281100000001", subject="", body="Invoice INV1 lunas",
        template_key="orders.payment_succeeded", status="failed",
    )  # fmt: skip
    body = call(client, "get", "/admin/notifications/deliveries?channel=whatsapp&status=failed", user=admin_user)
    assert body.status_code == 200
    [row] = body.json()["results"]
    assert row["id"] == delivery.pk and row["body"] == "Invoice INV1 lunas" and row["private"] is False
    assert call(client, "get", "/admin/notifications/deliveries?q=0811", user=admin_user).json()["count"] == 1
    assert call(client, "get", "/admin/notifications/deliveries?channel=sms", user=admin_user).status_code == 422
    assert call(client, "get", "/admin/notifications/deliveries?page=0", user=admin_user).status_code == 422
    assert call(client, "get", "/admin/notifications/deliveries/999999", user=admin_user).status_code == 404
    for role in (Role.MENTOR, Role.AFFILIATE, Role.SUPPLIER):
        user = make_user(role)
        assert call(client, "get", "/admin/notifications/deliveries", user=user).status_code == 403
        assert call(client, "get", f"/admin/notifications/deliveries/{delivery.pk}", user=user).status_code == 403
    assert client.get("/api/v1/admin/notifications/deliveries").status_code == 401


def test_api_list_queries_do_not_grow(client, admin_user, make_user):
    def cost():
        with CaptureQueriesContext(connection) as ctx:
            assert call(client, "get", "/admin/notifications/deliveries", user=admin_user).status_code == 200
        return len(ctx.captured_queries)

    Delivery.objects.create(channel="email", recipient="a@contoh.test", user=make_user(), status="logged")
    cost()
    few = cost()
    for i in range(15):
        Delivery.objects.create(channel="email", recipient=f"a{i}@contoh.test", user=make_user(), status="logged")
    assert cost() == few
