from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.core.exceptions import NotFound
from sanggar.notifications import notifications as groups
from sanggar.notifications import selectors
from sanggar.notifications.constants import Channel, DeliveryStatus
from sanggar.notifications.models import Delivery, MessageTemplate, Notification
from sanggar.notifications.registry import kind_get, kinds

pytestmark = pytest.mark.django_db


def test_notification_list_and_unread_count(make_user):
    user, other = make_user(), make_user()
    chat = Notification.objects.create(user=user, kind=groups.CHAT, title="chat")
    event = Notification.objects.create(user=user, kind=groups.EVENT, title="event", read_at=timezone.now())
    Notification.objects.create(user=other, kind=groups.CHAT, title="lain")
    assert list(selectors.notification_list(user=user)) == [event, chat]
    assert list(selectors.notification_list(user=user, kind="chat")) == [chat]
    assert list(selectors.notification_list(user=user, unread=True)) == [chat]
    assert list(selectors.notification_list(user=user, kind="nope")) == [event, chat]
    assert selectors.unread_count(user=user) == 1
    assert selectors.notification_latest(user=user, limit=1) == [event]


def test_delivery_status_counts_only_counts_the_period():
    old = Delivery.objects.create(channel=Channel.EMAIL, status=DeliveryStatus.SENT)
    Delivery.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    Delivery.objects.create(channel=Channel.EMAIL, status=DeliveryStatus.SENT)
    Delivery.objects.create(channel=Channel.PUSH, status=DeliveryStatus.FAILED)
    counts = selectors.delivery_status_counts(since=timezone.now() - timedelta(days=7))
    assert counts == {"queued": 0, "sent": 1, "logged": 0, "skipped": 0, "failed": 1}


def test_message_template_list_keeps_a_fixed_order_and_falls_back_to_defaults():
    MessageTemplate.objects.filter(key="password_reset").delete()
    templates = selectors.message_template_list()
    # One per registered kind, in the registry's fixed order (group, then label), the same on every call.
    assert [t.key for t in templates] == [kind.key for kind in kinds()]
    assert [t.key for t in selectors.message_template_list()] == [t.key for t in templates]
    reset = next(t for t in templates if t.key == "password_reset")
    assert reset.pk is None
    assert reset.email_subject == "Reset kata sandi akun {platform_name}"
    system = selectors.message_template_list(group="system")
    assert {"welcome", "email_verification", "password_reset", "account_deactivated"} <= {t.key for t in system}
    assert all(kind_get(t.key).group == "system" for t in system)
    assert [t.key for t in selectors.message_template_list(q="reset kata")] == ["password_reset"]


def test_message_template_get_unknown_key():
    with pytest.raises(NotFound):
        selectors.message_template_get(key="weekly_digest")


def test_delivery_get_missing():
    with pytest.raises(NotFound):
        selectors.delivery_get(delivery_id=123456)
