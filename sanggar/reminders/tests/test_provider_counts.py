"""Provider-confirmed numbers (REM-D3, 5.8) beside sent / opened / clicked / converted: per step and per channel of
a reminder's analytics (page and API), and the global dashboard (page and API) covering broadcasts too — sent,
failed, confirmed, opened and clicked per broadcast and per channel — in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.notifications.models import Delivery, Notification
from sanggar.reminders import analytics, dashboard, services
from sanggar.reminders.models import Broadcast, BroadcastRecipient, ReminderSend


def _notification(user, deliveries):
    n = Notification.objects.create(user=user, title="x")
    now = timezone.now()
    for channel, status, confirmed in deliveries:
        Delivery.objects.create(
            notification=n,
            user=user,
            channel=channel,
            status=status,
            delivered_at=now if confirmed else None,
            provider_status="delivered" if confirmed else "",
        )
    return n


@pytest.fixture
def steps(admin_user):
    seq = services.sequence_save(actor=admin_user, name="Perpanjang", trigger="after_purchase")
    first = services.step_save(
        actor=admin_user, sequence=seq, delay_amount=0, channels=["whatsapp"], subject="Satu", body="a"
    )
    second = services.step_save(
        actor=admin_user, sequence=seq, delay_amount=1, channels=["push"], subject="Dua", body="b"
    )
    return seq, first, second


def test_step_and_channel_rows_carry_provider_confirmation(
    admin_user, make_user, steps, client, django_assert_num_queries
):
    seq, first, second = steps
    users = [make_user() for _ in range(3)]
    # step 1: three WhatsApp messages handed over, two confirmed by Fonnte, one failed at send
    wa = [("whatsapp", "sent", True), ("whatsapp", "sent", True), ("whatsapp", "failed", False)]
    for i, (user, delivery) in enumerate(zip(users, wa, strict=True)):
        ReminderSend.objects.create(
            step=first, user=user, object_key=f"a{i}", notification=_notification(user, [delivery])
        )
    # step 2: one push, confirmed by OneSignal
    ReminderSend.objects.create(
        step=second,
        user=users[0],
        object_key="b",
        notification=_notification(users[0], [("push", "sent", True)]),
        opened_at=timezone.now(),
    )
    a = analytics.sequence_analytics(sequence=seq)
    rows = {r["step_id"]: r for r in a["steps"]}
    assert {k: rows[first.pk][k] for k in ("sent", "delivered", "confirmed", "failed", "confirmed_rate")} == {
        "sent": 3,
        "delivered": 2,
        "confirmed": 2,
        "failed": 1,
        "confirmed_rate": 100,
    }
    assert {k: rows[second.pk][k] for k in ("sent", "delivered", "confirmed", "failed", "opened")} == {
        "sent": 1,
        "delivered": 1,
        "confirmed": 1,
        "failed": 0,
        "opened": 1,
    }
    channels = {c["channel"]: c for c in a["channels"]}
    assert channels["whatsapp"]["confirmed"] == 2 and channels["whatsapp"]["failed"] == 1
    assert channels["push"]["confirmed"] == 1
    client.force_login(admin_user)
    html = client.get(reverse("reminders:sequence_analytics", args=[seq.pk])).content.decode()
    assert f'data-step-row="{first.pk}"' in html and "Dikonfirmasi penyedia" in html
    body = call(client, "get", f"/admin/reminders/{seq.pk}/analytics", user=admin_user).json()
    api_steps = {s["step"]: s for s in body["steps"]}
    assert api_steps[first.pk]["confirmed"] == 2 and api_steps[first.pk]["failed"] == 1
    assert {c["channel"]: c["confirmed"] for c in body["channels"]}["whatsapp"] == 2


def test_step_analytics_queries_do_not_grow(admin_user, make_user, steps, django_assert_num_queries):
    seq, first, second = steps
    user = make_user()
    ReminderSend.objects.create(
        step=first, user=user, object_key="x", notification=_notification(user, [("whatsapp", "sent", True)])
    )
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        analytics.sequence_analytics(sequence=seq)
    for i in range(10):
        u = make_user()
        ReminderSend.objects.create(
            step=second, user=u, object_key=f"y{i}", notification=_notification(u, [("push", "failed", False)])
        )
    with CaptureQueriesContext(connection) as many:
        analytics.sequence_analytics(sequence=seq)
    assert len(few) == len(many) <= 8


def _broadcast(admin, title, channels=("email", "whatsapp")):
    return Broadcast.objects.create(
        title=title, subject=title, body="Isi", channels=list(channels), status="sent", created_by=admin
    )


@pytest.fixture
def broadcasts(admin_user, make_user):
    users = [make_user() for _ in range(4)]
    webinar = _broadcast(admin_user, "Info webinar")
    promo = _broadcast(admin_user, "Promo Lebaran", channels=("push",))
    now = timezone.now()
    # webinar: 3 sent (email ok, ok, failed; WhatsApp confirmed for the first), 1 skipped; 2 opened, 1 clicked
    plan = [
        (users[0], [("email", "sent", False), ("whatsapp", "sent", True)], now, now),
        (users[1], [("email", "logged", False), ("whatsapp", "sent", False)], now, None),
        (users[2], [("email", "failed", False), ("whatsapp", "failed", False)], None, None),
    ]
    for user, deliveries, opened, clicked in plan:
        BroadcastRecipient.objects.create(
            broadcast=webinar,
            user=user,
            notification=_notification(user, deliveries),
            opened_at=opened,
            clicked_at=clicked,
        )
    BroadcastRecipient.objects.create(broadcast=webinar, user=users[3], status="skipped")
    # promo: 2 pushes, both confirmed by OneSignal, one tapped
    for user, clicked in ((users[0], now), (users[1], None)):
        BroadcastRecipient.objects.create(
            broadcast=promo, user=user, notification=_notification(user, [("push", "sent", True)]), clicked_at=clicked
        )
    # an old broadcast, outside 30 days
    old = _broadcast(admin_user, "Lama")
    r = BroadcastRecipient.objects.create(
        broadcast=old, user=users[0], notification=_notification(users[0], [("email", "sent", False)])
    )
    BroadcastRecipient.objects.filter(pk=r.pk).update(created_at=now - timedelta(days=40))
    return {"webinar": webinar, "promo": promo, "old": old, "users": users}


def test_dashboard_covers_broadcasts_in_a_fixed_number_of_queries(admin_user, broadcasts, django_assert_num_queries):
    assert dashboard.QUERIES == 8
    with django_assert_num_queries(dashboard.QUERIES):
        d = dashboard.reminders_dashboard(days=30)
    b = d["broadcasts"]
    items = {r["id"]: r for r in b["items"]}
    assert broadcasts["old"].pk not in items and [r["id"] for r in b["items"]][0] == broadcasts["promo"].pk
    webinar = items[broadcasts["webinar"].pk]
    assert {
        k: webinar[k]
        for k in ("recipients", "sent", "skipped", "delivered", "confirmed", "failed", "opened", "clicked")
    } == {
        "recipients": 4,
        "sent": 3,
        "skipped": 1,
        "delivered": 4,
        "confirmed": 1,
        "failed": 2,
        "opened": 2,
        "clicked": 1,
    }
    assert webinar["open_rate"] == 67 and webinar["click_rate"] == 33
    promo = items[broadcasts["promo"].pk]
    assert (promo["sent"], promo["confirmed"], promo["clicked"], promo["failed"]) == (2, 2, 1, 0)
    channels = {c["channel"]: c for c in b["channels"]}
    assert (channels["email"]["delivered"], channels["email"]["failed"], channels["email"]["success_rate"]) == (
        2,
        1,
        67,
    )
    assert (channels["whatsapp"]["confirmed"], channels["whatsapp"]["failed"]) == (1, 1)
    assert channels["push"]["confirmed"] == 2 and channels["in_app"]["delivered"] == 5
    assert b["totals"]["broadcasts"] == 2 and b["totals"]["sent"] == 5 and b["totals"]["failed"] == 2
    assert b["totals"]["clicked"] == 2 and b["totals"]["clicked_rate"] == 40
    # more broadcasts, same number of queries
    for i in range(5):
        extra = _broadcast(admin_user, f"Tambahan {i}")
        u = broadcasts["users"][i % 4]
        BroadcastRecipient.objects.create(
            broadcast=extra, user=u, notification=_notification(u, [("email", "sent", False)])
        )
    with django_assert_num_queries(dashboard.QUERIES):
        assert dashboard.reminders_dashboard(days=30)["broadcasts"]["totals"]["broadcasts"] == 7


def test_dashboard_page_and_api_show_broadcasts(client, admin_user, member_user, broadcasts):
    client.force_login(admin_user)
    html = client.get(reverse("reminders:dashboard")).content.decode()
    assert 'id="dashboard-broadcasts"' in html and "Info webinar" in html and "Promo Lebaran" in html
    assert f'data-broadcast="{broadcasts["webinar"].pk}"' in html and "Lama" not in html
    body = call(client, "get", "/admin/reminders/dashboard?days=30", user=admin_user).json()
    items = {r["id"]: r for r in body["broadcasts"]["items"]}
    assert items[broadcasts["webinar"].pk]["failed"] == 2 and items[broadcasts["promo"].pk]["confirmed"] == 2
    assert {c["channel"]: c["confirmed"] for c in body["broadcasts"]["channels"]}["push"] == 2
    assert body["broadcasts"]["totals"]["broadcasts"] == 2
    assert (
        call(client, "get", "/admin/reminders/dashboard?days=90", user=admin_user).json()["broadcasts"]["totals"][
            "broadcasts"
        ]
        == 3
    )
    assert call(client, "get", "/admin/reminders/dashboard", user=member_user).status_code == 403
