"""The global reminder dashboard (REM-P5), page and API, from real send and delivery rows: success rate per channel,
the best reminder (a 1-of-1 reminder does not win), the best hour and day to send (WIB), heatmap cell counts, the
period filter, a fixed number of queries, admins only."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.notifications.models import Delivery, Notification
from sanggar.reminders import dashboard, services
from sanggar.reminders.models import ReminderSend

# Monday = 0 … Sunday = 6
TUE, WED, THU, FRI = 1, 2, 3, 4


def _last(weekday: int, hour: int, minute: int, now):
    """The latest moment before `now` that is `weekday` at hour:minute WIB (within the last 7 days)."""
    local = timezone.localtime(now, dashboard.WIB)
    moment = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    moment -= timedelta(days=(local.weekday() - weekday) % 7)
    if moment >= local:
        moment -= timedelta(days=7)
    return moment


def _sequence(admin, name):
    seq = services.sequence_save(actor=admin, name=name, trigger="after_purchase", stop_on="paid")
    return services.step_save(
        actor=admin, sequence=seq, delay_amount=0, channels=["in_app", "email"], subject=name, body="Isi"
    )


def _send(step, user, created_at, *, key, status="sent", deliveries=(), **fields):
    notification = None
    if status == "sent":
        notification = Notification.objects.create(user=user, title=step.subject)
        for channel, delivery_status in deliveries:
            Delivery.objects.create(notification=notification, user=user, channel=channel, status=delivery_status)
    send = ReminderSend.objects.create(
        step=step, user=user, object_key=key, status=status, notification=notification, **fields
    )
    ReminderSend.objects.filter(pk=send.pk).update(created_at=created_at)
    return send


@pytest.fixture
def rows(admin_user, make_user):
    """Three reminders over the last week, one older send, and a delivery that is no reminder's."""
    now = timezone.now()
    tue_9 = _last(TUE, 9, 15, now)
    thu_20 = _last(THU, 20, 10, now)
    wed_8 = _last(WED, 8, 5, now)
    wed_19 = _last(WED, 19, 0, now)
    fri_21 = _last(FRI, 21, 0, now)
    users = [make_user() for _ in range(4)]
    emas = _sequence(admin_user, "Perpanjang Emas")
    kelas = _sequence(admin_user, "Ajakan kelas")
    promo = _sequence(admin_user, "Promo akhir pekan")
    # "Perpanjang Emas": 4 sent Tuesday 09:15 WIB (2 converted, 1 clicked, 2 opened) + 1 failed; emails 3 ok, 1 failed
    _send(emas, users[0], tue_9, key="a0", deliveries=[("email", "sent")], opened_at=wed_8, clicked_at=wed_8,
          converted_at=wed_8)  # fmt: skip
    _send(emas, users[1], tue_9, key="a1", deliveries=[("email", "sent")], opened_at=wed_8 + timedelta(minutes=25),
          converted_at=wed_8)  # fmt: skip
    _send(emas, users[2], tue_9, key="a2", deliveries=[("email", "sent")])
    _send(emas, users[3], tue_9, key="a3", deliveries=[("email", "failed")])
    _send(emas, users[0], tue_9, key="a4", status="failed")
    # "Ajakan kelas": 1 of 1 converted and clicked (below the minimum: never the best), Tuesday 09:15
    _send(kelas, users[0], tue_9, key="b0", opened_at=wed_19, clicked_at=wed_19, converted_at=wed_19)
    # ... and one older send, 40 days ago (only in the 90-day period)
    _send(kelas, users[1], now - timedelta(days=40), key="b1", deliveries=[("email", "sent")], converted_at=now)
    # "Promo akhir pekan": 4 sent on Thursday 20:10 WIB, 2 converted, 3 clicked (Friday 21:00); WhatsApp sent, logged,
    # failed, queued
    for i, (delivery, clicked, converted) in enumerate(
        [("sent", True, True), ("logged", True, True), ("failed", True, False), ("queued", False, False)]
    ):
        _send(
            promo,
            users[i],
            thu_20,
            key=f"c{i}",
            deliveries=[("whatsapp", delivery)],
            clicked_at=fri_21 if clicked else None,
            converted_at=fri_21 if converted else None,
        )
    # a failed email that is no reminder's
    Delivery.objects.create(user=users[0], channel="email", status="failed")
    return {"emas": emas.sequence, "kelas": kelas.sequence, "promo": promo.sequence}


