from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.core.exceptions import NotFound
from sanggar.notifications import selectors
from sanggar.notifications.constants import Channel, DeliveryStatus, NotificationKind
from sanggar.notifications.models import Delivery, MessageTemplate, Notification

pytestmark = pytest.mark.django_db


def test_notification_list_and_unread_count(make_user):
    user, other = make_user(), make_user()
    chat = Notification.objects.create(user=user, kind=NotificationKind.CHAT, title="chat")
    event = Notification.objects.create(user=user, kind=NotificationKind.EVENT, title="event", read_at=timezone.now())
    Notification.objects.create(user=other, kind=NotificationKind.CHAT, title="lain")
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
    assert [t.key for t in templates] == ["welcome", "email_verification", "password_reset", "account_deactivated"]
    assert templates[2].pk is None
    assert templates[2].email_subject == "Reset kata sandi akun {platform_name}"


def test_message_template_get_unknown_key():
    with pytest.raises(NotFound):
        selectors.message_template_get(key="weekly_digest")


def test_delivery_get_missing():
    with pytest.raises(NotFound):
        selectors.delivery_get(delivery_id=123456)