@override_settings(REMINDERS_DASHBOARD_MIN_SENT=3)
def test_numbers_from_real_rows_in_a_fixed_number_of_queries(rows, django_assert_num_queries):
    with django_assert_num_queries(dashboard.QUERIES):
        d = dashboard.reminders_dashboard(days=30)
    channels = {c["channel"]: c for c in d["channels"]}
    assert [c["channel"] for c in d["channels"]] == ["email", "whatsapp", "push", "in_app"]
    assert channels["email"] == {**channels["email"], "total": 4, "delivered": 3, "failed": 1, "success_rate": 75}
    assert channels["whatsapp"] == {
        **channels["whatsapp"],
        "total": 4,
        "delivered": 2,
        "failed": 1,
        "pending": 1,
        "success_rate": 67,
    }
    assert channels["push"]["total"] == 0 and channels["push"]["success_rate"] == 0
    assert channels["in_app"] == {**channels["in_app"], "total": 10, "delivered": 9, "failed": 1, "success_rate": 90}
    assert d["totals"] == {
        **d["totals"],
        "sent": 9,
        "failed": 1,
        "opened": 3,
        "clicked": 5,
        "converted": 5,
    }

    # Emas and Promo both convert 50%; Promo clicks 75% against 25%; Ajakan kelas (1 of 1, 100%) is below the minimum.
    assert d["best_reminder"]["id"] == rows["promo"].pk
    assert d["best_reminder"]["conversion_rate"] == 50 and d["best_reminder"]["click_rate"] == 75
    kelas = next(s for s in d["sequences"] if s["id"] == rows["kelas"].pk)
    assert kelas["conversion_rate"] == 100 and kelas["sent"] == 1

    # Sent at 09 WIB: 5, engaged 3 (60%); at 20 WIB: 4, engaged 3 (75%) → 20:00 and Thursday.
    assert d["hours"][9] == {"hour": 9, "sent": 5, "engaged": 3, "rate": 60}
    assert d["hours"][20] == {"hour": 20, "sent": 4, "engaged": 3, "rate": 75}
    assert d["best_hour"]["hour"] == 20
    assert d["week_days"][TUE]["sent"] == 5 and d["best_day"]["day"] == THU and d["best_day"]["label"] == "Kamis"

    # Heatmap of opened + clicked moments (WIB): Wednesday 08 → 3, Wednesday 19 → 2, Friday 21 → 3.
    cells = {
        (row["day"], cell["hour"]): cell["n"] for row in d["heatmap"]["rows"] for cell in row["cells"] if cell["n"]
    }
    assert cells == {(WED, 8): 3, (WED, 19): 2, (FRI, 21): 3}
    assert d["heatmap"]["total"] == 8 and d["heatmap"]["top"] == 3


@override_settings(REMINDERS_DASHBOARD_MIN_SENT=3)
def test_period_and_minimum(rows):
    assert dashboard.reminders_dashboard(days=90)["totals"]["sent"] == 10
    # with a minimum of 5 sends, no reminder, hour or day qualifies
    d = dashboard.reminders_dashboard(days=30, min_sent=5)
    assert d["best_reminder"] is None and d["best_day"]["day"] == TUE and d["best_hour"]["hour"] == 9
    empty = dashboard.reminders_dashboard(days=7, now=timezone.now() - timedelta(days=60))
    assert empty["totals"]["sent"] == 0 and empty["best_reminder"] is None and empty["best_hour"] is None
    assert empty["heatmap"]["total"] == 0 and all(c["success_rate"] == 0 for c in empty["channels"])
    assert dashboard.parse_period("90") == 90 and dashboard.parse_period("5") == 30
    assert dashboard.parse_period("x'; drop") == 30 and dashboard.parse_period(None) == 30


@override_settings(REMINDERS_DASHBOARD_MIN_SENT=3)
def test_page_shows_the_numbers(client, admin_user, rows, django_assert_max_num_queries):
    client.force_login(admin_user)
    url = reverse("reminders:dashboard")
    assert url == "/admin/pengingat/dasbor"
    with django_assert_max_num_queries(dashboard.QUERIES + 12):
        response = client.get(url, {"hari": "30"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-channel="email"' in html and "75%" in html and "90%" in html
    assert "Promo akhir pekan" in html and 'id="best-reminder"' in html
    assert "pukul 20:00 WIB" in html and "Hari: Kamis" in html
    assert f'data-day="{WED}" data-hour="8" data-n="3"' in html
    assert f'data-day="{FRI}" data-hour="21" data-n="3"' in html
    assert 'href="?hari=30" aria-current="page"' in html
    # hostile or unknown periods fall back to 30 days
    assert client.get(url, {"hari": "<script>"}).status_code == 200
    assert 'href="?hari=30" aria-current="page"' in client.get(url, {"hari": "365"}).content.decode()
    # linked from the reminders list
    assert url in client.get(reverse("reminders:sequences")).content.decode()


@override_settings(REMINDERS_DASHBOARD_MIN_SENT=3)
def test_api_gives_the_same_numbers(client, admin_user, rows):
    response = call(client, "get", "/admin/reminders/dashboard?days=30", user=admin_user)
    assert response.status_code == 200
    body = response.json()
    channels = {c["channel"]: c for c in body["channels"]}
    assert channels["email"]["success_rate"] == 75 and channels["in_app"]["success_rate"] == 90
    assert body["best_reminder"]["id"] == rows["promo"].pk
    assert body["best_hour"]["hour"] == 20 and body["best_day"]["day"] == THU
    assert len(body["heatmap"]) == 7 and all(len(r) == 24 for r in body["heatmap"])
    assert body["heatmap"][WED][8] == 3 and body["heatmap"][FRI][21] == 3 and sum(map(sum, body["heatmap"])) == 8
    assert call(client, "get", "/admin/reminders/dashboard?days=90", user=admin_user).json()["totals"]["sent"] == 10
    assert call(client, "get", "/admin/reminders/dashboard?days=365", user=admin_user).status_code == 422


def test_admins_only(client, make_user):
    member = make_user()
    url = reverse("reminders:dashboard")
    assert client.get(url).status_code == 302
    client.force_login(member)
    assert client.get(url).status_code == 403
    assert call(client, "get", "/admin/reminders/dashboard", user=member).status_code == 403
    assert call(client, "get", "/admin/reminders/dashboard").status_code == 401


def test_wib_hours_on_a_fixed_moment(admin_user, make_user):
    """00:30 UTC on a Monday is 07:30 WIB on Monday; 18:30 UTC on Sunday is 01:30 WIB on Monday."""
    step = _sequence(admin_user, "Zona waktu")
    user = make_user()
    monday = datetime(2026, 6, 1, 7, 30, tzinfo=dashboard.WIB)
    assert monday.weekday() == 0
    sunday_utc = datetime(2026, 5, 31, 18, 30, tzinfo=UTC)
    _send(step, user, monday, key="m", opened_at=monday, clicked_at=sunday_utc)
    d = dashboard.reminders_dashboard(days=7, now=monday + timedelta(days=1))
    assert d["hours"][7]["sent"] == 1 and d["week_days"][0]["sent"] == 1
    cells = {(r["day"], c["hour"]): c["n"] for r in d["heatmap"]["rows"] for c in r["cells"] if c["n"]}
    assert cells == {(0, 7): 1, (0, 1): 1}
